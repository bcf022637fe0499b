"""消費税集計表: the period's posted base lines with a 税区分, per tax code, and the 概算 of the
一般課税 return from them.

A base line carries 税抜 (``tax_base``) and 消費税等 (``tax_amount``); a reversal carries them
negated. Each line counts by its side: on the side its kind is booked (credit for sales, debit for
purchases) it adds, on the other side (返品・値引 entered directly, or a reversal) it subtracts —
``|amount| × ±1``, so a reversal (negative amounts, other side) cancels its original. 対象外 lines
are summed as recorded.

The return (``rules.tax_return_figures`` / ``rules.national_input_tax``) uses 割戻し計算 on the
税込 totals per rate; purchases without a 適格請求書 are credited only by the transitional
percentage of their purchase date (``rules.transitional_deduction_percent``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Case, F, Sum, Value, When
from django.db.models.functions import Abs

from ennoshita.core.models import Company
from ennoshita.ledger import rules
from ennoshita.ledger.models import TaxCode

from ._sums import ZERO, posted_lines, to_yen

GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("sales", "課税売上", ("taxable_sales",)),
    ("purchases", "課税仕入", ("taxable_purchase",)),
    ("exempt", "非課税", ("exempt_sales", "exempt_purchase")),
    ("export", "輸出免税", ("export_sales",)),
    ("out_of_scope", "対象外(不課税)", ("out_of_scope",)),
)
_NATURAL_DEBIT = {"taxable_purchase", "exempt_purchase"}


@dataclass(frozen=True)
class TaxRow:
    key: str
    label: str
    kind: str
    rate: Decimal
    qualified: bool
    net: Decimal  # 税抜
    tax: Decimal  # 消費税等
    gross: Decimal  # 税込


@dataclass(frozen=True)
class TaxGroup:
    key: str
    label: str
    rows: list[TaxRow]
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True)
class TaxSummary:
    start: date
    end: date
    groups: list[TaxGroup]
    taxable_sales_by_rate: dict[Decimal, Decimal] = field(hash=False)  # 税込
    creditable_purchases_by_rate: dict[Decimal, Decimal] = field(hash=False)  # 税込, after 経過措置
    national_input_tax: Decimal
    figures: rules.TaxReturnFigures | None  # None when a rate has no national/local split


def _sign(kind: str, is_debit: bool) -> int:
    natural_debit = kind in _NATURAL_DEBIT
    return 1 if is_debit == natural_debit else -1


def tax_summary(*, company: Company, start: date, end: date) -> TaxSummary:
    """消費税集計表 for [start, end]: per tax code kind, rate, 税抜, 税 and 税込 totals in the groups
    sales / purchases / exempt / export / out-of-scope, and the return's 概算."""
    codes = {c.pk: c for c in TaxCode.objects.for_company(company)}
    is_debit = Case(When(debit__gt=0, then=Value(1)), default=Value(0))
    rows = (
        posted_lines(company, [(start, end)])
        .filter(tax_code__isnull=False)
        .values("tax_code_id", "date")
        .annotate(
            side=is_debit,
            abs_net=Sum(Abs(F("tax_base")), output_field=BigIntegerField()),
            abs_tax=Sum(Abs(F("tax_amount")), output_field=BigIntegerField()),
            net=Sum("tax_base", output_field=BigIntegerField()),
            tax=Sum("tax_amount", output_field=BigIntegerField()),
        )
        .order_by()
    )
    net: dict[int, Decimal] = {}
    tax: dict[int, Decimal] = {}
    creditable: dict[Decimal, Decimal] = {}
    for r in rows:
        code = codes[r["tax_code_id"]]
        if code.kind == "out_of_scope":
            n, t = to_yen(r["net"]), to_yen(r["tax"])
        else:
            sign = _sign(code.kind, bool(r["side"]))
            n, t = sign * to_yen(r["abs_net"]), sign * to_yen(r["abs_tax"])
        net[code.pk] = net.get(code.pk, ZERO) + n
        tax[code.pk] = tax.get(code.pk, ZERO) + t
        if code.kind == "taxable_purchase" and code.rate > 0:
            gross = n + t
            if not code.qualified:
                percent = rules.transitional_deduction_percent(purchase_date=r["date"])
                gross = gross * percent / Decimal(100)
            creditable[code.rate] = creditable.get(code.rate, ZERO) + gross
    groups: list[TaxGroup] = []
    sales_by_rate: dict[Decimal, Decimal] = {}
    for key, label, kinds in GROUPS:
        group_rows = []
        for code in codes.values():
            if code.kind not in kinds or code.pk not in net:
                continue
            n, t = net[code.pk], tax[code.pk]
            group_rows.append(TaxRow(code.key, code.label, code.kind, code.rate, code.qualified, n, t, n + t))
            if code.kind == "taxable_sales" and code.rate > 0:
                sales_by_rate[code.rate] = sales_by_rate.get(code.rate, ZERO) + n + t
        groups.append(
            TaxGroup(
                key,
                label,
                group_rows,
                sum((r.net for r in group_rows), ZERO),
                sum((r.tax for r in group_rows), ZERO),
                sum((r.gross for r in group_rows), ZERO),
            )
        )
    try:
        input_tax = rules.national_input_tax(taxable_purchases_including_tax_by_rate=creditable)
        figures: rules.TaxReturnFigures | None = rules.tax_return_figures(
            taxable_sales_including_tax_by_rate=sales_by_rate, deductible_input_tax_national=input_tax
        )
    except ValueError:  # a rate without a known national/local split
        input_tax, figures = ZERO, None
    return TaxSummary(start, end, groups, sales_by_rate, creditable, input_tax, figures)
