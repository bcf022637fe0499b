"""Scheduled jobs of documents (run by the worker; see core.schedule)."""

from __future__ import annotations

from django_tasks import task

from ennoshita.core.models import Company
from ennoshita.core.schedule import Scheduled, carry_out, daily_at

from .services import purge_expired_trash


@task()
def purge_trash(run_id: int) -> None:
    """Daily: delete for good what has been in the trash for more than 30 days, in every company."""

    def work() -> str:
        total = sum(purge_expired_trash(company=c) for c in Company.objects.order_by("pk"))
        return f"{total} document(s) deleted"

    carry_out(run_id, work)


DAILY_PURGE_TRASH = Scheduled("documents.purge_trash", daily_at(3), purge_trash)
