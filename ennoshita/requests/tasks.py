"""Scheduled job of 業務依頼 (run by the worker; see core.schedule): every morning, the recurring
requests due by today are made, then the overdue alerts are sent. Both are idempotent."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services import run_recurring, send_overdue_alerts


def run_all_companies() -> str:
    today = timezone.localdate()
    made = sent = 0
    for company in Company.objects.order_by("pk"):
        made += run_recurring(company=company, today=today)
        sent += send_overdue_alerts(company=company, today=today)
    return f"{made} recurring request(s) made, {sent} overdue alert(s) sent"


@task()
def request_jobs(run_id: int) -> None:
    """Daily at 6: 定期依頼の作成, then 期限超過の通知."""
    carry_out(run_id, run_all_companies)


DAILY_REQUEST_JOBS = Scheduled("requests.daily", daily_at(6), request_jobs)
