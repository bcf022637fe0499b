"""Scheduled job of the visits part (run by the worker; see core.schedule): the daily erasure of
visitor personal data past each company's retention period (個人情報保護法22条)."""

from __future__ import annotations

from django_tasks import task

from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services.visits import erase_all_companies


@task()
def erase_visitor_data(run_id: int) -> None:
    """Daily at 3: blank the name and contacts of visits older than the retention period."""
    carry_out(run_id, erase_all_companies)


DAILY_ERASE_VISITOR_DATA = Scheduled("frontdesk.erase_visitor_data", daily_at(3), erase_visitor_data)
