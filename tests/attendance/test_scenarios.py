"""A whole month, walked with punches, for each kind of worker (issue 8 "Done means"): every
monthly total checked against figures computed by hand below, with the arithmetic in comments.

The month is November 2026: Sundays 1, 8, 15, 22, 29 (法定休日 under the default rule); Saturdays
7, 14, 21, 28; 祝日 Tue 3 (文化の日) and Mon 23 (勤労感謝の日). 30 days, so the legal total of a
変形期間 or 清算期間 is 40 h × 30 ÷ 7 = 171.43 h = 10,285 minutes (the fraction dropped in the
worker's favour; 労基法32条の2・32条の3). "Today" is after the month: every past workday counts.

Rules applied (jp-rules §4.1): 労基法32条 (8 h / 40 h), 35条 (法定休日 = the calendar Sunday),
37条 (深夜 22:00–05:00; 時間外 over 60 h), 基発150号 (only the month's totals are rounded: under
30 minutes down, 30 and over up), 41条2号 (管理監督者), 32条の2 (1か月単位の変形), 32条の3
(フレックス).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.attendance.models import (
    AttendanceProfile,
    LeaveRequest,
    LeaveTaking,
    LeaveType,
    RequestState,
    Shift,
    WorkRule,
    WorkSystem,
)
from ennoshita.people.models import EmploymentType

from ..conftest import make_employee, make_member
from .test_timesheet import AFTER, JST, NOV, at, employee_of, expect, nov, press, row, sheet, work

pytestmark = pytest.mark.django_db

WORKDAYS = [2, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 24, 25, 26, 27, 30]  # 19


def member_of_type(company, hr, department, username, number, type_code):
    m = make_member(company, username, ["employee"])
    make_employee(
        company,
        hr,
        department,
        number=number,
        user=m.user,
        employment_type=EmploymentType.objects.for_company(company).get(code=type_code),
    )
    return m


# --- 1. a full-timer: daily and weekly 時間外, over 60 hours, a 法定休日, a late night ---------------


def test_a_full_timers_month(employee_member):
    m = employee_member
    for d in sorted([*WORKDAYS, 14, 15]):
        if d == 19:
            # Thu 19th until 23:30: 180 + 630 = 810 = 480 + 330 時間外, of it 22:00–23:30 = 90 深夜
            work(m, nov(19), end=time(23, 30))
        elif d == 14:
            # Sat 14th (所定休日) 9:00–13:00 = 240: the week Sun 8 … Sat 14 already has 5 × 480 =
            # 2,400 counted (daily 時間外 does not count toward the week, 基発1号) → 240 時間外 by the week
            work(m, nov(14), end=time(13), breaks=())
        elif d == 15:
            # Sun 15th (法定休日) 10:00–15:00 = 300 法定休日労働, not 時間外 (35条)
            work(m, nov(15), start=time(10), end=time(15), breaks=())
        else:
            # every workday 9:00–21:00 with lunch 12–13: 180 + 480 = 660 = 480 所定内 + 180 時間外 (day)
            work(m, nov(d), end=time(21))
    ts = sheet(m)
    assert ts.totals.system == WorkSystem.STANDARD and not ts.supervisor
    expect(row(ts, 19).minutes, worked=810, scheduled=480, overtime_daily=330, night=90, overtime_night=90)
    expect(row(ts, 14).minutes, worked=240, overtime_weekly=240, scheduled_holiday=240)
    expect(row(ts, 15).minutes, worked=300, holiday=300, overtime=0)
    expect(
        ts.totals,
        # 18 × 660 + 810 + 240 + 300 = 11,880 + 1,350 = 13,230
        worked=13230,
        scheduled=9120,  # 19 × 480
        legal_overtime=0,
        overtime_daily=3570,  # 18 × 180 + 330
        overtime_weekly=240,
        overtime=3810,  # 3,570 + 240 = 63 h 30 min
        overtime_over_60=210,  # 3,810 − 3,600 (50 % from the 61st hour, 37条1項ただし書)
        overtime_night=90,
        night=90,
        holiday=300,
        holiday_night=0,
        scheduled_holiday=240,
        overtime_rounded=3840,  # 63:30 → 30 minutes and over up → 64 h
        holiday_rounded=300,  # 5:00
        night_rounded=120,  # 1:30 → 2 h
        days_worked=21,  # 19 workdays + Sat 14 + Sun 15
        absences=0,
        late_count=0,
        early_leave_count=0,
        open_days=0,
        exempt=0,
        unapproved=0,
    )
    # 9,120 + 0 + 3,810 + 300 = 13,230: every minute has exactly one kind
    t = ts.totals
    assert t.scheduled + t.legal_overtime + t.overtime + t.holiday == t.worked


def test_the_same_month_for_a_supervisor(company, employee_member):
    # 管理監督者 (41条2号): the same punches; 時間外 and 法定休日 reported as 0 (no premium), their
    # minutes kept in 実労働 as ``exempt``; 深夜 still counted (基発150号, 最判平21.12.18).
    m = employee_member
    AttendanceProfile.objects.create(company=company, employee=employee_of(m), is_supervisor=True)
    for d in sorted([*WORKDAYS, 14, 15]):
        if d == 14:
            work(m, nov(14), end=time(13), breaks=())
        elif d == 15:
            work(m, nov(15), start=time(10), end=time(15), breaks=())
        else:
            work(m, nov(d), end=time(23, 30) if d == 19 else time(21))
    ts = sheet(m)
    assert ts.supervisor and ts.totals.supervisor
    expect(
        ts.totals,
        worked=13230,
        scheduled=9120,
        legal_overtime=0,
        overtime=0,
        overtime_over_60=0,
        overtime_night=0,
        holiday=0,
        holiday_night=0,
        exempt=4110,  # 3,810 時間外 + 300 休日
        night=90,
        night_rounded=120,
        overtime_rounded=0,
        holiday_rounded=0,
        late_count=0,
    )


# --- 2. a part-timer: 4-hour days, a 比例 week, 法定内残業, leave, lateness, absence -----------------


def test_a_part_timers_month(company, hr, department):
    m = member_of_type(company, hr, department, "part1", "P001", "part_time")
    employee = employee_of(m)
    part = EmploymentType.objects.for_company(company).get(code="part_time")
    # the パート rule: Mon, Wed, Fri 10:00–14:00 without a break = 240 所定; 祝日 off
    WorkRule.objects.create(
        company=company, employment_type=part, start_time=time(10), end_time=time(14), break_minutes=0,
        workdays=[0, 2, 4],
    )  # fmt: skip
    # the standard rule of the company is not hers
    WorkRule.objects.create(company=company, start_time=time(8), end_time=time(17))
    AttendanceProfile.objects.create(company=company, employee=employee, weekly_days=3, weekly_minutes=720)
    # workdays: Mon 2, 9, 16, 30 (23 is 勤労感謝の日), Wed 4, 11, 18, 25, Fri 6, 13, 20, 27 = 12
    days = {
        d: {"start": time(10), "end": time(14), "breaks": ()} for d in (2, 6, 9, 16, 18, 20)
    }  # 6 plain days × 240
    # Wed 11: 10:00–17:30, break 14:00–14:30: 240 + 180 = 420 = 240 所定内 + 180 法定内残業 (within 8 h)
    days[11] = {"start": time(10), "end": time(17, 30), "breaks": ((time(14), time(14, 30)),)}
    # Fri 13: 10:00–19:30, break 14–15: 240 + 270 = 510 = 240 所定内 + 240 法定内残業 + 30 時間外 (over 8 h)
    days[13] = {"start": time(10), "end": time(19, 30), "breaks": ((time(14), time(15)),)}
    # Tue 17 (not her workday: 所定休日) 10:00–13:00 = 180 法定内残業 (the week is far under 40 h)
    days[17] = {"start": time(10), "end": time(13), "breaks": ()}
    # Wed 25: out 13:40 → 早退 20, worked 220; Mon 30: in 10:15 → 遅刻 15, worked 225
    days[25] = {"start": time(10), "end": time(13, 40), "breaks": ()}
    days[30] = {"start": time(10, 15), "end": time(14), "breaks": ()}
    for d in sorted(days):
        work(m, nov(d), **days[d])
    # Wed 4: a whole day of 年次有給休暇 (approved): not 欠勤. Fri 27: nothing → 欠勤
    annual = LeaveType.objects.create(
        company=company, code="annual", name="年次有給休暇", kind="annual", paid=True
    )
    request = LeaveRequest.objects.create(
        company=company, employee=employee, leave_type=annual, start_date=nov(4), end_date=nov(4),
        days=Decimal(1), state=RequestState.APPROVED, requested_by=hr.user,
    )  # fmt: skip
    LeaveTaking.objects.create(
        company=company, request=request, employee=employee, leave_type=annual, date=nov(4), days=Decimal(1),
        approved=True,
    )  # fmt: skip
    ts = sheet(m)
    assert ts.rule.employment_type_id == part.pk and ts.rule.scheduled_minutes == 240
    d4 = row(ts, 4)
    assert d4.whole_day_leave and not d4.absent and [x.name for x in d4.leave] == ["年次有給休暇"]
    assert row(ts, 27).absent
    expect(row(ts, 13).minutes, worked=510, scheduled=240, legal_overtime=240, overtime_daily=30)
    # worked: 6 × 240 + 420 + 510 + 180 + 220 + 225 = 1,440 + 1,555 = 2,995
    # 所定内: 6 × 240 + 240 + 240 + 220 + 225 = 2,365 (the late and early minutes are not worked)
    # 法定内残業: 180 + 240 + 180 = 600; 時間外: 30; days worked: 6 + (11, 13, 17, 25, 30) = 11;
    # 欠勤: Fri 27 only (Wed 4 was leave)
    t = ts.totals
    assert (t.worked, t.scheduled, t.legal_overtime, t.overtime) == (2995, 2365, 600, 30)
    assert (t.night, t.holiday, t.scheduled_holiday, t.days_worked) == (0, 0, 180, 11)
    assert (t.absences, t.late_count, t.late_minutes, t.early_leave_count, t.early_leave_minutes) == (
        1, 1, 15, 1, 20,
    )  # fmt: skip
    # 時間外 0:30 → 30 minutes and over up → 1 h (基発150号)
    assert (t.overtime_rounded, t.holiday_rounded, t.night_rounded) == (60, 0, 0)
    assert (t.leave_paid_days, t.leave_unpaid_days, t.leave_hours, t.leave_days) == (Decimal(1), 0, 0, 1)
    assert t.leave_by_type == (("annual", Decimal(1), 0),)
    assert t.scheduled + t.legal_overtime + t.overtime + t.holiday == t.worked


# --- 3. フレックス: over the legal total, and under the 所定総労働時間 --------------------------------


@pytest.fixture
def flex_rule(company):
    contract = EmploymentType.objects.for_company(company).get(code="contract")
    return WorkRule.objects.create(
        company=company, employment_type=contract, system=WorkSystem.FLEX, core_start=time(10),
        core_end=time(15), flex_standard_minutes=480,
    )  # fmt: skip


def test_a_flex_month_over_the_legal_total(company, hr, department, flex_rule):
    m = member_of_type(company, hr, department, "flex1", "F001", "contract")
    # 所定総労働時間 = 19 workdays × 480 = 9,120; legal total 10,285 (30 days)
    for d in sorted([*WORKDAYS, 22]):
        if d == 22:  # Sun 22 (法定休日) 240: apart from the total
            work(m, nov(22), start=time(10), end=time(14), breaks=())
        elif d == 20:  # Fri 20: 11:00–20:00, lunch 12–13 = 60 + 420 = 480; コアタイム 10–11 missed (60)
            work(m, nov(d), start=time(11), end=time(20))
        elif d == 26:  # Thu 26: 8:00–23:00, lunch = 240 + 600 = 840; 22–23 = 60 深夜
            work(m, nov(d), start=time(8), end=time(23))
        else:  # 17 days 8:00–19:00, lunch = 240 + 360 = 600
            work(m, nov(d), start=time(8), end=time(19))
    ts = sheet(m)
    assert ts.totals.system == WorkSystem.FLEX
    # no 遅刻 (8:00 or 11:00) nor 早退 under フレックス; the missed コアタイム is a problem of the day
    assert row(ts, 20).core_missing_minutes == 60 and row(ts, 20).late_minutes == 0
    assert any("コアタイム" in p for p in row(ts, 20).problems)
    # time order: by the 25th 15 × 600 + 480 = 9,480 counted; the 26th brings 10,320 > 10,285, so its
    # last 35 minutes (22:25–23:00, at night) are 時間外; the 27th and 30th (600 each) wholly
    expect(row(ts, 26).minutes, worked=840, overtime=35, overtime_period=35, overtime_night=35, night=60)
    expect(row(ts, 27).minutes, worked=600, overtime=600, scheduled=0, legal_overtime=0)
    expect(
        ts.totals,
        worked=11760,  # 17 × 600 + 480 + 840 + 240 = 10,200 + 1,560
        scheduled=9120,
        legal_overtime=1165,  # 10,285 − 9,120
        overtime=1235,  # (11,760 − 240) − 10,285
        overtime_daily=0,
        overtime_weekly=0,
        overtime_period=1235,
        overtime_night=35,
        night=60,
        holiday=240,
        legal_total=10285,
        required_minutes=9120,
        shortfall=0,
        core_missing_days=1,
        late_count=0,
        early_leave_count=0,
        overtime_rounded=1260,  # 20:35 → 21 h
        holiday_rounded=240,
        night_rounded=60,
        days_worked=20,
        absences=0,
    )


def test_a_flex_month_under_the_required_total(company, hr, department, flex_rule):
    m = member_of_type(company, hr, department, "flex2", "F002", "contract")
    for d in WORKDAYS:  # 19 × (10:00–17:00, lunch) = 19 × 360 = 6,840, コアタイム 10–15 kept
        work(m, nov(d), start=time(10), end=time(17))
    t = sheet(m).totals
    expect(
        t,
        worked=6840,
        scheduled=6840,
        legal_overtime=0,
        overtime=0,
        shortfall=2280,  # 9,120 − 6,840: 不足, carried or deducted as the agreement says
        core_missing_days=0,
        late_count=0,
        early_leave_count=0,
        absences=0,
    )


# --- 4. a night-shift worker under 1か月単位の変形労働時間制 -----------------------------------------


def _shifts(company, department, employee, hr, plan):
    """plan: day → (start hour, end hour next day) or None for a rest day; then published."""
    for d in range(1, 31):
        spec = plan.get(d)
        if spec is None:
            Shift.objects.create(
                company=company, employee=employee, department=department, date=nov(d), is_rest_day=True,
                published_at=at(nov(1), time()), updated_by=hr.user,
            )  # fmt: skip
            continue
        start, end = spec
        Shift.objects.create(
            company=company, employee=employee, department=department, date=nov(d),
            start_at=at(nov(d), time(start)), end_at=at(nov(d) + timedelta(days=1), time(end)),
            break_minutes=60, published_at=at(nov(1), time()), updated_by=hr.user,
        )  # fmt: skip
    # the table is published after it was written (a shift changed after publication is a draft)
    Shift.objects.filter(employee=employee).update(published_at=timezone.now())


def _night(m, day: int, start: time, end: time, brk: tuple[time, time]) -> None:
    """A shift from ``start`` on the day to ``end`` the next morning, with one break."""
    d = nov(day)

    def moment(clock: time) -> datetime:
        return at(d + timedelta(days=1) if clock < start else d, clock)

    press(m, "in", at(d, start))
    press(m, "break_start", moment(brk[0]))
    press(m, "break_end", moment(brk[1]))
    press(m, "out", moment(end))


def test_a_night_shift_month_under_the_variable_system(company, hr, department):
    m = member_of_type(company, hr, department, "night1", "N001", "arbeit")
    employee = employee_of(m)
    WorkRule.objects.create(
        company=company, employment_type=employee.employment_type, system=WorkSystem.MONTHLY_VARIABLE,
        variable_period_start_day=1,
    )  # fmt: skip
    L, N = (20, 8), (22, 7)  # 20:00–08:00 (11 h − 1 h = 660 planned) and 22:00–07:00 (480)
    plan = {2: L, 3: L, 4: L, 5: L, 6: L, 9: N, 10: N, 11: N, 16: N, 17: N, 18: N, 19: N, 20: N}
    plan |= {23: N, 24: N, 25: N, 26: N, 30: N}
    # planned: week 1 5 × 660 = 3,300 (> 40 h: the week's limit is 3,300); week 2 3 × 480 = 1,440;
    # week 3 2,400; week 4 1,920; week 5 480 → 9,540 ≤ 10,285 (a lawful 変形)
    _shifts(company, department, employee, hr, plan)
    for d in sorted([*plan, 12, 21, 27]):
        spec = plan.get(d)
        if d in (12, 27):
            # Thu 12 (rest day) called in 22:00–06:00 = 480, 深夜 420: within the day's 8 h and the
            # week's 40 h (1,440 + 480 = 1,920) → 法定内残業, 所定休日労働. Fri 27 (rest) the same:
            # week 4 reaches 1,920 + 480 = 2,400, not over
            work(m, nov(d), start=time(22), end=time(6), breaks=())
        elif d == 21:
            # Sat 21 (rest) 9:00–13:00 = 240: the week's 2,400 planned are already worked → 時間外 by the week
            work(m, nov(21), start=time(9), end=time(13), breaks=())
        elif spec == L:
            # 20:00 → 08:00, break 0–1: 240 + 420 = 660, 深夜 22–24 + 1–5 = 360. Wed 4 until 9:30:
            # 750 worked, over its planned 660 → 90 時間外 by the day (8:00–9:30)
            _night(m, d, time(20), time(9, 30) if d == 4 else time(8), (time(0), time(1)))
        elif d == 10:
            # Tue 10 until 9:00: 240 + 360 = 600 → 120 時間外 by the day (7:00–9:00, not night)
            _night(m, d, time(22), time(9), (time(2), time(3)))
        else:
            # 22:00 → 07:00, break 2–3: 240 + 240 = 480, 深夜 22–2 + 3–5 = 360
            _night(m, d, time(22), time(7), (time(2), time(3)))
    ts = sheet(m)
    assert ts.totals.system == WorkSystem.MONTHLY_VARIABLE
    assert (
        row(ts, 2).from_shift
        and row(ts, 2).planned_minutes == 660
        and row(ts, 12).kind == "scheduled_holiday"
    )
    assert (
        row(ts, 8).kind == "statutory_holiday" and row(ts, 3).kind == "workday"
    )  # the shift decides, 祝日 too
    expect(row(ts, 4).minutes, worked=750, scheduled=660, overtime_daily=90, night=360)
    expect(row(ts, 21).minutes, worked=240, overtime_weekly=240, scheduled_holiday=240)
    # the period: counted (neither 休日 nor 時間外 by day or week) before the 30th: 3,300 + (1,440 +
    # 480) + 2,400 + (1,920 + 480) = 10,020; the 30th may add 10,285 − 10,020 = 265: 22:00–02:00 (240)
    # and 03:00–03:25 (25); 03:25–07:00 = 215 are 時間外 by the period, 03:25–05:00 = 95 at night
    expect(
        row(ts, 30).minutes,
        worked=480,
        scheduled=265,
        overtime_period=215,
        overtime=215,
        overtime_night=95,
        night=360,
    )
    expect(
        ts.totals,
        # week 1 3,300 + 90; week 2 1,440 + 120 + 480; week 3 2,400 + 240; week 4 1,920 + 480; week 5 480
        worked=10950,
        scheduled=9325,  # 3,300 + 1,440 + 2,400 + 1,920 + 265
        legal_overtime=960,  # Thu 12 480 + Fri 27 480
        overtime_daily=210,  # 90 + 120
        overtime_weekly=240,
        overtime_period=215,
        overtime=665,
        overtime_night=95,
        # 13 N × 360 + 5 L × 360 + Thu 12 420 + Fri 27 420 = 4,680 + 1,800 + 840
        night=7320,
        holiday=0,
        scheduled_holiday=1200,  # 480 + 240 + 480
        legal_total=10285,
        days_worked=21,
        absences=0,
        late_count=0,
        early_leave_count=0,
        overtime_rounded=660,  # 11:05 → 11 h
        night_rounded=7320,
    )
    t = ts.totals
    assert t.scheduled + t.legal_overtime + t.overtime + t.holiday == t.worked


def test_today_is_after_the_month():
    assert AFTER > NOV and JST.key == "Asia/Tokyo"
