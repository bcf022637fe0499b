"""What the 出勤簿 is computed from, besides the punches: the employee's work rule (their
employment type's, else the company's), their AttendanceProfile (管理監督者), each day's plan (a
published shift, else the rule), the leave taken and the approved 残業申請. Reads only; the
calculation is in timesheet_selectors and rules/."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ennoshita.core.dates import is_holiday
from ennoshita.core.models import Company
from ennoshita.people.models import Employee

from .leave_selectors import leave_days as _leave_days
from .leave_selectors import leave_days_of_many as _leave_days_of_many
from .models import (
    AttendanceProfile,
    OvertimeRequest,
    Punch,
    RequestState,
    Shift,
    StatutoryHolidayRule,
    WorkRule,
    WorkSystem,
)
from .rules.workday import TOKYO, statutory_holiday_of_week
from .shift_selectors import shifts_of as _shifts_of
from .shift_selectors import shifts_of_many as _shifts_of_many


def company_rules(*, company: Company) -> dict[int | None, WorkRule]:
    """The company's work rules by employment type id (None: the company's standard)."""
    return {r.employment_type_id: r for r in WorkRule.objects.for_company(company)}


def rules_with_default(*, company: Company) -> dict[int | None, WorkRule]:
    """company_rules with the defaults under None when the company saved no standard rule: for
    reading many employees at once (the defaults are made once, not once per employee)."""
    rules = company_rules(company=company)
    rules.setdefault(None, WorkRule(company=company))
    return rules


def rule_for(rules: dict[int | None, WorkRule], company: Company, employee: Employee | None) -> WorkRule:
    """The employee's employment type's rule, else the company's, else the defaults (9:00–18:00,
    60 minutes' break, Monday–Friday, Sunday the 法定休日 and the week's start, 祝日 off)."""
    if employee is not None and employee.employment_type_id in rules:
        return rules[employee.employment_type_id]
    return rules.get(None) or WorkRule(company=company)


def profile_of(*, company: Company, employee_id: int) -> AttendanceProfile | None:
    return AttendanceProfile.objects.for_company(company).filter(employee_id=employee_id).first()


def fixed_statutory_weekday(rule: WorkRule) -> bool:
    """Whether the rule names the 法定休日's weekday (else the week's rest days decide it)."""
    return rule.statutory_holiday_rule != StatutoryHolidayRule.LAST_REST_DAY


def statutory_holidays_by_week(
    rule: WorkRule, plan_at: dict[date, DayPlan], worked_days: set[date], start: date, end: date
) -> dict[date, DayPlan]:
    """``plan_at`` with the 法定休日 of each week start..end (whole weeks from the rule's 起算日)
    marked, where the rule names no weekday: the week's first rest day not worked, else its last
    rest day (``rules.statutory_holiday_of_week``). Under a fixed weekday, ``plan_at`` as it is."""
    if fixed_statutory_weekday(rule):
        return plan_at
    marked = dict(plan_at)
    week = start
    while week <= end:
        days = [week + timedelta(days=i) for i in range(7)]
        rest = [d for d in days if d in plan_at and plan_at[d].kind != "workday"]
        chosen = statutory_holiday_of_week(rest_days=rest, worked_days=worked_days)
        if chosen is not None:
            marked[chosen] = replace(plan_at[chosen], kind="statutory_holiday")
        week += timedelta(days=7)
    return marked


def day_kind(rule: WorkRule, day: date) -> str:
    """The day under the rule alone: 法定休日 (its weekday), 所定休日 (not a workday, or a 祝日 off),
    else a workday. Where the rule names no weekday, every rest day is a 所定休日 here and the
    week's worked days decide which is the 法定休日 (``statutory_holidays_by_week``)."""
    if fixed_statutory_weekday(rule) and day.weekday() == rule.statutory_holiday_weekday:
        return "statutory_holiday"
    if day.weekday() not in rule.workdays or (rule.national_holidays_off and is_holiday(day)):
        return "scheduled_holiday"
    return "workday"


@dataclass(frozen=True)
class DayPlan:
    """A day as planned: its kind, the planned minutes (所定 of the day; under フレックス the
    標準となる1日の労働時間), and the scheduled start and end (遅刻・早退, 残業申請)."""

    kind: str
    planned_minutes: int
    start: datetime | None
    end: datetime | None
    from_shift: bool = False
    shift_label: str = ""


def _minutes(start: datetime, end: datetime) -> int:
    return max((end - start) // timedelta(minutes=1), 0)


def plan_of(rule: WorkRule, day: date, shift: Any | None) -> DayPlan:
    """A published shift decides the day (a rest-day shift makes it a 所定休日, or the 法定休日 on
    the rule's weekday); without one, the rule does."""
    if shift is not None:
        if shift.is_rest_day:
            kind = (
                "statutory_holiday"
                if fixed_statutory_weekday(rule) and day.weekday() == rule.statutory_holiday_weekday
                else "scheduled_holiday"
            )
            return DayPlan(kind, 0, None, None, True, "休")
        start, end = shift.start_at.astimezone(TOKYO), shift.end_at.astimezone(TOKYO)
        planned = max(_minutes(start, end) - int(shift.break_minutes or 0), 0)
        label = f"{start:%H:%M}–{end:%H:%M}"
        return DayPlan("workday", planned, start, end, True, label)
    kind = day_kind(rule, day)
    if kind != "workday":
        return DayPlan(kind, 0, None, None)
    if rule.system == WorkSystem.FLEX:
        return DayPlan(kind, rule.flex_standard_minutes, None, None)
    start = datetime.combine(day, rule.start_time, TOKYO)
    end = datetime.combine(day, rule.end_time, TOKYO)
    if rule.end_time <= rule.start_time:
        end += timedelta(days=1)
    return DayPlan(kind, rule.scheduled_minutes, start, end)


def published_shifts(*, company: Company, employee_id: int, start: date, end: date) -> dict[date, Any]:
    """The employee's published shifts start..end by date (objects with start_at, end_at,
    break_minutes, is_rest_day): through ``shift_selectors.shifts_of`` when it exists (a shift
    changed since its publication is a draft again, and the rule decides the day until the table
    is published anew)."""
    found = _shifts_of(company=company, employee_id=employee_id, start=start, end=end)
    return {d: s for d, s in found.items() if s.published}


def published_shifts_on(*, company: Company, day: date, employee_ids: list[int]) -> dict[int, Any]:
    """The published shifts of one day by employee id, in one query (チームの勤怠)."""
    rows = Shift.objects.for_company(company).filter(
        date=day, employee_id__in=employee_ids, published_at__isnull=False
    )
    return {s.employee_id: s for s in rows}


@dataclass(frozen=True)
class DayLeave:
    """Leave taken on a day (approved): its type, paid or not, the unit (full 全日, am 午前半休,
    pm 午後半休, hours 時間単位) and the amount."""

    code: str
    name: str
    paid: bool
    unit: str
    days: Decimal
    hours: int


def leave_taken(*, company: Company, employee_id: int, start: date, end: date) -> dict[date, list[DayLeave]]:
    """Approved leave start..end by date (through ``leave_selectors.leave_days`` when it exists),
    one mark per leave type and unit (a day split over two grants is one mark). ``code`` is the
    leave's LeaveKind (annual, special, …)."""
    return _merged_leave(_leave_days(company=company, employee_id=employee_id, start=start, end=end))


def _merged_leave(days: Mapping[date, Iterable[Any]]) -> dict[date, list[DayLeave]]:
    merged: dict[tuple[date, str, str, str], DayLeave] = {}
    for day, marks in days.items():
        for m in marks:
            if not m.approved:
                continue
            key = (day, m.kind, m.type_name, m.unit)
            before = merged.get(key)
            merged[key] = DayLeave(
                code=m.kind,
                name=m.type_name,
                paid=m.paid,
                unit=m.unit,
                days=(before.days if before else Decimal(0)) + m.days,
                hours=(before.hours if before else 0) + m.hours,
            )
    taken: dict[date, list[DayLeave]] = defaultdict(list)
    for (day, *_rest), mark in merged.items():
        taken[day].append(mark)
    return dict(taken)


def leave_minutes(marks: Iterable[DayLeave], planned: int) -> tuple[int, bool, bool, bool]:
    """(minutes of the day's 所定 covered by leave, whole day, morning, afternoon). A half day covers
    half the planned minutes; an hour 60."""
    whole = morning = afternoon = False
    hours = 0
    for m in marks:
        if m.unit == "full" or m.days >= 1:
            whole = True
        elif m.unit == "am":
            morning = True
        elif m.unit == "pm":
            afternoon = True
        hours += m.hours
    if whole or (morning and afternoon):
        return planned, True, morning, afternoon
    covered = (planned // 2 if morning else 0) + (planned - planned // 2 if afternoon else 0) + hours * 60
    return min(covered, planned), False, morning, afternoon


def approved_overtime(
    *, company: Company, employee_id: int, start: date, end: date
) -> dict[date, list[tuple[datetime, datetime]]]:
    """Approved 残業申請 start..end by work date, as (start, end)."""
    result: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = OvertimeRequest.objects.for_company(company).filter(
        employee_id=employee_id, work_date__gte=start, work_date__lte=end, state=RequestState.APPROVED
    )
    for r in rows.order_by("start_at"):
        result[r.work_date].append((r.start_at, r.end_at))
    return dict(result)


# ------------------------------------------------------------------------------ many employees
@dataclass(frozen=True)
class InputsBatch:
    """The inputs of several employees' 出勤簿 over ``start``..``end`` read in one query each
    (punches, 勤怠設定, shifts, leave, approved 残業申請) — the month for everyone and a payroll run
    build thousands of months; one by one each costs five queries. ``build_timesheet`` takes what
    it needs from here when the batch covers the days it reads, else it reads them itself."""

    start: date
    end: date
    punches_by_employee: dict[int, list[Any]]
    profiles: dict[int, AttendanceProfile]
    shifts_by_employee: dict[int, dict[date, Any]]
    leave_by_employee: dict[int, dict[date, list[Any]]]
    overtime_by_employee: dict[int, dict[date, list[tuple[datetime, datetime]]]]

    def covers(self, start: date, end: date) -> bool:
        return self.start <= start and end <= self.end

    def punches(self, employee_id: int, start: date, end: date) -> list[Any]:
        return [p for p in self.punches_by_employee.get(employee_id, ()) if start <= p.work_date <= end]

    def shifts(self, employee_id: int, start: date, end: date) -> dict[date, Any]:
        found = self.shifts_by_employee.get(employee_id, {})
        return {d: s for d, s in found.items() if start <= d <= end and s.published}

    def leave(self, employee_id: int, start: date, end: date) -> dict[date, list[DayLeave]]:
        found = self.leave_by_employee.get(employee_id, {})
        return _merged_leave({d: marks for d, marks in found.items() if start <= d <= end})

    def overtime(
        self, employee_id: int, start: date, end: date
    ) -> dict[date, list[tuple[datetime, datetime]]]:
        found = self.overtime_by_employee.get(employee_id, {})
        return {d: spans for d, spans in found.items() if start <= d <= end}


def read_inputs_batch(*, company: Company, employee_ids: list[int], start: date, end: date) -> InputsBatch:
    """Five queries for any number of employees (keep the number to a few hundred: the punches of
    the days are held in memory)."""
    punches: dict[int, list[Any]] = defaultdict(list)
    for punch in (
        Punch.objects.for_company(company)
        .filter(
            employee_id__in=employee_ids, work_date__gte=start, work_date__lte=end, voided_at__isnull=True
        )
        .order_by("at", "pk")
    ):
        punches[punch.employee_id].append(punch)
    overtime: dict[int, dict[date, list[tuple[datetime, datetime]]]] = defaultdict(lambda: defaultdict(list))
    for r in (
        OvertimeRequest.objects.for_company(company)
        .filter(
            employee_id__in=employee_ids,
            work_date__gte=start,
            work_date__lte=end,
            state=RequestState.APPROVED,
        )
        .order_by("start_at")
    ):
        overtime[r.employee_id][r.work_date].append((r.start_at, r.end_at))
    return InputsBatch(
        start=start,
        end=end,
        punches_by_employee=dict(punches),
        profiles={
            p.employee_id: p
            for p in AttendanceProfile.objects.for_company(company).filter(employee_id__in=employee_ids)
        },
        shifts_by_employee=_shifts_of_many(company=company, employee_ids=employee_ids, start=start, end=end),
        leave_by_employee=_leave_days_of_many(
            company=company, employee_ids=employee_ids, start=start, end=end
        ),
        overtime_by_employee={pk: dict(days) for pk, days in overtime.items()},
    )


def clip_intervals(
    intervals: Iterable[tuple[datetime, datetime]], allowed: Iterable[tuple[datetime, datetime]]
) -> tuple[tuple[datetime, datetime], ...]:
    """The parts of ``intervals`` inside any of ``allowed`` (both in time order, no overlap within
    ``intervals``); ``allowed`` may overlap itself."""
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(allowed):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    result = []
    for start, end in intervals:
        for a, b in merged:
            lo, hi = max(start, a), min(end, b)
            if lo < hi:
                result.append((lo, hi))
    return tuple(result)
