"""Scheduled job of the 法律相談・紛争 part (run by the worker; see core.schedule): every morning, the
alerts 7 days and 1 day before each open deadline, to the handler and 法務."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services.matters import send_matter_alerts


def run_all_companies() -> str:
    """Alert every company; returns a short summary. Safe to repeat (each alert is sent once)."""
    today = timezone.localdate()
    sent = 0
    for company in Company.objects.order_by("pk"):
        sent += send_matter_alerts(company=company, today=today)
    return f"{sent} matter deadline alert(s) sent"


@task()
def matter_alerts(run_id: int) -> None:
    """Daily at 7: 法律相談・紛争の期限の事前通知 (7日前・前日)."""
    carry_out(run_id, run_all_companies)


DAILY_MATTER_ALERTS = Scheduled("legal.matter_alerts", daily_at(7), matter_alerts)
