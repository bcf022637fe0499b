"""A vendor bill's way through approval: submit (number → approval request), resubmit after
差し戻し, withdraw, and ``on_bill_decided`` (named in ``settings.ENNOSHITA_APPROVAL_TYPES
["purchasing.bill"]``): an approved bill posts ONE journal entry — each line's expense or asset
account with its department and 税区分, the tax of each rate once per bill (適格請求書), and the
payable account (買掛金 / 未払金) for the total."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import format_number, next_number_for_date
from ennoshita.core.permissions import require_role
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.ledger import services as ledger_services
from ennoshita.purchasing.models import BillStatus, VendorBill
from ennoshita.purchasing.permissions import ACCOUNTING_ROLES, REQUEST_TYPE
from ennoshita.purchasing.selectors import bills as bill_selectors

from .bill_drafts import (
    BillLineSpec,
    attach_bill_document,
    check_document,
    delete_draft_bill,
    locked_bill,
    save_bill,
)

__all__ = [
    "BillLineSpec",
    "attach_bill_document",
    "check_document",
    "delete_draft_bill",
    "on_bill_decided",
    "save_bill",
    "submit_bill",
    "withdraw_bill",
]

NUMBER_TYPE = "purchasing.bill"
NUMBER_PREFIX = "PB"

OUTCOMES = {
    "approved": BillStatus.APPROVED,
    "rejected": BillStatus.REJECTED,
    "returned": BillStatus.RETURNED,
    "withdrawn": BillStatus.WITHDRAWN,
}
# the transitions a bill can make (the approval engine makes the ones out of SUBMITTED)
ALLOWED_FROM = {
    BillStatus.DRAFT: {BillStatus.SUBMITTED},
    BillStatus.SUBMITTED: {
        BillStatus.APPROVED,
        BillStatus.REJECTED,
        BillStatus.RETURNED,
        BillStatus.WITHDRAWN,
    },
    BillStatus.RETURNED: {BillStatus.SUBMITTED, BillStatus.WITHDRAWN},
}


def _check_transition(bill: VendorBill, target: str) -> None:
    if target not in ALLOWED_FROM.get(BillStatus(bill.status), set()):
        raise ServiceError(
            _("「%(status)s」の請求書はこの操作ができません。") % {"status": bill.get_status_display()},
            code="bad_state",
        )


def _repr(bill: VendorBill) -> str:
    return f"{bill.number} {bill.vendor.name}"[:200]


@transaction.atomic
def submit_bill(*, company: Company, actor: User, membership: Membership, bill: VendorBill) -> VendorBill:
    """申請: the bill gets its number (PB-<年度>-000001, gapless, on first submission) and goes to its
    approval route (amount = total, the bill's department, the lines' accounts); after 差し戻し the
    same request is resubmitted (only by who submitted it: the approval engine's rule)."""
    require_role(membership, *ACCOUNTING_ROLES)
    bill = locked_bill(company, bill)
    _check_transition(bill, BillStatus.SUBMITTED)
    lines = bill_selectors.lines_of(bill=bill)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    if bill.bill_date > today:
        errors["bill_date"] = [_("未来の日付の請求書は申請できません。")]
    if bill.total <= 0:
        errors["lines"] = [_("合計金額が0円の請求書は申請できません。")]
    if errors:
        raise ServiceError(
            _("申請できません。表示された点を直してください。"), code="validation", field_errors=errors
        )
    before = {"status": bill.status, "number": bill.number}
    returned = bill.status == BillStatus.RETURNED
    if not bill.number:
        fiscal_year, n = next_number_for_date(company=company, doc_type=NUMBER_TYPE, day=today)
        bill.number, bill.fiscal_year = format_number(NUMBER_PREFIX, fiscal_year, n), fiscal_year
    bill.status = BillStatus.SUBMITTED
    bill.submitted_at = timezone.now()
    bill.save()
    codes = sorted({ln.account_code for ln in lines})
    if returned:
        request = bill_selectors.approval_request(company=company, bill=bill)
        if request is None:
            raise NotFound()
        approval_services.resubmit(
            company=company,
            actor=actor,
            membership=membership,
            request=request,
            amount=bill.total,
            account_codes=codes,
        )
    else:
        approval_services.submit_request(
            company=company,
            actor=actor,
            membership=membership,
            request_type=REQUEST_TYPE,
            object_id=bill.pk,
            object_repr=_repr(bill),
            amount=bill.total,
            department=bill.department,
            account_codes=codes,
            url=reverse("purchasing:bill_detail", args=[bill.pk]),
        )
    record_event(
        company=company,
        actor=actor,
        action="resubmit" if returned else "submit",
        instance=bill,
        before=before,
        after={"status": bill.status, "number": bill.number},
        extra={"total": bill.total},
    )
    return bill


@transaction.atomic
def withdraw_bill(*, company: Company, actor: User, membership: Membership, bill: VendorBill) -> VendorBill:
    """取り下げ while it waits or after 差し戻し (by who submitted it); the number stays."""
    require_role(membership, *ACCOUNTING_ROLES)
    bill = locked_bill(company, bill)
    _check_transition(bill, BillStatus.WITHDRAWN)
    request = approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=bill.pk)
    if request is None:
        raise NotFound()
    approval_services.withdraw(company=company, actor=actor, membership=membership, request=request)
    bill.refresh_from_db()
    return bill


def on_bill_decided(*, company: Company, actor: User | None, request: Any, outcome: str) -> None:
    """Called by approvals inside the deciding transaction. Approved → posted (a posting refused, a
    closed month say, raises and the decision rolls back with it); otherwise the status follows."""
    target = OUTCOMES.get(outcome)
    if target is None:
        raise ServiceError(_("不明な承認結果です: %(o)s") % {"o": outcome})
    try:
        bill_id = int(request.object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    bill = (
        VendorBill.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("vendor", "department")
        .filter(pk=bill_id)
        .first()
    )
    if bill is None:
        raise NotFound()
    _check_transition(bill, target)
    before = {"status": bill.status}
    bill.status = target
    if target == BillStatus.APPROVED:
        bill.approved_at = timezone.now()
        bill.journal_entry_id = post_bill(company=company, actor=actor, bill=bill)
    bill.save()
    record_event(
        company=company,
        actor=actor,
        action={
            "approved": "approve",
            "rejected": "reject",
            "returned": "send_back",
            "withdrawn": "withdraw",
        }[outcome],
        instance=bill,
        before=before,
        after={"status": bill.status, "journal_entry_id": bill.journal_entry_id},
    )


def post_bill(*, company: Company, actor: User | None, bill: VendorBill) -> int:
    """The bill's entry on its bill date (課税仕入れの日): Dr each line's account (税込; the ledger
    splits off 仮払消費税等 by the tax given — the bill's per-rate tax shared over its lines — and
    keeps the non-creditable part of a bill without 適格請求書 in the cost) / Cr 買掛金 or 未払金."""
    lines = bill_selectors.lines_of(bill=bill)
    taxes = bill_selectors.line_taxes(company=company, bill=bill, lines=lines)
    codes = {c.key: c for c in ledger_entry_selectors.tax_codes(company=company, active_only=False)}
    accounts: dict[str, Any] = {}

    def account(code: str) -> Any:
        if code not in accounts:
            found = ledger_entry_selectors.account_by_code(company=company, code=code)
            if found is None:
                raise ServiceError(_("勘定科目 %(code)s がありません。") % {"code": code}, code="no_account")
            accounts[code] = found
        return accounts[code]

    vendor = bill.vendor.name
    inputs = []
    for ln, tax in zip(lines, taxes, strict=True):
        code = codes.get(tax.key)
        if code is None:
            raise ServiceError(_("税区分 %(key)s がありません。") % {"key": tax.key}, code="no_tax_code")
        inputs.append(
            ledger_services.LineInput(
                account=account(ln.account_code),
                side="debit",
                amount=ln.amount,
                tax_code=code,
                tax_included=True,
                tax_amount=tax.tax if code.is_taxable else None,
                department=ln.department or bill.department,
                memo=f"{vendor} {ln.description}"[:200],
            )
        )
    inputs.append(
        ledger_services.LineInput(
            account=account(bill.payable_account_code),
            side="credit",
            amount=sum((ln.amount for ln in lines), Decimal(0)),
            department=bill.department,
            memo=f"{bill.number} {vendor}"[:200],
        )
    )
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=bill.bill_date,
        lines=inputs,
        memo=f"仕入先請求書 {bill.number} {vendor}"[:200],
        source_type=REQUEST_TYPE,
        source_id=str(bill.pk),
        source_repr=_repr(bill),
    )
    return entry.pk
