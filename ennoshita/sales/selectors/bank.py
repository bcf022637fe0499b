"""Reads of 入金明細: the lines waiting to be matched, and the suggestions for one line.

A suggestion says which customer paid and which of their open invoices the money settles:

(a) 名義: the payer's name (振込依頼人, half-width kana from the bank) against each customer's
    フリガナ (or name), both reduced by :func:`payer_key` (legal-form marks such as カ) / (カ /
    カブシキガイシャ dropped, small kana folded to large, widths folded, spaces and marks dropped);
(b) 金額: an open invoice whose open amount equals the line's amount, or exceeds it by at most
    ``MAX_FEE`` yen (the 振込手数料 the customer deducted), or several open invoices of the same
    customer (up to ``MAX_SET`` of the oldest ``SET_POOL``) whose sum does;
(c) 期日: the closer the due date to the payment date, the higher.

Only open invoices are read (``open_amount <> 0``: the rows of the partial index
``sales_invoice_open_idx``), for the customers whose name matched, plus one query for the
invoices of any customer whose open amount is within the fee of the line's amount.

A line is 未消込 (unmatched) until a payment is recorded with it; a line can be set aside as
対象外 (not a customer payment): ``dismissed_at`` and the reason are kept on the line, and each
setting aside or restoring is an audit event (``dismiss`` / ``restore``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import combinations
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.core.text import search_key, to_katakana
from ennoshita.sales.models import BankStatementLine, Customer, Invoice, Payment
from ennoshita.sales.permissions import PAYMENT_ROLES
from ennoshita.sales.services.customers import kana_key
from ennoshita.sales.services.payments import Allocation, suggest_allocations

MAX_FEE = Decimal(880)  # the largest 振込手数料 a customer is taken to have deducted
MAX_SET = 5  # invoices in one several-invoices match
SET_POOL = 12  # the oldest open invoices of a customer searched for such a set
AMOUNT_MATCH_LIMIT = 30  # invoices of any customer read for an amount match
NAME_MATCH_LIMIT = 5  # customers kept for a name match
INVOICES_PER_CUSTOMER = 50  # open invoices read for each name-matched customer
MIN_PARTIAL = 3  # a partial name match needs at least this many characters

ACTION_DISMISS = "dismiss"
ACTION_RESTORE = "restore"
STATUS_UNMATCHED = "unmatched"
STATUS_MATCHED = "matched"
STATUS_DISMISSED = "dismissed"
STATUS_ALL = "all"
STATUSES = (STATUS_UNMATCHED, STATUS_MATCHED, STATUS_DISMISSED, STATUS_ALL)

SCORE_NAME = 50
SCORE_NAME_PARTIAL = 30
SCORE_AMOUNT = 40
SCORE_FEE = 30
SCORE_SET = 30
SCORE_SET_FEE = 25
SCORE_DATE = 10


# ------------------------------------------------------------------------------ name keys
# The folding lives with the customers, whose stored ``kana_key`` it computes, so that a payer's
# name and a customer's key are always folded alike.
payer_key = kana_key


def customer_key(customer: Customer) -> str:
    """The customer's フリガナ as a :func:`payer_key` (the name when it has no フリガナ); what
    ``Customer.kana_key`` stores."""
    return kana_key(customer.name_kana or customer.name)


# ------------------------------------------------------------------------------ lines
def _check(membership: Membership | None) -> None:
    if membership is not None:
        require_role(membership, *PAYMENT_ROLES)


def _lines(company: Company) -> Any:  # annotated queryset (the stubs cannot follow annotations)
    return (
        BankStatementLine.objects.for_company(company)
        .annotate(is_matched=Exists(Payment.objects.filter(statement_line=OuterRef("pk"))))
        .select_related("payment", "payment__customer")
    )


_NOT_DISMISSED = Q(dismissed_at__isnull=True)


def unmatched_lines(company: Company, *, membership: Membership | None = None) -> QuerySet[BankStatementLine]:
    """Lines with no payment recorded and not set aside, oldest first."""
    _check(membership)
    return _lines(company).filter(_NOT_DISMISSED, is_matched=False).order_by("date", "pk")


def statement_lines(
    company: Company, *, status: str = STATUS_UNMATCHED, batch: str = "", membership: Membership | None = None
) -> QuerySet[BankStatementLine]:
    """The lines of one state (未消込 / 消込済 / 対象外 / all), oldest first."""
    _check(membership)
    qs = _lines(company)
    if status == STATUS_UNMATCHED:
        qs = qs.filter(_NOT_DISMISSED, is_matched=False)
    elif status == STATUS_MATCHED:
        qs = qs.filter(is_matched=True)
    elif status == STATUS_DISMISSED:
        qs = qs.filter(dismissed_at__isnull=False, is_matched=False)
    if batch:
        qs = qs.filter(batch=batch)
    return qs.order_by("date", "pk")


def line_status(line: BankStatementLine) -> str:
    """The state of a line read through :func:`statement_lines` or :func:`get_line`."""
    if getattr(line, "is_matched", False):
        return STATUS_MATCHED
    if line.dismissed_at is not None:
        return STATUS_DISMISSED
    return STATUS_UNMATCHED


def get_line(company: Company, line_id: int, *, membership: Membership | None = None) -> BankStatementLine:
    """One line of this company (another company's id is not found), with its state."""
    _check(membership)
    line = _lines(company).filter(pk=line_id).first()
    if line is None:
        raise NotFound()
    return line


def open_invoices(company: Company, customer: Customer | None = None) -> QuerySet[Invoice]:
    """Issued invoices with something still open, oldest due first."""
    qs = Invoice.objects.for_company(company).filter(
        Q(open_amount__gt=0), status=Invoice.Status.ISSUED, kind=Invoice.Kind.INVOICE
    )
    if customer is not None:
        qs = qs.filter(customer=customer)
    return qs.order_by("due_date", "date", "pk")


def find_customers(company: Company, query: str, limit: int = 20) -> list[Customer]:
    """Customers for choosing by hand: by code, name or フリガナ (any width, kana or hiragana)."""
    text = (query or "").strip()
    if not text:
        return []
    qs = Customer.objects.for_company(company)
    key = search_key(text)
    kana = to_katakana(text)
    condition = (
        Q(code__iexact=text)
        | Q(name__icontains=text)
        | Q(name_kana__icontains=kana)
        | Q(name_key__icontains=key)
    )
    payer = payer_key(text)
    if payer:
        # the bank's spelling (ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ: small kana as large, legal form dropped) typed or pasted
        condition |= Q(kana_key__contains=payer)
    found = qs.filter(condition).order_by("-is_active", "code")
    return list(found[:limit])


# ------------------------------------------------------------------------------ suggestions
@dataclass
class Suggestion:
    customer: Customer
    allocations: list[Allocation]
    fee: Decimal = Decimal(0)
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "・".join(self.reasons)

    @property
    def applied(self) -> Decimal:
        return sum((Decimal(a.amount) for a in self.allocations), Decimal(0))

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.customer.pk, tuple(sorted(a.invoice.pk for a in self.allocations)), self.fee)


def _name_matches(company: Company, payer: str) -> list[tuple[Customer, int, str]]:
    """Customers whose stored ``kana_key`` equals the payer's key, or contains it / is contained in
    it (both at least ``MIN_PARTIAL`` characters), the best ``NAME_MATCH_LIMIT``: exact first, then
    active ones, by code. One query on the (company, kana_key) index: equality, and for "the
    customer's key inside the payer's" the payer's pieces as a list; only "the payer's key inside
    the customer's" reads the key column of every customer."""
    if not payer:
        return []
    condition = Q(kana_key=payer)
    if len(payer) >= MIN_PARTIAL:
        pieces = {payer[i:j] for i in range(len(payer)) for j in range(i + MIN_PARTIAL, len(payer) + 1)}
        condition |= Q(kana_key__in=sorted(pieces)) | Q(kana_key__contains=payer)
    rows = (
        Customer.objects.for_company(company)
        .filter(condition)
        .exclude(kana_key="")
        .only("pk", "code", "name", "name_kana", "kana_key", "is_active")
        .annotate(exact=Case(When(kana_key=payer, then=Value(1)), default=Value(0)))
        .order_by("-exact", "-is_active", "code")[:NAME_MATCH_LIMIT]
    )
    return [
        (c, SCORE_NAME, _("名義一致")) if c.kana_key == payer else (c, SCORE_NAME_PARTIAL, _("名義部分一致"))
        for c in rows
    ]


def _date_score(day: date, invoices: list[Invoice]) -> tuple[int, str]:
    """Up to SCORE_DATE points: full marks within 3 days of the (latest) due date, less further."""
    dues = [i.due_date or i.date for i in invoices]
    if not dues:
        return 0, ""
    gap = min(abs((day - d).days) for d in dues)
    points = max(0, SCORE_DATE - max(0, gap - 3) // 3)
    return points, (_("支払期日が近い") if gap <= 7 else "")


def _fee_of(total: Decimal, amount: Decimal) -> Decimal | None:
    """The fee the customer deducted when ``total`` was billed and ``amount`` arrived."""
    diff = total - amount
    return diff if Decimal(0) <= diff <= MAX_FEE else None


def _single(line: BankStatementLine, invoice: Invoice, customer: Customer) -> Suggestion | None:
    fee = _fee_of(invoice.open_amount, line.amount)
    if fee is None:
        return None
    if fee == 0:
        suggestion = Suggestion(
            customer, [Allocation(invoice, invoice.open_amount)], fee, SCORE_AMOUNT, [_("金額一致")]
        )
    else:
        reason = _("手数料差引(%(fee)s円)") % {"fee": f"{fee:,}"}
        suggestion = Suggestion(
            customer, [Allocation(invoice, invoice.open_amount)], fee, SCORE_FEE, [reason]
        )
    return suggestion


def _sets(line: BankStatementLine, customer: Customer, invoices: list[Invoice]) -> list[Suggestion]:
    """Several open invoices of one customer whose open amounts add up to the line's amount (or
    to it plus a fee): first the oldest ones in order, then any combination of the oldest few."""
    pool = invoices[:SET_POOL]
    found: list[Suggestion] = []
    seen: set[tuple[int, ...]] = set()

    def consider(chosen: tuple[Invoice, ...]) -> None:
        total = sum((i.open_amount for i in chosen), Decimal(0))
        fee = _fee_of(total, line.amount)
        ids = tuple(sorted(i.pk for i in chosen))
        if fee is None or ids in seen:
            return
        seen.add(ids)
        reasons = [_("請求書%(n)d件の合計と一致") % {"n": len(chosen)}]
        if fee:
            reasons.append(_("手数料差引(%(fee)s円)") % {"fee": f"{fee:,}"})
        allocations = [Allocation(i, i.open_amount) for i in chosen]
        found.append(Suggestion(customer, allocations, fee, SCORE_SET_FEE if fee else SCORE_SET, reasons))

    for size in range(2, min(MAX_SET, len(pool)) + 1):
        consider(tuple(pool[:size]))  # the oldest ones, as customers usually pay them
    for size in range(2, min(MAX_SET, len(pool)) + 1):
        for chosen in combinations(pool, size):
            if len(found) >= 3:
                return found
            consider(chosen)
    return found


def suggestions(
    company: Company, line: BankStatementLine, limit: int = 5, *, membership: Membership | None = None
) -> list[Suggestion]:
    """Ranked candidates for the line: name and amount first, then amount, then name alone."""
    _check(membership)
    if line.company_id != company.pk:
        raise NotFound()
    payer = payer_key(line.payer_kana or line.payer_name)
    named = _name_matches(company, payer)
    by_name = {c.pk: (score, reason) for c, score, reason in named}
    candidates: dict[tuple[Any, ...], Suggestion] = {}

    def add(suggestion: Suggestion) -> None:
        name = by_name.get(suggestion.customer.pk)
        if name is not None:
            suggestion.score += name[0]
            suggestion.reasons.insert(0, name[1])
        points, reason = _date_score(line.date, [a.invoice for a in suggestion.allocations])
        suggestion.score += points
        if reason:
            suggestion.reasons.append(reason)
        current = candidates.get(suggestion.key)
        if current is None or current.score < suggestion.score:
            candidates[suggestion.key] = suggestion

    # (a)+(b): the open invoices of the customers whose name matched
    for customer, _score, _reason in named:
        invoices = list(open_invoices(company, customer)[:INVOICES_PER_CUSTOMER])
        for invoice in invoices:
            if (s := _single(line, invoice, customer)) is not None:
                add(s)
        for s in _sets(line, customer, invoices):
            add(s)
        if invoices and not any(k[0] == customer.pk for k in candidates):
            # the name alone: apply the money to the oldest invoices, the rest is 前受金
            allocations = suggest_allocations(invoices=invoices, amount=line.amount)
            add(Suggestion(customer, allocations, Decimal(0), 0, [_("古い請求書から順に消込")]))
    # (b) alone: any customer's open invoice of the amount, or of the amount plus a fee
    matches = (
        open_invoices(company)
        .filter(open_amount__gte=line.amount, open_amount__lte=line.amount + MAX_FEE)
        .select_related("customer")
        .order_by("open_amount", "due_date", "pk")[:AMOUNT_MATCH_LIMIT]
    )
    for invoice in matches:
        if (s := _single(line, invoice, invoice.customer)) is not None:
            add(s)
    ranked = sorted(candidates.values(), key=lambda s: (-s.score, s.fee, s.customer.code, s.key))
    return ranked[:limit]
