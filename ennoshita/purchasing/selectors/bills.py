"""Reads of 仕入先請求書: the list with its filters, one bill (for 経理 and its approvers), its lines,
and its tax: the ledger 税区分 of each line and the 消費税等 once per rate per bill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.core.money import Rounding
from ennoshita.expenses import rules as expense_rules
from ennoshita.expenses.models import ExpenseSettings
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.ledger import rules as ledger_rules
from ennoshita.purchasing import rules
from ennoshita.purchasing.models import BillStatus, VendorBill, VendorBillLine
from ennoshita.purchasing.permissions import REQUEST_TYPE, can_view_bill, manages_payables


@dataclass(frozen=True)
class BillFilters:
    q: str = ""
    status: str = ""
    vendor_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    unpaid: bool = False


def _base() -> QuerySet[VendorBill]:
    return VendorBill.objects.select_related("vendor", "department", "created_by").order_by(
        "-bill_date", "-pk"
    )


def bill_list(
    *, company: Company, membership: Membership, filters: BillFilters | None = None
) -> QuerySet[VendorBill]:
    """Every bill of the company (経理 / admin), newest bill date first."""
    if not manages_payables(membership):
        raise PermissionDeniedError()
    f = filters or BillFilters()
    qs = _base().filter(company=company)
    if f.status in BillStatus.values:
        qs = qs.filter(status=f.status)
    if f.vendor_id:
        qs = qs.filter(vendor_id=f.vendor_id)
    if f.due_from:
        qs = qs.filter(due_date__gte=f.due_from)
    if f.due_to:
        qs = qs.filter(due_date__lte=f.due_to)
    if f.unpaid:
        qs = qs.filter(status=BillStatus.APPROVED, paid_at__isnull=True)
    for word in (f.q or "").split()[:5]:
        qs = qs.filter(
            Q(number__icontains=word)
            | Q(vendor_reference__icontains=word)
            | Q(vendor__name__icontains=word)
            | Q(vendor__kana__icontains=word)
            | Q(vendor__code__icontains=word)
            | Q(memo__icontains=word)
        )
    return qs


def get_bill(*, company: Company, membership: Membership, bill_id: int) -> VendorBill:
    bill = _base().filter(company=company, pk=bill_id).first()
    if bill is None or not can_view_bill(company=company, membership=membership, bill=bill):
        raise NotFound()
    return bill


def lines_of(*, bill: VendorBill) -> list[VendorBillLine]:
    return list(VendorBillLine.objects.filter(bill=bill).select_related("department").order_by("line_no"))


def approval_request(*, company: Company, bill: VendorBill) -> Any:
    return approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=bill.pk)


# ------------------------------------------------------------------------------ tax
def tax_rounding(company: Company) -> Rounding:
    try:
        return Rounding(ledger_entry_selectors.ledger_settings(company=company).tax_rounding)
    except NotFound:
        return Rounding.TRUNCATE


def small_amount_exception(company: Company) -> bool:
    """The company's 少額特例 choice, kept once in the 経費精算 settings (it is the company's, not
    the app's: 基準期間の課税売上高 1億円以下)."""
    row = ExpenseSettings.objects.for_company(company).only("small_amount_exception").first()
    return bool(row and row.small_amount_exception)


def line_tax_key(*, bill: VendorBill, tax_handling: str, small_exception: bool) -> str:
    """The ledger 税区分 of a bill line: its tax handling, or the _NQ key of its rate when the bill is
    not a 適格請求書 (経過措置, 平成28年改正法附則52・53条) — the same rule as 経費精算's lines
    (``expenses.rules.line_tax_key``), judged on the whole bill (one 取引 for the 少額特例)."""
    return expense_rules.line_tax_key(
        tax_handling=tax_handling,
        kind="normal",
        books_only=False,
        amount=bill.total,
        purchase_date=bill.bill_date,
        is_qualified=bill.is_qualified,
        small_amount_exception=small_exception,
    )


@dataclass(frozen=True)
class LineTax:
    key: str  # ledger 税区分
    rate: Decimal
    tax: Decimal  # this line's share of its rate's 消費税等 (税込 amount contains it)
    deductible: Decimal  # the part credited (仮払消費税等): all, or the 経過措置 percentage


def line_taxes(*, company: Company, bill: VendorBill, lines: list[VendorBillLine]) -> list[LineTax]:
    """Each line's 税区分 and tax share: the tax of each rate is rounded once on the bill's subtotal
    of that rate (``rules.spread_tax``), then shared out; the deductible part is what the ledger
    books (``ledger.rules.deductible_input_tax`` on each share, at the bill date)."""
    rounding = tax_rounding(company)
    small = small_amount_exception(company)
    keys = [line_tax_key(bill=bill, tax_handling=ln.tax_handling, small_exception=small) for ln in lines]
    result: list[LineTax | None] = [None] * len(lines)
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    for key, idx in groups.items():
        category = ledger_rules.TAX_CATEGORIES[key]
        rate = category.rate_percent
        taxable = category.kind == "taxable_purchase" and rate > 0
        shares = (
            rules.spread_tax(amounts=[lines[i].amount for i in idx], rate_percent=rate, rounding=rounding)
            if taxable
            else [Decimal(0)] * len(idx)
        )
        for i, share in zip(idx, shares, strict=True):
            deductible = (
                ledger_rules.deductible_input_tax(
                    tax=share, purchase_date=bill.bill_date, qualified=category.qualified, rounding=rounding
                )
                if taxable
                else Decimal(0)
            )
            result[i] = LineTax(key, rate if taxable else Decimal(0), share, deductible)
    return [r for r in result if r is not None]


@dataclass(frozen=True)
class TaxTotal:
    key: str
    label: str
    rate: Decimal
    gross: Decimal
    tax: Decimal
    deductible: Decimal
    note: str


def tax_totals(*, company: Company, bill: VendorBill, lines: list[VendorBillLine]) -> list[TaxTotal]:
    """The bill per 税区分: 税込 subtotal, 消費税等 (once per rate), the part credited, the 帳簿 note."""
    taxes = line_taxes(company=company, bill=bill, lines=lines)
    sums: dict[str, list[Decimal]] = {}
    for ln, t in zip(lines, taxes, strict=True):
        row = sums.setdefault(t.key, [Decimal(0), Decimal(0), Decimal(0), t.rate])
        row[0] += ln.amount
        row[1] += t.tax
        row[2] += t.deductible
    order = list(ledger_rules.TAX_CATEGORIES)
    return [
        TaxTotal(
            key=key,
            label=ledger_rules.TAX_CATEGORIES[key].label,
            rate=v[3],
            gross=v[0],
            tax=v[1],
            deductible=v[2],
            note=ledger_rules.transitional_note(purchase_date=bill.bill_date) if key.endswith("_NQ") else "",
        )
        for key, v in sorted(sums.items(), key=lambda kv: order.index(kv[0]))
    ]
