"""Background jobs that people start and watch (core.Job), on top of django-tasks.

A job is a row the screens show (state, progress, result) plus one django-tasks task that runs it
in the worker (`manage.py run_worker`, which `make run` starts). The work is a *runner*: a function
``runner(job, progress) -> dict`` registered with :func:`job_runner`; the dict is kept as the job's
result. Only registered runners can run, so a job row can never name arbitrary code.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from .errors import ServiceError
from .models import Company, Job, User

logger = logging.getLogger(__name__)

Runner = Callable[[Job, "Progress"], dict[str, Any]]
_RUNNERS: dict[str, Runner] = {}


def job_runner(func: Runner) -> Runner:
    """Register ``func`` as a job runner under its dotted path (what ``Job.kind`` stores)."""
    _RUNNERS[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def _runner_for(kind: str) -> Runner:
    if kind not in _RUNNERS:
        # The worker may not have imported the runner's module yet: importing it registers it.
        import_string(kind)
    return _RUNNERS[kind]


def _progress_key(job_id: int) -> str:
    return f"job:{job_id}"


def live_progress(job: Job) -> Job:
    """Fill a running job's done/total/message from the shared progress cache (what the runner
    reported last, even from inside its own uncommitted transaction)."""
    if not job.finished:
        seen = caches["progress"].get(_progress_key(job.pk))
        if seen is not None:
            job.done, job.total, job.message = seen
    return job


class Progress:
    """Called by a runner as it goes: ``progress(done, total, message)``.

    At most a few times a second, the figures go to the shared progress cache (a file cache that
    the web processes read, so a runner inside one long transaction is still seen to move) and,
    when the runner is not inside a transaction, to the job row as well.
    """

    MIN_INTERVAL = 0.3

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.MIN_INTERVAL:
            return
        self._last = now
        self.job.done, self.job.total, self.job.message = done, total, message[:300]
        caches["progress"].set(_progress_key(self.job.pk), (done, total, message[:300]))
        if not transaction.get_connection().in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total, message=message[:300])


def start_job(
    *, company: Company, actor: User | None, runner: Runner, label: str, params: dict[str, Any] | None = None
) -> Job:
    """Record a job and queue it for the worker. Returns at once with the queued job."""
    kind = f"{runner.__module__}.{runner.__qualname__}"
    if _RUNNERS.get(kind) is not runner:
        raise ValueError(f"{kind} is not a registered job runner")
    job = Job.objects.create(
        company=company, kind=kind, label=label[:200], params=params or {}, created_by=actor
    )
    # Inside a transaction the task row commits (or rolls back) with the job row.
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: int) -> None:
    """The worker's side: run the job's runner once and keep its outcome on the job row."""
    # The worker acts for the job's own company; the id comes from start_job, not from a request.
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # already run (a repeated task): running it again could do the work twice
        return
    job = Job.objects.select_related("company", "created_by").get(pk=job_id)
    try:
        result = _runner_for(job.kind)(job, Progress(job))
    except ServiceError as exc:
        _finish(job, Job.Status.FAILED, error=exc.message)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, error=_("処理中にエラーが発生しました: %(error)s") % {"error": exc})
    else:
        _finish(job, Job.Status.SUCCEEDED, result=result or {})


def _finish(job: Job, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> None:
    with transaction.atomic():
        fields: dict[str, Any] = {
            "status": status,
            "finished_at": timezone.now(),
            "error": error[:5000],
            "done": job.done,
            "total": job.total,
            "message": job.message,
        }
        if result is not None:
            fields["result"] = result
            fields["done"] = max(job.done, job.total)
        Job.objects.filter(pk=job.pk).update(**fields)
    caches["progress"].delete(_progress_key(job.pk))
