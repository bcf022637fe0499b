"""Background jobs and scheduled jobs: the runner's outcome and progress are kept on the job row,
a slot runs once however often the schedule is checked, and the real worker (django-tasks-db)
runs what is queued."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from ennoshita.core import jobs, schedule
from ennoshita.core.backup import list_archives
from ennoshita.core.backup_jobs import backup_runner
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent, BackupSchedule, Job, ScheduledRun

from ..conftest import login, make_member

# The jobs write archives and claim schedule slots from their own transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

seen_progress: list[tuple[int, int]] = []


@jobs.job_runner
def counting_runner(job, progress):
    for n in range(1, 4):
        progress(n, 3, f"step {n}")
        seen_progress.append((n, 3))
    return {"counted": job.params["upto"]}


@jobs.job_runner
def refusing_runner(job, progress):
    progress(1, 2, "half")
    raise ServiceError("取引先が見つかりません。")


@jobs.job_runner
def crashing_runner(job, progress):
    raise RuntimeError("disk full")


seen_from_outside: list[tuple[int, int]] = []


@jobs.job_runner
def one_transaction_runner(job, progress):
    from django.db import transaction

    with transaction.atomic():
        progress(5, 10, "半分")
        # what another process polling the job sees while this transaction is still open
        watched = jobs.live_progress(Job.objects.get(pk=job.pk))
        seen_from_outside.append((watched.done, watched.total))
    return {}


def not_registered(job, progress):
    return {}


@pytest.fixture(autouse=True)
def _installation_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    storages._storages.pop("default", None)
    yield
    storages._storages.pop("default", None)


def test_a_job_runs_and_keeps_its_result_and_progress(company, admin):
    job = jobs.start_job(
        company=company, actor=admin.user, runner=counting_runner, label="数える", params={"upto": 3}
    )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"counted": 3}
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    assert job.created_by == admin.user and job.company == company


def test_a_refused_job_shows_the_service_message(company, admin):
    job = jobs.start_job(company=company, actor=admin.user, runner=refusing_runner, label="取込")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "取引先が見つかりません。"
    assert (job.done, job.total) == (1, 2)  # where it stopped


def test_a_crashing_job_is_failed_with_a_message_not_left_running(company, admin):
    job = jobs.start_job(company=company, actor=admin.user, runner=crashing_runner, label="壊れる")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "disk full" in job.error


def test_only_registered_runners_can_be_started(company, admin):
    with pytest.raises(ValueError):
        jobs.start_job(company=company, actor=admin.user, runner=not_registered, label="x")
    assert not Job.objects.exists()


def test_a_job_that_already_ran_is_not_run_again(company, admin):
    seen_progress.clear()
    job = jobs.start_job(
        company=company, actor=admin.user, runner=counting_runner, label="数える", params={"upto": 1}
    )
    jobs.run_job.call(job.pk)  # the same task delivered twice
    assert len(seen_progress) == 3


# ------------------------------------------------------------------------------ the schedule


def _at(hour: int, day: int = 24) -> datetime:
    return timezone.make_aware(datetime(2026, 11, day, hour, 5))


def test_daily_at_is_due_from_its_hour_with_the_date_as_slot():
    due = schedule.daily_at(3)
    assert due(_at(2)) is None
    assert due(_at(3)) == "2026-11-24"
    assert due(_at(23)) == "2026-11-24"


def test_the_backup_is_due_only_when_switched_on(db):
    assert schedule._backup_due(_at(12)) is None
    BackupSchedule.objects.create(enabled=True, hour=2, keep=3)
    assert schedule._backup_due(_at(1)) is None
    assert schedule._backup_due(_at(2)) == "2026-11-24"


def test_each_slot_runs_once_however_often_the_schedule_is_checked(company, settings):
    BackupSchedule.objects.create(enabled=True, hour=2, keep=2)
    QUARTER = "affairs.announcements"  # お知らせ: every quarter hour, its own slot each time

    def daily(runs):
        return sorted(r.name for r in runs if r.name != QUARTER)

    first = schedule.run_due_jobs(_at(5))
    assert daily(first) == [
        "core.backup",
        "core.prune_task_results",
        "documents.purge_trash",
        "frontdesk.erase_visitor_data",  # 来訪者の個人情報の削除, from 3 o'clock
    ]
    assert [r.name for r in first if r.name == QUARTER] == [QUARTER]
    # 勤怠's daily checks (36協定, 年休の付与と年5日) are due from 6 o'clock
    # and 業務依頼's (定期依頼, 期限超過)
    assert daily(schedule.run_due_jobs(_at(6))) == [
        "attendance.overtime_limits",
        "attendance.paid_leave",
        "requests.daily",
    ]
    # 法務's alerts (契約の期限, 知的財産の期限, 相談・紛争の期限, 任期と登記期限) from 7
    assert daily(schedule.run_due_jobs(_at(7))) == [
        "legal.contract_alerts",
        "legal.ip_alerts",
        "legal.matter_alerts",
        "legal.registry_alerts",
    ]
    # the health reminders from 8, the approvals' reminders from 9, once that day
    assert daily(schedule.run_due_jobs(_at(23))) == ["affairs.health_reminders", "approvals.reminders"]
    assert schedule.run_due_jobs(_at(23)) == []  # the same quarter hour too
    runs = ScheduledRun.objects.exclude(name=QUARTER).order_by("name")
    assert [(r.name, r.status) for r in runs] == [
        ("affairs.health_reminders", "succeeded"),
        ("approvals.reminders", "succeeded"),
        ("attendance.overtime_limits", "succeeded"),
        ("attendance.paid_leave", "succeeded"),
        ("core.backup", "succeeded"),
        ("core.prune_task_results", "succeeded"),
        ("documents.purge_trash", "succeeded"),
        ("frontdesk.erase_visitor_data", "succeeded"),
        ("legal.contract_alerts", "succeeded"),
        ("legal.ip_alerts", "succeeded"),
        ("legal.matter_alerts", "succeeded"),
        ("legal.registry_alerts", "succeeded"),
        ("requests.daily", "succeeded"),
    ]
    assert ScheduledRun.objects.filter(name=QUARTER).count() == 4  # 5:00, 6:00, 7:00, 23:00 slots
    backup = runs.get(name="core.backup")
    assert backup.message.startswith("ennoshita-") and len(list_archives()) == 1
    # the next day runs again, and the backup keeps only `keep` archives
    schedule.run_due_jobs(_at(5, day=25))
    schedule.run_due_jobs(_at(5, day=26))
    assert len(list_archives()) == 2
    assert ScheduledRun.objects.filter(name="core.backup").count() == 3


def test_a_failed_scheduled_run_keeps_the_error(db, monkeypatch):
    BackupSchedule.objects.create(enabled=True, hour=0, keep=2)

    def broken(**kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr("ennoshita.core.backup.create_backup", broken)
    schedule.run_due_jobs(_at(1))
    run = ScheduledRun.objects.get(name="core.backup")
    assert run.status == "failed" and "no space left" in run.message


# ------------------------------------------------------------------------------ the real worker


def test_the_database_worker_runs_queued_jobs_and_scheduled_ones(settings):
    """Queue with django-tasks-db (a row, not run at once), then run the worker command itself."""
    from django.core.management import call_command

    from ..conftest import make_company

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    company = make_company()
    admin = make_member(company, "boss", ["admin"])
    job = jobs.start_job(company=company, actor=admin.user, runner=backup_runner, label="バックアップ")
    assert job.status == Job.Status.QUEUED  # queued, not run in the request
    BackupSchedule.objects.create(enabled=True, hour=0, keep=5)

    call_command("run_worker", "--batch", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["archive"].startswith("ennoshita-") and job.percent == 100
    assert AuditEvent.objects.filter(
        company=company, action="backup", object_id=job.result["archive"]
    ).exists()
    assert ScheduledRun.objects.get(name="core.backup").status == "succeeded"
    assert len(list_archives()) == 2  # the one asked for and the scheduled one


def test_the_worker_refuses_to_run_without_the_database_backend(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("run_worker", "--batch")


# ------------------------------------------------------------------------------ the screens


def test_the_backup_button_starts_a_job_and_its_panel_reports_it(client, admin):
    login(client, admin)
    response = client.post(reverse("core:backups"), {"action": "start"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?job={job.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "バックアップを作成しました" in page and job.result["archive"] in page
    panel = client.get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert (
        panel.status_code == 200 and "hx-trigger" not in panel.content.decode()
    )  # finished: no more polling
    assert "<html" not in panel.content.decode()


def test_a_running_job_panel_polls_and_shows_its_percentage(client, admin, company):
    job = Job.objects.create(
        company=company, kind="x", label="取込", status="running", done=25, total=100, created_by=admin.user
    )
    login(client, admin)
    panel = client.get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in panel and 'value="25"' in panel


def test_someone_elses_job_is_a_404_for_a_non_admin(client, company, admin, hr):
    job = Job.objects.create(company=company, kind="x", label="取込", created_by=admin.user)
    mine = Job.objects.create(company=company, kind="x", label="取込", created_by=hr.user)
    login(client, hr)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_detail", args=[mine.pk])).status_code == 200


def test_the_schedule_is_set_on_the_screen_and_audited(client, admin):
    login(client, admin)
    bad = client.post(
        reverse("core:backups"), {"action": "schedule", "enabled": "on", "hour": "2", "keep": "0"}
    )
    assert bad.status_code == 200 and not BackupSchedule.objects.exists()
    ok = client.post(
        reverse("core:backups"), {"action": "schedule", "enabled": "on", "hour": "3", "keep": "7"}
    )
    assert ok.status_code == 302
    row = BackupSchedule.objects.get()
    assert (row.enabled, row.hour, row.keep) == (True, 3, 7)
    event = AuditEvent.objects.get(object_type="core.backupschedule")
    assert event.actor == admin.user and event.changes["fields"]["keep"] == [None, 7]


def test_progress_inside_one_long_transaction_is_seen_through_the_shared_cache(company, admin):
    seen_from_outside.clear()
    job = jobs.start_job(company=company, actor=admin.user, runner=one_transaction_runner, label="取込")
    assert seen_from_outside == [(5, 10)]
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and (job.done, job.total) == (10, 10)
