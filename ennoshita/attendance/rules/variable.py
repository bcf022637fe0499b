"""1か月単位の変形労働時間制 (労基法32条の2): the 時間外 of a 変形期間, exact to the minute.

The shift table (シフト) sets each day's planned hours; a day or a week may then go past 8 or 40
hours without 時間外, as long as the period's planned total stays within the legal total. Which
worked minutes are 時間外 (昭和63年1月1日基発1号, 平成9年3月25日基発195号):

1. by the day: on a day planned over 8 hours, the minutes beyond the planned hours; on any other
   day, the minutes beyond 8 hours;
2. by the week: in a week planned over 40 hours, the minutes beyond the planned hours; in any other
   week, beyond 40 hours — not counting the minutes already 時間外 by the day;
3. by the period: the minutes beyond 40 × the period's 暦日数 ÷ 7 — not counting those already
   時間外 by the day or by the week.

法定休日 (35条) minutes are 休日労働 and count toward none of the three; 深夜 (37条4項) is counted
whatever the kind, as in ``split_week``. The weeks are the work rule's weeks cut at the period's
edges (a week's part inside the period is checked against 40 hours or its planned hours).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta
from itertools import pairwise

from .workday import DAILY_LIMIT, WEEKLY_LIMIT, DayMinutes, WorkDay, _validated_segments


def period_legal_total(calendar_days: int) -> int:
    """法定労働時間の総枠 of a period in minutes: 40 h × 暦日数 ÷ 7 (労基法32条の2), the fraction of a
    minute dropped so that the worker never loses a minute of 時間外 (31日 10,628分 = 177.1h,
    30日 10,285分 = 171.4h, 29日 9,942分 = 165.7h, 28日 9,600分 = 160.0h)."""
    if isinstance(calendar_days, bool) or not isinstance(calendar_days, int) or calendar_days < 1:
        raise ValueError("calendar_days: 1以上の日数を整数で入れてください。")
    return WEEKLY_LIMIT * calendar_days // 7


def _weeks(days: Sequence[WorkDay], week_start_weekday: int) -> list[list[WorkDay]]:
    weeks: list[list[WorkDay]] = []
    for day in days:
        if not weeks or day.work_date.weekday() == week_start_weekday:
            weeks.append([])
        weeks[-1].append(day)
    return weeks


def _check_consecutive(days: Sequence[WorkDay]) -> None:
    if not days:
        raise ValueError("days: 期間の日を1日以上入れてください。")
    for i, (a, b) in enumerate(pairwise(days), start=1):
        if b.work_date != a.work_date + timedelta(days=1):
            raise ValueError(f"days[{i}].work_date: 期間のすべての日を、日付の順に1日ずつ入れてください。")


def split_variable_period(
    *,
    days: Sequence[WorkDay],
    planned: Mapping[date, int],
    week_start_weekday: int = 6,
    statutory_holidays: Collection[date] = (),
) -> list[DayMinutes]:
    """Every day of one 変形期間 (``days``: each 暦日 of the period in order), split by kind.

    ``planned`` is each day's planned minutes from the shift table (missing: 0); it sets the day's
    and the week's limits. ``WorkDay.scheduled_minutes`` is the day's 所定 still expected (the
    planned minutes less leave taken): minutes up to it are 所定内, beyond it 法定内残業 until a
    limit is reached. ``overtime_daily``, ``overtime_weekly`` and ``overtime_period`` are the three
    steps above; ``overtime`` their sum. ``statutory_holidays`` names 法定休日 beyond ``days`` (the
    day after the period, when a shift runs into it)."""
    _check_consecutive(days)
    if not 0 <= week_start_weekday <= 6:
        raise ValueError("week_start_weekday: 0(月)から6(日)で入れてください。")
    for when, minutes in planned.items():
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= 24 * 60:
            raise ValueError(f"planned[{when}]: 予定の労働時間は0分から1440分の整数で入れてください。")
    cap = period_legal_total(len(days))
    holidays = set(statutory_holidays) | {d.work_date for d in days if d.kind == "statutory_holiday"}
    result: list[DayMinutes] = []
    period_counted = 0  # minutes toward the period's total: neither 休日 nor 時間外 by day or week
    for week in _weeks(days, week_start_weekday):
        segments = _validated_segments(week, holidays)
        planned_week = sum(planned.get(d.work_date, 0) for d in week if d.kind != "statutory_holiday")
        weekly_limit = max(WEEKLY_LIMIT, planned_week)
        week_counted = 0
        for day, day_segments in zip(week, segments, strict=True):
            daily_limit = max(DAILY_LIMIT, planned.get(day.work_date, 0))
            worked = scheduled = legal = over_d = over_w = over_p = night = over_night = 0
            holiday = holiday_night = 0
            counted = 0
            for length, is_night, on_holiday in day_segments:
                worked += length
                night += length if is_night else 0
                if on_holiday:
                    holiday += length
                    holiday_night += length if is_night else 0
                    continue
                day_count = counted
                counted += length
                left = length
                while left:
                    if day_count >= daily_limit:
                        chunk = left
                        over_d += chunk
                        over_night += chunk if is_night else 0
                    elif week_counted >= weekly_limit:
                        chunk = min(left, daily_limit - day_count)
                        over_w += chunk
                        over_night += chunk if is_night else 0
                    elif period_counted >= cap:
                        chunk = min(left, daily_limit - day_count, weekly_limit - week_counted)
                        over_p += chunk
                        over_night += chunk if is_night else 0
                        week_counted += chunk
                    else:
                        chunk = min(
                            left, daily_limit - day_count, weekly_limit - week_counted, cap - period_counted
                        )
                        if day_count < day.scheduled_minutes:
                            chunk = min(chunk, day.scheduled_minutes - day_count)
                            scheduled += chunk
                        else:
                            legal += chunk
                        week_counted += chunk
                        period_counted += chunk
                    day_count += chunk
                    left -= chunk
            result.append(
                DayMinutes(
                    work_date=day.work_date,
                    worked=worked,
                    scheduled=scheduled,
                    legal_overtime=legal,
                    overtime_daily=over_d,
                    overtime_weekly=over_w,
                    overtime=over_d + over_w + over_p,
                    night=night,
                    overtime_night=over_night,
                    holiday=holiday,
                    holiday_night=holiday_night,
                    scheduled_holiday=worked - holiday if day.kind == "scheduled_holiday" else 0,
                    overtime_period=over_p,
                )
            )
    return result
