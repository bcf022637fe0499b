"""§5.4: the 経過措置 for purchases from suppliers who are not 適格請求書発行事業者, and the 少額特例."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ennoshita.ledger import rules as ledger_rules

# ============================================================================ §5.4 経過措置


# The schedule itself lives once, in the books' rules (ledger.rules.TRANSITIONAL_DEDUCTION_SCHEDULE:
# 平成28年改正法附則52条・53条 as amended by the 令和8年度改正, jp-rules §5.4), so that the 税区分 of a
# posting and a purchase's creditable share can never disagree.


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"a date is needed, not {value!r}")
    return value


def transitional_deduction_rate(*, purchase_date: dt.date) -> Decimal:
    """Creditable share of the deemed input tax on a purchase from an unregistered supplier:
    0.8 from 2023-10-01, 0.7 from 2026-10-01, 0.5 from 2028-10-01, 0.3 from 2030-10-01, 0 from
    2031-10-01; 1 before 2023-10-01, when there was no invoice system (区分記載請求書等保存方式)."""
    day = _as_date(purchase_date)
    return ledger_rules.transitional_deduction_percent(purchase_date=day) / 100


def transitional_book_note(*, purchase_date: dt.date) -> str | None:
    """What the 帳簿 must say of such a purchase (「80%控除対象」, 「70%控除対象」 …), or None.

    附則52条2項・53条2項 (jp-rules §5.4: 帳簿 must note 「80%控除対象」/「70%控除対象」).
    """
    rate = transitional_deduction_rate(purchase_date=purchase_date)
    if not rate or rate == 1:
        return None
    return f"{int(rate * 100)}%控除対象"


# The transitional credit is refused for the part of a year's purchases from ONE unregistered
# supplier above this amount (税込): 10億円 for taxable periods starting on/after 2024-10-01
# (令和6年度改正), 1億円 for those starting on/after 2026-10-01 (令和8年度改正).
# jp-rules §5.4 marks this "Corroborated by 2 repos, verify": confirm the article before relying on it.
TRANSITIONAL_CAP_PER_SUPPLIER: tuple[tuple[dt.date, Decimal], ...] = (
    (dt.date(2026, 10, 1), Decimal("100000000")),
    (dt.date(2024, 10, 1), Decimal("1000000000")),
)


def transitional_cap_per_supplier(*, period_start: dt.date) -> Decimal | None:
    """Yearly 税込 purchases from one unregistered supplier that may get the transitional credit;
    None when no cap applies (taxable periods starting before 2024-10-01)."""
    start = _as_date(period_start)
    for effective_from, cap in TRANSITIONAL_CAP_PER_SUPPLIER:
        if start >= effective_from:
            return cap
    return None


# 少額特例: 平成28年改正法附則53条の2 (added by the 令和5年度改正). jp-rules §5.4, Confirmed; not changed
# by the 令和8年度改正.
SMALL_PURCHASE_PERIOD = (dt.date(2023, 10, 1), dt.date(2029, 9, 30))
SMALL_PURCHASE_LIMIT = Decimal("10000")  # 1万円「未満」, 税込, per transaction
SMALL_BUSINESS_BASE_PERIOD_SALES = Decimal("100000000")  # 基準期間の課税売上高 1億円以下
SMALL_BUSINESS_SPECIFIC_PERIOD_SALES = Decimal("50000000")  # or 特定期間の課税売上高 5,000万円以下


def small_purchase_exception_applies(
    *,
    purchase_date: dt.date,
    amount_including_tax: int | Decimal,
    base_period_taxable_sales: int | Decimal | None,
    specific_period_taxable_sales: int | Decimal | None = None,
) -> bool:
    """True when a purchase may be credited with the 帳簿 alone, without an インボイス (少額特例).

    The purchase is under 1万円 税込 (one transaction, not one item), made 2023-10-01 – 2029-09-30,
    by a business whose 基準期間 課税売上高 is ≤ 1億円 or whose 特定期間 課税売上高 is ≤ 5,000万円.
    A business with no 基準期間 (``None``) is judged by its 特定期間 alone.
    """
    day = _as_date(purchase_date)
    if not SMALL_PURCHASE_PERIOD[0] <= day <= SMALL_PURCHASE_PERIOD[1]:
        return False
    if Decimal(amount_including_tax) >= SMALL_PURCHASE_LIMIT:
        return False
    small_by_base = (
        base_period_taxable_sales is not None
        and Decimal(base_period_taxable_sales) <= SMALL_BUSINESS_BASE_PERIOD_SALES
    )
    small_by_specific = (
        specific_period_taxable_sales is not None
        and Decimal(specific_period_taxable_sales) <= SMALL_BUSINESS_SPECIFIC_PERIOD_SALES
    )
    return small_by_base or small_by_specific
