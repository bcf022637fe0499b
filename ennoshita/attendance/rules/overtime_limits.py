"""36協定: the limits on 時間外 and 休日 work (労基法36条3項〜6項; jp-rules §4.2).

Hours are those of the agreement year's months, oldest first; the last month is the one checked.
時間外 here excludes 法定休日 hours; the limits of 36条6項 count them as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .rounding import Number, to_decimal

MONTH_LIMIT = Decimal(45)  # 限度時間 (36条4項); 42 with 1年単位の変形労働時間制 over 3 months
YEAR_LIMIT = Decimal(360)  # 限度時間 (36条4項); 320 with that 変形
SPECIAL_YEAR_LIMIT = Decimal(720)  # 特別条項 (36条5項)
SPECIAL_MONTHS_ALLOWED = 6  # months over 45h per year under 特別条項 (36条5項)
SINGLE_MONTH_LIMIT = Decimal(100)  # 時間外 + 休日 must be less than 100h (36条6項2号)
AVERAGE_LIMIT = Decimal(80)  # 2〜6か月平均 of 時間外 + 休日 at most 80h (36条6項3号)


@dataclass(frozen=True)
class Violation:
    """A limit the checked month breaks: ``code`` for programs, ``message`` for people."""

    code: str
    message: str
    hours: Decimal  # the figure that breaks it (hours, an average, or a count of months)
    limit: Decimal


def overtime_limit_violations(
    *, months: Sequence[tuple[Number, Number]], special_clause: bool = True
) -> list[Violation]:
    """The 36協定 limits broken in the last month of ``months`` (pairs of 時間外 hours and 法定休日
    hours, oldest first, within the agreement year).

    Without a 特別条項: 45h a month and 360h a year of 時間外 (36条4項). With one: 45h may be
    exceeded in at most 6 months of the year and the year's 時間外 is at most 720h (36条5項).
    Always: 時間外 + 休日 under 100h in the month (36条6項2号) and at most 80h on average over
    every 2 to 6 months ending with it (36条6項3号) — only windows inside ``months`` are seen, so
    pass the months before the agreement year as well where the 80h average should reach back.

    A limit of the year is broken *by the checked month* when that month adds to it: the yearly
    totals when the month has 時間外 and the year is over; the count of months over 45h when the
    month itself is over 45h and is the 7th or later. A month without 時間外 after the year went
    over reports nothing new (the earlier month was reported when it was checked)."""
    if not months:
        raise ValueError("months: 判定する月を少なくとも1か月入れてください。")
    rows = [
        (to_decimal(o, f"months[{i}] overtime"), to_decimal(h, f"months[{i}] holiday"))
        for i, (o, h) in enumerate(months)
    ]
    for i, (overtime, holiday) in enumerate(rows):
        if overtime < 0 or holiday < 0:
            raise ValueError(f"months[{i}]: 時間は0以上で入れてください。")
    overtime, holiday = rows[-1]
    year = sum((o for o, _ in rows), Decimal(0))
    found: list[Violation] = []
    if not special_clause:
        if overtime > MONTH_LIMIT:
            found.append(
                Violation(
                    "month_45",
                    f"時間外労働が月45時間の限度時間を超えています({_h(overtime)}時間、労基法36条4項)。",
                    overtime,
                    MONTH_LIMIT,
                )
            )
        if year > YEAR_LIMIT and overtime > 0:
            found.append(
                Violation(
                    "year_360",
                    f"時間外労働が年360時間の限度時間を超えています(年{_h(year)}時間、労基法36条4項)。",
                    year,
                    YEAR_LIMIT,
                )
            )
    else:
        over_45 = sum(1 for o, _ in rows if o > MONTH_LIMIT)
        if overtime > MONTH_LIMIT and over_45 > SPECIAL_MONTHS_ALLOWED:
            found.append(
                Violation(
                    "months_over_45",
                    f"月45時間を超える月が年{over_45}回になり、特別条項で認められる年6回を超えています"
                    "(労基法36条5項)。",
                    Decimal(over_45),
                    Decimal(SPECIAL_MONTHS_ALLOWED),
                )
            )
        if year > SPECIAL_YEAR_LIMIT and overtime > 0:
            found.append(
                Violation(
                    "year_720",
                    f"時間外労働が特別条項の上限の年720時間を超えています(年{_h(year)}時間、労基法36条5項)。",
                    year,
                    SPECIAL_YEAR_LIMIT,
                )
            )
    if overtime + holiday >= SINGLE_MONTH_LIMIT:
        found.append(
            Violation(
                "month_100",
                f"時間外労働と休日労働の合計が月100時間以上です({_h(overtime + holiday)}時間、"
                "労基法36条6項2号)。",
                overtime + holiday,
                SINGLE_MONTH_LIMIT,
            )
        )
    worst = worst_average(rows)
    if worst is not None and worst[1] > AVERAGE_LIMIT:
        span, average = worst
        found.append(
            Violation(
                "average_80",
                f"時間外労働と休日労働の{span}か月平均が80時間を超えています(平均{_h(average)}時間、"
                "労基法36条6項3号)。",
                average,
                AVERAGE_LIMIT,
            )
        )
    return found


def averages(rows: Sequence[tuple[Decimal, Decimal]]) -> list[tuple[int, Decimal]]:
    """(months, average of 時間外 + 休日) for each window of 2 to 6 months ending with the last
    month that lies inside ``rows`` (36条6項3号)."""
    out = []
    for span in range(2, 7):
        if span > len(rows):
            break
        window = rows[-span:]
        out.append((span, sum((o + h for o, h in window), Decimal(0)) / span))
    return out


def worst_average(rows: Sequence[tuple[Decimal, Decimal]]) -> tuple[int, Decimal] | None:
    """The window with the highest average (the shortest of equals), or None for one month."""
    found = averages(rows)
    if not found:
        return None
    return max(found, key=lambda item: (item[1], -item[0]))


def _h(hours: Decimal) -> str:
    """Hours for a message: 45, 45.5, 82.5 — at most two decimals, no trailing zeros."""
    text = f"{hours.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"
