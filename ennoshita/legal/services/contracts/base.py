"""契約書's writes: the input shape, the status table, the fields the audit trail records, and the
helpers every write shares (errors, the row lock, the 印紙税)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company
from ennoshita.legal.models import Contract, ContractStatus, NoticeUnit, OurSide
from ennoshita.legal.rules.stamp_duty import contract_stamp_duty
from ennoshita.legal.rules.terms import notice_deadline

S = ContractStatus
NOTIFY_KIND = "legal.contract"
NUMBER_TYPE = "contract"  # core.numbering's document type: C-<年度>-0001

# Every move a person may make (the owner's subset is in permissions.OWNER_MOVES); a move not here is
# refused. 期間満了 is the daily job's (JOB_MOVES), never a person's.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.IN_REVIEW, S.TERMINATED),
    S.IN_REVIEW: (S.NEGOTIATING, S.DRAFT, S.TERMINATED),
    S.NEGOTIATING: (S.SIGNED, S.IN_REVIEW, S.TERMINATED),
    S.SIGNED: (S.ACTIVE, S.TERMINATED),
    S.ACTIVE: (S.TERMINATED,),
    S.EXPIRED: (),
    S.TERMINATED: (),
}
JOB_MOVES = {S.ACTIVE: S.EXPIRED, S.SIGNED: S.EXPIRED}
# before signing, 解約・終了 means 取りやめ (a reason is required); after, a 解約日 is
NOT_YET_SIGNED = (S.DRAFT, S.IN_REVIEW, S.NEGOTIATING)
OPEN_STATUSES = (S.DRAFT, S.IN_REVIEW, S.NEGOTIATING, S.SIGNED, S.ACTIVE)
# statuses a contract may be registered in directly (an existing contract signed on paper)
INITIAL_STATUSES = (S.DRAFT, S.SIGNED, S.ACTIVE)

CONTRACT_FIELDS = (
    "number",
    "title",
    "contract_type",
    "our_side",
    "counterparty_kind",
    "customer",
    "vendor",
    "counterparty_name",
    "amount",
    "tax_amount",
    "starts_on",
    "ends_on",
    "auto_renew",
    "renewal_months",
    "notice_period",
    "notice_unit",
    "paper_original",
    "stamp_document",
    "stamp_duty",
    "owner_department",
    "owner",
    "status",
    "parent",
    "relation",
    "signed_on",
    "terminated_on",
    "current_end_on",
    "note",
)


@dataclass(frozen=True)
class ContractInput:
    """A contract as typed (screens and API). Amounts in whole yen; ``amount`` None = 金額の記載なし."""

    title: str
    contract_type: str
    counterparty_name: str = ""
    counterparty_kind: str = "other"
    customer_id: int | None = None
    vendor_id: int | None = None
    our_side: str = OurSide.BUYER
    amount: Decimal | int | None = None
    tax_amount: Decimal | int = 0
    starts_on: date | None = None
    ends_on: date | None = None
    auto_renew: bool = False
    renewal_months: int | None = None
    notice_period: int | None = None
    notice_unit: str = NoticeUnit.MONTHS
    paper_original: bool = False
    stamp_document: str = "none"
    owner_department_id: int | None = None
    owner_id: int | None = None
    parent_id: int | None = None
    relation: str = ""
    note: str = ""


def fail(name: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={name: [message]})


def locked(company: Company, contract: Contract) -> Contract:
    found = (
        Contract.objects.for_company(company).select_for_update(of=("self",)).filter(pk=contract.pk).first()
    )
    if found is None:
        raise NotFound()
    return found


def stamp_duty_of(contract: Contract) -> Decimal:
    """印紙税 of the paper original (jp-rules §14): the 号, the 記載金額 (tax shown separately leaves
    the bracket), made on the 締結日 or, before signing, today."""
    amount = contract.amount
    tax = contract.tax_amount or 0
    duty = contract_stamp_duty(
        document=contract.stamp_document,
        amount=None if amount is None else Decimal(amount) + Decimal(tax),
        made_on=contract.signed_on or timezone.localdate(),
        paper=contract.paper_original,
        tax_shown_separately=0 if amount is None else tax,
    )
    return Decimal(duty)


def deadline_of(contract: Contract) -> date | None:
    """The last day to give notice not to renew (an auto-renewing contract with a notice period)."""
    if not contract.auto_renew or contract.notice_period is None or contract.current_end_on is None:
        return None
    return notice_deadline(
        end_on=contract.current_end_on, period=contract.notice_period, unit=contract.notice_unit
    )
