"""The lines of a quote, order or invoice as people enter them, checked, and the document's
totals per tax rate (適格請求書: the tax is rounded once per rate per document)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company
from ennoshita.sales import rules
from ennoshita.sales.models import TAX_RATES, OrderLine, Product, SalesSettings, SalesTax

MAX_QUANTITY = Decimal("999999999999.999")
MAX_UNIT_PRICE = Decimal("999999999999999.9999")
MAX_LINE = Decimal(999_999_999_999)  # a line stays below 1兆円, like a journal line


@dataclass(frozen=True)
class LineSpec:
    """One line as entered. ``unit_price`` is 税抜 or 税込 as the document's pricing says; a
    negative unit price is a discount line (値引), a quantity is always positive."""

    description: str
    quantity: Decimal | int | str
    unit_price: Decimal | int | str
    tax: str = SalesTax.S10
    unit: str = ""
    product: Product | None = None
    order_line: OrderLine | None = None
    delivered_on: date | None = None


@dataclass
class CheckedLine:
    spec: LineSpec
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    def fields(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "product": spec.product,
            "description": spec.description.strip()[:200],
            "quantity": self.quantity,
            "unit": (spec.unit or (spec.product.unit if spec.product else "")).strip()[:10],
            "unit_price": self.unit_price,
            "tax": spec.tax,
            "amount": self.amount,
        }


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal  # 税抜
    tax_total: Decimal
    total: Decimal  # 税込
    rate_totals: dict[str, dict[str, int]]


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def check_lines(
    company: Company, specs: Sequence[LineSpec], errors: dict[str, list[str]], *, allow_empty: bool = False
) -> list[CheckedLine]:
    """Check every line; problems go into ``errors`` under ``lines.<n>``."""
    if not specs and not allow_empty:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    checked: list[CheckedLine] = []
    for n, spec in enumerate(specs):
        problems: list[str] = []
        if spec.product is not None and spec.product.company_id != company.pk:
            raise NotFound()
        if spec.order_line is not None and spec.order_line.company_id != company.pk:
            raise NotFound()
        if not spec.description.strip():
            problems.append(_("品名・内容を入力してください。"))
        if spec.tax not in SalesTax.values:
            problems.append(_("税区分を選んでください。"))
        quantity = _decimal(spec.quantity)
        price = _decimal(spec.unit_price)
        if quantity is None:
            problems.append(_("数量は数値で入力してください。"))
        elif quantity <= 0:
            problems.append(_("数量は0より大きい数で入力してください(値引は単価をマイナスにします)。"))
        elif quantity != quantity.quantize(Decimal("0.001")) or quantity > MAX_QUANTITY:
            problems.append(_("数量は小数点以下3桁までで入力してください。"))
        if price is None:
            problems.append(_("単価は数値で入力してください。"))
        elif price != price.quantize(Decimal("0.0001")) or abs(price) > MAX_UNIT_PRICE:
            problems.append(_("単価は小数点以下4桁までで入力してください。"))
        if problems:
            errors[f"lines.{n}"] = problems
            continue
        assert quantity is not None
        assert price is not None
        amount = rules.line_amount(quantity=quantity, unit_price_value=price)
        if abs(amount) > MAX_LINE:
            errors[f"lines.{n}"] = [_("金額が大きすぎます(1行あたり1兆円未満)。")]
            continue
        checked.append(CheckedLine(spec, quantity, price, amount))
    return checked


def totals_of(
    lines: Sequence[CheckedLine] | Sequence[Any],
    *,
    prices_include_tax: bool,
    rounding: str,
    errors: dict[str, list[str]],
) -> Totals:
    """Per-rate totals with the tax rounded once per rate (rules.invoice_tax). A rate whose
    discounts exceed its sales is refused: an invoice does not carry a negative rate total."""
    pairs = [(int(line.amount), TAX_RATES[SalesTax(_tax_of(line))]) for line in lines]
    by_rate = rules.invoice_tax(lines=pairs, rounding=rounding, tax_included=prices_include_tax)
    if any(t.gross < 0 for t in by_rate.values()):
        errors["lines"] = [
            _("値引が売上を上回る税率があります。値引は同じ税率の明細の金額までにしてください。")
        ]
    subtotal = sum((t.base for t in by_rate.values()), 0)
    tax_total = sum((t.tax for t in by_rate.values()), 0)
    return Totals(
        subtotal=Decimal(subtotal),
        tax_total=Decimal(tax_total),
        total=Decimal(subtotal + tax_total),
        rate_totals={str(rate): {"base": t.base, "tax": t.tax} for rate, t in by_rate.items()},
    )


def _tax_of(line: Any) -> str:
    return line.spec.tax if isinstance(line, CheckedLine) else line.tax


def settings_of(company: Company) -> SalesSettings:
    """The company's sales settings (created with the defaults on first use)."""
    row = SalesSettings.objects.filter(company=company).first()
    if row is None:
        row, _created = SalesSettings.objects.get_or_create(company=company)
    return row
