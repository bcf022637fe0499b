"""消費税 rules for the general ledger (経理): pure functions, no database.

Every amount is a Decimal; every result is whole yen, rounded through ``core.money`` by a named rule.
Rates are arguments (not constants read inside the functions), so a new rate — e.g. the pending 1%
food rate (jp-rules §5.1) — is new data, not new code.

Negative amounts (返品, 値引, reversals) are rounded on their **magnitude** and the sign restored, so
a reversal mirrors the original exactly: tax(−x) == −tax(x) for every rule. A consequence: on a
magnitude, ``Rounding.FLOOR`` acts like TRUNCATE and ``Rounding.CEILING`` like ROUND_UP.

Sources: jp-rules.md §5 (消費税 & インボイス制度); the law named next to each rule.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from typing import Literal

from ennoshita.core.money import Rounding, round_yen, to_decimal, yen

NormalSide = Literal["debit", "credit"]
TaxKind = Literal[
    "out_of_scope",  # 不課税 (消費税法4条の課税対象外: 給与, 寄附, 配当, 保険金…)
    "taxable_sales",  # 課税売上 (消費税法4条1項)
    "export_sales",  # 輸出免税売上 (消費税法7条)
    "exempt_sales",  # 非課税売上 (消費税法6条・別表第二: 利子, 土地, 住宅家賃…)
    "taxable_purchase",  # 課税仕入 (消費税法30条)
    "exempt_purchase",  # 非課税仕入 (消費税法6条・別表第二)
]

_HUNDRED = Decimal(100)
_WORKING_PRECISION = 50  # digits; far more than any yen amount needs, so divisions round only once


# ---------------------------------------------------------------------------------------------
# 税区分 (tax categories) — data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxCategory:
    key: str
    label: str
    kind: TaxKind
    rate_percent: Decimal
    # False only for purchases without a 適格請求書 (消費税法30条7項, 57条の4); those are credited
    # by the transitional percentage (平成28年改正法附則52・53条), see deductible_input_tax().
    qualified: bool = True


def _category(key: str, label: str, kind: TaxKind, rate: str, *, qualified: bool = True) -> TaxCategory:
    return TaxCategory(key=key, label=label, kind=kind, rate_percent=Decimal(rate), qualified=qualified)


# Rates: 標準 10% / 軽減 8% since 2019-10-01 (消費税法29条, 平成28年改正法附則34条; jp-rules §5.1).
TAX_CATEGORIES: dict[str, TaxCategory] = {
    c.key: c
    for c in (
        _category("OUT", "対象外(不課税)", "out_of_scope", "0"),
        _category("S10", "課税売上10%", "taxable_sales", "10"),
        _category("S8R", "課税売上8%(軽減)", "taxable_sales", "8"),
        _category("S_EXPORT", "輸出免税売上", "export_sales", "0"),
        _category("S_EXEMPT", "非課税売上", "exempt_sales", "0"),
        _category("P10", "課税仕入10%", "taxable_purchase", "10"),
        _category("P8R", "課税仕入8%(軽減)", "taxable_purchase", "8"),
        _category(
            "P10_NQ", "課税仕入10%(適格請求書なし・経過措置)", "taxable_purchase", "10", qualified=False
        ),
        _category(
            "P8R_NQ",
            "課税仕入8%(軽減)(適格請求書なし・経過措置)",
            "taxable_purchase",
            "8",
            qualified=False,
        ),
        _category("P_EXEMPT", "非課税仕入", "exempt_purchase", "0"),
    )
}


# ---------------------------------------------------------------------------------------------
# Tax on one amount
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxSplit:
    """税抜 (net) + 消費税等 (tax) == 税込 (gross), always, in whole yen."""

    net: Decimal
    tax: Decimal
    gross: Decimal


def _rate(rate_percent: Decimal | int | str) -> Decimal:
    rate = to_decimal(rate_percent)
    if rate < 0:
        raise ValueError(f"a tax rate cannot be negative: {rate_percent}")
    return rate


def _round_magnitude(value: Decimal, rounding: Rounding) -> Decimal:
    """Round |value| to yen by ``rounding`` and restore the sign (a reversal mirrors the original)."""
    magnitude = round_yen(abs(value), rounding)
    return -magnitude if value < 0 and magnitude else magnitude


def tax_included_in(
    *, amount: Decimal | int | str, rate_percent: Decimal | int | str, rounding: Rounding
) -> Decimal:
    """The 消費税等 contained in a 税込 amount: amount × rate / (100 + rate).

    The rounding rule is the business's choice (消費税法 has none; 基通1-8-15, NTA No.6371 — on an
    invoice once per rate, see invoice_tax_by_rate()).
    """
    rate = _rate(rate_percent)
    with localcontext() as ctx:
        ctx.prec = _WORKING_PRECISION
        exact = to_decimal(amount) * rate / (_HUNDRED + rate)
    return _round_magnitude(exact, rounding)


def tax_on(*, amount: Decimal | int | str, rate_percent: Decimal | int | str, rounding: Rounding) -> Decimal:
    """The 消費税等 on a 税抜 amount: amount × rate / 100 (rounding as tax_included_in)."""
    rate = _rate(rate_percent)
    with localcontext() as ctx:
        ctx.prec = _WORKING_PRECISION
        exact = to_decimal(amount) * rate / _HUNDRED
    return _round_magnitude(exact, rounding)


def split_amount(
    *, amount: Decimal | int | str, rate_percent: Decimal | int | str, tax_included: bool, rounding: Rounding
) -> TaxSplit:
    """Split a whole-yen amount into net, tax and gross. ``tax_included`` says whether ``amount``
    is 税込 (gross) or 税抜 (net). Fractions of a yen are refused (round them first, by a named rule).
    """
    whole = yen(amount)
    if tax_included:
        tax = tax_included_in(amount=whole, rate_percent=rate_percent, rounding=rounding)
        return TaxSplit(net=whole - tax, tax=tax, gross=whole)
    tax = tax_on(amount=whole, rate_percent=rate_percent, rounding=rounding)
    return TaxSplit(net=whole, tax=tax, gross=whole + tax)


# ---------------------------------------------------------------------------------------------
# 適格請求書: one rounding per invoice per rate
# ---------------------------------------------------------------------------------------------


def invoice_tax_by_rate(
    *,
    lines: Iterable[tuple[Decimal | int | str, Decimal | int | str]],
    tax_included: bool,
    rounding: Rounding,
) -> dict[Decimal, TaxSplit]:
    """Tax of an invoice, rate by rate: the line amounts are summed per rate and the tax is rounded
    **once per rate** on that subtotal (消費税法施行令70条の10, 基通1-8-15, NTA No.6371;
    jp-rules §5.2). Rounding each line and adding is not allowed.

    ``lines``: (amount, rate_percent) pairs, all 税込 or all 税抜 as ``tax_included`` says.
    Returns {rate_percent: TaxSplit}, highest rate first. The per-rate subtotal must be whole yen.
    """
    totals: dict[Decimal, Decimal] = {}
    for amount, rate_percent in lines:
        rate = _rate(rate_percent)
        totals[rate] = totals.get(rate, Decimal(0)) + to_decimal(amount)
    return {
        rate: split_amount(
            amount=totals[rate], rate_percent=rate, tax_included=tax_included, rounding=rounding
        )
        for rate in sorted(totals, reverse=True)
    }


# ---------------------------------------------------------------------------------------------
# 経過措置: purchases from suppliers who are not 適格請求書発行事業者
# ---------------------------------------------------------------------------------------------

# (first 課税仕入れの日, percent of the input tax that may be credited). 平成28年改正法附則52条・53条
# as amended by the 令和8年度改正 (NTA leaflet 0026004-099-01-1; jp-rules §5.4: 80% Confirmed, the
# rest Corroborated). Before 2023-10-01 there was no invoice system (区分記載請求書等保存方式): full
# credit. The 1億円-per-supplier cap (from periods starting 2026-10-01) is not applied here.
TRANSITIONAL_DEDUCTION_SCHEDULE: tuple[tuple[date, Decimal], ...] = (
    (date.min, Decimal(100)),
    (date(2023, 10, 1), Decimal(80)),
    (date(2026, 10, 1), Decimal(70)),
    (date(2028, 10, 1), Decimal(50)),
    (date(2030, 10, 1), Decimal(30)),
    (date(2031, 10, 1), Decimal(0)),
)


def transitional_deduction_percent(*, purchase_date: date) -> Decimal:
    """Percent of the input tax on a purchase without a 適格請求書 that may be credited, by the
    date of the purchase (課税仕入れの日)."""
    starts = [start for start, _ in TRANSITIONAL_DEDUCTION_SCHEDULE]
    return TRANSITIONAL_DEDUCTION_SCHEDULE[bisect_right(starts, purchase_date) - 1][1]


def deductible_input_tax(
    *, tax: Decimal | int | str, purchase_date: date, qualified: bool, rounding: Rounding
) -> Decimal:
    """The part of an input tax that may be credited (仕入税額控除, 消費税法30条): all of it with a
    適格請求書; otherwise tax × transitional percent / 100 (附則52・53条), rounded by ``rounding``."""
    percent = _HUNDRED if qualified else transitional_deduction_percent(purchase_date=purchase_date)
    with localcontext() as ctx:
        ctx.prec = _WORKING_PRECISION
        exact = to_decimal(tax) * percent / _HUNDRED
    return _round_magnitude(exact, rounding)


def transitional_note(*, purchase_date: date) -> str:
    """The 帳簿 note the 経過措置 requires (附則52・53条, jp-rules §5.4): 「80%控除対象」 etc.;
    "" when the full tax is credited (before the invoice system), 「控除対象外」 once it is 0%."""
    percent = transitional_deduction_percent(purchase_date=purchase_date)
    if percent == _HUNDRED:
        return ""
    if percent == 0:
        return "控除対象外"
    return f"{percent.normalize():f}%控除対象"


# ---------------------------------------------------------------------------------------------
# 消費税及び地方消費税の確定申告 (一般課税) figures
# ---------------------------------------------------------------------------------------------

# The national part (消費税, 国税) of each rate: 10% = 7.8% + 地方 2.2%; 8% = 6.24% + 地方 1.76%
# (消費税法29条, 平成28年改正法附則34条; 地方税法72条の83; jp-rules §5.1). A new rate adds a row.
NATIONAL_RATE_PERCENT: dict[Decimal, Decimal] = {
    Decimal("10"): Decimal("7.8"),
    Decimal("8"): Decimal("6.24"),
}
# 地方消費税 (譲渡割) = 消費税額 × 22/78 (地方税法72条の83).
LOCAL_TAX_NUMERATOR = Decimal(22)
LOCAL_TAX_DENOMINATOR = Decimal(78)


@dataclass(frozen=True)
class TaxReturnFigures:
    """The main lines of the 一般課税 return (第一表 / 付表1-3), in whole yen."""

    taxable_base_by_rate: dict[Decimal, Decimal] = field(hash=False)  # 課税標準額, per rate
    taxable_base: Decimal  # 課税標準額 (total)
    national_tax_by_rate: dict[Decimal, Decimal] = field(hash=False)  # 消費税額, per rate
    national_tax: Decimal  # 消費税額 (国税, total)
    deductible_input_tax_national: Decimal  # 控除税額 (as given)
    net_national_tax: Decimal  # 差引税額 (100円未満切捨て; 0 when there is a refund)
    national_refund: Decimal  # 控除不足還付税額 (0 when tax is due)
    local_tax: Decimal  # 地方消費税 譲渡割額 納税額
    local_refund: Decimal  # 地方消費税 譲渡割額 還付額

    @property
    def total_due(self) -> Decimal:
        return self.net_national_tax + self.local_tax

    @property
    def total_refund(self) -> Decimal:
        return self.national_refund + self.local_refund


def _truncate_to(value: Decimal, unit: int) -> Decimal:
    """Drop the part below ``unit`` yen (…円未満切捨て), toward zero."""
    return round_yen(value / unit, Rounding.TRUNCATE) * unit


def _national_rate(rate: Decimal) -> Decimal:
    try:
        return NATIONAL_RATE_PERCENT[rate]
    except KeyError:
        raise ValueError(f"no national/local split is known for the {rate}% rate") from None


def tax_return_figures(
    *,
    taxable_sales_including_tax_by_rate: Mapping[Decimal, Decimal | int | str],
    deductible_input_tax_national: Decimal | int | str,
) -> TaxReturnFigures:
    """Compute the return from the period's 税込 taxable sales per rate (割戻し計算) and the credit.

    Per rate: 課税標準額 = 税込売上 × 100/(100+rate), 1,000円未満切捨て (国税通則法118条1項);
    消費税額 = 課税標準額 × 7.8% (10%) or 6.24% (8%) (消費税法29条, 45条).
    差引税額 = Σ消費税額 − 控除税額, 100円未満切捨て (国税通則法119条1項); if negative, the
    shortfall is 控除不足還付税額 (還付金: 1円未満切捨て, 120条 — here already whole yen).
    地方消費税 = 差引税額 × 22/78, 100円未満切捨て (地方税法72条の83, 20条の4の2); its 還付額 =
    控除不足還付税額 × 22/78, 1円未満切捨て. (jp-rules §5.1–5.2, NTA No.6371.)

    Assumptions (jp-rules states only "課税標準額 1,000円未満切捨て"): the 1,000円 truncation is
    applied to each rate's 課税標準額, as the 付表1-3 columns are, so the total is their sum; the
    消費税額 of a rate (6.24% can leave a fraction) is truncated to the yen.
    ``deductible_input_tax_national`` is the 控除税額小計 (国税 part): 控除対象仕入税額 plus any
    返還等対価に係る税額 and 貸倒れに係る税額, which the caller computes. Not handled: 積上げ計算
    of sales tax (令62条), 中間納付, 簡易課税, 2割特例.
    """
    base_by_rate: dict[Decimal, Decimal] = {}
    tax_by_rate: dict[Decimal, Decimal] = {}
    with localcontext() as ctx:
        ctx.prec = _WORKING_PRECISION
        for rate_key in sorted(taxable_sales_including_tax_by_rate, reverse=True):
            rate = _rate(rate_key)
            sales = to_decimal(taxable_sales_including_tax_by_rate[rate_key])
            base = _truncate_to(sales * _HUNDRED / (_HUNDRED + rate), 1000)
            base_by_rate[rate] = base
            tax_by_rate[rate] = round_yen(base * _national_rate(rate) / _HUNDRED, Rounding.TRUNCATE)
        national_tax = sum(tax_by_rate.values(), Decimal(0))
        credit = yen(deductible_input_tax_national)
        difference = national_tax - credit
        net_national_tax = _truncate_to(difference, 100) if difference > 0 else Decimal(0)
        national_refund = -difference if difference < 0 else Decimal(0)
        local_tax = _truncate_to(net_national_tax * LOCAL_TAX_NUMERATOR / LOCAL_TAX_DENOMINATOR, 100)
        local_refund = round_yen(
            national_refund * LOCAL_TAX_NUMERATOR / LOCAL_TAX_DENOMINATOR, Rounding.TRUNCATE
        )
    return TaxReturnFigures(
        taxable_base_by_rate=base_by_rate,
        taxable_base=sum(base_by_rate.values(), Decimal(0)),
        national_tax_by_rate=tax_by_rate,
        national_tax=national_tax,
        deductible_input_tax_national=credit,
        net_national_tax=net_national_tax,
        national_refund=national_refund,
        local_tax=local_tax,
        local_refund=local_refund,
    )


def national_input_tax(
    *, taxable_purchases_including_tax_by_rate: Mapping[Decimal, Decimal | int | str]
) -> Decimal:
    """控除対象仕入税額 by 割戻し計算 (消費税法施行令46条3項): Σ 税込課税仕入 × 7.8/110 (10%) or
    6.24/108 (8%), 1円未満切捨て per rate. Pass only what may be credited (apply the 経過措置
    percentage to purchases without a 適格請求書 first)."""
    total = Decimal(0)
    with localcontext() as ctx:
        ctx.prec = _WORKING_PRECISION
        for rate_key, amount in taxable_purchases_including_tax_by_rate.items():
            rate = _rate(rate_key)
            exact = to_decimal(amount) * _national_rate(rate) / (_HUNDRED + rate)
            total += _round_magnitude(exact, Rounding.TRUNCATE)
    return total


# ---------------------------------------------------------------------------------------------
# Balances
# ---------------------------------------------------------------------------------------------


def signed_balance(
    *, debit: Decimal | int | str, credit: Decimal | int | str, normal_side: NormalSide
) -> Decimal:
    """The balance of an account on its normal side (資産・費用: 借方, 負債・純資産・収益: 貸方);
    positive when the account stands on its normal side."""
    if normal_side == "debit":
        return to_decimal(debit) - to_decimal(credit)
    if normal_side == "credit":
        return to_decimal(credit) - to_decimal(debit)
    raise ValueError(f"normal_side must be 'debit' or 'credit', not {normal_side!r}")
