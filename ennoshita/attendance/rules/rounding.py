"""The only roundings the law allows on premium pay (昭和63年3月14日 基発150号; jp-rules §4.1).

- Hourly wage, hourly premium and each month's total of a premium: under 50銭 down, 50銭 and
  over up (:func:`round_half_yen`).
- Each month's total of 時間外, 休日 and 深夜 hours: under 30 minutes down, 30 minutes and over up
  to the hour (:func:`round_monthly_minutes`). Rounding a day's minutes down is unlawful (労基法24条,
  37条): days are summed to the minute and only the month's total may be rounded.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Number = int | Decimal


def to_decimal(value: Number | float | str, name: str) -> Decimal:
    """An argument as a Decimal. Int and Decimal as they are; a float by its shortest decimal
    form (7.5 → Decimal("7.5"), never the binary 7.4999…), a string such as "7.5" as written."""
    if isinstance(value, bool):
        raise TypeError(f"{name}: 数値で入れてください(真偽値は使えません)。")
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValueError(f"{name}: 数値で入れてください。") from exc
    if not number.is_finite():
        raise ValueError(f"{name}: 有限の数値で入れてください。")
    return number


def round_half_yen(amount: Decimal) -> int:
    """50銭 rule: under 0.5 yen down, 0.5 yen and over up (基発150号)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_monthly_minutes(minutes: int) -> int:
    """A month's total of 時間外・休日・深夜 minutes rounded to whole hours, in minutes: under 30
    minutes down, 30 and over up (基発150号). For the month's total only, never a day's."""
    if minutes < 0:
        raise ValueError("minutes: 分は0以上で入れてください。")
    hours, rest = divmod(minutes, 60)
    return (hours + (1 if rest >= 30 else 0)) * 60
