"""The dates of a contract's term: the last day to give notice before it ends, the end of the next
term after an automatic renewal, and the length of a term in months. Pure functions, no database.

Periods in months are counted by the calendar (民法143条1項). A period that starts at the beginning
of a day (a term starting on its first day at 0:00, 民法140条ただし書) ends on the day before the
corresponding day of the last month, and on that month's last day when the corresponding day does
not exist (民法143条2項). So a term starting 1 April runs to 31 March, and one starting 31 January for
one month runs to 28 (29) February.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# units (the values of models.NoticeUnit)
MONTHS = "months"
DAYS = "days"
UNITS = (MONTHS, DAYS)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return year, month + 1


def _corresponding_day(day: date, months: int) -> date | None:
    """The day with ``day``'s number ``months`` later (or earlier), None when that month lacks it."""
    year, month = _shift_month(day, months)
    if day.day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day.day)


def period_end(*, starts_on: date, months: int) -> date:
    """The last day of a period of ``months`` months starting on ``starts_on`` (民法143条2項)."""
    if months < 1:
        raise ValueError("months must be at least 1")
    corresponding = _corresponding_day(starts_on, months)
    if corresponding is None:
        return month_end(*_shift_month(starts_on, months))
    return corresponding - timedelta(days=1)


def notice_deadline(*, end_on: date, period: int, unit: str) -> date:
    """The last day a 更新拒絶・解約 notice can be given when the contract says "満了の N か月前 /
    N 日前までに" (``unit`` "months" or "days"); ``period`` 0 → ``end_on``.

    Days: ``end_on`` − N days. Months: the day with the same number N months earlier, or that
    month's last day when it has no such day (2027-05-31, 3 months → 2027-02-28), counting months
    on the calendar as 民法143条 does. When ``end_on`` is the last day of a month the deadline is the
    last day of the earlier month (2027-06-30, 1 month → 2027-05-31; 2027-04-30, 2 months →
    2027-02-28): a term ending at a month's end is a run of whole calendar months (民法143条2項),
    and "N months before" it is the end of the month N months earlier, so the deadline does not
    depend on whether the end month has 30 or 31 days. This is the common business reading; a
    strict backward count that excludes the end day itself (民法140条) could put the deadline one
    day earlier, so alerts should leave a margin.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if period < 0:
        raise ValueError("period cannot be negative")
    if period == 0:
        return end_on
    if unit == DAYS:
        return end_on - timedelta(days=period)
    year, month = _shift_month(end_on, -period)
    if is_month_end(end_on):
        return month_end(year, month)
    return date(year, month, min(end_on.day, calendar.monthrange(year, month)[1]))


def renewed_end(*, end_on: date, months: int) -> date:
    """The end of the next term when a term ending on ``end_on`` is renewed for ``months`` months.

    The new term starts the next day and runs ``months`` months by 民法143条: 2026-04-01..2027-03-31
    renewed for 12 months ends 2028-03-31; a term ending on a month's last day is followed by one
    ending on the last day of the month ``months`` later (2027-02-28 + 12 → 2028-02-29).
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    return period_end(starts_on=end_on + timedelta(days=1), months=months)


def term_months(*, starts_on: date, ends_on: date) -> int | None:
    """The length of the term ``starts_on``..``ends_on`` (both days included) in whole months, or None
    when it is not a whole number of months (2026-04-01..2027-03-31 → 12; 2026-04-15..2026-10-14 →
    6; 2026-04-01..2026-04-30 → 1). Used as the renewal length when the contract states none."""
    if ends_on < starts_on:
        return None
    span = (ends_on.year - starts_on.year) * 12 + (ends_on.month - starts_on.month)
    for months in (span, span + 1):
        if months >= 1 and period_end(starts_on=starts_on, months=months) == ends_on:
            return months
    return None
