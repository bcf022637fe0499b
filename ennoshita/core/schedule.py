"""Scheduled jobs: the worker (`manage.py run_worker`) wakes up every half minute and starts what is
due, each job at most once per slot (a day, for the daily ones).

A scheduled job is a :class:`Scheduled`: a name, a ``due(now)`` that answers the slot due at local
time ``now`` (or None), and a django-tasks task that takes ``run_id``. The slot is claimed by
inserting a :class:`~ennoshita.core.models.ScheduledRun` row under a unique key, so repeating the
check, restarting the worker or running two workers never runs a slot twice; a worker that was
stopped at the job's hour catches up once when it starts again. The list of jobs is the setting
``ENNOSHITA_SCHEDULED_JOBS`` (dotted paths), so apps above core add theirs without core importing
them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from .models import BackupSchedule, ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    name: str
    due: Callable[[datetime], str | None]
    task: Task[Any, Any]


def daily_at(hour: int) -> Callable[[datetime], str | None]:
    """Due once a day from ``hour`` o'clock (local time) on; the slot is the date."""

    def due(now: datetime) -> str | None:
        return now.date().isoformat() if now.hour >= hour else None

    return due


def scheduled_jobs() -> list[Scheduled]:
    return [import_string(path) for path in settings.ENNOSHITA_SCHEDULED_JOBS]


def run_due_jobs(now: datetime | None = None) -> list[ScheduledRun]:
    """Queue every scheduled job whose slot is due and not yet claimed. Safe to call any time."""
    local = timezone.localtime(now or timezone.now())
    started = []
    for job in scheduled_jobs():
        slot = job.due(local)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=job.name, slot=slot)
                # Queued once the claim is committed, so that no other connection waits on it.
                transaction.on_commit(partial(job.task.enqueue, run_id=run.pk))
        except IntegrityError:
            continue  # this slot is already claimed (by this worker earlier, or by another one)
        started.append(run)
    return started


def carry_out(run_id: int, work: Callable[[], str]) -> None:
    """Run one claimed slot: mark it running, do ``work`` (which returns a short result message)
    and keep the outcome. A run that is no longer queued is not run again."""
    if not ScheduledRun.objects.filter(pk=run_id, status=ScheduledRun.Status.QUEUED).update(
        status=ScheduledRun.Status.RUNNING
    ):
        return
    try:
        message = work()
    except Exception as exc:
        logger.exception("scheduled run %s failed", run_id)
        status, message = ScheduledRun.Status.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        status = ScheduledRun.Status.SUCCEEDED
    ScheduledRun.objects.filter(pk=run_id).update(
        status=status, message=message[:5000], finished_at=timezone.now()
    )


# ------------------------------------------------------------------------------ core's own jobs


def backup_schedule() -> BackupSchedule:
    return BackupSchedule.objects.order_by("pk").first() or BackupSchedule()


def _backup_due(now: datetime) -> str | None:
    schedule = backup_schedule()
    return daily_at(schedule.hour)(now) if schedule.enabled else None


@task()
def scheduled_backup(run_id: int) -> None:
    from .backup import create_backup

    def work() -> str:
        result = create_backup(keep=backup_schedule().keep)
        removed = f"; removed {len(result.removed)} old archive(s)" if result.removed else ""
        return f"{result.path.name}{removed}"

    carry_out(run_id, work)


@task()
def prune_task_results(run_id: int) -> None:
    """Finished task rows older than 30 days go; the jobs people see keep their own rows."""
    from django_tasks_db.models import DBTaskResult

    def work() -> str:
        cutoff = timezone.now() - timedelta(days=30)
        deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
        return f"{deleted} task result(s) deleted"

    carry_out(run_id, work)


SCHEDULED_BACKUP = Scheduled("core.backup", _backup_due, scheduled_backup)
PRUNE_TASK_RESULTS = Scheduled("core.prune_task_results", daily_at(4), prune_task_results)
