"""会議室予約 rules as pure functions (no database): the half-open time range of a booking, the
dates of a recurring booking (定例), and the limits the booking service applies.

A booking occupies ``[starts_at, ends_at)``: one that ends at 10:00 and one that starts at 10:00 do
not overlap (the database says the same: ``tstzrange(starts_at, ends_at, '[)')`` on PostgreSQL, the
``<``/``>`` comparison of the SQLite trigger).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

# A single booking is at most 14 days long (an event or a training over two weeks is a series).
# The bound also lets the overlap check look only at bookings that start at most 14 days earlier.
MAX_BOOKING_LENGTH = timedelta(days=14)
# A series makes its occurrences up front: at most a year of them, and at most 260 (a year of
# 平日毎日). Longer 定例 are booked again next year.
MAX_SERIES_SPAN = timedelta(days=366)
MAX_OCCURRENCES = 260
# The day and week grids show 30-minute slots (a booking itself may start at any whole minute).
SLOT_MINUTES = 30


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open ranges ``[a_start, a_end)`` and ``[b_start, b_end)`` share a moment."""
    return a_start < b_end and b_start < a_end


def to_minute(value: datetime) -> datetime:
    """The time cut to the whole minute (seconds typed by an API client are not kept)."""
    return value.replace(second=0, microsecond=0)


def nth_weekday_of(day: date) -> int:
    """Which occurrence of its weekday ``day`` is in its month: 1 for the first Tuesday, …"""
    return (day.day - 1) // 7 + 1


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = 1 + offset + (nth - 1) * 7
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _months(start: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while True:
        yield year, month
        month += 1
        if month > 12:
            year, month = year + 1, 1


def occurrence_dates(
    frequency: str,
    starts_on: date,
    until: date,
    *,
    is_business_day: Callable[[date], bool] | None = None,
) -> list[date]:
    """The dates of a recurring booking from ``starts_on`` to ``until`` (both included).

    - ``daily``: every day; ``weekdays``: every business day (Monday to Friday, without the
      national holidays when ``is_business_day`` is given — 国民の祝日に関する法律 via core.dates);
    - ``weekly`` / ``biweekly``: the weekday of ``starts_on`` every 1 / 2 weeks;
    - ``monthly_nth``: the n-th weekday of ``starts_on`` each month (第2火曜日); a month without a
      5th such weekday is skipped.
    """
    if until < starts_on:
        return []
    result: list[date] = []
    if frequency in ("daily", "weekdays"):
        day = starts_on
        while day <= until:
            if frequency == "daily" or (
                day.weekday() < 5 and (is_business_day is None or is_business_day(day))
            ):
                result.append(day)
            day += timedelta(days=1)
    elif frequency in ("weekly", "biweekly"):
        step = timedelta(weeks=1 if frequency == "weekly" else 2)
        day = starts_on
        while day <= until:
            result.append(day)
            day += step
    elif frequency == "monthly_nth":
        nth, weekday = nth_weekday_of(starts_on), starts_on.weekday()
        for year, month in _months(starts_on):
            if date(year, month, 1) > until:
                break
            day_or_none = _nth_weekday(year, month, weekday, nth)
            if day_or_none is not None and starts_on <= day_or_none <= until:
                result.append(day_or_none)
    else:
        raise ValueError(f"unknown frequency {frequency!r}")
    return result
