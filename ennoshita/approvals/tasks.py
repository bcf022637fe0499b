"""Scheduled jobs of approvals (run by the worker; see core.schedule)."""

from __future__ import annotations

from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .reminders import remind_waiting
from .routing import settings_of


def remind_all_companies() -> str:
    """催促 for every company, each with its own number of days; returns a short summary."""
    total = 0
    for company in Company.objects.order_by("pk"):
        total += remind_waiting(company=company, older_than_days=settings_of(company).reminder_days)
    return f"{total} reminder mail(s) sent"


@task()
def send_reminders(run_id: int) -> None:
    """Daily at 9: remind approvers of requests waiting longer than the company's days."""
    carry_out(run_id, remind_all_companies)


DAILY_APPROVAL_REMINDERS = Scheduled("approvals.reminders", daily_at(9), send_reminders)
