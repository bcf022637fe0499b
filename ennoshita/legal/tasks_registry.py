"""Scheduled job of the 登記・機関 part (run by the worker; see core.schedule): every morning the
alerts before officers' terms end (90 / 30 days, and once after) and before 登記 deadlines (7 / 3 /
1 days, and once overdue), to 法務 and 管理者 (``services.registry.alerts``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services.registry import send_registry_alerts


def alert_all_companies() -> str:
    """Alert every company; returns a short summary. Safe to repeat (each alert is sent once)."""
    today = timezone.localdate()
    sent = 0
    for company in Company.objects.order_by("pk"):
        sent += send_registry_alerts(company=company, today=today)
    return f"{sent} registry alert(s) sent"


@task()
def registry_alerts(run_id: int) -> None:
    """Daily at 7: 役員の任期満了・登記期限."""
    carry_out(run_id, alert_all_companies)


DAILY_REGISTRY_ALERTS = Scheduled("legal.registry_alerts", daily_at(7), registry_alerts)
