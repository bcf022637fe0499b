"""出勤簿: an employee's month, day by day, from the punches, the employee's work rule, the shift
table and the leave taken; and the month's totals that payroll reads (``monthly_totals``, a frozen
dataclass, never this app's models).

How a day is reached (docs/domains/attendance.md):

- the punches give the worked intervals, to the minute and never against the worker
  (rules/punches.py); where the rule requires 残業申請, time before the scheduled start or after
  the scheduled end counts only where an approved request covers it (the rest is 未承認の時間外);
- the day's plan is a published shift, else the work rule of the employee's employment type (else
  the company's); leave taken lowers the 所定 still expected, a full day's leave is not 欠勤;
- the system splits the minutes: 通常 by the rule's weeks (``rules.split_week``, 労基法32条),
  1か月単位の変形 by its period (``rules.split_variable_period``, 32条の2), フレックス by the month
  (``rules.split_flex_month``, 32条の3); a 管理監督者 (41条2号) keeps 実労働 and 深夜 but has no
  時間外 or 法定休日労働 (``rules.exempt_supervisor``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from ennoshita.core.dates import holiday_name
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from . import rules
from .models import Punch, WorkRule, WorkSystem
from .rules import punches as punch_rules
from .rules.shifts import variable_period_of
from .rules.workday import TOKYO, DayMinutes, WorkDay, exempt_supervisor, split_week
from .selectors import employee_punches
from .timesheet_inputs import (
    DayLeave,
    DayPlan,
    InputsBatch,
    approved_overtime,
    clip_intervals,
    company_rules,
    day_kind,
    fixed_statutory_weekday,
    leave_minutes,
    leave_taken,
    plan_of,
    profile_of,
    published_shifts,
    read_inputs_batch,
    rule_for,
    rules_with_default,
    statutory_holidays_by_week,
)

OVERTIME_60 = 60 * 60  # 労基法37条1項ただし書: 時間外 beyond 60 hours a month, in minutes
READ_ALL_ROLES = ("admin", "hr")  # 人事 reads every employee's 出勤簿; others their own

__all__ = [
    "OVERTIME_60",
    "READ_ALL_ROLES",
    "Basis",
    "MonthlyTotals",
    "Timesheet",
    "TimesheetDay",
    "build_timesheet",
    "day_kind",
    "how_reached",
    "late_minutes",
    "month_for_everyone",
    "monthly_totals",
    "timesheet",
    "work_rule_of",
]


def work_rule_of(*, company: Company, employee: Employee | None = None) -> WorkRule:
    """The rule of the employee's employment type, else the company's standard; the defaults
    (9:00–18:00, 60 minutes' break, Monday–Friday, Sunday the 法定休日 and the week's start, 祝日
    off) until 人事 sets one. Without ``employee``: the company's standard."""
    return rule_for(company_rules(company=company), company, employee)


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
    late_minutes: int  # 遅刻: the first 出勤 after the scheduled start on a workday
    early_leave_minutes: int  # 早退: the last 退勤 before the scheduled end on a workday
    absent: bool  # 欠勤: a past workday in service without a punch nor a whole day's leave
    open: bool  # a 出勤 without its 退勤 (the day's time is incomplete)
    problems: tuple[str, ...]
    planned_minutes: int = 0  # the day's 所定 as planned (shift or rule; フレックス: 標準時間)
    expected_minutes: int = 0  # of it still expected after leave
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    from_shift: bool = False  # the plan comes from a published shift
    shift_label: str = ""
    leave: tuple[DayLeave, ...] = ()
    leave_minutes: int = 0  # 所定 covered by leave
    whole_day_leave: bool = False
    unapproved_minutes: int = 0  # 未承認の時間外: outside the scheduled time, no approved 残業申請
    core_missing_minutes: int = 0  # フレックス: コアタイム not worked


@dataclass(frozen=True)
class MonthlyTotals:
    """An employee's month for payroll, in minutes unless named otherwise. ``*_rounded`` are the
    month's totals rounded by 基発150号 (under 30 minutes down, 30 and over up); the others exact.
    Fields are only ever added (payroll reads them by name)."""

    employee_id: int
    month: date
    days_worked: int
    absences: int  # workdays without work nor a whole day's leave
    late_count: int
    late_minutes: int
    early_leave_count: int
    early_leave_minutes: int
    worked: int
    scheduled: int
    legal_overtime: int
    overtime: int  # 時間外 (by day, week and period), 法定休日 excluded
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
    system: str = WorkSystem.STANDARD  # the 労働時間制度 applied
    supervisor: bool = False  # 管理監督者: 時間外・休日 reported as 0, their minutes in ``exempt``
    exempt: int = 0
    overtime_daily: int = 0
    overtime_weekly: int = 0
    overtime_period: int = 0  # 変形期間 / 清算期間 の総枠を超えた時間外
    unapproved: int = 0  # 未承認の時間外 (not in any figure above)
    legal_total: int = 0  # 変形・フレックス: 40h × 暦日数 ÷ 7 of the month
    required_minutes: int = 0  # フレックス: 所定総労働時間 (workdays × 標準時間, before leave)
    shortfall: int = 0  # フレックス: 不足 (所定総労働時間 − 実労働 − leave)
    core_missing_days: int = 0  # フレックス: days with コアタイム missing
    leave_paid_days: Decimal = Decimal(0)
    leave_unpaid_days: Decimal = Decimal(0)
    leave_hours: int = 0
    leave_days: int = 0  # workdays with a whole day's leave
    leave_by_type: tuple[tuple[str, Decimal, int], ...] = field(default=())  # (code, days, hours)


@dataclass(frozen=True)
class Timesheet:
    employee: Employee
    month: date
    rule: WorkRule
    days: list[TimesheetDay]
    totals: MonthlyTotals
    supervisor: bool = False


def _minutes_between(earlier: datetime, later: datetime) -> int:
    return max((later - earlier) // timedelta(minutes=1), 0)


def late_minutes(rule: WorkRule, day: date, first_in: datetime, start: datetime | None = None) -> int:
    """遅刻: from the scheduled start (the rule's 始業 unless ``start`` is given) to the minute the
    day's first 出勤 falls in (0 when on time)."""
    begin = start if start is not None else datetime.combine(day, rule.start_time, TOKYO)
    return _minutes_between(begin, punch_rules.floor_minute(first_in))


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _weeks(rule: WorkRule, first: date, last: date) -> tuple[date, date]:
    """The first day of the week holding ``first`` and the last day of the week holding ``last``."""
    start = first - timedelta(days=(first.weekday() - rule.week_start_weekday) % 7)
    end = last + timedelta(days=6 - (last.weekday() - rule.week_start_weekday) % 7)
    return start, end


def variable_period(rule: WorkRule, day: date) -> tuple[date, date]:
    """The 変形期間 holding ``day``: from the rule's 起算日 to the day before the next month's (the
    shift table's warnings use the same periods)."""
    return variable_period_of(start_day=rule.variable_period_start_day, day=day)


def _window(rule: WorkRule, month: date, last: date) -> tuple[date, date]:
    if rule.system == WorkSystem.FLEX:
        return month, last
    if rule.system == WorkSystem.MONTHLY_VARIABLE:
        return variable_period(rule, month)[0], variable_period(rule, last)[1]
    return _weeks(rule, month, last)


@dataclass
class _Prepared:
    plan: DayPlan
    leave: tuple[DayLeave, ...]
    covered: int  # 所定 covered by leave
    whole: bool
    morning: bool
    afternoon: bool
    intervals: tuple[tuple[datetime, datetime], ...]
    unapproved: int

    @property
    def expected(self) -> int:
        return self.plan.planned_minutes - self.covered


def _split(
    rule: WorkRule, start: date, end: date, prepared: dict[date, _Prepared], plan_at: dict[date, DayPlan]
) -> dict[date, DayMinutes]:
    """Each day start..end by kind under the rule's system (the window is whole weeks, periods or
    the month, as ``_window`` gives it)."""

    def work_day(d: date) -> WorkDay:
        p = prepared[d]
        return WorkDay(work_date=d, intervals=p.intervals, scheduled_minutes=p.expected, kind=p.plan.kind)

    def holiday_after(d: date) -> set[date]:
        after = d + timedelta(days=1)
        return {after} if plan_at[after].kind == "statutory_holiday" else set()

    split: dict[date, DayMinutes] = {}
    if rule.system == WorkSystem.FLEX:
        dates = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        required = sum(prepared[d].expected for d in dates if prepared[d].plan.kind == "workday")
        for m in rules.split_flex_month(
            days=[work_day(d) for d in dates],
            required_minutes=required,
            statutory_holidays=holiday_after(end),
        ):
            split[m.work_date] = m
    elif rule.system == WorkSystem.MONTHLY_VARIABLE:
        first = start
        while first <= end:
            last = variable_period(rule, first)[1]
            dates = [first + timedelta(days=i) for i in range((last - first).days + 1)]
            for m in rules.split_variable_period(
                days=[work_day(d) for d in dates],
                planned={d: plan_at[d].planned_minutes for d in dates},
                week_start_weekday=rule.week_start_weekday,
                statutory_holidays=holiday_after(last),
            ):
                split[m.work_date] = m
            first = last + timedelta(days=1)
    else:
        week = start
        while week <= end:
            dates = [week + timedelta(days=i) for i in range(7)]
            # a Saturday shift may run into the next week's 法定休日
            for m in split_week(
                days=[work_day(d) for d in dates], statutory_holidays=holiday_after(dates[-1])
            ):
                split[m.work_date] = m
            week += timedelta(days=7)
    return split


def _core_missing(rule: WorkRule, day: date, intervals: tuple[tuple[datetime, datetime], ...]) -> int:
    """フレックス: the minutes of the day's コアタイム outside the time from the first 出勤 to the last
    退勤 (a break inside the コアタイム is not missing it)."""
    if rule.core_start is None or rule.core_end is None or not intervals:
        return 0
    core = (datetime.combine(day, rule.core_start, TOKYO), datetime.combine(day, rule.core_end, TOKYO))
    inside = clip_intervals([(intervals[0][0], intervals[-1][1])], [core])
    return _minutes_between(*core) - punch_rules.worked_minutes(inside)


def build_timesheet(
    *,
    company: Company,
    employee: Employee,
    month: date,
    today: date | None = None,
    rules_by_type: dict[int | None, WorkRule] | None = None,
    batch: InputsBatch | None = None,
) -> Timesheet:
    """The month's 出勤簿 (no permission check: callers check). ``rules_by_type`` (from
    ``timesheet_inputs.company_rules``) saves a query when many employees are built, and ``batch``
    (``timesheet_inputs.read_inputs_batch``) the five reads of each employee's inputs."""
    month = month.replace(day=1)
    today = today or timezone.localdate()
    rule = rule_for(
        rules_by_type if rules_by_type is not None else company_rules(company=company), company, employee
    )
    profile = (
        batch.profiles.get(employee.pk)
        if batch is not None
        else profile_of(company=company, employee_id=employee.pk)
    )
    supervisor = bool(profile is not None and profile.is_supervisor)
    flex = rule.system == WorkSystem.FLEX
    last = _month_end(month)
    start, end = _window(rule, month, last)
    # the days whose plan is read: the window and the day after it (a shift running into it);
    # where the rule names no 法定休日 weekday, the whole weeks around them, whose worked rest days
    # decide which day is the 法定休日
    read_from, read_to = (
        (start, end + timedelta(days=1))
        if fixed_statutory_weekday(rule)
        else _weeks(rule, start, end + timedelta(days=1))
    )

    if batch is not None and not batch.covers(read_from, read_to):
        batch = None  # a period reaching outside what was read: read this employee's own
    by_day: dict[date, list[Punch]] = defaultdict(list)
    punches = (
        batch.punches(employee.pk, read_from, read_to)
        if batch is not None
        else employee_punches(company=company, employee_id=employee.pk, start=read_from, end=read_to)
    )
    for punch in punches:
        by_day[punch.work_date].append(punch)
    found = {d: punch_rules.day_intervals([(p.kind, p.at) for p in ps]) for d, ps in by_day.items()}
    if batch is not None:
        shifts = batch.shifts(employee.pk, read_from, read_to)
        leave = batch.leave(employee.pk, start, end)
    else:
        shifts = published_shifts(company=company, employee_id=employee.pk, start=read_from, end=read_to)
        leave = leave_taken(company=company, employee_id=employee.pk, start=start, end=end)
    # 残業申請: where the rule requires it (not under フレックス, where the worker sets the times,
    # nor for a 管理監督者, who has no 時間外)
    needs_approval = rule.overtime_requires_approval and not flex and not supervisor
    approved: dict[date, list[tuple[datetime, datetime]]] = {}
    if needs_approval:
        approved = (
            batch.overtime(employee.pk, start, end)
            if batch is not None
            else approved_overtime(company=company, employee_id=employee.pk, start=start, end=end)
        )

    plan_at: dict[date, DayPlan] = {}
    prepared: dict[date, _Prepared] = {}
    day = read_from
    while day <= read_to:
        plan_at[day] = plan_of(rule, day, shifts.get(day))
        day += timedelta(days=1)
    plan_at = statutory_holidays_by_week(
        rule, plan_at, {d for d, f in found.items() if f.intervals}, read_from, read_to
    )
    day = start
    while day <= end:
        plan = plan_at[day]
        marks = tuple(leave.get(day, ()))
        covered, whole, morning, afternoon = (
            leave_minutes(marks, plan.planned_minutes) if plan.kind == "workday" else (0, False, False, False)
        )
        intervals = found[day].intervals if day in found else ()
        unapproved = 0
        if needs_approval and intervals:
            allowed = list(approved.get(day, []))
            if plan.start is not None and plan.end is not None and not whole:
                allowed.append((plan.start, plan.end))
            clipped = clip_intervals(intervals, allowed)
            unapproved = punch_rules.worked_minutes(intervals) - punch_rules.worked_minutes(clipped)
            intervals = clipped
        prepared[day] = _Prepared(plan, marks, covered, whole, morning, afternoon, intervals, unapproved)
        day += timedelta(days=1)

    split = _split(rule, start, end, prepared, plan_at)
    if supervisor:
        split = {d: exempt_supervisor(m) for d, m in split.items()}

    rows: list[TimesheetDay] = []
    day = month
    while day <= last:
        p = prepared[day]
        kind = p.plan.kind
        punches = by_day.get(day, [])
        day_found = found.get(day)
        ins = [x.at for x in punches if x.kind == punch_rules.IN]
        outs = [x.at for x in punches if x.kind == punch_rules.OUT]
        in_service = employee.hire_date <= day and (
            employee.retire_date is None or day <= employee.retire_date
        )
        # 遅刻・早退: not under フレックス (the worker sets the times) nor for a 管理監督者; a half day
        # taken waives its half, hours taken cover the late or early minutes first
        timed = kind == "workday" and not flex and not supervisor and not p.whole
        hourly = sum(m.hours for m in p.leave if m.unit == "hours") * 60
        late = early = 0
        if timed and ins and not p.morning:
            late = late_minutes(rule, day, ins[0], p.plan.start)
            used = min(late, hourly)
            late, hourly = late - used, hourly - used
        if timed and outs and day_found is not None and day_found.open_since is None and not p.afternoon:
            end_at = p.plan.end or datetime.combine(day, rule.end_time, TOKYO)
            early = max(_minutes_between(punch_rules.ceil_minute(outs[-1]), end_at) - hourly, 0)
        core_missing = 0
        problems = list(day_found.problems) if day_found else []
        if flex and kind == "workday" and day_found is not None and not (p.whole or p.morning or p.afternoon):
            core_missing = _core_missing(rule, day, day_found.intervals)
            if core_missing:
                problems.append(
                    f"コアタイムに勤務していない時間が{core_missing}分あります(労使協定のコアタイム)。"
                )
        rows.append(
            TimesheetDay(
                work_date=day,
                kind=kind,
                holiday_name=holiday_name(day) or "",
                in_service=in_service,
                punches=punches,
                first_in=ins[0] if ins else None,
                last_out=outs[-1] if outs else None,
                break_minutes=punch_rules.worked_minutes(day_found.breaks) if day_found else 0,
                minutes=split[day],
                late_minutes=late,
                early_leave_minutes=early,
                absent=kind == "workday" and in_service and not punches and day < today and not p.whole,
                open=day_found is not None and day_found.open_since is not None,
                problems=tuple(problems),
                planned_minutes=p.plan.planned_minutes,
                expected_minutes=p.expected,
                scheduled_start=p.plan.start,
                scheduled_end=p.plan.end,
                from_shift=p.plan.from_shift,
                shift_label=p.plan.shift_label,
                leave=p.leave,
                leave_minutes=p.covered,
                whole_day_leave=p.whole,
                unapproved_minutes=p.unapproved,
                core_missing_minutes=core_missing,
            )
        )
        day += timedelta(days=1)
    totals = _totals(employee.pk, month, rows, rule=rule, supervisor=supervisor)
    return Timesheet(
        employee=employee, month=month, rule=rule, days=rows, totals=totals, supervisor=supervisor
    )


def _totals(
    employee_id: int, month: date, rows: list[TimesheetDay], *, rule: WorkRule, supervisor: bool
) -> MonthlyTotals:
    def total(name: str) -> int:
        return sum(getattr(r.minutes, name) for r in rows)

    overtime = total("overtime")
    holiday = total("holiday")
    night = total("night")
    worked = total("worked")
    flex = rule.system == WorkSystem.FLEX
    in_service_workdays = [r for r in rows if r.kind == "workday" and r.in_service]
    required = sum(r.planned_minutes for r in in_service_workdays) if flex else 0
    expected = sum(r.expected_minutes for r in in_service_workdays) if flex else 0
    paid = unpaid = Decimal(0)
    leave_hours = 0
    by_type: dict[str, tuple[Decimal, int]] = {}
    for r in rows:
        for m in r.leave:
            if m.paid:
                paid += m.days
            else:
                unpaid += m.days
            leave_hours += m.hours
            days, hours = by_type.get(m.code, (Decimal(0), 0))
            by_type[m.code] = (days + m.days, hours + m.hours)
    return MonthlyTotals(
        employee_id=employee_id,
        month=month,
        days_worked=sum(1 for r in rows if r.minutes.worked > 0),
        absences=sum(1 for r in rows if r.absent),
        late_count=sum(1 for r in rows if r.late_minutes),
        late_minutes=sum(r.late_minutes for r in rows),
        early_leave_count=sum(1 for r in rows if r.early_leave_minutes),
        early_leave_minutes=sum(r.early_leave_minutes for r in rows),
        worked=worked,
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
        system=rule.system,
        supervisor=supervisor,
        exempt=total("exempt"),
        overtime_daily=total("overtime_daily"),
        overtime_weekly=total("overtime_weekly"),
        overtime_period=total("overtime_period"),
        unapproved=sum(r.unapproved_minutes for r in rows),
        legal_total=rules.period_legal_total(len(rows)) if rule.system != WorkSystem.STANDARD else 0,
        required_minutes=required,
        shortfall=max(expected - (worked - holiday), 0) if flex else 0,
        core_missing_days=sum(1 for r in rows if r.core_missing_minutes),
        leave_paid_days=paid,
        leave_unpaid_days=unpaid,
        leave_hours=leave_hours,
        leave_days=sum(1 for r in rows if r.whole_day_leave),
        leave_by_type=tuple((code, d, h) for code, (d, h) in sorted(by_type.items())),
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


@dataclass(frozen=True)
class Basis:
    """One figure of the month with how it was reached and the provision it applies."""

    label: str
    minutes: int | None
    how: str
    rule: str


def how_reached(sheet: Timesheet) -> list[Basis]:
    """The month's figures with the system applied and the rule of each (the 出勤簿's 「計算の根拠」)."""
    t, rule = sheet.totals, sheet.rule
    system = WorkSystem(rule.system)
    rows = [
        Basis(
            "実労働",
            t.worked,
            "打刻の出勤から退勤まで、休憩を除き分単位(分未満を労働者の不利に切り捨てない)",
            "労基法24条・37条、昭63.3.14基発150号",
        ),
    ]
    if t.unapproved:
        rows.append(
            Basis(
                "未承認の時間外",
                t.unapproved,
                "始業前・終業後で承認された残業申請のない時間。集計に含めない",
                "就業規則(残業の承認制)",
            )
        )
    if system == WorkSystem.FLEX:
        rows += [
            Basis(
                "所定総労働時間",
                t.required_minutes,
                f"労働日 × 標準となる1日の労働時間({rule.flex_standard_minutes}分)",
                "労基法32条の3(労使協定)",
            ),
            Basis(
                "法定労働時間の総枠",
                t.legal_total,
                f"40時間 × 暦日数({len(sheet.days)}日) ÷ 7(分未満切捨て)",
                "労基法32条の3第2項",
            ),
            Basis(
                "時間外",
                t.overtime,
                "法定休日を除く月の実労働が総枠を超えた時間(日・週の時間外はない)",
                "労基法32条の3、37条",
            ),
            Basis("不足", t.shortfall, "所定総労働時間 − 実労働 − 休暇", "労使協定(清算期間1か月)"),
        ]
    elif system == WorkSystem.MONTHLY_VARIABLE:
        rows += [
            Basis(
                "時間外(日)",
                t.overtime_daily,
                "予定が8時間を超える日は予定を、それ以外は8時間を超えた時間",
                "労基法32条の2、昭63.1.1基発1号・平9.3.25基発195号",
            ),
            Basis(
                "時間外(週)",
                t.overtime_weekly,
                "予定が40時間を超える週は予定を、それ以外は40時間を超えた時間(日の時間外を除く)",
                "同上",
            ),
            Basis(
                "時間外(変形期間)",
                t.overtime_period,
                f"変形期間の総枠 40時間 × 暦日数 ÷ 7 を超えた時間(日・週の時間外を除く。この月 {t.legal_total}分)",
                "同上",
            ),
        ]
    else:
        rows += [
            Basis("時間外(日)", t.overtime_daily, "1日8時間を超えた時間", "労基法32条2項"),
            Basis(
                "時間外(週)",
                t.overtime_weekly,
                f"週({'月火水木金土日'[rule.week_start_weekday]}曜起算)40時間を超えた時間(日の時間外を除く)",
                "労基法32条1項、昭63.1.1基発1号",
            ),
        ]
    rows += [
        Basis("時間外 合計", t.overtime, "うち60時間を超える部分は50%", "労基法37条1項ただし書"),
        Basis("法定内残業", t.legal_overtime, "所定を超え法定労働時間以内(割増は法律上不要)", "労基法32条"),
        Basis(
            "法定休日労働",
            t.holiday,
            "法定休日(暦日)の労働。時間外に含めない",
            "労基法35条・37条、昭23.4.5基発535号",
        ),
        Basis("深夜", t.night, "22時〜5時の労働(時間外・休日の中でも)", "労基法37条4項"),
        Basis(
            "月の端数処理",
            None,
            "時間外・休日・深夜の月合計を30分未満切捨て・30分以上切上げ(1日ごとの丸めはしない)",
            "昭63.3.14基発150号",
        ),
    ]
    if sheet.supervisor:
        rows.append(
            Basis(
                "管理監督者",
                t.exempt,
                "時間外・休日労働として数えない時間(実労働には含む)。深夜は数える",
                "労基法41条2号、最判平21.12.18",
            )
        )
    if t.leave_days or t.leave_hours or t.leave_paid_days or t.leave_unpaid_days:
        rows.append(
            Basis(
                "休暇",
                None,
                f"有給 {t.leave_paid_days}日・無給 {t.leave_unpaid_days}日・時間単位 {t.leave_hours}時間。全日の休暇の日は欠勤にしない",
                "労基法39条、就業規則",
            )
        )
    return rows


def month_for_everyone(*, company: Company, month: date, today: date | None = None) -> Iterator[Timesheet]:
    """Every employee in service on any day of the month (those hired or retiring within it
    included), their month built one by one (人事's export; the caller checks the role)."""
    month = month.replace(day=1)
    last = _month_end(month)
    yield from timesheets_of(
        company=company, employees=_employees_overlapping(company, month, last), month=month, today=today
    )


# the days a batch reads around a month: a 変形期間 or 清算期間 that began in the month before, and
# the whole weeks at both ends (a month outside this is read employee by employee)
BATCH_BEFORE = timedelta(days=45)
BATCH_AFTER = timedelta(days=8)
BATCH_SIZE = 300


def timesheets_of(
    *,
    company: Company,
    employees: list[Employee],
    month: date,
    today: date | None = None,
    rules_by_type: dict[int | None, WorkRule] | None = None,
) -> Iterator[Timesheet]:
    """The month's 出勤簿 of each of ``employees`` in their order, their inputs read a few hundred
    at a time (``timesheet_inputs.read_inputs_batch``): the same figures as ``build_timesheet`` one
    by one, in about five queries per few hundred people instead of five per person."""
    month = month.replace(day=1)
    last = _month_end(month)
    rules_by_type = rules_by_type if rules_by_type is not None else rules_with_default(company=company)
    for i in range(0, len(employees), BATCH_SIZE):
        chunk = employees[i : i + BATCH_SIZE]
        batch = read_inputs_batch(
            company=company,
            employee_ids=[e.pk for e in chunk],
            start=month - BATCH_BEFORE,
            end=last + BATCH_AFTER,
        )
        for employee in chunk:
            yield build_timesheet(
                company=company,
                employee=employee,
                month=month,
                today=today,
                rules_by_type=rules_by_type,
                batch=batch,
            )


def _employees_overlapping(company: Company, start: date, end: date) -> list[Employee]:
    seen: dict[int, Employee] = {}
    for as_of in (start, end):
        for e in people_selectors.employees_in_service(company=company, as_of=as_of):
            seen.setdefault(e.pk, e)
    return sorted(seen.values(), key=lambda e: e.number)
