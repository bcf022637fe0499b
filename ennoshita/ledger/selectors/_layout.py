"""The Japanese statement layouts (会社計算規則 73–76条 貸借対照表, 88–94条 損益計算書; jp-rules §10),
built from one amount per account. Amounts are shown on the side of their section, so a contra
account (貸倒引当金, 減価償却累計額, 自己株式, 売上値引・返品, 期末商品棚卸高) is negative (△) inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.ledger.chart import SECTIONS_BY_KEY
from ennoshita.ledger.rules import signed_balance

from ._sums import ZERO, Chart

BS_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("current_assets", ("current_assets",)),
    ("fixed_assets", ("fixed_tangible", "fixed_intangible", "investments")),
    ("deferred_assets", ("deferred_assets",)),
)
PL_SECTIONS_IN_ORDER = (
    "sales",
    "cost_of_sales",
    "sga",
    "non_operating_income",
    "non_operating_expenses",
    "extraordinary_income",
    "extraordinary_losses",
    "income_taxes",
)


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement. ``key``: ``account:<code>``, ``heading:…``, ``subtotal:<section>``,
    ``total:…`` or ``profit:…``; ``amount`` is None on headings. ``code`` names the account of an
    account line (drill-down to its 総勘定元帳)."""

    key: str
    kind: str  # heading | account | subtotal | total | profit
    label: str
    amount: Decimal | None
    level: int = 0
    code: str = ""
    previous: Decimal | None = None
    difference: Decimal | None = None


@dataclass(frozen=True)
class Statement:
    """貸借対照表 or 損益計算書. ``start`` is None for a balance sheet (as of ``end``); with a
    comparison, ``previous_start``/``previous_end`` give the same period of the year before."""

    title: str
    start: object
    end: object
    lines: list[StatementLine]
    previous_start: object = None
    previous_end: object = None
    figures: dict[str, Decimal] = field(default_factory=dict)

    def amount(self, key: str) -> Decimal:
        return self.figures[key]


def section_amount(chart: Chart, account_id: int, debit: Decimal, credit: Decimal) -> Decimal:
    """The amount on its section's side (a contra account comes out negative)."""
    side = SECTIONS_BY_KEY[chart.by_id[account_id].section].normal_side
    return signed_balance(debit=debit, credit=credit, normal_side=side)


def _section_block(
    chart: Chart, section: str, amounts: dict[int, Decimal], include: set[int], level: int
) -> tuple[list[StatementLine], Decimal]:
    label = _(SECTIONS_BY_KEY[section].label)  # the section names are in the catalogue (chart.py)
    lines = [StatementLine(f"heading:{section}", "heading", label, None, level)]
    total = ZERO
    for a in chart.accounts:
        if a.section == section and a.pk in include:
            value = amounts.get(a.pk, ZERO)
            total += value
            lines.append(StatementLine(f"account:{a.code}", "account", a.name, value, level + 1, a.code))
    lines.append(
        StatementLine(f"subtotal:{section}", "subtotal", _("%(s)s合計") % {"s": label}, total, level)
    )
    return lines, total


def bs_lines(
    chart: Chart, amounts: dict[int, Decimal], net_income: Decimal, include: set[int]
) -> tuple[list[StatementLine], dict[str, Decimal]]:
    """資産の部 / 負債の部 / 純資産の部 (with 当期純利益 as its own line after 繰越利益剰余金)."""
    lines: list[StatementLine] = [StatementLine("heading:assets", "heading", _("資産の部"), None, 0)]
    figures: dict[str, Decimal] = {}
    assets = ZERO
    for group, sections in BS_GROUPS:
        if len(sections) == 1:
            block, total = _section_block(chart, sections[0], amounts, include, 1)
            lines += block
        else:
            lines.append(StatementLine(f"heading:{group}", "heading", _("固定資産"), None, 1))
            total = ZERO
            for section in sections:
                block, sub = _section_block(chart, section, amounts, include, 2)
                lines += block
                figures[section] = sub
                total += sub
            lines.append(StatementLine(f"subtotal:{group}", "subtotal", _("固定資産合計"), total, 1))
        figures[group] = total
        assets += total
    lines.append(StatementLine("total:assets", "total", _("資産合計"), assets, 0))
    lines.append(StatementLine("heading:liabilities", "heading", _("負債の部"), None, 0))
    liabilities = ZERO
    for section in ("current_liabilities", "long_term_liabilities"):
        block, total = _section_block(chart, section, amounts, include, 1)
        lines += block
        figures[section] = total
        liabilities += total
    lines.append(StatementLine("total:liabilities", "total", _("負債合計"), liabilities, 0))
    lines.append(StatementLine("heading:net_assets", "heading", _("純資産の部"), None, 0))
    net_assets = net_income
    income_line = StatementLine("profit:net_income", "profit", _("当期純利益"), net_income, 1)
    placed = False
    for a in chart.accounts:
        if a.section == "net_assets" and (a.pk in include or a.pk == chart.retained_earnings_id):
            value = amounts.get(a.pk, ZERO)
            net_assets += value
            lines.append(StatementLine(f"account:{a.code}", "account", a.name, value, 1, a.code))
            if a.pk == chart.retained_earnings_id:
                lines.append(income_line)
                placed = True
    if not placed:
        lines.append(income_line)
    lines.append(StatementLine("total:net_assets", "total", _("純資産合計"), net_assets, 0))
    lines.append(
        StatementLine(
            "total:liabilities_net_assets", "total", _("負債純資産合計"), liabilities + net_assets, 0
        )
    )
    figures.update(
        assets=assets,
        liabilities=liabilities,
        net_assets=net_assets,
        net_income=net_income,
        liabilities_net_assets=liabilities + net_assets,
    )
    return lines, figures


_PROFITS = (
    # (after section, key, label, how the profit moves from the previous one)
    ("cost_of_sales", "gross", "売上総利益"),
    ("sga", "operating", "営業利益"),
    ("non_operating_expenses", "ordinary", "経常利益"),
    ("extraordinary_losses", "pretax", "税引前当期純利益"),
    ("income_taxes", "net", "当期純利益"),
)


def pl_lines(
    chart: Chart, amounts: dict[int, Decimal], include: set[int]
) -> tuple[list[StatementLine], dict[str, Decimal]]:
    """売上高 − 売上原価 = 売上総利益 − 販管費 = 営業利益 ± 営業外 = 経常利益 ± 特別 = 税引前当期純利益
    − 法人税等 = 当期純利益 (会社計算規則88–94条)."""
    lines: list[StatementLine] = []
    figures: dict[str, Decimal] = {}
    profit = ZERO
    profits = {after: (key, label) for after, key, label in _PROFITS}
    for section in PL_SECTIONS_IN_ORDER:
        block, total = _section_block(chart, section, amounts, include, 0)
        lines += block
        figures[section] = total
        profit += total if SECTIONS_BY_KEY[section].normal_side == "credit" else -total
        if section in profits:
            key, label = profits[section]
            figures[key] = profit
            lines.append(StatementLine(f"profit:{key}", "profit", _(label), profit, 0))
    return lines, figures


def merge_previous(current: list[StatementLine], previous: list[StatementLine]) -> list[StatementLine]:
    """Put the year-before figures and the difference beside each line (same layout both sides)."""
    by_key = {ln.key: ln for ln in previous}
    out = []
    for ln in current:
        prev = by_key.get(ln.key)
        if ln.amount is None or prev is None or prev.amount is None:
            out.append(ln)
            continue
        out.append(replace(ln, previous=prev.amount, difference=ln.amount - prev.amount))
    return out


Builder = Callable[[set[int]], tuple[list[StatementLine], dict[str, Decimal]]]
