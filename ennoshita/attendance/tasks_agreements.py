"""The daily 36協定 check (run by the worker; see core.schedule and services/agreements.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services.agreements import check_overtime_limits


def check_all_companies(as_of: date | None = None) -> str:
    """The check for every company, as of ``as_of`` — by default yesterday, the last whole day,
    so that a month's last day is checked on the 1st of the next; returns a short summary."""
    as_of = as_of or timezone.localdate() - timedelta(days=1)
    checked = alerts = mails = 0
    for company in Company.objects.order_by("pk"):
        result = check_overtime_limits(company=company, as_of=as_of)
        checked += result.checked
        alerts += len(result.alerts)
        mails += result.mails
    return f"{as_of}: {checked} employee(s) checked, {alerts} new alert(s), {mails} mail(s)"


@task()
def check_overtime(run_id: int) -> None:
    """Daily at 6: 36協定 warnings and breaches up to yesterday."""
    carry_out(run_id, check_all_companies)


DAILY_OVERTIME_CHECK = Scheduled("attendance.overtime_limits", daily_at(6), check_overtime)
