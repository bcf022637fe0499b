"""Scheduled job of the 知的財産 part (run by the worker; see core.schedule): every morning the
deadlines are moved on, rights past their last late period are marked 消滅, and the alerts ahead of
each deadline are sent (``services.ip.alerts``)."""

from __future__ import annotations

from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services.ip import refresh_ip_deadlines, send_ip_alerts


def alert_all_companies() -> str:
    """For every company: deadlines refreshed, then the alerts; returns a short summary. Safe to
    repeat (each alert is sent once, a refreshed right is not touched again)."""
    moved = lapsed = sent = 0
    for company in Company.objects.order_by("pk"):
        m, lapsed_here = refresh_ip_deadlines(company=company)
        moved += m
        lapsed += lapsed_here
        sent += send_ip_alerts(company=company)
    return f"{moved} deadline(s) moved, {lapsed} right(s) lapsed, {sent} IP alert(s) sent"


@task()
def send_alerts(run_id: int) -> None:
    """Daily at 7: 知的財産の期限 (更新・年金・分割納付・満了)."""
    carry_out(run_id, alert_all_companies)


DAILY_IP_ALERTS = Scheduled("legal.ip_alerts", daily_at(7), send_alerts)
