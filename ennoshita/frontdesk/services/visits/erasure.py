"""The daily erasure of visitors' personal data after the company's retention period
(個人情報保護法22条). The visit stays, anonymous, for counts; the audit trail, which never held
the details, says only that they were erased.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.models import Company, Notification
from ennoshita.frontdesk.models import Visit
from ennoshita.frontdesk.rules import visits as rules

from ._common import AUDIT_FIELDS, PERSONAL_KEY, visit_label
from .desk_settings import settings_of

ERASE_JOB_LABEL = "frontdesk.erase_visitor_data"


def _expired(company: Company, today: Any) -> Any:
    days = settings_of(company).visitor_retention_days
    cutoff = timezone.make_aware(datetime.combine(rules.erase_before(today, days), time.min))
    return (
        Visit.objects.for_company(company)
        .filter(personal_data_erased_at__isnull=True, expected_at__lt=cutoff)
        .order_by("pk")
    )


def erase_expired_visitor_data(*, company: Company, today: Any = None, batch: int = 500) -> int:
    """Blank the visitor's name, company, phone, e-mail, note and search key of every visit expected
    before the retention period (個人情報保護法22条); the visit stays, anonymous, for counts. The
    arrival notices about those visits lose the name too. Idempotent: erased visits are skipped.
    Runs in batches, one transaction each; the job names itself as the actor of the events."""
    today = today or timezone.localdate()
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                _expired(company, today).select_for_update(of=("self",)).values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return total
            total += _erase(company, ids)


def _erase(company: Company, ids: Iterable[int]) -> int:
    now = timezone.now()
    visits = list(Visit.objects.for_company(company).filter(pk__in=list(ids)).order_by("pk"))
    befores = [snapshot(v, AUDIT_FIELDS) for v in visits]
    Visit.objects.for_company(company).filter(pk__in=[v.pk for v in visits]).update(
        visitor_name="",
        visitor_company="",
        visitor_phone="",
        visitor_email="",
        note="",
        search_key="",
        personal_data_erased_at=now,
    )
    Notification.objects.for_company(company).filter(
        object_type="frontdesk.visit", object_id__in=[str(v.pk) for v in visits]
    ).update(text=_("来訪者が到着しました(来訪者の個人情報は保存期間を過ぎたため削除しました)"))
    events = []
    for visit, before in zip(visits, befores, strict=True):
        after = {**before, "personal_data_erased_at": now}
        events.append(
            EventInput(
                action="erase_personal_data",
                instance=visit,
                object_repr=visit_label(visit),
                before={**before, PERSONAL_KEY: "記録あり"},
                after={**after, PERSONAL_KEY: "削除済み"},
            )
        )
    record_events(company=company, actor=None, events=events, actor_label=ERASE_JOB_LABEL)
    return len(visits)


def erase_all_companies(today: Any = None) -> str:
    """The daily job over every company (tasks_visits.py)."""
    total = 0
    for company in Company.objects.order_by("pk"):
        total += erase_expired_visitor_data(company=company, today=today)
    return f"{total} visit(s) anonymised"
