"""The legal and customary calculations of sales admin, as pure functions (no database).

The public names and keyword arguments below are fixed (issue 6): auditors and independent checks
call them. Sources are in jp-rules.md and docs/domains/sales.md.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ennoshita.core import rules as core_rules
from ennoshita.core.dates import is_holiday
from ennoshita.core.money import Rounding, round_yen, to_decimal, unit_price, yen

END_OF_MONTH = 99  # 締め日・支払日 "末日"

ROUNDINGS = ("floor", "ceil", "half_up")


# --------------------------------------------------------------------------- 適格請求書の消費税額
@dataclass(frozen=True)
class RateTotal:
    """One tax rate of an invoice: ``base`` is the 税抜 amount (課税標準) of the rate's lines,
    ``tax`` the 消費税額等 rounded once, ``gross`` = base + tax (税込)."""

    base: int
    tax: int
    gross: int


def _divide(numerator: int, denominator: int, rounding: str) -> int:
    """numerator / denominator rounded to an integer, exactly (integer arithmetic, no float)."""
    if rounding == "floor":
        return numerator // denominator
    if rounding == "ceil":
        return -((-numerator) // denominator)
    if rounding == "half_up":  # 四捨五入: half away from zero
        magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
        return magnitude if numerator >= 0 else -magnitude
    raise ValueError(f"rounding must be one of {', '.join(ROUNDINGS)}, not {rounding!r}")


def invoice_tax(
    *,
    lines: Iterable[tuple[int | Decimal | str, int | Decimal | str]],
    rounding: str = "floor",
    tax_included: bool = False,
) -> dict[int, RateTotal]:
    """消費税額等 of a 適格請求書, rate by rate.

    ``lines``: ``(amount, rate_percent)`` pairs in whole yen, 税込 when ``tax_included``. The amounts
    of each rate are summed first and the tax is computed and rounded **once per rate on that
    subtotal** — rounding each line and adding is not allowed (消費税法施行令70条の10,
    消費税法基本通達1-8-15, NTA タックスアンサー No.6371; jp-rules.md §5.2). Any rounding method
    may be chosen: ``"floor"`` (切り捨て), ``"ceil"`` (切り上げ), ``"half_up"`` (四捨五入).

    Returns {rate: RateTotal} for each rate present (10, 8, 0 …), highest rate first.
    Example (jp-rules §5.2, 税抜, floor): 10% lines 1,234 + 5,678 + 999 → base 7,911, tax 791.
    """
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding must be one of {', '.join(ROUNDINGS)}, not {rounding!r}")
    sums: dict[int, int] = {}
    for amount, rate in lines:
        whole = int(yen(amount))
        rate_value = to_decimal(rate)
        if rate_value != rate_value.to_integral_value() or rate_value < 0:
            raise ValueError(f"a tax rate is a whole percentage, not {rate}")
        sums[int(rate_value)] = sums.get(int(rate_value), 0) + whole
    result: dict[int, RateTotal] = {}
    for rate in sorted(sums, reverse=True):
        subtotal = sums[rate]
        if tax_included:
            # tax inside a 税込 subtotal: subtotal × rate / (100 + rate)
            tax = _divide(subtotal * rate, 100 + rate, rounding)
            result[rate] = RateTotal(base=subtotal - tax, tax=tax, gross=subtotal)
        else:
            tax = _divide(subtotal * rate, 100, rounding)
            result[rate] = RateTotal(base=subtotal, tax=tax, gross=subtotal + tax)
    return result


def line_amount(*, quantity: Decimal | int | str, unit_price_value: Decimal | int | str) -> Decimal:
    """金額 of a line: quantity × unit price, fractions of a yen 切り捨て (the common practice for
    line amounts; the tax is rounded separately, once per rate). Unit prices keep ≤ 4 places."""
    return round_yen(to_decimal(quantity) * unit_price(unit_price_value), Rounding.TRUNCATE)


# --------------------------------------------------------------------------- 法人番号・登録番号
def corporate_number_check_digit(base12: str) -> int:
    """The check digit of a 法人番号 from its 12-digit 基礎番号: 9 − (Σ Pn × Qn mod 9), Pn the n-th
    digit from the right, Qn = 1 (n odd) or 2 (n even) (法人番号の指定等に関する省令; jp-rules §5.3)."""
    return core_rules.corporate_number_check_digit(base12)


def is_valid_corporate_number(number: str) -> bool:
    """13 digits whose first digit checks the other twelve; "T" + 13 digits (a corporation's
    インボイス登録番号) is checked the same way."""
    text = number.strip()
    if text[:1] in ("T", "t"):
        text = text[1:]
    return core_rules.is_valid_corporate_number(text)


def normalize_registration_number(text: str) -> str:
    """ "Ｔ１２３…", "t 1234-5678-…" → "T1234…" (width folded, spaces and hyphens dropped)."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(ch for ch in folded if ch not in " -‐−ー")


def registration_number_problem(number: str, *, is_corporation: bool) -> str | None:
    """Why a インボイス登録番号 cannot be right, or None. The format is "T" + 13 digits; for a
    corporation the digits are its 法人番号 and must pass its check digit; a sole proprietor's
    number has no published check rule and is not rejected by that check (jp-rules §5.3)."""
    if len(number) != 14 or number[0] != "T" or not number[1:].isascii() or not number[1:].isdigit():
        return "format"
    if is_corporation and not core_rules.is_valid_corporate_number(number[1:]):
        return "check_digit"
    return None


# --------------------------------------------------------------------------- 締め・支払
def is_bank_business_day(day: date) -> bool:
    """A day banks are open: not Saturday or Sunday, not a 国民の祝日・休日, not 12/31–1/3
    (銀行法15条1項, 銀行法施行令5条1項)."""
    if day.weekday() >= 5 or is_holiday(day):
        return False
    return not ((day.month == 12 and day.day == 31) or (day.month == 1 and day.day <= 3))


def _day_in_month(year: int, month: int, day: int) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day == END_OF_MONTH or day > last else day)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def closing_date(*, invoice_date: date, closing_day: int) -> date:
    """The 締め日 that closes the period ``invoice_date`` falls in (the first on or after it)."""
    _check_day(closing_day, "closing_day")
    this_month = _day_in_month(invoice_date.year, invoice_date.month, closing_day)
    if invoice_date <= this_month:
        return this_month
    year, month = _add_months(invoice_date.year, invoice_date.month, 1)
    return _day_in_month(year, month, closing_day)


def due_date(
    *,
    invoice_date: date,
    closing_day: int,
    months_after: int,
    pay_day: int,
    holiday_rule: str = "next_business_day",
) -> date:
    """支払期日 under terms such as 月末締め翌月末払い (closing_day=99, months_after=1, pay_day=99) or
    20日締め翌月10日払い (20, 1, 10): the sale closes on the first 締め日 on or after
    ``invoice_date``; payment falls on ``pay_day`` of the month ``months_after`` later (末日 = 99, and
    a day the month lacks means its last day). A due date on a bank holiday moves to the next
    (``"next_business_day"``) or previous (``"previous_business_day"``) bank business day, or stays
    (``"none"``)."""
    _check_day(pay_day, "pay_day")
    if months_after < 0 or months_after > 12:
        raise ValueError("months_after must be 0–12")
    closed = closing_date(invoice_date=invoice_date, closing_day=closing_day)
    year, month = _add_months(closed.year, closed.month, months_after)
    due = _day_in_month(year, month, pay_day)
    if due < closed:  # e.g. 末日締め当月10日払い cannot pay before the close: the next month's day
        year, month = _add_months(year, month, 1)
        due = _day_in_month(year, month, pay_day)
    if holiday_rule == "none":
        return due
    if holiday_rule not in ("next_business_day", "previous_business_day"):
        raise ValueError("holiday_rule must be next_business_day, previous_business_day or none")
    step = timedelta(days=1 if holiday_rule == "next_business_day" else -1)
    while not is_bank_business_day(due):
        due += step
    return due


def _check_day(value: int, name: str) -> None:
    if not (1 <= value <= 31 or value == END_OF_MONTH):
        raise ValueError(f"{name} must be 1–31 or 99 (末日)")


def terms_label(*, closing_day: int, months_after: int, pay_day: int) -> str:
    """月末締め翌月末払い, 20日締め翌月10日払い …"""
    closing = "月末" if closing_day in (END_OF_MONTH, 31) else f"{closing_day}日"
    month = {0: "当月", 1: "翌月", 2: "翌々月"}.get(months_after, f"{months_after}か月後の")
    pay = "末" if pay_day in (END_OF_MONTH, 31) else f"{pay_day}日"
    return f"{closing}締め{month}{pay}払い"


# --------------------------------------------------------------------------- 売掛金の年齢
AGING_BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")


def aging_bucket(*, due: date, as_of: date) -> str:
    """Which column of an aging report an open amount falls in, by days past its due date:
    not yet due, 1–30, 31–60, 61–90, more than 90 days overdue."""
    late = (as_of - due).days
    if late <= 0:
        return "current"
    if late <= 30:
        return "1_30"
    if late <= 60:
        return "31_60"
    if late <= 90:
        return "61_90"
    return "over_90"


# --------------------------------------------------------------------------- 領収書の印紙税
# 印紙税法 別表第一 第17号の1 (売上代金に係る金銭の受取書), NTA No.7105/7141; jp-rules §14.2:
# (upper bound inclusive, duty). Below 5万円 no duty (since 2014-04-01).
_RECEIPT_DUTY = (
    (49_999, 0),
    (1_000_000, 200),
    (2_000_000, 400),
    (3_000_000, 600),
    (5_000_000, 1_000),
    (10_000_000, 2_000),
    (20_000_000, 4_000),
    (30_000_000, 6_000),
    (50_000_000, 10_000),
    (100_000_000, 20_000),
    (200_000_000, 40_000),
    (300_000_000, 60_000),
    (500_000_000, 100_000),
    (1_000_000_000, 150_000),
)


def receipt_stamp_duty(*, amount: int | Decimal, tax_shown_separately: int | Decimal = 0) -> int:
    """印紙税 on a paper 領収書 for 売上代金 (第17号の1). When the 消費税額等 is shown separately, the
    amount without it decides the bracket (jp-rules §14.3). An e-mailed PDF is not a 課税文書
    (no paper is handed over; jp-rules §14.3), so this applies to printed receipts only."""
    taxable = int(yen(amount)) - int(yen(tax_shown_separately))
    for upper, duty in _RECEIPT_DUTY:
        if taxable <= upper:
            return duty
    return 200_000


# 少額な返還インボイスの交付義務免除 (消費税法57条の4第3項, 施行令70条の9第3項2号, jp-rules §5.2): a
# return or discount of less than 1万円 税込 — a bank fee the customer deducted — needs none.
SMALL_RETURN_LIMIT = Decimal("10000")


def return_invoice_required(*, amount_including_tax: Decimal | int) -> bool:
    """Whether a 売上値引 of this amount (税込) needs a 返還インボイス."""
    return Decimal(amount_including_tax) >= SMALL_RETURN_LIMIT
