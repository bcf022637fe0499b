"""Paying approved claims: a payment run (purchasing) marks them paid when it is confirmed and
unmarks them when it is reversed. The run checks the roles and posts the entry (Dr 未払金 / Cr
預金); here the claims' ``paid_at`` is set or cleared under a row lock, with an audit event each.
Both run inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, User
from ennoshita.expenses.models import ClaimStatus, ExpenseClaim


def _locked(company: Company, claims: Iterable[ExpenseClaim]) -> list[ExpenseClaim]:
    ids = sorted({c.pk for c in claims})
    found = list(
        ExpenseClaim.objects.for_company(company).select_for_update().filter(pk__in=ids).order_by("pk")
    )
    if len(found) != len(ids):
        raise ServiceError(_("経費精算が見つかりません。"), code="not_found")
    return found


@transaction.atomic
def mark_claims_paid(
    *,
    company: Company,
    actor: User | None,
    claims: Iterable[ExpenseClaim],
    paid_at: datetime,
    run_number: str,
) -> list[ExpenseClaim]:
    """支払済み: approved, unpaid claims get ``paid_at``; any other claim refuses the whole call."""
    locked = _locked(company, claims)
    for claim in locked:
        if claim.status != ClaimStatus.APPROVED or claim.paid_at is not None:
            raise ServiceError(
                _("経費精算 %(number)s は支払える状態ではありません(承認済み・未払いではありません)。")
                % {"number": claim.number},
                code="not_payable",
            )
    ExpenseClaim.objects.filter(pk__in=[c.pk for c in locked]).update(paid_at=paid_at)
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "pay",
                claim,
                before={"paid_at": None},
                after={"paid_at": paid_at},
                extra={"payment_run": run_number},
            )
            for claim in locked
        ],
    )
    for claim in locked:
        claim.paid_at = paid_at
    return locked


@transaction.atomic
def unmark_claims_paid(
    *, company: Company, actor: User | None, claims: Iterable[ExpenseClaim], run_number: str
) -> list[ExpenseClaim]:
    """支払の取消 (the run was reversed): the claims are approved and unpaid again."""
    locked = _locked(company, claims)
    events = [
        EventInput(
            "unpay",
            claim,
            before={"paid_at": claim.paid_at},
            after={"paid_at": None},
            extra={"payment_run": run_number},
        )
        for claim in locked
    ]
    ExpenseClaim.objects.filter(pk__in=[c.pk for c in locked]).update(paid_at=None)
    record_events(company=company, actor=actor, events=events)
    for claim in locked:
        claim.paid_at = None
    return locked
