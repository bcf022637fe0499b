"""Scheduled job of 年次有給休暇 (run by the worker; see core.schedule): every day at 6, the grants
due that day (and any missed while the worker was down), then the 年5日 warnings."""

from __future__ import annotations

from django_tasks import task

from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services.leave_grants import run_daily


@task()
def grant_and_warn(run_id: int) -> None:
    """Daily at 6: grant_paid_leave and send_five_day_warnings for every company."""
    carry_out(run_id, run_daily)


DAILY_PAID_LEAVE = Scheduled("attendance.paid_leave", daily_at(6), grant_and_warn)
