"""Property (issue 8 "Done means"): for any days of work, under every system, each worked minute
has exactly one kind — 所定内 + 法定内残業 + 時間外 + 法定休日 (+ the 管理監督者's exempt minutes)
= 実労働 — and the parts (時間外 by day, week and period; 深夜 of 時間外 and of 休日; 所定休日労働)
stay inside their wholes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ennoshita.attendance.rules import (
    DayMinutes,
    WorkDay,
    exempt_supervisor,
    period_legal_total,
    split_flex_month,
    split_variable_period,
    split_week,
)

TOKYO = ZoneInfo("Asia/Tokyo")
FIRST = date(2026, 11, 1)  # a Sunday
KINDS = ("workday", "workday", "workday", "scheduled_holiday", "statutory_holiday")


@st.composite
def month_of_work(draw, days: int):
    """``days`` consecutive days from FIRST, each with 0–3 worked intervals in time order without
    overlap; a shift may run past midnight (up to the next day's end)."""
    cursor = datetime.combine(FIRST, datetime.min.time(), TOKYO)
    result = []
    planned = {}
    for i in range(days):
        day = FIRST + timedelta(days=i)
        start_of_day = datetime.combine(day, datetime.min.time(), TOKYO)
        limit = start_of_day + timedelta(days=2)
        cursor = max(cursor, start_of_day)
        intervals = []
        for _ in range(draw(st.integers(0, 3))):
            begin = cursor + timedelta(minutes=draw(st.integers(0, 600)))
            end = begin + timedelta(minutes=draw(st.integers(1, 720)))
            if end > limit:
                break
            intervals.append((begin, end))
            cursor = end
        kind = draw(st.sampled_from(KINDS))
        scheduled = draw(st.sampled_from((0, 240, 420, 480, 600, 660))) if kind == "workday" else 0
        planned[day] = scheduled
        expected = max(scheduled - draw(st.sampled_from((0, 0, 60, 240))), 0)
        result.append(
            WorkDay(work_date=day, intervals=tuple(intervals), scheduled_minutes=expected, kind=kind)
        )
    # the next day's first work must not begin before the last end (the period's days are apart
    # from the following day's, which is not given)
    return result, planned


def assert_kinds_add_up(
    minutes: list[DayMinutes], days: list[WorkDay], *, daily_schedule: bool = True
) -> None:
    for m, d in zip(minutes, days, strict=True):
        assert m.work_date == d.work_date
        assert m.scheduled + m.legal_overtime + m.overtime + m.holiday + m.exempt == m.worked
        assert m.overtime == m.overtime_daily + m.overtime_weekly + m.overtime_period
        assert min(m.scheduled, m.legal_overtime, m.overtime, m.holiday, m.night, m.exempt) >= 0
        assert m.overtime_night <= min(m.overtime, m.night)
        assert m.holiday_night <= min(m.holiday, m.night)
        assert m.overtime_night + m.holiday_night <= m.night
        assert m.scheduled <= d.scheduled_minutes or not daily_schedule  # フレックス: the month's total
        if d.kind != "scheduled_holiday":
            assert m.scheduled_holiday == 0
        elif not m.exempt:  # a 管理監督者's 所定休日労働 keeps its minutes, 休日 aside or not
            assert m.scheduled_holiday == m.worked - m.holiday
        assert m.scheduled_holiday <= m.worked
        worked = sum((e - s) // timedelta(minutes=1) for s, e in d.intervals)
        assert m.worked == worked


@settings(max_examples=60)
@given(data=month_of_work(7))
def test_standard_week(data):
    days, _planned = data
    result = split_week(days=days)
    assert_kinds_add_up(result, days)
    supervisor = [exempt_supervisor(m) for m in result]
    assert_kinds_add_up(supervisor, days)
    for before, after in zip(result, supervisor, strict=True):
        assert (after.overtime, after.holiday, after.overtime_night, after.holiday_night) == (0, 0, 0, 0)
        assert (after.worked, after.night) == (before.worked, before.night)


@settings(max_examples=40)
@given(data=month_of_work(30), week_start=st.integers(0, 6))
def test_variable_period(data, week_start):
    days, planned = data
    result = split_variable_period(days=days, planned=planned, week_start_weekday=week_start)
    assert_kinds_add_up(result, days)
    counted = sum(m.scheduled + m.legal_overtime for m in result)
    assert counted <= period_legal_total(30)  # nothing beyond the 総枠 escapes 時間外
    for m in result:
        # 時間外 by the day only past the day's limit: 8 h, or the planned hours when more
        day_counted = m.scheduled + m.legal_overtime + m.overtime_weekly + m.overtime_period
        assert m.overtime_daily == 0 or day_counted >= max(480, planned[m.work_date])


@settings(max_examples=40)
@given(data=month_of_work(31), required=st.integers(0, 12000))
def test_flex_month(data, required):
    days, _planned = data
    result = split_flex_month(days=days, required_minutes=required)
    assert_kinds_add_up(result, days, daily_schedule=False)
    worked_outside_holidays = sum(m.worked - m.holiday for m in result)
    cap = period_legal_total(31)
    assert sum(m.overtime for m in result) == max(worked_outside_holidays - cap, 0)
    assert sum(m.scheduled for m in result) == min(worked_outside_holidays, required, cap)
    assert all(m.overtime_daily == m.overtime_weekly == 0 for m in result)
