"""出勤簿: an employee's month, day by day, from the punches and the company's work rule; and the
month's totals that payroll reads (``monthly_totals``, a frozen dataclass, never this app's models).

How a day is reached (docs/domains/attendance.md): the punches give the worked intervals, to the
minute and never against the worker (rules/punches.py); each calendar week of the work rule
(from its 起算日, also across the month's edges so that the 40 hours are counted on the whole week)
goes through ``rules.split_week`` (所定内, 法定内残業, 時間外 by day and by week, 深夜, 法定休日).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from ennoshita.core.dates import holiday_name, is_holiday
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from . import rules
from .models import Punch, WorkRule
from .rules import punches as punch_rules
from .rules.workday import TOKYO, DayMinutes, WorkDay, split_week
from .selectors import employee_punches

OVERTIME_60 = 60 * 60  # 労基法37条1項ただし書: 時間外 beyond 60 hours a month, in minutes
READ_ALL_ROLES = ("admin", "hr")  # 人事 reads every employee's 出勤簿; others their own


def work_rule_of(*, company: Company) -> WorkRule:
    """The company's work rule; the defaults (9:00–18:00, 60 minutes' break, Monday–Friday, Sunday
    the 法定休日 and the week's start, 祝日 off) until 人事 changes them."""
    found = WorkRule.objects.for_company(company).first()
    return found if found is not None else WorkRule(company=company)


def day_kind(rule: WorkRule, day: date) -> str:
    if day.weekday() == rule.statutory_holiday_weekday:
        return "statutory_holiday"
    if day.weekday() not in rule.workdays or (rule.national_holidays_off and is_holiday(day)):
        return "scheduled_holiday"
    return "workday"


@dataclass(frozen=True)
class TimesheetDay:
    work_date: date
    kind: str  # workday | scheduled_holiday | statutory_holiday
    holiday_name: str  # 国民の祝日 name, if any
    in_service: bool  # between hire and retirement
    punches: list[Punch]
    first_in: datetime | None
    last_out: datetime | None
    break_minutes: int
    minutes: DayMinutes
    late_minutes: int  # 遅刻: the first 出勤 after 始業 on a workday
    early_leave_minutes: int  # 早退: the last 退勤 before 終業 on a workday
    absent: bool  # 欠勤: a past workday in service without a punch
    open: bool  # a 出勤 without its 退勤 (the day's time is incomplete)
    problems: tuple[str, ...]


@dataclass(frozen=True)
class MonthlyTotals:
    """An employee's month for payroll, in minutes unless named otherwise. ``*_rounded`` are the
    month's totals rounded by 基発150号 (under 30 minutes down, 30 and over up); the others exact."""

    employee_id: int
    month: date
    days_worked: int
    absences: int
    late_count: int
    late_minutes: int
    early_leave_count: int
    early_leave_minutes: int
    worked: int
    scheduled: int
    legal_overtime: int
    overtime: int  # 時間外 (by day and by week), 法定休日 excluded
    overtime_over_60: int  # the part of it beyond 60 hours (50%)
    overtime_night: int
    night: int
    holiday: int  # 法定休日労働
    holiday_night: int
    scheduled_holiday: int  # 所定休日労働 (its 時間外 part is already in ``overtime``)
    overtime_rounded: int
    holiday_rounded: int
    night_rounded: int
    open_days: int  # days without a 退勤: the month is not complete until they are corrected


@dataclass(frozen=True)
class Timesheet:
    employee: Employee
    month: date
    rule: WorkRule
    days: list[TimesheetDay]
    totals: MonthlyTotals


def _minutes_between(earlier: datetime, later: datetime) -> int:
    return max((later - earlier) // timedelta(minutes=1), 0)


def late_minutes(rule: WorkRule, day: date, first_in: datetime) -> int:
    """遅刻: from 始業 to the minute the day's first 出勤 falls in (0 when on time)."""
    return _minutes_between(datetime.combine(day, rule.start_time, TOKYO), punch_rules.floor_minute(first_in))


def _weeks(rule: WorkRule, first: date, last: date) -> tuple[date, date]:
    """The first day of the week holding ``first`` and the last day of the week holding ``last``."""
    start = first - timedelta(days=(first.weekday() - rule.week_start_weekday) % 7)
    end = last + timedelta(days=6 - (last.weekday() - rule.week_start_weekday) % 7)
    return start, end


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def build_timesheet(
    *, company: Company, employee: Employee, month: date, today: date | None = None
) -> Timesheet:
    """The month's 出勤簿 (no permission check: callers check)."""
    month = month.replace(day=1)
    today = today or timezone.localdate()
    rule = work_rule_of(company=company)
    last = _month_end(month)
    start, end = _weeks(rule, month, last)
    by_day: dict[date, list[Punch]] = defaultdict(list)
    for punch in employee_punches(company=company, employee_id=employee.pk, start=start, end=end):
        by_day[punch.work_date].append(punch)
    intervals = {d: punch_rules.day_intervals([(p.kind, p.at) for p in ps]) for d, ps in by_day.items()}
    split: dict[date, DayMinutes] = {}
    week = start
    while week <= end:
        dates = [week + timedelta(days=i) for i in range(7)]
        days = [
            WorkDay(
                work_date=d,
                intervals=intervals[d].intervals if d in intervals else (),
                scheduled_minutes=rule.scheduled_minutes if day_kind(rule, d) == "workday" else 0,
                kind=day_kind(rule, d),
            )
            for d in dates
        ]
        after = week + timedelta(days=7)  # a Saturday shift may run into the next week's 法定休日
        extra = {after} if day_kind(rule, after) == "statutory_holiday" else set()
        for minutes in split_week(days=days, statutory_holidays=extra):
            split[minutes.work_date] = minutes
        week += timedelta(days=7)

    rows: list[TimesheetDay] = []
    day = month
    while day <= last:
        kind = day_kind(rule, day)
        punches = by_day.get(day, [])
        found = intervals.get(day)
        ins = [p.at for p in punches if p.kind == punch_rules.IN]
        outs = [p.at for p in punches if p.kind == punch_rules.OUT]
        in_service = employee.hire_date <= day and (
            employee.retire_date is None or day <= employee.retire_date
        )
        late = late_minutes(rule, day, ins[0]) if kind == "workday" and ins else 0
        early = 0
        if kind == "workday" and outs and found is not None and found.open_since is None:
            scheduled_end = datetime.combine(day, rule.end_time, TOKYO)
            if rule.end_time <= rule.start_time:
                scheduled_end += timedelta(days=1)
            early = _minutes_between(punch_rules.ceil_minute(outs[-1]), scheduled_end)
        rows.append(
            TimesheetDay(
                work_date=day,
                kind=kind,
                holiday_name=holiday_name(day) or "",
                in_service=in_service,
                punches=punches,
                first_in=ins[0] if ins else None,
                last_out=outs[-1] if outs else None,
                break_minutes=punch_rules.worked_minutes(found.breaks) if found else 0,
                minutes=split[day],
                late_minutes=late,
                early_leave_minutes=early,
                absent=kind == "workday" and in_service and not punches and day < today,
                open=found is not None and found.open_since is not None,
                problems=found.problems if found else (),
            )
        )
        day += timedelta(days=1)
    return Timesheet(
        employee=employee, month=month, rule=rule, days=rows, totals=_totals(employee.pk, month, rows)
    )


def _totals(employee_id: int, month: date, rows: list[TimesheetDay]) -> MonthlyTotals:
    def total(name: str) -> int:
        return sum(getattr(r.minutes, name) for r in rows)

    overtime = total("overtime")
    holiday = total("holiday")
    night = total("night")
    return MonthlyTotals(
        employee_id=employee_id,
        month=month,
        days_worked=sum(1 for r in rows if r.minutes.worked > 0),
        absences=sum(1 for r in rows if r.absent),
        late_count=sum(1 for r in rows if r.late_minutes),
        late_minutes=sum(r.late_minutes for r in rows),
        early_leave_count=sum(1 for r in rows if r.early_leave_minutes),
        early_leave_minutes=sum(r.early_leave_minutes for r in rows),
        worked=total("worked"),
        scheduled=total("scheduled"),
        legal_overtime=total("legal_overtime"),
        overtime=overtime,
        overtime_over_60=max(overtime - OVERTIME_60, 0),
        overtime_night=total("overtime_night"),
        night=night,
        holiday=holiday,
        holiday_night=total("holiday_night"),
        scheduled_holiday=total("scheduled_holiday"),
        overtime_rounded=rules.round_monthly_minutes(overtime),
        holiday_rounded=rules.round_monthly_minutes(holiday),
        night_rounded=rules.round_monthly_minutes(night),
        open_days=sum(1 for r in rows if r.open),
    )


def _employee(company: Company, membership: Membership, employee_id: int | None) -> Employee:
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if employee_id is None or (own is not None and own.pk == employee_id):
        if own is None:
            raise NotFound()
        return own
    if not membership.has_any_role(*READ_ALL_ROLES):
        raise PermissionDeniedError()
    found = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if found is None:
        raise NotFound()
    return found


def timesheet(
    *, company: Company, membership: Membership, month: date, employee_id: int | None = None
) -> Timesheet:
    """The 出勤簿 of ``employee_id`` (the reader's own when None): one's own, or anyone's for 人事
    and admins (PermissionDeniedError otherwise; NotFound for an id of no employee here)."""
    return build_timesheet(company=company, employee=_employee(company, membership, employee_id), month=month)


def monthly_totals(*, company: Company, employee_id: int, month: date) -> MonthlyTotals:
    """The month's totals of one employee for payroll (payroll checks its own permissions)."""
    employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if employee is None:
        raise NotFound()
    return build_timesheet(company=company, employee=employee, month=month).totals
