"""出勤簿 (timesheet_selectors): an employee's month built from punches and the work rule, and the
month's totals for payroll.

Every figure below is worked out by hand from the law, not read from the code:
労基法32条 (8 h a day, 40 h a week; the week from its 起算日, by default the calendar week from
Sunday, 昭和63年1月1日基発1号), 35条 (法定休日: Sunday by default; its work is 休日労働, not 時間外),
37条 (深夜 22:00–05:00; 時間外 beyond 60 h a month), 基発150号 (a month's total rounded: under 30
minutes down, 30 and over up). Punch times count in the worker's favour: a start from the minute it
falls in, an end to the end of its minute.

Calendar used (2026-11): Sun 1, 8, 15, 22, 29; Sat 7, 14, 21, 28; 祝日 Tue 3 (文化の日) and Mon 23
(勤労感謝の日). Workdays = 30 − 5 Sundays − 4 Saturdays − 2 祝日 = 19.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ennoshita.attendance import services
from ennoshita.attendance.models import WorkRule
from ennoshita.attendance.timesheet_selectors import (
    OVERTIME_60,
    MonthlyTotals,
    Timesheet,
    TimesheetDay,
    build_timesheet,
    monthly_totals,
    timesheet,
)
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.people.models import Employee

from ..conftest import make_department, make_employee, make_member

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")

NOV = date(2026, 11, 1)
DEC = date(2026, 12, 1)
AFTER = date(2027, 1, 15)  # a "today" after every month used: no workday is in the future
LUNCH = ((time(12), time(13)),)

NOV_SUNDAYS = {1, 8, 15, 22, 29}
NOV_SATURDAYS = {7, 14, 21, 28}
NOV_HOLIDAYS = {3: "文化の日", 23: "勤労感謝の日"}
NOV_WORKDAYS = [d for d in range(1, 31) if d not in NOV_SUNDAYS | NOV_SATURDAYS and d not in NOV_HOLIDAYS]


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, JST)


def press(member, kind: str, moment: datetime) -> None:
    services.record_punch(
        company=member.company,
        actor=member.user,
        membership=member,
        data=services.PunchInput(kind=kind),
        now=moment,
    )


def work(
    member,
    day: date,
    start: time = time(9),
    end: time | None = time(18),
    breaks: tuple[tuple[time, time], ...] = LUNCH,
) -> None:
    """One shift: 出勤 at ``start``, each break, 退勤 at ``end`` (None: the 退勤 is forgotten).
    A time earlier than ``start`` is on the next day (a shift past midnight)."""

    def moment(clock: time) -> datetime:
        return at(day + timedelta(days=1) if clock < start else day, clock)

    press(member, "in", at(day, start))
    for begin, finish in breaks:
        press(member, "break_start", moment(begin))
        press(member, "break_end", moment(finish))
    if end is not None:
        press(member, "out", moment(end))


def employee_of(member) -> Employee:
    return Employee.objects.get(company=member.company, user=member.user)


def sheet(member, month: date = NOV, today: date = AFTER) -> Timesheet:
    return build_timesheet(company=member.company, employee=employee_of(member), month=month, today=today)


def row(ts: Timesheet, day: int) -> TimesheetDay:
    found = ts.days[day - 1]
    assert found.work_date.day == day
    return found


def expect(obj, **figures: int) -> None:
    """The named attributes of ``obj`` are these figures (one diff for all on failure)."""
    assert {name: getattr(obj, name) for name in figures} == figures


def nov(day: int) -> date:
    return date(2026, 11, day)


def full_days(member, *days: date) -> None:
    for d in days:
        work(member, d)


# --- 1. a normal month -------------------------------------------------------------------------


def test_a_normal_month(employee_member):
    for d in NOV_WORKDAYS:
        work(employee_member, nov(d))
    ts = sheet(employee_member)
    assert ts.month == NOV and len(ts.days) == 30 and ts.rule.scheduled_minutes == 480
    assert len(NOV_WORKDAYS) == 19
    for d in NOV_WORKDAYS:
        r = row(ts, d)
        # 9:00–12:00 (180) + 13:00–18:00 (300) = 480 = the 所定 of the day, all 所定内
        assert r.kind == "workday" and r.in_service and not r.absent and not r.open
        assert (r.minutes.worked, r.minutes.scheduled, r.minutes.legal_overtime) == (480, 480, 0)
        assert (r.minutes.overtime, r.minutes.night, r.minutes.holiday) == (0, 0, 0)
        assert r.break_minutes == 60 and (r.late_minutes, r.early_leave_minutes) == (0, 0)
        assert r.first_in == at(nov(d), time(9)) and r.last_out == at(nov(d), time(18))
        assert len(r.punches) == 4 and r.problems == () and r.holiday_name == ""
    for d, name in NOV_HOLIDAYS.items():
        r = row(ts, d)
        assert (r.kind, r.holiday_name, r.absent, r.minutes.worked) == ("scheduled_holiday", name, False, 0)
    for d in NOV_SATURDAYS:
        assert (row(ts, d).kind, row(ts, d).holiday_name) == ("scheduled_holiday", "")
    for d in NOV_SUNDAYS:
        assert row(ts, d).kind == "statutory_holiday" and not row(ts, d).absent
    t = ts.totals
    # 19 days × 480 = 9,120
    assert (t.days_worked, t.worked, t.scheduled) == (19, 9120, 9120)
    assert (t.absences, t.legal_overtime, t.overtime, t.overtime_over_60) == (0, 0, 0, 0)
    assert (t.night, t.holiday, t.scheduled_holiday, t.open_days) == (0, 0, 0, 0)
    assert (t.late_count, t.early_leave_count, t.overtime_rounded) == (0, 0, 0)
    assert t.employee_id == employee_of(employee_member).pk and t.month == NOV


def test_the_month_is_taken_from_any_day_of_it(employee_member):
    ts = sheet(employee_member, month=date(2026, 11, 17))
    assert ts.month == NOV and ts.totals.month == NOV
    assert [r.work_date for r in ts.days] == [nov(d) for d in range(1, 31)]
    assert len(sheet(employee_member, month=date(2026, 2, 20)).days) == 28


# --- 2. overtime, night, the week, holidays ---------------------------------------------------


def test_a_long_day_has_daily_overtime(employee_member):
    # 9:00–20:00 with 1 h break: 180 + 420 = 600 worked → 480 所定内 + 120 時間外 (over 8 h, 32条2項).
    # (9:00–21:00 would be 12 h − 1 h = 660 worked and 180 時間外.)
    work(employee_member, nov(4), end=time(20))
    r = row(sheet(employee_member), 4)
    m = r.minutes
    expect(m, worked=600, scheduled=480, legal_overtime=0, overtime_daily=120, overtime_weekly=0)
    assert (m.overtime, m.night, m.overtime_night) == (120, 0, 0)
    t = sheet(employee_member).totals
    assert (t.overtime, t.overtime_rounded, t.overtime_over_60) == (120, 120, 0)


def test_a_shift_into_the_night(employee_member):
    # Thu 11-05 13:00 → Fri 02:00, break 17:00–18:00: 13–17 (240) + 18–22 (240) = 480 所定内, then
    # 22:00–02:00 = 240 beyond 8 h: 時間外 and 深夜 (37条4項) → overtime_night 240. The whole shift
    # belongs to the 5th (the day it started, 基発1号). 出勤 13:00 is 240 minutes after 始業.
    work(employee_member, nov(5), start=time(13), end=time(2), breaks=((time(17), time(18)),))
    ts = sheet(employee_member)
    m = row(ts, 5).minutes
    assert (m.worked, m.scheduled, m.overtime_daily, m.night, m.overtime_night) == (720, 480, 240, 240, 240)
    assert (row(ts, 5).late_minutes, row(ts, 5).early_leave_minutes) == (240, 0)
    assert row(ts, 5).last_out == at(nov(6), time(2))
    assert row(ts, 6).minutes.worked == 0 and row(ts, 6).punches == []
    t = ts.totals
    expect(t, night=240, overtime_night=240, overtime=240, night_rounded=240, late_minutes=240)


def test_night_work_within_eight_hours_is_night_but_not_overtime(employee_member):
    # Sat 11-07 (所定休日) 18:00–23:00 without a break: 300 worked, 60 of them (22–23) 深夜. Not past
    # 8 h nor (alone in its week) past 40 h: 法定内 (beyond the 0 所定 of a rest day), no 時間外.
    work(employee_member, nov(7), start=time(18), end=time(23), breaks=())
    m = row(sheet(employee_member), 7).minutes
    assert (m.worked, m.scheduled, m.legal_overtime, m.overtime, m.scheduled_holiday) == (300, 0, 300, 0, 300)
    assert (m.night, m.overtime_night, m.holiday_night) == (60, 0, 0)


def test_a_saturday_past_forty_hours_is_weekly_overtime(employee_member):
    # week Sun 11-08 … Sat 11-14: Mon–Fri 5 × 480 = 2,400 = 40 h; Sat 9:00–15:00 with 1 h break =
    # 300, all past 40 h: 時間外 by the week (32条1項), and 所定休日労働.
    full_days(employee_member, *(nov(d) for d in range(9, 14)))
    work(employee_member, nov(14), end=time(15))
    ts = sheet(employee_member)
    sat = row(ts, 14).minutes
    assert (sat.worked, sat.scheduled, sat.legal_overtime) == (300, 0, 0)
    expect(sat, overtime_daily=0, overtime_weekly=300, overtime=300, scheduled_holiday=300)
    assert row(ts, 14).late_minutes == 0  # no 遅刻 on a rest day
    assert row(ts, 13).minutes.overtime == 0 and row(ts, 13).minutes.scheduled == 480
    t = ts.totals
    expect(t, worked=2700, scheduled=2400, overtime=300, scheduled_holiday=300, days_worked=6)


def test_a_national_holiday_worked_counts_toward_the_forty_hours(employee_member):
    # week Sun 11-01 … Sat 11-07: Mon 2, Wed 4, Thu 5, Fri 6 = 4 × 480 = 1,920 所定内; Tue 3 (文化の日,
    # 所定休日, 0 所定) worked 9–18 = 480 法定内残業 (within 8 h and 40 h) → 2,400 by Friday; Sat 7
    # 9–15 = 300, all 時間外 by the week.
    full_days(employee_member, nov(2), nov(3), nov(4), nov(5), nov(6))
    work(employee_member, nov(7), end=time(15))
    ts = sheet(employee_member)
    holiday = row(ts, 3).minutes
    assert row(ts, 3).kind == "scheduled_holiday" and row(ts, 3).holiday_name == "文化の日"
    assert (holiday.worked, holiday.scheduled, holiday.legal_overtime, holiday.overtime) == (480, 0, 480, 0)
    assert holiday.scheduled_holiday == 480 and holiday.holiday == 0
    assert row(ts, 7).minutes.overtime_weekly == 300
    t = ts.totals
    assert (t.scheduled, t.legal_overtime, t.overtime, t.scheduled_holiday) == (1920, 480, 300, 780)


def test_a_sunday_worked_is_holiday_work_not_overtime(employee_member):
    # Sun 11-15 (法定休日) 13:00–23:30, break 17–18: 240 + 330 = 570, all 法定休日労働 (35条), though
    # past 8 h none of it is 時間外; 22:00–23:30 = 90 深夜 → holiday_night 90. The week Sun 15 …
    # Sat 21 then has Mon–Fri 5 × 480 = 2,400: the Sunday does not count toward 40 h, so no 時間外.
    work(employee_member, nov(15), start=time(13), end=time(23, 30), breaks=((time(17), time(18)),))
    full_days(employee_member, *(nov(d) for d in range(16, 21)))
    ts = sheet(employee_member)
    sun = row(ts, 15)
    assert sun.kind == "statutory_holiday"
    m = sun.minutes
    assert (m.worked, m.holiday, m.holiday_night, m.night) == (570, 570, 90, 90)
    expect(m, scheduled=0, legal_overtime=0, overtime=0, overtime_night=0, scheduled_holiday=0)
    assert (sun.late_minutes, sun.early_leave_minutes) == (0, 0)
    assert row(ts, 20).minutes.overtime == 0 and row(ts, 20).minutes.scheduled == 480
    t = ts.totals
    # 570 = 9 h 30 min: the month's 休日 rounded up to 600 (基発150号, 30 and over up)
    assert (t.holiday, t.holiday_night, t.night, t.overtime, t.holiday_rounded) == (570, 90, 90, 0, 600)


def test_a_shift_from_saturday_into_sunday_is_holiday_work_from_midnight(employee_member):
    # Mon 11-09 … Fri 11-13 full (2,400 = 40 h); Sat 11-14 20:00 → Sun 11-15 02:00 without a break.
    # Sat 20:00–24:00 = 240 時間外 by the week (of it 22–24 = 120 深夜); Sun 0:00–2:00 = 120 法定休日労働,
    # all 深夜 (holiday_night 120): 法定休日 is the calendar day (昭和23年4月5日基発535号, 平成6年5月31日基発331号).
    full_days(employee_member, *(nov(d) for d in range(9, 14)))
    work(employee_member, nov(14), start=time(20), end=time(2), breaks=())
    t = sheet(employee_member).totals
    assert (t.overtime, t.overtime_night, t.holiday, t.holiday_night, t.night) == (240, 120, 120, 120, 240)


# --- 3. the week across the month's edge ----------------------------------------------------


def test_the_week_across_the_month_end(employee_member):
    # week Sun 11-29 … Sat 12-05: Mon 11-30 and Tue–Fri 12-01…04 = 5 × 480 = 2,400; Sat 12-05 9–15 =
    # 300 → 時間外 by the week, reported on the 5th, so in December.
    full_days(employee_member, nov(30), *(date(2026, 12, d) for d in range(1, 5)))
    work(employee_member, date(2026, 12, 5), end=time(15))
    december = sheet(employee_member, month=DEC)
    sat = december.days[4]
    assert sat.work_date == date(2026, 12, 5)
    expect(sat.minutes, overtime_weekly=300, legal_overtime=0, scheduled_holiday=300)
    # December's rows are its own days: Tue 1 … Fri 4 = 1,920 所定内 (Nov 30 only counts toward the week)
    expect(december.totals, overtime=300, scheduled=1920, days_worked=5)
    november = sheet(employee_member, month=NOV)
    m30 = row(november, 30).minutes
    assert (m30.worked, m30.scheduled, m30.overtime) == (480, 480, 0)
    assert (november.totals.overtime, november.totals.scheduled, november.totals.days_worked) == (0, 480, 1)


def test_without_the_previous_months_day_the_week_stays_under_forty_hours(employee_member):
    # the same December days without Mon 11-30: 4 × 480 + 300 = 2,220 < 2,400 → Saturday's 300 are
    # 法定内残業, not 時間外. So the 時間外 above came from a November day read into December's week.
    full_days(employee_member, *(date(2026, 12, d) for d in range(1, 5)))
    work(employee_member, date(2026, 12, 5), end=time(15))
    december = sheet(employee_member, month=DEC)
    sat = december.days[4].minutes
    assert (sat.overtime, sat.legal_overtime) == (0, 300)
    assert (december.totals.overtime, december.totals.legal_overtime) == (0, 300)


def test_later_days_do_not_change_the_month_before(employee_member):
    # Nov 30 is the first working day of the week 11-29 … 12-05: nothing after it (December's long
    # days) can make it 時間外. And a November timesheet reads no October day: the week Sun 11-01 …
    # Sat 11-07 begins on the 1st, so October's weeks stay October's.
    work(employee_member, date(2026, 10, 26))
    work(employee_member, date(2026, 10, 31), end=time(15))
    work(employee_member, nov(30))
    for d in range(1, 6):
        work(employee_member, date(2026, 12, d), end=time(22))
    november = sheet(employee_member, month=NOV)
    assert row(november, 30).minutes.overtime == 0
    t = november.totals
    expect(t, worked=480, scheduled=480, overtime=0, legal_overtime=0, scheduled_holiday=0, days_worked=1)


# --- 4. 60 時間超 and the month's rounding -------------------------------------------------------


@pytest.mark.parametrize(
    ("last_out", "overtime", "over_60", "rounded"),
    [
        (time(18), 3600, 0, 3600),  # exactly 60 h: nothing beyond
        (time(18, 29), 3629, 29, 3600),  # 60 h 29 min: under 30 → down
        (time(18, 30), 3630, 30, 3660),  # 60 h 30 min: 30 and over → up
    ],
)
def test_overtime_beyond_sixty_hours_and_rounding(employee_member, last_out, overtime, over_60, rounded):
    # 18 workdays 9:00–21:20 with 1 h break: 180 + 500 = 680 → 200 daily 時間外 each = 3,600 (60 h).
    # No week passes 40 h: the daily 時間外 does not count toward the week (基発1号), 5 × 480 = 2,400.
    # The 19th (Mon 11-30) 9:00–last_out: 480 + 0 / 29 / 30 時間外.
    *long_days, last_day = NOV_WORKDAYS
    for d in long_days:
        work(employee_member, nov(d), end=time(21, 20))
    work(employee_member, nov(last_day), end=last_out)
    t = sheet(employee_member).totals
    assert (t.overtime, t.overtime_over_60, t.overtime_rounded) == (overtime, over_60, rounded)
    assert t.overtime_over_60 == max(t.overtime - OVERTIME_60, 0)
    assert (t.scheduled, t.worked, t.legal_overtime, t.night) == (19 * 480, 19 * 480 + overtime, 0, 0)


def test_holiday_and_night_totals_are_rounded_by_the_month(employee_member):
    # Sun 11-01 9:00–18:29 with 1 h break: 180 + 329 = 509 休日 → 8 h 29 min → rounded 480.
    # Sat 11-07 21:00–22:30: 30 深夜 → rounded 60 (30 and over up). Overtime 0 → rounded 0.
    work(employee_member, nov(1), end=time(18, 29))
    work(employee_member, nov(7), start=time(21), end=time(22, 30), breaks=())
    t = sheet(employee_member).totals
    assert (t.holiday, t.holiday_rounded, t.night, t.night_rounded) == (509, 480, 30, 60)
    assert (t.overtime, t.overtime_rounded) == (0, 0)


# --- 5. lateness, early leave, absence ----------------------------------------------------------


def test_lateness_and_early_leave_to_the_minute(employee_member):
    m = employee_member
    # Wed 11-04 in 9:10:30 → counted from 9:10: 10 minutes late; 170 + 300 = 470 worked
    press(m, "in", at(nov(4), time(9, 10, 30)))
    press(m, "break_start", at(nov(4), time(12)))
    press(m, "break_end", at(nov(4), time(13)))
    press(m, "out", at(nov(4), time(18)))
    # Thu 11-05 out 17:45:10 → counted to 17:46: 14 minutes early; 180 + 286 = 466 worked
    press(m, "in", at(nov(5), time(9)))
    press(m, "break_start", at(nov(5), time(12)))
    press(m, "break_end", at(nov(5), time(13)))
    press(m, "out", at(nov(5), time(17, 45, 10)))
    # Fri 11-06 in 9:00:59 (the 9:00 minute: not late), out 17:59:01 (to 18:00: not early)
    press(m, "in", at(nov(6), time(9, 0, 59)))
    press(m, "break_start", at(nov(6), time(12)))
    press(m, "break_end", at(nov(6), time(13)))
    press(m, "out", at(nov(6), time(17, 59, 1)))
    ts = sheet(m)
    # (day, late, early, worked)
    assert [
        (d, row(ts, d).late_minutes, row(ts, d).early_leave_minutes, row(ts, d).minutes.worked)
        for d in (4, 5, 6)
    ] == [
        (4, 10, 0, 470),
        (5, 0, 14, 466),
        (6, 0, 0, 480),
    ]
    assert row(ts, 4).minutes.scheduled == 470 and row(ts, 5).minutes.scheduled == 466
    t = ts.totals
    assert (t.late_count, t.late_minutes, t.early_leave_count, t.early_leave_minutes) == (1, 10, 1, 14)
    assert (t.worked, t.scheduled, t.days_worked) == (1416, 1416, 3)


def test_past_workdays_without_punches_are_absences(employee_member):
    # today Wed 11-18. Workdays before it: 2, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17 = 11; the 2nd has
    # punches → 10 absences. The 18th (today) and later are not absent yet; rest days never.
    work(employee_member, nov(2))
    ts = sheet(employee_member, today=nov(18))
    absent = [r.work_date.day for r in ts.days if r.absent]
    assert absent == [4, 5, 6, 9, 10, 11, 12, 13, 16, 17]
    assert ts.totals.absences == 10
    assert not row(ts, 3).absent and not row(ts, 18).absent and not row(ts, 19).absent
    assert not row(ts, 7).absent and not row(ts, 8).absent
    # the whole month past: 19 workdays − 1 worked = 18
    assert sheet(employee_member, today=AFTER).totals.absences == 18


def test_no_absence_outside_the_employment(company, hr, department):
    # hired Mon 11-16, retiring Wed 11-18; today Fri 11-20: only the 16th, 17th and 18th can be absent.
    employee = make_employee(company, hr, department, number="E100", hire_date=nov(16), retire_date=nov(18))
    ts = build_timesheet(company=company, employee=employee, month=NOV, today=nov(20))
    assert [r.work_date.day for r in ts.days if r.absent] == [16, 17, 18]
    assert ts.totals.absences == 3
    assert not row(ts, 13).in_service and not row(ts, 13).absent and row(ts, 13).kind == "workday"
    assert row(ts, 16).in_service and row(ts, 18).in_service
    assert not row(ts, 19).in_service and not row(ts, 19).absent


# --- 6. a forgotten 退勤 ---------------------------------------------------------------------------


def test_a_forgotten_clock_out_leaves_the_day_open(employee_member):
    # Wed 11-04: 出勤 9:00 only. Tue 11-10: 9:00–12:00, break, 13:00 … no 退勤 (180 counted so far).
    # Fri 11-06 and Thu 11-12 are complete days (the next 出勤 comes more than 26 h later).
    work(employee_member, nov(4), end=None, breaks=())
    work(employee_member, nov(6))
    work(employee_member, nov(10), end=None)
    work(employee_member, nov(12))
    ts = sheet(employee_member)
    d4, d10 = row(ts, 4), row(ts, 10)
    assert d4.open and not d4.absent and d4.minutes.worked == 0 and d4.last_out is None
    assert d4.first_in == at(nov(4), time(9)) and d4.early_leave_minutes == 0
    assert d10.open and not d10.absent and d10.minutes.worked == 180 and d10.break_minutes == 60
    assert not row(ts, 6).open and not row(ts, 12).open
    t = ts.totals
    assert t.open_days == 2
    # 19 workdays − 4 with punches = 15 absences; worked 480 + 180 + 480
    assert (t.absences, t.worked, t.days_worked) == (15, 1140, 3)


# --- 7. who may read whose 出勤簿 ------------------------------------------------------------------


@pytest.fixture
def colleague(company, hr, department) -> Employee:
    return make_employee(company, hr, department, number="E002", family_name="同僚")


@pytest.fixture
def stranger(other_company, outsider) -> Employee:
    return make_employee(other_company, outsider, make_department(other_company, outsider), number="X001")


def test_an_employee_reads_their_own(employee_member):
    own = employee_of(employee_member)
    work(employee_member, nov(2))
    for employee_id in (None, own.pk):
        ts = timesheet(
            company=employee_member.company, membership=employee_member, month=NOV, employee_id=employee_id
        )
        assert ts.employee == own and ts.totals.worked == 480


def test_an_employee_may_not_read_another(employee_member, colleague, stranger):
    for employee_id in (colleague.pk, stranger.pk):
        with pytest.raises(PermissionDeniedError):
            timesheet(
                company=employee_member.company,
                membership=employee_member,
                month=NOV,
                employee_id=employee_id,
            )


def test_hr_and_admins_read_anyone_here(company, hr, admin, employee_member, colleague):
    for reader in (hr, admin):
        for employee in (employee_of(employee_member), colleague):
            ts = timesheet(company=company, membership=reader, month=NOV, employee_id=employee.pk)
            assert ts.employee == employee


def test_an_employee_of_another_company_is_not_found(company, hr, stranger):
    with pytest.raises(NotFound):
        timesheet(company=company, membership=hr, month=NOV, employee_id=stranger.pk)
    with pytest.raises(NotFound):
        monthly_totals(company=company, employee_id=stranger.pk, month=NOV)


def test_a_member_without_an_employee_record_has_no_own_timesheet(company, hr):
    with pytest.raises(NotFound):
        timesheet(company=company, membership=hr, month=NOV)
    plain = make_member(company, "plain1", ["employee"])
    with pytest.raises(NotFound):
        timesheet(company=company, membership=plain, month=NOV)


def test_monthly_totals_are_the_timesheets_totals(employee_member):
    full_days(employee_member, *(nov(d) for d in range(9, 14)))
    work(employee_member, nov(14), end=time(15))
    employee = employee_of(employee_member)
    totals = monthly_totals(company=employee_member.company, employee_id=employee.pk, month=nov(20))
    assert isinstance(totals, MonthlyTotals) and totals.month == NOV
    # "today" is the real date there: compare everything but the absences (November is in the past
    # or not, depending on when the test runs)
    expected = dataclasses.replace(sheet(employee_member).totals, absences=totals.absences)
    assert totals == expected
    assert (totals.worked, totals.overtime, totals.scheduled_holiday) == (2700, 300, 300)
    with pytest.raises(dataclasses.FrozenInstanceError):
        totals.overtime = 0  # type: ignore[misc]


# --- 8. a company's own work rule ---------------------------------------------------------------


def test_a_custom_work_rule(employee_member):
    # 8:30–17:00 with 45 minutes' break: 510 − 45 = 465 所定. Workdays Mon–Sat, 法定休日 Sunday, the
    # week from Monday.
    WorkRule.objects.create(
        company=employee_member.company,
        start_time=time(8, 30),
        end_time=time(17),
        break_minutes=45,
        workdays=[0, 1, 2, 3, 4, 5],
        statutory_holiday_weekday=6,
        week_start_weekday=0,
    )
    # week Mon 11-09 … Sun 11-15: Mon–Sat each 9:00–18:00 with 1 h break = 480 worked
    full_days(employee_member, *(nov(d) for d in range(9, 15)))
    ts = sheet(employee_member)
    assert ts.rule.scheduled_minutes == 465
    mon = row(ts, 9)
    # 480 worked: 465 所定内 + 15 法定内残業 (within 8 h); 出勤 9:00 is 30 minutes after 8:30;
    # 退勤 18:00 is after 17:00, no early leave
    assert (mon.minutes.scheduled, mon.minutes.legal_overtime, mon.minutes.overtime) == (465, 15, 0)
    assert (mon.late_minutes, mon.early_leave_minutes) == (30, 0)
    # Mon–Fri 5 × 480 = 2,400 (= 40 h) toward the week; the Saturday, now a workday, is all past
    # 40 h: 480 時間外 by the week, 0 所定内
    sat = row(ts, 14)
    assert sat.kind == "workday" and sat.late_minutes == 30
    assert (sat.minutes.scheduled, sat.minutes.legal_overtime, sat.minutes.overtime_weekly) == (0, 0, 480)
    assert (row(ts, 3).kind, row(ts, 15).kind) == ("scheduled_holiday", "statutory_holiday")
    t = ts.totals
    expect(t, scheduled=2325, legal_overtime=75, overtime=480, late_count=6, late_minutes=180)


def test_the_week_start_decides_which_days_count_together(employee_member):
    # The week from Saturday (weekday 5; everything else the defaults). Sat 11-07 9–15 = 300 is the
    # week's first work: 法定内 (所定休日, 0 所定). Mon 9 … Thu 12 = 4 × 480 → 2,220 by Thursday; on
    # Friday 9:00–12:00 (180) reach 2,400, 13:00–18:00 (300) are 時間外 by the week. Under the default
    # week from Sunday the same Saturday would close the week of 11-01 and nothing would be 時間外.
    WorkRule.objects.create(company=employee_member.company, week_start_weekday=5)
    # week Sat 11-07 … Fri 11-13: Sat 7 worked 9–15 (300, 法定内: first in the week), then Mon 9 …
    # Fri 13 full: 300 + 4 × 480 = 2,220 by Thursday; Friday's first 180 reach 2,400, its last 300
    # are 時間外 by the week.
    work(employee_member, nov(7), end=time(15))
    full_days(employee_member, *(nov(d) for d in range(9, 14)))
    ts = sheet(employee_member)
    assert row(ts, 7).minutes.legal_overtime == 300 and row(ts, 7).minutes.overtime == 0
    fri = row(ts, 13).minutes
    assert (fri.scheduled, fri.overtime_weekly) == (180, 300)
    assert ts.totals.overtime == 300


def test_national_holidays_can_be_workdays(employee_member):
    # 国民の祝日は所定休日 unticked: Tue 11-03 (文化の日) is a workday with its 480 所定 (the name stays
    # shown); not worked and past, it is an absence. Sun 11-01 stays the 法定休日.
    WorkRule.objects.create(company=employee_member.company, national_holidays_off=False)
    work(employee_member, nov(2))
    ts = sheet(employee_member, today=nov(5))
    assert (row(ts, 3).kind, row(ts, 3).holiday_name, row(ts, 3).absent) == ("workday", "文化の日", True)
    assert row(ts, 1).kind == "statutory_holiday"
    # absent: Tue 3 and Wed 4 (the 5th is today)
    assert ts.totals.absences == 2
