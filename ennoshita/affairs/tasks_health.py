"""Scheduled job of the health part (run by the worker; see core.schedule): daily 健康診断 reminders."""

from __future__ import annotations

from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services.health_more import send_health_reminders


def remind_all_companies() -> str:
    """Checkups due within 14 days or overdue (each at most once in 7 days) and doctors' opinions
    due, for every company; returns a short summary. Safe to repeat."""
    total = 0
    for company in Company.objects.order_by("pk"):
        total += send_health_reminders(company=company)
    return f"{total} health reminder(s) sent"


@task()
def send_reminders(run_id: int) -> None:
    """Daily at 8: 受診の催促 and 医師の意見聴取の期限."""
    carry_out(run_id, remind_all_companies)


DAILY_HEALTH_REMINDERS = Scheduled("affairs.health_reminders", daily_at(8), send_reminders)
