"""A claim's way through approval: submit (checks → number → approval request), resubmit after
差し戻し, withdraw, and what happens when the approval ends (``on_claim_decided``): an approved
claim posts its journal entries (expense accounts with the department and the line's 税区分 /
未払金), any other end sets the status."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
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
from ennoshita.expenses import selectors
from ennoshita.expenses.models import ClaimStatus, ExpenseClaim, ExpenseLine
from ennoshita.expenses.permissions import CLAIM_ROLES
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.ledger import services as ledger_services
from ennoshita.people import selectors as people_selectors

from .claims import _locked_claim
from .setup import ensure_setup

REQUEST_TYPE = selectors.REQUEST_TYPE
NUMBER_TYPE = "expenses.claim"
NUMBER_PREFIX = "EXP"
PAYABLE_ACCOUNT_CODE = "2130"  # 未払金: what the company owes the applicant until it pays

# outcome of the approval → the claim's status (the transitions the approval engine can make)
OUTCOMES = {
    "approved": ClaimStatus.APPROVED,
    "rejected": ClaimStatus.REJECTED,
    "returned": ClaimStatus.RETURNED,
    "withdrawn": ClaimStatus.WITHDRAWN,
}
ALLOWED_FROM = {
    ClaimStatus.SUBMITTED: {
        ClaimStatus.APPROVED,
        ClaimStatus.REJECTED,
        ClaimStatus.RETURNED,
        ClaimStatus.WITHDRAWN,
    },
    ClaimStatus.RETURNED: {ClaimStatus.SUBMITTED, ClaimStatus.WITHDRAWN},
    ClaimStatus.DRAFT: {ClaimStatus.SUBMITTED},
}


def _check_transition(claim: ExpenseClaim, target: str) -> None:
    if target not in ALLOWED_FROM.get(ClaimStatus(claim.status), set()):
        raise ServiceError(
            _("「%(status)s」の精算はこの操作ができません。") % {"status": claim.get_status_display()},
            code="bad_state",
        )


def _account_codes(lines: list[ExpenseLine]) -> list[str]:
    return sorted({ln.category.account_code for ln in lines})


@transaction.atomic
def submit_claim(
    *, company: Company, actor: User, membership: Membership, claim: ExpenseClaim
) -> ExpenseClaim:
    """申請: the checks (a blocking flag refuses with its message on the line), the claim number
    on first submission, then the approval request (or its resubmission after 差し戻し)."""
    require_role(membership, *CLAIM_ROLES)
    claim = _locked_claim(company, claim)
    if claim.applicant_id != actor.pk:
        raise NotFound()
    _check_transition(claim, ClaimStatus.SUBMITTED)
    lines = selectors.lines_of(claim=claim)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    for ln in lines:
        if ln.date > today:
            errors.setdefault(f"lines.{ln.line_no - 1}.date", []).append(_("未来の日付は入力できません。"))
    for flag in selectors.claim_flags(company=company, claim=claim, lines=lines):
        if flag.blocking:
            key = f"lines.{flag.line_no - 1}" if flag.line_no else "lines"
            errors.setdefault(key, []).append(
                f"{flag.line_no}行目: {flag.message}" if flag.line_no else flag.message
            )
    if errors:
        raise ServiceError(
            _("申請できません。表示された点を直してください。"), code="flags", field_errors=errors
        )
    before = {"status": claim.status, "number": claim.number}
    returned = claim.status == ClaimStatus.RETURNED
    if not claim.number:
        fiscal_year, n = next_number_for_date(company=company, doc_type=NUMBER_TYPE, day=today)
        claim.number, claim.fiscal_year = format_number(NUMBER_PREFIX, fiscal_year, n), fiscal_year
    if not returned:
        claim.department = (
            people_selectors.employee_department(company=company, user=actor, as_of=today) or claim.department
        )
    claim.total = sum((ln.amount for ln in lines), Decimal(0))
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_at = timezone.now()
    claim.save()
    codes = _account_codes(lines)
    if returned:
        request = approval_selectors.request_for(
            company=company, request_type=REQUEST_TYPE, object_id=claim.pk
        )
        if request is None:
            raise NotFound()
        approval_services.resubmit(
            company=company,
            actor=actor,
            membership=membership,
            request=request,
            amount=claim.total,
            account_codes=codes,
        )
    else:
        approval_services.submit_request(
            company=company,
            actor=actor,
            membership=membership,
            request_type=REQUEST_TYPE,
            object_id=claim.pk,
            object_repr=f"{claim.number} {claim.title}"[:200],
            amount=claim.total,
            department=claim.department,
            account_codes=codes,
            url=reverse("expenses:claim_detail", args=[claim.pk]),
        )
    record_event(
        company=company,
        actor=actor,
        action="resubmit" if returned else "submit",
        instance=claim,
        before=before,
        after={"status": claim.status, "number": claim.number},
        extra={"total": claim.total},
    )
    return claim


@transaction.atomic
def withdraw_claim(
    *, company: Company, actor: User, membership: Membership, claim: ExpenseClaim
) -> ExpenseClaim:
    """取り下げ by the applicant while it waits or after 差し戻し; the number stays (取り下げ済み)."""
    require_role(membership, *CLAIM_ROLES)
    claim = _locked_claim(company, claim)
    if claim.applicant_id != actor.pk:
        raise NotFound()
    _check_transition(claim, ClaimStatus.WITHDRAWN)
    request = approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=claim.pk)
    if request is None:
        raise NotFound()
    approval_services.withdraw(company=company, actor=actor, membership=membership, request=request)
    claim.refresh_from_db()
    return claim


def on_claim_decided(*, company: Company, actor: User | None, request: Any, outcome: str) -> None:
    """Called by approvals inside the deciding transaction. Approved → posted; a posting refused
    (a closed month, say) raises and the decision rolls back with it."""
    target = OUTCOMES.get(outcome)
    if target is None:
        raise ServiceError(_("不明な承認結果です: %(o)s") % {"o": outcome})
    try:
        claim_id = int(request.object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    claim = ExpenseClaim.objects.for_company(company).select_for_update().filter(pk=claim_id).first()
    if claim is None:
        raise NotFound()
    _check_transition(claim, target)
    before = {"status": claim.status}
    claim.status = target
    if target == ClaimStatus.APPROVED:
        claim.approved_at = timezone.now()
        entry_ids = _post(company, actor, claim)
        claim.journal_entry_id, claim.journal_entry_ids = entry_ids[0], entry_ids
    claim.save()
    record_event(
        company=company,
        actor=actor,
        action={
            "approved": "approve",
            "rejected": "reject",
            "returned": "send_back",
            "withdrawn": "withdraw",
        }[outcome],
        instance=claim,
        before=before,
        after={"status": claim.status, "journal_entry_ids": claim.journal_entry_ids},
    )


def _post(company: Company, actor: User | None, claim: ExpenseClaim) -> list[int]:
    """One entry per line date (the 課税仕入れの日 decides the 経過措置 percentage, and the ledger
    takes it from the entry date): Dr expense (税込, the ledger splits off 仮払消費税等) / Cr 未払金."""
    settings_row = ensure_setup(company=company)
    lines = selectors.lines_of(claim=claim)
    codes = {c.key: c for c in ledger_entry_selectors.tax_codes(company=company, active_only=False)}
    accounts: dict[str, Any] = {}

    def account(code: str) -> Any:
        if code not in accounts:
            found = ledger_entry_selectors.account_by_code(company=company, code=code)
            if found is None:
                raise ServiceError(
                    _("勘定科目 %(code)s がありません。経費の区分の設定を確かめてください。")
                    % {"code": code},
                    code="no_account",
                )
            accounts[code] = found
        return accounts[code]

    by_date: dict[date, list[ExpenseLine]] = defaultdict(list)
    for ln in lines:
        by_date[ln.date].append(ln)
    who = claim.applicant.display_name()
    entry_ids: list[int] = []
    for day in sorted(by_date):
        inputs = [
            ledger_services.LineInput(
                account=account(ln.category.account_code),
                side="debit",
                amount=ln.amount,
                tax_code=codes[selectors.line_tax_key(settings_row=settings_row, line=ln)],
                tax_included=True,
                department=claim.department,
                memo=f"{ln.payee} {ln.purpose}"[:200],
            )
            for ln in by_date[day]
        ]
        inputs.append(
            ledger_services.LineInput(
                account=account(PAYABLE_ACCOUNT_CODE),
                side="credit",
                amount=sum((ln.amount for ln in by_date[day]), Decimal(0)),
                department=claim.department,
                memo=f"{claim.number} {who}"[:200],
            )
        )
        entry = ledger_services.post_entry(
            company=company,
            actor=actor,
            date=day,
            lines=inputs,
            memo=f"経費精算 {claim.number} {claim.title}"[:200],
            source_type=REQUEST_TYPE,
            source_id=str(claim.pk),
            source_repr=f"{claim.number} {who}"[:200],
        )
        entry_ids.append(entry.pk)
    return entry_ids
