"""Reads of 経費精算: claims (mine, all for 経理), one claim with who may see it, its flags, its
totals per tax rate, the categories, duplicates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.core.money import Rounding
from ennoshita.core.text import search_key
from ennoshita.ledger import entry_selectors as ledger_entry_selectors

from . import rules
from .models import ClaimStatus, ExpenseCategory, ExpenseClaim, ExpenseLine, ExpenseSettings
from .permissions import sees_all

REQUEST_TYPE = "expenses.claim"


def settings_of(*, company: Company) -> ExpenseSettings:
    from .services.setup import ensure_setup

    return ensure_setup(company=company)


def categories(*, company: Company, active_only: bool = True) -> QuerySet[ExpenseCategory]:
    settings_of(company=company)
    qs = ExpenseCategory.objects.for_company(company).order_by("sort_order", "code")
    return qs.filter(is_active=True) if active_only else qs


def get_category(*, company: Company, category_id: int) -> ExpenseCategory:
    found = ExpenseCategory.objects.for_company(company).filter(pk=category_id).first()
    if found is None:
        raise NotFound()
    return found


def _base() -> QuerySet[ExpenseClaim]:
    return ExpenseClaim.objects.select_related("applicant", "department").order_by("-created_at", "-pk")


def _search(qs: QuerySet[ExpenseClaim], q: str) -> QuerySet[ExpenseClaim]:
    for word in (q or "").split()[:5]:
        qs = qs.filter(
            Q(number__icontains=word)
            | Q(title__icontains=word)
            | Q(lines__payee__icontains=word)
            | Q(lines__purpose__icontains=word)
        ).distinct()
    return qs


def my_claims(
    *, company: Company, membership: Membership, q: str = "", status: str = ""
) -> QuerySet[ExpenseClaim]:
    qs = _base().filter(company=company, applicant_id=membership.user_id)
    if status in ClaimStatus.values:
        qs = qs.filter(status=status)
    return _search(qs, q)


def all_claims(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    status: str = "",
    department_id: int | None = None,
    month: date | None = None,
    unpaid: bool = False,
) -> QuerySet[ExpenseClaim]:
    """Every claim of the company (経理 / admin). ``month``: claims submitted in that month."""
    if not sees_all(membership):
        raise PermissionDeniedError()
    qs = _base().filter(company=company).exclude(status=ClaimStatus.DRAFT)
    if status in ClaimStatus.values:
        qs = qs.filter(status=status)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if month is not None:
        qs = qs.filter(
            submitted_at__date__gte=month.replace(day=1), submitted_at__date__lt=_next_month(month)
        )
    if unpaid:
        qs = qs.filter(status=ClaimStatus.APPROVED, paid_at__isnull=True)
    return _search(qs, q)


def _next_month(day: date) -> date:
    return date(day.year + (day.month // 12), day.month % 12 + 1, 1)


def can_view(*, company: Company, membership: Membership, claim: ExpenseClaim) -> bool:
    """The applicant, 経理 / admin, and whoever the approval request shows itself to (approvers)."""
    if claim.company_id != company.pk:
        return False
    if claim.applicant_id == membership.user_id or sees_all(membership):
        return True
    if claim.status == ClaimStatus.DRAFT:
        return False
    request = approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=claim.pk)
    return request is not None and approval_selectors.can_view(
        company=company, membership=membership, request=request
    )


def get_claim(*, company: Company, membership: Membership, claim_id: int) -> ExpenseClaim:
    claim = _base().filter(company=company, pk=claim_id).first()
    if claim is None or not can_view(company=company, membership=membership, claim=claim):
        raise NotFound()
    return claim


def lines_of(*, claim: ExpenseClaim) -> list[ExpenseLine]:
    return list(ExpenseLine.objects.filter(claim=claim).select_related("category").order_by("line_no"))


def get_line(*, claim: ExpenseClaim, line_id: int) -> ExpenseLine:
    line = ExpenseLine.objects.filter(claim=claim, pk=line_id).select_related("category").first()
    if line is None:
        raise NotFound()
    return line


def approval_request(*, company: Company, claim: ExpenseClaim) -> Any:
    return approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=claim.pk)


# ------------------------------------------------------------------------------ duplicates and flags
def _claim_label(claim: ExpenseClaim) -> str:
    return claim.number or f"{claim.title}(下書き)"


def duplicates(
    *, company: Company, claim: ExpenseClaim, lines: list[ExpenseLine]
) -> dict[int, tuple[list[str], list[str]]]:
    """line_no → (claims with the same receipt file, claims with a line of the same date, amount and
    payee). Other claims of the company only, withdrawn and rejected ones left out; two lines of the
    same claim that look alike are reported too."""
    result: dict[int, tuple[list[str], list[str]]] = {ln.line_no: ([], []) for ln in lines}
    shas = {ln.receipt_sha256 for ln in lines if ln.receipt_sha256}
    dates = {ln.date for ln in lines}
    others = (
        ExpenseLine.objects.filter(company=company)
        .exclude(claim__status__in=(ClaimStatus.WITHDRAWN, ClaimStatus.REJECTED))
        .filter(Q(receipt_sha256__in=shas) | Q(date__in=dates))
        .select_related("claim")
        .only(
            "line_no",
            "date",
            "amount",
            "payee",
            "receipt_sha256",
            "claim__number",
            "claim__title",
            "claim_id",
        )
    )
    by_sha: dict[str, list[ExpenseLine]] = defaultdict(list)
    by_key: dict[tuple[date, Decimal, str], list[ExpenseLine]] = defaultdict(list)
    for other in others:
        if other.receipt_sha256:
            by_sha[other.receipt_sha256].append(other)
        by_key[(other.date, other.amount, search_key(other.payee))].append(other)
    for ln in lines:
        same_file = (
            [o for o in by_sha.get(ln.receipt_sha256, []) if o.pk != ln.pk] if ln.receipt_sha256 else []
        )
        same_entry = [o for o in by_key.get((ln.date, ln.amount, search_key(ln.payee)), []) if o.pk != ln.pk]
        result[ln.line_no] = (
            sorted({_other_label(o, claim) for o in same_file}),
            sorted({_other_label(o, claim) for o in same_entry}),
        )
    return result


def _other_label(other: ExpenseLine, claim: ExpenseClaim) -> str:
    if other.claim_id == claim.pk:
        return f"この精算の{other.line_no}行目"
    return _claim_label(other.claim)


def claim_flags(
    *, company: Company, claim: ExpenseClaim, lines: list[ExpenseLine] | None = None
) -> list[rules.Flag]:
    lines = lines_of(claim=claim) if lines is None else lines
    current = settings_of(company=company)
    dups = duplicates(company=company, claim=claim, lines=lines)
    facts = [
        rules.LineFacts(
            line_no=ln.line_no,
            date=ln.date,
            amount=ln.amount,
            kind=ln.category.kind,
            tax_handling=ln.category.tax_handling,
            receipt_required=ln.category.receipt_required,
            has_receipt=bool(ln.receipt_document_id),
            attendee_count=ln.attendee_count,
            registration_number=ln.registration_number,
            is_qualified=ln.is_qualified,
            duplicate_of_receipt=dups[ln.line_no][0],
            duplicate_of_entry=dups[ln.line_no][1],
        )
        for ln in lines
    ]
    return rules.check_lines(
        facts,
        rules.RuleSettings(
            receipt_threshold=current.receipt_threshold,
            missing_receipt_blocks=current.missing_receipt_blocks,
            entertainment_limit=current.entertainment_limit_per_person,
        ),
    )


# ------------------------------------------------------------------------------ tax
def tax_rounding(company: Company) -> Rounding:
    try:
        return Rounding(ledger_entry_selectors.ledger_settings(company=company).tax_rounding)
    except NotFound:
        return Rounding.TRUNCATE


def line_tax_key(*, settings_row: ExpenseSettings, line: ExpenseLine) -> str:
    return rules.line_tax_key(
        tax_handling=line.category.tax_handling,
        kind=line.category.kind,
        books_only=line.category.books_only,
        amount=line.amount,
        purchase_date=line.date,
        is_qualified=line.is_qualified,
        small_amount_exception=settings_row.small_amount_exception,
    )


@dataclass(frozen=True)
class TaxTotal:
    key: str
    label: str
    gross: Decimal
    tax: Decimal
    deductible: Decimal
    note: str


def tax_totals(*, company: Company, lines: list[ExpenseLine]) -> list[TaxTotal]:
    """The claim's amounts per 税区分 (each receipt's tax rounded on its own: one 取引 each)."""
    from ennoshita.ledger.rules import TAX_CATEGORIES, transitional_note

    current = settings_of(company=company)
    rounding = tax_rounding(company)
    sums: dict[str, list[Decimal]] = {}
    notes: dict[str, set[str]] = defaultdict(set)
    for ln in lines:
        key = line_tax_key(settings_row=current, line=ln)
        tax = rules.line_input_tax(amount=ln.amount, purchase_date=ln.date, tax_key=key, rounding=rounding)
        row = sums.setdefault(key, [Decimal(0), Decimal(0), Decimal(0)])
        row[0] += ln.amount
        row[1] += tax.tax
        row[2] += tax.deductible
        if key.endswith("_NQ"):
            notes[key].add(transitional_note(purchase_date=ln.date))
    order = list(TAX_CATEGORIES)
    return [
        TaxTotal(
            key, TAX_CATEGORIES[key].label, v[0], v[1], v[2], "・".join(sorted(n for n in notes[key] if n))
        )
        for key, v in sorted(sums.items(), key=lambda kv: order.index(kv[0]))
    ]


def today() -> date:
    return timezone.localdate()
