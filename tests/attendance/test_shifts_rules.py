"""シフトの法定チェック (rules/shifts.py): exact figures of 労基法32条・32条の2・34条・35条."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.attendance.rules import shifts as r
from ennoshita.attendance.rules.shifts import PlannedDay
from ennoshita.attendance.rules.workday import TOKYO


def work(day: date, start: time, end: time, break_minutes: int = 60) -> PlannedDay:
    a, b = r.shift_times(day, start, end)
    return PlannedDay(a, b, break_minutes)


# ------------------------------------------------------------------------ 32条の2: the period's frame
@pytest.mark.parametrize(
    ("days", "hours", "minutes"),
    [
        (31, Decimal("177.1"), Decimal("10628.57")),  # 40 × 31 ÷ 7 = 177.142…
        (30, Decimal("171.4"), Decimal("10285.71")),  # 40 × 30 ÷ 7 = 171.428…
        (29, Decimal("165.7"), Decimal("9942.86")),  # 40 × 29 ÷ 7 = 165.714…
        (28, Decimal("160.0"), Decimal("9600.00")),  # 40 × 28 ÷ 7 = 160
    ],
)
def test_the_legal_frame_of_a_one_month_variable_period(days, hours, minutes):
    assert r.variable_period_limit_hours(days) == hours
    assert r.variable_period_limit_minutes(days).quantize(Decimal("0.01")) == minutes


def test_a_31_day_month_over_177_1_hours_warns_and_at_the_frame_does_not():
    start, end = date(2026, 12, 1), date(2026, 12, 31)
    # 10,628 minutes (177h08m) is within 10,628.57; 10,629 is over
    under = {start: PlannedDay(*r.shift_times(start, time(0), time(0)), 0)}
    days = [start + timedelta(days=i) for i in range(31)]
    plan = {
        d: PlannedDay(*r.shift_times(d, time(9), time(14, 42)), 0) for d in days[:30]
    }  # 30 × 342 = 10,260
    plan[days[30]] = PlannedDay(*r.shift_times(days[30], time(9), time(15, 8)), 0)  # + 368 = 10,628
    assert sum(p.work_minutes for p in plan.values()) == 10628
    assert r.variable_period_warnings(plan=plan, start=start, end=end) == []
    plan[days[30]] = PlannedDay(*r.shift_times(days[30], time(9), time(15, 9)), 0)  # 10,629
    found = r.variable_period_warnings(plan=plan, start=start, end=end)
    assert [w.code for w in found] == ["period_limit"]
    assert "177.1時間" in found[0].message and "40時間×31日÷7" in found[0].message
    assert "労基法32条の2" in found[0].message and "177.2時間" in found[0].message
    assert under  # the 24-hour pattern helper works at 0:00 too


def test_a_february_of_28_days_is_160_hours():
    start, end = date(2027, 2, 1), date(2027, 2, 28)
    days = [start + timedelta(days=i) for i in range(28)]
    plan = {d: work(d, time(9), time(18)) for d in days[:20]}  # 20 × 8h = 160h exactly
    assert r.variable_period_warnings(plan=plan, start=start, end=end) == []
    plan[days[20]] = work(days[20], time(9), time(9, 1), 0)  # one more minute
    assert [w.code for w in r.variable_period_warnings(plan=plan, start=start, end=end)] == ["period_limit"]


# ------------------------------------------------------------------------ 32条の2: the 起算日
def test_the_periods_are_the_timesheets_for_every_start_day():
    """The shift table's 変形期間 are the 出勤簿's (timesheet_selectors.variable_period)."""
    from ennoshita.attendance.models import WorkRule
    from ennoshita.attendance.timesheet_selectors import variable_period

    days = [date(2026, 12, 1) + timedelta(days=i) for i in range(500)]  # across 2027 and a 29-day Feb 2028
    for start_day in range(1, 29):
        rule = WorkRule(variable_period_start_day=start_day)
        assert all(r.variable_period_of(start_day=start_day, day=d) == variable_period(rule, d) for d in days)


def test_the_periods_overlapping_a_month():
    dec = {"start": date(2026, 12, 1), "end": date(2026, 12, 31)}
    assert r.variable_periods(start_day=1, **dec) == [(date(2026, 12, 1), date(2026, 12, 31))]
    assert r.variable_periods(start_day=16, **dec) == [
        (date(2026, 11, 16), date(2026, 12, 15)),  # 30 days: 171.4h
        (date(2026, 12, 16), date(2027, 1, 15)),  # 31 days: 177.1h
    ]
    assert r.variable_periods(start_day=28, start=date(2027, 2, 1), end=date(2027, 2, 28)) == [
        (date(2027, 1, 28), date(2027, 2, 27)),
        (date(2027, 2, 28), date(2027, 3, 27)),
    ]
    for bad in (0, 29, True):
        with pytest.raises(ValueError):
            r.variable_period_of(start_day=bad, day=date(2026, 12, 1))


def _period_warnings(plan, start_day):
    found = r.month_warnings(
        plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31), variable=True,
        period_start_day=start_day, min_rest_minutes=0,
    )  # fmt: skip
    return [w for w in found if w.code == "period_limit"]


def test_a_period_from_the_16th_over_its_frame_with_the_next_months_days():
    """December's own days are under 177.1h, but 12/16〜1/15 (31 days) is planned over it."""
    dec = [date(2026, 12, 16) + timedelta(days=i) for i in range(16)]  # 16 × 8h = 128h
    jan = [date(2027, 1, 1) + timedelta(days=i) for i in range(7)]  # 7 × 8h = 56h
    plan = {d: work(d, time(9), time(18)) for d in dec + jan}
    found = _period_warnings(plan, 16)
    assert [w.day for w in found] == [date(2026, 12, 16)]
    assert "12/16〜1/15の変形期間: 計画 184.0時間 > 上限 177.1時間" in found[0].message
    assert "40時間×31日÷7" in found[0].message and "労基法32条の2" in found[0].message
    assert _period_warnings(plan, 1) == []  # by the calendar month: 128h
    # the period before, from the previous month's 16th (30 days: 171.4h)
    nov = [date(2026, 11, 16) + timedelta(days=i) for i in range(15)]  # 120h
    plan.update({d: work(d, time(9), time(18)) for d in nov})
    plan.update({d: work(d, time(9), time(18)) for d in (date(2026, 12, 1), date(2026, 12, 2))})
    assert [w.day for w in _period_warnings(plan, 16)] == [date(2026, 12, 16)]  # 136h: under
    plan.update(
        {d: work(d, time(9), time(18)) for d in [date(2026, 12, 3) + timedelta(days=i) for i in range(5)]}
    )
    found = _period_warnings(plan, 16)  # 11/16〜12/15: 22 days × 8h = 176h
    assert [w.day for w in found] == [date(2026, 11, 16), date(2026, 12, 16)]
    assert "11/16〜12/15の変形期間: 計画 176.0時間 > 上限 171.4時間" in found[0].message


def test_a_calendar_month_over_the_frame_is_no_warning_when_its_periods_are_under():
    """27 days × 8h = 216h in December (every day but Sunday), but 11/16〜12/15 holds 104h and
    12/16〜1/15 112h."""
    days = [date(2026, 12, 1) + timedelta(days=i) for i in range(31)]
    plan = {d: work(d, time(9), time(18)) for d in days if d.weekday() != 6}
    assert sum(p.work_minutes for p in plan.values()) == 216 * 60
    assert _period_warnings(plan, 16) == []
    found = _period_warnings(plan, 1)  # the calendar month is the period from the 1st
    assert [w.day for w in found] == [date(2026, 12, 1)]
    assert "12/1〜12/31の変形期間: 計画 216.0時間 > 上限 177.1時間" in found[0].message


def test_an_excess_of_a_minute_never_reads_as_equal():
    """30 days: the frame is 10,285.7 minutes (171.4h cut down); 10,286 minutes reads 171.5h."""
    start = date(2026, 11, 16)
    # 7 whole days (10,080 minutes) and 206 minutes on the 8th: 10,286
    plan = {
        start + timedelta(days=i): PlannedDay(*r.shift_times(start + timedelta(days=i), time(0), time(0)), 0)
        for i in range(7)
    }
    last = start + timedelta(days=7)
    plan[last] = PlannedDay(*r.shift_times(last, time(0), time(0)), 1440 - 206)
    found = r.variable_period_warnings(plan=plan, start=start, end=date(2026, 12, 15))
    assert "計画 171.5時間 > 上限 171.4時間" in found[0].message
    plan[last] = PlannedDay(*r.shift_times(last, time(0), time(0)), 1440 - 205)  # 10,285: within
    assert r.variable_period_warnings(plan=plan, start=start, end=date(2026, 12, 15)) == []


# ------------------------------------------------------------------------ 34条: breaks
@pytest.mark.parametrize(
    ("start", "end", "brk", "refused"),
    [
        (time(9), time(15), 0, False),  # 6h exactly: no break required
        (time(9), time(15, 1), 0, True),  # 6h01m needs 45 minutes
        (time(9), time(15, 45), 45, False),  # 6h45m − 45 = 6h: fine
        (time(9), time(17, 45), 45, False),  # 8h45m − 45 = 8h: 45 is enough
        (time(9), time(17, 46), 45, True),  # 8h01m of work needs 60
        (time(9), time(18), 60, False),
        (time(22), time(7), 60, False),  # 夜勤 across midnight: 9h span, 8h work
        (time(9), time(9), 60, False),  # 24-hour 当直: 23h of work, 60 minutes is the legal minimum
        (time(9), time(9), 45, True),
    ],
)
def test_breaks_follow_article_34(start, end, brk, refused):
    message = r.break_refusal(start=start, end=end, break_minutes=brk)
    assert (message is not None) == refused
    if refused:
        assert "労基法34条" in message


def test_spans_and_times_of_night_and_24_hour_shifts():
    assert r.span_minutes(time(9), time(9)) == 1440
    assert r.span_minutes(time(22), time(7)) == 540
    assert r.span_minutes(time(0), time(0)) == 1440
    a, b = r.shift_times(date(2026, 12, 31), time(22), time(7))
    assert (a.tzinfo, a.date(), b.date(), b.hour) == (TOKYO, date(2026, 12, 31), date(2027, 1, 1), 7)
    assert PlannedDay(a, b, 60).work_minutes == 480


# ------------------------------------------------------------------------ 35条: rest days
SUNDAY = date(2026, 11, 29)  # weeks from Sunday (the default 起算日)


def test_a_week_without_a_rest_day_warns_with_article_35():
    start, end = date(2026, 12, 1), date(2026, 12, 31)
    week = [date(2026, 12, 6) + timedelta(days=i) for i in range(7)]  # Sun 12/6 … Sat 12/12
    plan = {d: work(d, time(9), time(17)) for d in week}
    found = r.rest_day_warnings(plan=plan, start=start, end=end)
    assert [(w.code, w.day) for w in found] == [("weekly_rest", date(2026, 12, 6))]
    assert "12/6〜12/12" in found[0].message and "労基法35条1項" in found[0].message
    del plan[week[3]]
    assert r.rest_day_warnings(plan=plan, start=start, end=end) == []


def test_the_morning_after_a_night_shift_is_not_a_rest_day():
    """昭和23年基発535号: a 休日 is a whole calendar day; 夜勤明け is not one."""
    week = [date(2026, 12, 6) + timedelta(days=i) for i in range(7)]
    plan = {d: work(d, time(9), time(17)) for d in week[:5]}
    plan[week[5]] = work(week[5], time(22), time(7))  # Fri night into Saturday morning
    # Saturday has no shift of its own, but the night shift runs into it: no rest day in the week
    found = r.rest_day_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31))
    assert [w.code for w in found] == ["weekly_rest"]
    # a night shift that ends exactly at midnight leaves the next day free
    plan[week[5]] = work(week[5], time(16), time(0))
    assert r.rest_day_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31)) == []


def test_a_24_hour_duty_takes_the_next_day_too():
    week = [date(2026, 12, 6) + timedelta(days=i) for i in range(7)]
    plan = {week[0]: work(week[0], time(9), time(9)), week[2]: work(week[2], time(9), time(9))}
    plan[week[4]] = work(week[4], time(9), time(9))
    # Sun–Mon, Tue–Wed, Thu–Fri are taken; Saturday is free
    assert r.rest_day_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31)) == []
    plan[week[6]] = work(week[6], time(9), time(17))  # Saturday worked too
    assert [
        w.code for w in r.rest_day_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31))
    ] == ["weekly_rest"]


def test_four_rest_days_in_four_weeks_from_the_start_day():
    start_day = date(2026, 11, 29)
    days = [start_day + timedelta(days=i) for i in range(28)]  # 11/29 … 12/26
    plan = {d: work(d, time(9), time(17)) for d in days[4:]}  # 4 rest days at the start: lawful
    found = r.rest_day_warnings(
        plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 26), four_weeks_from=start_day,
        known_from=start_day, known_to=date(2026, 12, 26),
    )  # fmt: skip
    assert found == []
    plan[days[0]] = work(days[0], time(9), time(17))  # only 3 left
    found = r.rest_day_warnings(
        plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 26), four_weeks_from=start_day,
        known_from=start_day, known_to=date(2026, 12, 26),
    )  # fmt: skip
    assert [(w.code, w.day) for w in found] == [("four_week_rest", start_day)]
    assert "休日が3日" in found[0].message and "労基法35条2項" in found[0].message


def test_unknown_days_beyond_the_data_never_raise_a_false_warning():
    """A week reaching past what is known is warned only if it would lack rest even so."""
    plan = {
        date(2026, 12, 27) + timedelta(days=i): work(
            date(2026, 12, 27) + timedelta(days=i), time(9), time(17)
        )
        for i in range(5)
    }
    found = r.rest_day_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31))
    assert found == []  # 1/1 and 1/2 are not known


# ------------------------------------------------------------------------ 32条: the normal system
def test_days_over_8_hours_and_weeks_over_40_under_the_normal_system():
    week = [date(2026, 12, 6) + timedelta(days=i) for i in range(7)]
    plan = {d: work(d, time(9), time(18)) for d in week[1:6]}  # Mon–Fri 8h = 40h
    assert r.standard_hours_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31)) == []
    plan[week[3]] = work(week[3], time(9), time(19))  # Wednesday 9h
    found = r.standard_hours_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31))
    assert [(w.code, w.day) for w in found] == [("daily_over", week[3]), ("weekly_over", week[0])]
    assert "9時間00分" in found[0].message and "労基法32条2項" in found[0].message
    assert "41時間00分" in found[1].message and "労基法32条1項" in found[1].message


def test_the_variable_system_has_no_daily_warning_but_the_period_frame():
    week = [date(2026, 12, 6) + timedelta(days=i) for i in range(7)]
    plan = {week[1]: work(week[1], time(9), time(20))}  # 10h on one day, lawful if scheduled
    found = r.month_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31), variable=True)
    assert found == []
    found = r.month_warnings(plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31), variable=False)
    assert [w.code for w in found] == ["daily_over"]


def test_short_rest_between_shifts():
    d = date(2026, 12, 7)
    plan = {
        d: work(d, time(14), time(23)),
        d + timedelta(days=1): work(d + timedelta(days=1), time(8), time(17)),
    }
    found = r.short_rest_warnings(
        plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31), min_rest_minutes=660
    )
    assert [(w.code, w.day) for w in found] == [("short_rest", d + timedelta(days=1))]
    assert "9時間00分" in found[0].message
    assert (
        r.short_rest_warnings(
            plan=plan, start=date(2026, 12, 1), end=date(2026, 12, 31), min_rest_minutes=540
        )
        == []
    )


def test_weekly_rotation_repeats_and_shifts():
    days = [date(2026, 12, 7) + timedelta(days=i) for i in range(10)]
    out = r.weekly_rotation(["早", "早", "遅", "遅", "夜", "休", "休"], days, offset=1)
    assert [out[d] for d in days] == ["早", "遅", "遅", "夜", "休", "休", "早", "早", "遅", "遅"]


@given(
    days=st.integers(min_value=1, max_value=31),
    minutes=st.lists(st.integers(min_value=0, max_value=16 * 60), min_size=1, max_size=31),
)
def test_the_frame_is_exceeded_exactly_when_planned_times_7_passes_2400_times_days(days, minutes):
    start = date(2026, 1, 1)
    plan = {
        start + timedelta(days=i): PlannedDay(
            *r.shift_times(start + timedelta(days=i), time(0), time(0)), 1440 - m
        )
        for i, m in enumerate(minutes[:days])
    }
    total = sum(p.work_minutes for p in plan.values())
    warned = bool(r.variable_period_warnings(plan=plan, start=start, end=start + timedelta(days=days - 1)))
    assert warned == (Decimal(total) > r.variable_period_limit_minutes(days))
