"""リーガルチェック's writes share: the status table, the row lock, errors, and the contract moves."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.legal import permissions as contract_permissions
from ennoshita.legal.models import Contract, ContractStatus, LegalReview, ReviewStatus
from ennoshita.legal.services.contracts import TRANSITIONS as CONTRACT_TRANSITIONS
from ennoshita.legal.services.contracts import change_contract_status

S = ReviewStatus
NOTIFY_KIND = "legal.review"
NUMBER_TYPE = "legal_review"  # core.numbering's document type: LR-<年度>-0001

# Every status move (from → to). 受付待ち → 確認中 (担当者を決める) → 回答済み → 完了; a non-OK answer
# may come back as the next round (回答済み → 確認中, or 受付待ち without a reviewer); the requester
# withdraws (取下げ) before 完了. Any other move is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.IN_REVIEW, S.RETURNED, S.WITHDRAWN),
    S.IN_REVIEW: (S.IN_REVIEW, S.RETURNED, S.WITHDRAWN),
    S.RETURNED: (S.SUBMITTED, S.IN_REVIEW, S.CLOSED, S.WITHDRAWN),
    S.CLOSED: (),
    S.WITHDRAWN: (),
}
# waiting for 法務 (what the open count and the overdue count are about)
WAITING = (S.SUBMITTED, S.IN_REVIEW)
OPEN = (S.SUBMITTED, S.IN_REVIEW, S.RETURNED)

REVIEW_FIELDS = (
    "number",
    "title",
    "contract",
    "document",
    "background",
    "desired_on",
    "requester",
    "department",
    "reviewer",
    "status",
    "verdict",
    "round",
    "submitted_at",
    "assigned_at",
    "returned_at",
    "closed_at",
)


def fail(name: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={name: [message]})


def locked(company: Company, review: LegalReview) -> LegalReview:
    found = (
        LegalReview.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("contract")
        .filter(pk=review.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def check_move(review: LegalReview, to: str) -> None:
    if to not in TRANSITIONS[review.status]:
        raise ServiceError(
            _("「%(a)s」のリーガルチェックを「%(b)s」にはできません。")
            % {"a": S(review.status).label, "b": S(to).label},
            code="bad_transition",
            field_errors={"status": [_("この状態では行えません。")]},
        )


def move_contract(
    *, company: Company, actor: User, membership: Membership, contract: Contract | None, to: str, reason: str
) -> None:
    """Move the reviewed contract along, through the contract status service, when its table allows
    the move and this member may make it; otherwise leave it as it is."""
    if contract is None:
        return
    contract = Contract.objects.for_company(company).get(pk=contract.pk)
    if contract.status == to or to not in CONTRACT_TRANSITIONS[contract.status]:
        return
    if not contract_permissions.can_move(membership, contract, to):
        return
    change_contract_status(
        company=company, actor=actor, membership=membership, contract=contract, to=to, reason=reason
    )


CONTRACT_ON_SUBMIT = ContractStatus.IN_REVIEW
CONTRACT_ON_RETURN = ContractStatus.NEGOTIATING
