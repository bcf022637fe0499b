"""年次有給休暇の付与日数 (労基法39条1項〜3項, 労基則24条の3; jp-rules §4.3)."""

from __future__ import annotations

from decimal import Decimal

from .rounding import Number, to_decimal

# Months of continuous service at which each column of the tables starts: 0.5年, 1.5年 … 6.5年以上.
SERVICE_STEPS = (6, 18, 30, 42, 54, 66, 78)

# 労基法39条1項・2項: 出勤率8割以上の通常の労働者
FULL_TIME_DAYS = (10, 11, 12, 14, 16, 18, 20)

# 労基則24条の3第3項 (比例付与): by 週所定労働日数 (4, 3, 2, 1 days)
PROPORTIONAL_DAYS = {
    4: (7, 8, 9, 10, 12, 13, 15),
    3: (5, 6, 6, 8, 9, 10, 11),
    2: (3, 4, 4, 5, 6, 6, 7),
    1: (1, 2, 2, 2, 3, 3, 3),
}

# 労基則24条の3第4項: 年間所定労働日数 that stands for each weekly row when days are fixed per year
ANNUAL_ROWS = ((169, 216, 4), (121, 168, 3), (73, 120, 2), (48, 72, 1))

# 39条3項 and 労基則24条の3第1項・第5項: the proportional tables apply below 30 hours a week and at most
# 4 days a week (216 days a year); 30 hours, 5 days or 217 days make a full-time worker.
FULL_TIME_WEEKLY_HOURS = Decimal(30)
FULL_TIME_WEEKLY_DAYS = 5
FULL_TIME_ANNUAL_DAYS = 217


def service_column(service_months: int) -> int | None:
    """The column of the grant tables for that length of service (0 = 0.5年), None before 6 months."""
    column = None
    for i, months in enumerate(SERVICE_STEPS):
        if service_months >= months:
            column = i
    return column


def weekly_row(*, weekly_days: int, annual_days: int | None) -> int:
    """The proportional row (1–4 days a week, 0 = none) for a worker not full-time: by
    年間所定労働日数 when the days are fixed per year, else by 週所定労働日数."""
    if annual_days is not None:
        for low, high, row in ANNUAL_ROWS:
            if low <= annual_days <= high:
                return row
        return 0
    return weekly_days if weekly_days in PROPORTIONAL_DAYS else 0


def is_full_time(*, weekly_days: int, weekly_hours: Number, annual_days: int | None = None) -> bool:
    """30 hours or more a week, or 5 days or more a week (217 days a year when fixed per year)."""
    if to_decimal(weekly_hours, "weekly_hours") >= FULL_TIME_WEEKLY_HOURS:
        return True
    if annual_days is not None:
        return annual_days >= FULL_TIME_ANNUAL_DAYS
    return weekly_days >= FULL_TIME_WEEKLY_DAYS


def paid_leave_days(
    *, service_months: int, weekly_days: int, weekly_hours: Number, annual_days: int | None = None
) -> int:
    """Days of 年次有給休暇 granted at ``service_months`` of continuous service, for a worker who
    attended 8割 of the working days (the attendance test is separate): 0 before 6 months; the
    full-time table (39条2項) for 30 h or 5 days a week (or 217 days a year), else the 比例付与
    table of 労基則24条の3 by days a week — or by days a year when ``annual_days`` is given."""
    if isinstance(service_months, bool) or not isinstance(service_months, int):
        raise TypeError("service_months: 継続勤務の月数は整数で入れてください。")
    if service_months < 0:
        raise ValueError("service_months: 継続勤務の月数は0以上で入れてください。")
    if weekly_days < 0 or weekly_days > 7:
        raise ValueError("weekly_days: 週所定労働日数は0〜7日で入れてください。")
    if annual_days is not None and not 0 <= annual_days <= 366:
        raise ValueError("annual_days: 年間所定労働日数は0〜366日で入れてください。")
    if to_decimal(weekly_hours, "weekly_hours") < 0:
        raise ValueError("weekly_hours: 週所定労働時間は0以上で入れてください。")
    column = service_column(service_months)
    if column is None:
        return 0
    if is_full_time(weekly_days=weekly_days, weekly_hours=weekly_hours, annual_days=annual_days):
        return FULL_TIME_DAYS[column]
    row = weekly_row(weekly_days=weekly_days, annual_days=annual_days)
    return PROPORTIONAL_DAYS[row][column] if row else 0
