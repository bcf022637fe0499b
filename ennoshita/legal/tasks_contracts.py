"""Scheduled job of the contracts part (run by the worker; see core.schedule): every morning,
automatic renewals and expiries, then the alerts before notice deadlines and expiries."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services.contracts import roll_contracts, send_contract_alerts


def run_all_companies() -> str:
    """Roll then alert every company; returns a short summary. Safe to repeat."""
    today = timezone.localdate()
    renewed = expired = sent = 0
    for company in Company.objects.order_by("pk"):
        rolled = roll_contracts(company=company, today=today)
        renewed += rolled.renewed
        expired += rolled.expired
        sent += send_contract_alerts(company=company, today=today)
    return f"{renewed} renewed, {expired} expired, {sent} contract alert(s) sent"


@task()
def contract_alerts(run_id: int) -> None:
    """Daily at 7: 自動更新・期間満了, then 通知期限・満了の事前通知."""
    carry_out(run_id, run_all_companies)


DAILY_CONTRACT_ALERTS = Scheduled("legal.contract_alerts", daily_at(7), contract_alerts)
