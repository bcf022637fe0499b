"""シフト reads: patterns, a department's monthly table (with its warnings and what changed since
it was published), one's own published month, the swaps, and ``shifts_of`` — an employee's
planned days for the 出勤簿 (scheduled times under the 変形労働時間制)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from ennoshita.core.dates import holiday_name
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, Role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee
from ennoshita.people.selectors.headcount import departments_headed_by

from .closing_selectors import locked_months
from .models import (
    LeaveTaking,
    RestDayRule,
    Shift,
    ShiftPattern,
    ShiftSettings,
    ShiftSwap,
    ShiftTable,
    WorkRule,
    WorkSystem,
)
from .rules import shifts as shift_rules
from .rules.shifts import REST_CODE, PlannedDay, ShiftWarning
from .rules.workday import TOKYO

TABLE_ALL_ROLES = (Role.ADMIN, Role.HR)  # 人事 and admins keep every department's table
PATTERN_ROLES = (Role.ADMIN, Role.HR)  # who keeps the patterns
WEEKDAYS = "月火水木金土日"


# ------------------------------------------------------------------------------ who may do what
def editable_department_ids(*, company: Company, membership: Membership) -> list[int] | None:
    """None: every department (人事, admins); else the departments the member heads (所属長), with
    those below them; empty for anyone else."""
    if membership.has_any_role(*TABLE_ALL_ROLES):
        return None
    return departments_headed_by(company=company, user_id=membership.user_id, as_of=timezone.localdate())


def can_edit_table(*, company: Company, membership: Membership, department_id: int) -> bool:
    ids = editable_department_ids(company=company, membership=membership)
    return ids is None or department_id in ids


def can_use_tables(*, company: Company, membership: Membership) -> bool:
    ids = editable_department_ids(company=company, membership=membership)
    return ids is None or bool(ids)


def table_departments(*, company: Company, membership: Membership) -> list[tuple[int, str]]:
    """The departments whose table the member may open, in the tree's order."""
    ids = editable_department_ids(company=company, membership=membership)
    return [
        (d.pk, d.name)
        for d, _depth in people_selectors.department_tree(company=company)
        if ids is None or d.pk in ids
    ]


# ------------------------------------------------------------------------------ patterns, settings
def patterns(*, company: Company, include_inactive: bool = False) -> QuerySet[ShiftPattern]:
    qs = ShiftPattern.objects.for_company(company)
    return qs if include_inactive else qs.filter(is_active=True)


def get_pattern(*, company: Company, pattern_id: int) -> ShiftPattern:
    found = ShiftPattern.objects.for_company(company).filter(pk=pattern_id).first()
    if found is None:
        raise NotFound()
    return found


def shift_settings_of(*, company: Company) -> ShiftSettings:
    found = ShiftSettings.objects.for_company(company).first()
    return found if found is not None else ShiftSettings(company=company)


# ------------------------------------------------------------------------------ cells
def cell_code(shift: Shift, codes: Mapping[int, str]) -> str:
    """What a table cell shows: the pattern's code, 休, or (times without a pattern) "*"."""
    if shift.is_rest_day:
        return REST_CODE
    if shift.pattern_id is not None:
        return codes.get(shift.pattern_id, "*")
    return "*"


def planned_day(shift: Shift) -> PlannedDay:
    return PlannedDay(start_at=shift.start_at, end_at=shift.end_at, break_minutes=shift.break_minutes)


def month_end(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def full_leave_days(
    *, company: Company, employee_ids: Iterable[int], start: date, end: date
) -> dict[tuple[int, date], str]:
    """(employee id, date) → leave type name for every day of approved leave of a whole day
    (half days and hours leave the rest of the day to work)."""
    rows = (
        LeaveTaking.objects.for_company(company)
        .filter(employee_id__in=list(employee_ids), date__gte=start, date__lte=end, approved=True)
        .values("employee_id", "date", "leave_type__name")
        .annotate(total=Sum("days"))
    )
    out: dict[tuple[int, date], str] = {}
    totals: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    for row in rows:
        key = (row["employee_id"], row["date"])
        totals[key] += row["total"] or Decimal(0)
        out.setdefault(key, row["leave_type__name"])
    return {k: v for k, v in out.items() if totals[k] >= 1}


def _systems(company: Company, employees: Iterable[Employee]) -> tuple[dict[int, int], WorkRule]:
    """employee id → the 起算日 of their 変形期間, for those whose rule (their employment type's,
    else the company's, as on the 出勤簿) is the 1か月単位の変形労働時間制; and the company's
    standard rule."""
    rules = list(WorkRule.objects.for_company(company))
    standard = next((r for r in rules if r.employment_type_id is None), None) or WorkRule(company=company)
    by_type = {r.employment_type_id: r for r in rules if r.employment_type_id is not None}
    starts = {}
    for e in employees:
        rule = by_type.get(e.employment_type_id, standard)
        if rule.system == WorkSystem.MONTHLY_VARIABLE:
            starts[e.pk] = rule.variable_period_start_day
    return starts, standard


# ------------------------------------------------------------------------------ the table
@dataclass(frozen=True)
class TableDay:
    day: date
    weekday: str
    weekday_index: int
    holiday: str


@dataclass(frozen=True)
class TableCell:
    day: date
    code: str  # "" empty, 休, a pattern code
    changed: bool  # differs from what was published
    leave: str  # approved whole-day leave (its type), if any
    closed: bool  # the month is closed for the employee
    in_service: bool


@dataclass(frozen=True)
class TableRow:
    employee_id: int
    number: str
    name: str
    variable: bool  # on the 1か月単位の変形労働時間制
    cells: list[TableCell]
    planned_minutes: int
    rest_days: int
    warnings: list[ShiftWarning]

    @property
    def planned_label(self) -> str:
        return f"{self.planned_minutes // 60}:{self.planned_minutes % 60:02d}"


@dataclass(frozen=True)
class ShiftTableView:
    department_id: int
    department_name: str
    month: date
    days: list[TableDay]
    rows: list[TableRow]
    patterns: list[ShiftPattern]
    revision: int
    published_at: datetime | None
    changed_cells: int  # cells that differ from the published table
    can_edit: bool
    departments: list[tuple[int, str]] = field(default_factory=list)

    @property
    def warning_count(self) -> int:
        return sum(len(r.warnings) for r in self.rows)

    @property
    def needs_publishing(self) -> bool:
        return self.published_at is None or self.changed_cells > 0


def _department(company: Company, membership: Membership, department_id: int) -> Any:
    department = people_selectors.get_department(company=company, department_id=department_id)
    if not can_edit_table(company=company, membership=membership, department_id=department.pk):
        if not can_use_tables(company=company, membership=membership):
            raise PermissionDeniedError()
        raise NotFound()
    return department


def table_employees(*, company: Company, department_id: int, month: date) -> list[Employee]:
    """The department's employees in service at some time in the month (placed there on its first
    or its last day), in 社員番号 order."""
    seen: dict[int, Employee] = {}
    for as_of in (month, month_end(month)):
        for e in people_selectors.employees_in_service(
            company=company, as_of=as_of, department_ids=[department_id]
        ):
            seen.setdefault(e.pk, e)
    return sorted(seen.values(), key=lambda e: e.number)


def in_service(employee: Employee, day: date) -> bool:
    return employee.hire_date <= day and (employee.retire_date is None or employee.retire_date >= day)


def table_of(*, company: Company, department_id: int, month: date) -> ShiftTable | None:
    return ShiftTable.objects.for_company(company).filter(department_id=department_id, month=month).first()


def current_cells(
    *, company: Company, employee_ids: Iterable[int], start: date, end: date
) -> dict[int, dict[date, Shift]]:
    out: dict[int, dict[date, Shift]] = defaultdict(dict)
    for s in Shift.objects.for_company(company).filter(
        employee_id__in=list(employee_ids), date__gte=start, date__lte=end
    ):
        out[s.employee_id][s.date] = s
    return out


@dataclass(frozen=True)
class WarningContext:
    """What the warnings of a table need besides the cells (read once per table)."""

    period_start_day: dict[int, int]  # employee id → 起算日, for those on the 変形労働時間制
    week_start_weekday: int
    four_weeks_from: date | None
    min_rest_minutes: int

    def variable(self, employee_id: int) -> bool:
        """On the 1か月単位の変形労働時間制 (労基法32条の2)."""
        return employee_id in self.period_start_day


def warning_context(*, company: Company, employees: Iterable[Employee]) -> WarningContext:
    starts, standard = _systems(company, employees)
    settings_row = shift_settings_of(company=company)
    four = None
    if settings_row.rest_rule == RestDayRule.FOUR_WEEKS:
        four = settings_row.four_week_start or date(2000, 1, 2)  # a Sunday, when no 起算日 is given
    return WarningContext(starts, standard.week_start_weekday, four, settings_row.min_rest_minutes)


def employee_warnings(
    *, ctx: WarningContext, employee_id: int, month: date, plan: Mapping[date, PlannedDay]
) -> list[ShiftWarning]:
    """The warnings of the employee's month. ``plan`` holds the days read around it (context_range):
    whole weeks, and under the 変形労働時間制 every day of the 変形期間 overlapping the month."""
    known_from = min([month, *plan.keys()])
    known_to = max([month_end(month), *plan.keys()])
    return shift_rules.month_warnings(
        plan=plan,
        start=month,
        end=month_end(month),
        variable=ctx.variable(employee_id),
        period_start_day=ctx.period_start_day.get(employee_id, 1),
        week_start_weekday=ctx.week_start_weekday,
        four_weeks_from=ctx.four_weeks_from,
        min_rest_minutes=ctx.min_rest_minutes,
        known_from=known_from,
        known_to=known_to,
    )


def context_range(month: date, ctx: WarningContext) -> tuple[date, date]:
    """The days read around the month: whole weeks (or 4-week periods), the day before, and every
    day of the 変形期間 overlapping the month (労基法32条の2: a period from the 16th reaches into the
    months before and after; its saved shifts there count toward its frame)."""
    start, end = month, month_end(month)
    if ctx.four_weeks_from is not None:
        offset = (start - ctx.four_weeks_from).days // 28
        first = ctx.four_weeks_from + timedelta(days=28 * offset)
        last = first
        while last + timedelta(days=27) < end:
            last += timedelta(days=28)
        last += timedelta(days=27)
    else:
        first = start - timedelta(days=(start.weekday() - ctx.week_start_weekday) % 7)
        last = end + timedelta(days=(ctx.week_start_weekday - 1 - end.weekday()) % 7)
    for start_day in set(ctx.period_start_day.values()):
        periods = shift_rules.variable_periods(start_day=start_day, start=start, end=end)
        first, last = min(first, periods[0][0]), max(last, periods[-1][1])
    return min(first, start - timedelta(days=1)), last


def shift_table(
    *, company: Company, membership: Membership, department_id: int, month: date
) -> ShiftTableView:
    """The month's grid: each employee × each day, with the changes since publishing, approved
    leave, closed months and the warnings of rules/shifts.py. 404 for a department the reader may
    not keep (403 for someone who keeps none)."""
    month = month.replace(day=1)
    department = _department(company, membership, department_id)
    employees = table_employees(company=company, department_id=department.pk, month=month)
    ids = [e.pk for e in employees]
    end = month_end(month)
    ctx = warning_context(company=company, employees=employees)
    first, last = context_range(month, ctx)
    cells = current_cells(company=company, employee_ids=ids, start=first, end=last)
    all_patterns = list(patterns(company=company, include_inactive=True))
    codes = {p.pk: p.code for p in all_patterns}
    table = table_of(company=company, department_id=department.pk, month=month)
    published = table.published_cells if table is not None else {}
    leave = full_leave_days(company=company, employee_ids=ids, start=month, end=end)
    closed = locked_months(company=company, employee_ids=set(ids), start=month, end=end) if ids else set()
    days = [
        TableDay(d, WEEKDAYS[d.weekday()], d.weekday(), holiday_name(d) or "")
        for d in shift_rules.days_of_month(month)
    ]
    rows = []
    changed_count = 0
    for e in employees:
        mine = cells.get(e.pk, {})
        was = published.get(str(e.pk), {}) if table is not None and table.published_at else None
        row_cells = []
        for td in days:
            shift = mine.get(td.day)
            code = cell_code(shift, codes) if shift is not None else ""
            changed = was is not None and was.get(td.day.isoformat(), "") != code
            changed_count += int(changed)
            row_cells.append(
                TableCell(
                    day=td.day,
                    code=code,
                    changed=changed,
                    leave=leave.get((e.pk, td.day), ""),
                    closed=(e.pk, month) in closed,
                    in_service=in_service(e, td.day),
                )
            )
        plan = {d: planned_day(s) for d, s in mine.items()}
        in_month = [s for d, s in mine.items() if month <= d <= end]
        rows.append(
            TableRow(
                employee_id=e.pk,
                number=e.number,
                name=f"{e.family_name} {e.given_name}",
                variable=ctx.variable(e.pk),
                cells=row_cells,
                planned_minutes=sum(planned_day(s).work_minutes for s in in_month),
                rest_days=sum(1 for c in row_cells if c.code in ("", REST_CODE) and c.in_service),
                warnings=employee_warnings(ctx=ctx, employee_id=e.pk, month=month, plan=plan),
            )
        )
    return ShiftTableView(
        department_id=department.pk,
        department_name=department.name,
        month=month,
        days=days,
        rows=rows,
        patterns=[p for p in all_patterns if p.is_active],
        revision=table.revision if table is not None else 0,
        published_at=table.published_at if table is not None else None,
        changed_cells=changed_count,
        can_edit=True,
        departments=table_departments(company=company, membership=membership),
    )


def check_cells(
    *,
    company: Company,
    membership: Membership,
    department_id: int,
    month: date,
    cells: Mapping[int, Mapping[date, str]],
) -> dict[int, list[ShiftWarning]]:
    """The warnings the table would have with ``cells`` (a table being edited, not yet saved):
    employee id → warnings. Unknown codes are ignored here (the save refuses them)."""
    month = month.replace(day=1)
    department = _department(company, membership, department_id)
    employees = table_employees(company=company, department_id=department.pk, month=month)
    ctx = warning_context(company=company, employees=employees)
    first, last = context_range(month, ctx)
    stored = current_cells(company=company, employee_ids=[e.pk for e in employees], start=first, end=last)
    by_code = {p.code: p for p in patterns(company=company, include_inactive=True)}
    end = month_end(month)
    out: dict[int, list[ShiftWarning]] = {}
    for e in employees:
        plan = {d: planned_day(s) for d, s in stored.get(e.pk, {}).items() if not month <= d <= end}
        for d, code in (cells.get(e.pk) or {}).items():
            if not month <= d <= end:
                continue
            pattern = by_code.get(code)
            if pattern is not None:
                start_at, end_at = shift_rules.shift_times(d, pattern.start_time, pattern.end_time)
                plan[d] = PlannedDay(start_at, end_at, pattern.break_minutes)
            elif code == REST_CODE:
                plan[d] = PlannedDay()
        out[e.pk] = employee_warnings(ctx=ctx, employee_id=e.pk, month=month, plan=plan)
    return out


# ------------------------------------------------------------------------------ for other parts
@dataclass(frozen=True)
class PlannedShift:
    """An employee's planned day: a working shift (start, end, break) or a rest day."""

    start_at: datetime | None
    end_at: datetime | None
    break_minutes: int
    is_rest_day: bool
    pattern_code: str
    pattern_name: str
    published: bool  # shown to the employee as it is (published and not changed since)

    @property
    def planned_minutes(self) -> int:
        return PlannedDay(self.start_at, self.end_at, self.break_minutes).work_minutes


def shifts_of(*, company: Company, employee_id: int, start: date, end: date) -> dict[date, PlannedShift]:
    """The employee's planned days start..end (days without a shift are absent), in one query.
    For the 出勤簿: the scheduled times of a day under the 変形労働時間制 (a shift that crosses
    midnight is the day it starts)."""
    out: dict[date, PlannedShift] = {}
    for s in (
        Shift.objects.for_company(company)
        .filter(employee_id=employee_id, date__gte=start, date__lte=end)
        .select_related("pattern")
        .order_by("date")
    ):
        out[s.date] = _planned(s)
    return out


def shifts_of_many(
    *, company: Company, employee_ids: Iterable[int], start: date, end: date
) -> dict[int, dict[date, PlannedShift]]:
    """``shifts_of`` for several employees in one query (the month for everyone, payroll)."""
    out: dict[int, dict[date, PlannedShift]] = defaultdict(dict)
    for s in (
        Shift.objects.for_company(company)
        .filter(employee_id__in=list(employee_ids), date__gte=start, date__lte=end)
        .select_related("pattern")
        .order_by("employee_id", "date")
    ):
        out[s.employee_id][s.date] = _planned(s)
    return dict(out)


def _planned(s: Shift) -> PlannedShift:
    return PlannedShift(
        start_at=s.start_at,
        end_at=s.end_at,
        break_minutes=s.break_minutes,
        is_rest_day=s.is_rest_day,
        pattern_code=s.pattern.code if s.pattern else "",
        pattern_name=s.pattern.name if s.pattern else "",
        published=s.published_at is not None and s.published_at >= s.updated_at,
    )


# ------------------------------------------------------------------------------ 自分のシフト
@dataclass(frozen=True)
class MyDay:
    day: date
    weekday: str
    holiday: str
    code: str
    name: str
    color: str
    start: str  # "09:00"
    end: str  # "18:00" or "翌09:00"
    break_minutes: int
    leave: str


@dataclass(frozen=True)
class MyMonth:
    employee: Employee | None
    month: date
    days: list[MyDay]
    published: bool  # at least one table of the month is published for the employee
    planned_minutes: int
    work_days: int


def _published_for(company: Company, employee_id: int, month: date) -> dict[str, str]:
    """ISO date → code, from the published tables of the month that list the employee."""
    out: dict[str, str] = {}
    for t in (
        ShiftTable.objects.for_company(company)
        .filter(month=month, published_at__isnull=False)
        .order_by("published_at")
    ):
        out.update((t.published_cells or {}).get(str(employee_id), {}))
    return out


def my_shifts(*, company: Company, membership: Membership, month: date) -> MyMonth:
    """The member's own month as published (公開): a change not yet published is not shown."""
    month = month.replace(day=1)
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is None:
        return MyMonth(None, month, [], False, 0, 0)
    published = _published_for(company, employee.pk, month)
    by_code = {p.code: p for p in patterns(company=company, include_inactive=True)}
    leave = full_leave_days(company=company, employee_ids=[employee.pk], start=month, end=month_end(month))
    days = []
    minutes = work_days = 0
    for d in shift_rules.days_of_month(month):
        code = published.get(d.isoformat(), "")
        p = by_code.get(code)
        start = end = ""
        break_minutes = 0
        if p is not None:
            start_at, end_at = shift_rules.shift_times(d, p.start_time, p.end_time)
            start = f"{start_at:%H:%M}"
            end = f"{'翌' if end_at.date() > d else ''}{end_at.astimezone(TOKYO):%H:%M}"
            break_minutes = p.break_minutes
            minutes += PlannedDay(start_at, end_at, p.break_minutes).work_minutes
            work_days += 1
        days.append(
            MyDay(
                day=d,
                weekday=WEEKDAYS[d.weekday()],
                holiday=holiday_name(d) or "",
                code=code,
                name=p.name if p else ("休日" if code == REST_CODE else ""),
                color=p.color if p else "",
                start=start,
                end=end,
                break_minutes=break_minutes,
                leave=leave.get((employee.pk, d), ""),
            )
        )
    return MyMonth(employee, month, days, bool(published), minutes, work_days)


# ------------------------------------------------------------------------------ swaps
def colleagues(*, company: Company, membership: Membership, month: date) -> list[Employee]:
    """The members' colleagues in the department of the member's shifts of the month (or placement)."""
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is None:
        return []
    dept_ids = set(
        Shift.objects.for_company(company)
        .filter(employee=employee, date__gte=month, date__lte=month_end(month))
        .values_list("department_id", flat=True)
    )
    if not dept_ids:
        department = people_selectors.employee_department(
            company=company, user=membership.user, as_of=timezone.localdate()
        )
        dept_ids = {department.pk} if department else set()
    if not dept_ids:
        return []
    found = people_selectors.employees_in_service(
        company=company, as_of=timezone.localdate(), department_ids=sorted(dept_ids)
    )
    return [e for e in found if e.pk != employee.pk]


def _swap_scope(company: Company, membership: Membership) -> Q:
    if membership.has_any_role(*TABLE_ALL_ROLES):
        return Q()
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    q = Q(requested_by_id=membership.user_id)
    if employee is not None:
        q |= Q(requester=employee) | Q(partner=employee)
    return q


def swaps(*, company: Company, membership: Membership, state: str = "") -> QuerySet[ShiftSwap]:
    """The swaps the member asked for or is the partner of (人事: all), newest first."""
    qs = (
        ShiftSwap.objects.for_company(company)
        .filter(_swap_scope(company, membership))
        .select_related("requester", "partner")
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-pk")


def get_swap(*, company: Company, membership: Membership, swap_id: int) -> ShiftSwap:
    """A swap the member may see: its two employees, 人事, the 所属長 of their department, or anyone
    the approval request shows itself to (its approvers). 404 otherwise."""
    swap = (
        ShiftSwap.objects.for_company(company)
        .select_related("requester", "partner")
        .filter(pk=swap_id)
        .first()
    )
    if swap is None:
        raise NotFound()
    if ShiftSwap.objects.for_company(company).filter(_swap_scope(company, membership), pk=swap.pk).exists():
        return swap
    department_ids = set(
        Shift.objects.for_company(company)
        .filter(
            Q(employee_id=swap.requester_id, date=swap.requester_date)
            | Q(employee_id=swap.partner_id, date=swap.partner_date)
        )
        .values_list("department_id", flat=True)
    )
    heads = editable_department_ids(company=company, membership=membership) or []
    if department_ids & set(heads):
        return swap
    from ennoshita.approvals import selectors as approval_selectors

    approval = approval_selectors.request_for(company=company, request_type=SWAP_TYPE, object_id=swap.pk)
    if approval is not None and approval_selectors.can_view(
        company=company, membership=membership, request=approval
    ):
        return swap
    raise NotFound()


SWAP_TYPE = "attendance.shift_swap"
