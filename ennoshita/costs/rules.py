"""The calculations of the indirect-cost dashboard, as pure functions over whole yen.

No law sets these: they are Ennoshita's management rules, stated here and in docs/domains/costs.md.
Money stays exact (int / Decimal); a percentage is rounded once, by a named rule (core.money).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ennoshita.core.money import Rounding, quantize, round_yen

# A rise is judged against the average of this many months just before the selected one.
BASE_MONTHS = 3


@dataclass(frozen=True)
class Change:
    """current − base, and that as a percentage of |base| (None when the base is 0)."""

    base: Decimal
    amount: Decimal
    percent: Decimal | None


def change(*, current: Decimal | int, base: Decimal | int) -> Change:
    """Month-over-month or year-over-year change. The percentage is of the base's size, so a cost
    that went from −100 (a refund month) to 100 is +200%; one decimal place, 四捨五入."""
    cur, b = Decimal(current), Decimal(base)
    diff = cur - b
    percent = None if b == 0 else quantize(diff * 100 / abs(b), Rounding.HALF_UP, 1)
    return Change(base=b, amount=diff, percent=percent)


@dataclass(frozen=True)
class RiseFlag:
    """A category whose selected month rose more than the threshold over its recent average."""

    key: str
    current: Decimal
    average: Decimal  # the average of the BASE_MONTHS months before, to the yen (四捨五入)
    percent: int  # (current − average) / average, whole percent rounded down (never overstated)


def rise_flags(*, monthly: Mapping[str, Sequence[int | Decimal]], threshold_percent: int) -> list[RiseFlag]:
    """Flag each key whose last value rose more than ``threshold_percent`` over the average of the
    three values before it, when that average is above 0.

    ``monthly`` maps a category to its amounts month by month, oldest first, the selected month
    last (at least four values; fewer: not judged). Exactly the threshold is not flagged ("more
    than"). Compared in integers, without dividing: current > avg × (100 + t) / 100 ⇔
    current × 3 × 100 > (sum of the three) × (100 + t). Months may be negative (a credit larger
    than the month's costs); an average of 0 or below is no base for a rise. Keys keep their order.
    """
    if threshold_percent < 0:
        raise ValueError("threshold_percent must be 0 or more")
    out: list[RiseFlag] = []
    for key, values in monthly.items():
        if len(values) < BASE_MONTHS + 1:
            continue
        amounts = [_whole(v) for v in values]
        current = amounts[-1]
        base_sum = sum(amounts[-1 - BASE_MONTHS : -1])
        if base_sum <= 0:
            continue
        if current * BASE_MONTHS * 100 <= base_sum * (100 + threshold_percent):
            continue
        percent = (current * BASE_MONTHS - base_sum) * 100 // base_sum
        average = round_yen(Decimal(base_sum) / BASE_MONTHS, Rounding.HALF_UP)
        out.append(RiseFlag(key=key, current=Decimal(current), average=average, percent=percent))
    return out


def per_head(*, amount: Decimal | int, headcount: int) -> Decimal | None:
    """Cost per person: the amount ÷ the people in service, to the yen (四捨五入); None without people."""
    if headcount <= 0:
        return None
    return round_yen(Decimal(amount) / headcount, Rounding.HALF_UP)


def _whole(value: int | Decimal) -> int:
    if isinstance(value, bool):
        raise TypeError("an amount cannot be a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise ValueError(f"{value!r} is not a whole yen amount")
