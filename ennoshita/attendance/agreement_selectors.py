"""36協定 reads: the agreements, which one covers an employee, and each employee's figures against
its limits (the dashboard 「36協定の状況」, one's own status, and the daily check's input).

An employee's months come from ``timesheet_selectors.monthly_totals`` (時間外 = ``overtime``,
法定休日労働 = ``holiday``, exact minutes: the 基発150号 roundings are for pay, not for limits).
The agreement that covers an employee on a date is the one of their department (the placement in
force that day) or of the nearest department above it, else the company-wide one; none covers
them when no agreement's period holds the date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee
from ennoshita.people.selectors.headcount import departments_headed_by

from . import selectors as attendance_selectors
from . import timesheet_inputs, timesheet_selectors
from .models import MonthFigures, OvertimeAgreement, OvertimeAlert, WorkRule
from .rules import agreement_limits as limits_rules
from .rules.agreement_limits import LEVEL_RANK, AgreementLimits, LimitStatus

AGREEMENT_ROLES = ("admin", "hr")  # record the agreements; see every employee's status
EARLIER_MONTHS = 5  # months before the agreement year that the 2〜6か月平均 may reach (36条6項3号)
READ_MONTHS = 12 + EARLIER_MONTHS  # the months a status may read: an agreement year and those before
MANY_MISSING = 200  # employee-months to compute before the punched months are read first
PRELOAD_BY_ID = 500  # more employees than this: read the company's rows, not an id list
LEVEL_FILTERS = ("", "breach", "warning", "all")  # "": warnings and breaches

MINUTES_PER_HOUR = Decimal(60)


# ------------------------------------------------------------------------------ agreements


def agreements(*, company: Company) -> QuerySet[OvertimeAgreement]:
    return (
        OvertimeAgreement.objects.for_company(company)
        .select_related("department")
        .order_by("-start_date", "department__code", "pk")
    )


def get_agreement(*, company: Company, agreement_id: int) -> OvertimeAgreement:
    """The company's agreement with that id (NotFound for another company's id)."""
    found = agreements(company=company).filter(pk=agreement_id).first()
    if found is None:
        raise NotFound()
    return found


def agreement_history(*, company: Company, agreement: OvertimeAgreement) -> list[AuditEvent]:
    return list(
        core_selectors.audit_events_for_object(
            company=company, object_type="attendance.overtimeagreement", object_id=str(agreement.pk)
        )[:50]
    )


def alert_count(*, company: Company, agreement: OvertimeAgreement) -> int:
    return OvertimeAlert.objects.for_company(company).filter(agreement=agreement).count()


def limits_of(agreement: OvertimeAgreement) -> AgreementLimits:
    return AgreementLimits(
        monthly_limit=agreement.monthly_limit_hours,
        yearly_limit=agreement.yearly_limit_hours,
        special_clause=agreement.special_clause,
        special_monthly=agreement.special_monthly_hours,
        special_yearly=agreement.special_yearly_hours,
        special_months_allowed=agreement.special_months_allowed,
    )


class Coverage:
    """Which agreement covers a department on a date (loaded once for many employees)."""

    def __init__(self, company: Company, as_of: date) -> None:
        self.rows = list(
            OvertimeAgreement.objects.for_company(company).filter(start_date__lte=as_of, end_date__gte=as_of)
        )
        self.by_department = {a.department_id: a for a in self.rows}
        self.parents: dict[int, int | None] = dict(
            people_selectors.departments(company=company, include_inactive=True).values_list(
                "pk", "parent_id"
            )
        )

    def of(self, department_id: int | None) -> OvertimeAgreement | None:
        seen: set[int] = set()
        current = department_id
        while current is not None and current not in seen:
            seen.add(current)
            if current in self.by_department:
                return self.by_department[current]
            current = self.parents.get(current)
        return self.by_department.get(None)


# ------------------------------------------------------------------------------ figures


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def as_of_for(month: date | None, today: date) -> date:
    """The day a month's figures stand at: today for this month (or none given) and later ones,
    a past month's last day."""
    if month is None or month >= today.replace(day=1):
        return today
    return add_months(month, 1) - timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from ``first``'s to ``last``'s, inclusive."""
    out, month = [], first_of_month(first)
    while month <= first_of_month(last):
        out.append(month)
        month = add_months(month, 1)
    return out


class MonthHours:
    """(時間外, 法定休日) hours of an employee's month, computed once per (employee, month) — or read
    from the stored figures (models.MonthFigures) after ``preload``. What had to be computed is in
    ``computed`` for ``services.figures.keep_computed`` to store; ``started_at`` is when the read
    began (a month that changed after it is not stored)."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self.memo: dict[tuple[int, date], tuple[Decimal, Decimal]] = {}
        self.computed: dict[tuple[int, date], tuple[int, int, int | None]] = {}
        self.types: dict[int, int | None] = {}  # employee id → employment type id, for storing
        self.employees: dict[int, Employee] = {}
        self.rules: dict[int | None, WorkRule] | None = None  # read once when many are computed
        self.punched: dict[date, set[int]] = {}  # month → who punched in it (when many are computed)
        self.started_at = timezone.now()

    def preload(self, employees: Iterable[Employee], first: date, last: date) -> None:
        """Read the fresh stored figures of these employees' months first..last in one query (a
        row stored under another employment type — another work rule — is recomputed). When many
        months are missing, learn which employees punched in each month at all: a month without a
        punch on its days has no 時間外 or 休日 (minutes belong to the day worked), so it needs no
        computing; the others are built with the rules read once."""
        for e in employees:
            self.types[e.pk] = e.employment_type_id
            self.employees[e.pk] = e
        if not self.types:
            return
        rows = MonthFigures.objects.for_company(self.company).filter(
            month__gte=first, month__lte=last, fresh=True
        )
        if len(self.types) <= PRELOAD_BY_ID:
            rows = rows.filter(employee_id__in=list(self.types))
        for pk, month, type_key, overtime, holiday in rows.values_list(
            "employee_id", "month", "employment_type_key", "overtime_minutes", "holiday_minutes"
        ):
            if pk in self.types and self.types[pk] == type_key:
                self.memo[(pk, month)] = (
                    Decimal(overtime) / MINUTES_PER_HOUR,
                    Decimal(holiday) / MINUTES_PER_HOUR,
                )
        months = months_between(first, last)
        if len(self.types) * len(months) - len(self.memo) > MANY_MISSING:
            self.rules = timesheet_inputs.rules_with_default(company=self.company)
            stored: dict[date, int] = {}
            for _pk, month in self.memo:
                stored[month] = stored.get(month, 0) + 1
            for month in months:
                if stored.get(month, 0) == len(self.types):
                    continue  # every figure of this month is stored
                self.punched[month] = attendance_selectors.employees_with_punches(
                    company=self.company, start=month, end=add_months(month, 1) - timedelta(days=1)
                )

    def _minutes(self, employee_id: int, month: date) -> tuple[int, int]:
        if month in self.punched and employee_id not in self.punched[month]:
            return 0, 0
        employee = self.employees.get(employee_id)
        if employee is not None and self.rules is not None:
            totals = timesheet_selectors.build_timesheet(
                company=self.company, employee=employee, month=month, rules_by_type=self.rules
            ).totals
        else:
            totals = timesheet_selectors.monthly_totals(
                company=self.company, employee_id=employee_id, month=month
            )
        return totals.overtime, totals.holiday

    def __call__(self, employee_id: int, month: date) -> tuple[Decimal, Decimal]:
        key = (employee_id, month)
        if key not in self.memo:
            overtime, holiday = self._minutes(employee_id, month)
            self.memo[key] = (Decimal(overtime) / MINUTES_PER_HOUR, Decimal(holiday) / MINUTES_PER_HOUR)
            if employee_id in self.types:
                self.computed[key] = (overtime, holiday, self.types[employee_id])
        return self.memo[key]


@dataclass(frozen=True)
class OvertimeStatus:
    """An employee's figures for the month of ``as_of`` under the agreement that covers them."""

    employee_id: int
    number: str
    name: str
    department: str
    agreement_id: int
    agreement_name: str
    year_start: date  # the first month of the agreement year
    month: date
    overtime: Decimal  # this month's 時間外 (hours)
    overtime_and_holiday: Decimal  # this month's 時間外 + 法定休日労働
    year_overtime: Decimal  # the agreement year's 時間外 up to this month
    worst_average: Decimal | None  # the highest 2〜6か月平均 of 時間外 + 休日 ending this month
    worst_span: int
    months_over: int  # months of the agreement year whose 時間外 exceeded the 1か月 限度時間
    months_allowed: int | None  # under the 特別条項
    monthly_limit: Decimal
    warning_percent: int
    statuses: list[LimitStatus] = field(default_factory=list)

    @property
    def level(self) -> str:
        return limits_rules.worst_level(self.statuses)

    @property
    def findings(self) -> list[LimitStatus]:
        return [s for s in self.statuses if s.level != limits_rules.OK]

    @property
    def worst_percent(self) -> int:
        return max((s.percent for s in self.statuses), default=0)

    @property
    def texts(self) -> dict[str, str]:
        """The figures as people read them (hours with at most two decimals)."""
        return {
            "overtime": hours_label(self.overtime),
            "overtime_and_holiday": hours_label(self.overtime_and_holiday),
            "year_overtime": hours_label(self.year_overtime),
            "worst_average": hours_label(self.worst_average),
            "monthly_limit": hours_label(self.monthly_limit),
        }

    def sort_key(self) -> tuple[int, int, str]:
        """Worst first: breaches, then warnings, then the highest share of a limit."""
        return (-LEVEL_RANK[self.level], -self.worst_percent, self.number)


def _name(employee: Employee) -> str:
    return f"{employee.family_name} {employee.given_name}"


def employee_status(
    *,
    company: Company,
    employee: Employee,
    agreement: OvertimeAgreement,
    as_of: date,
    hours: MonthHours | None = None,
    department: str = "",
) -> OvertimeStatus:
    """The employee's agreement year up to the month of ``as_of``, judged by rules.agreement_limits."""
    hours = hours or MonthHours(company)
    month = first_of_month(as_of)
    year_start = first_of_month(agreement.start_date)
    hired = first_of_month(employee.hire_date)
    year_months = [m for m in months_between(year_start, month) if m >= hired] or [month]
    earlier = [
        m
        for m in months_between(add_months(year_start, -EARLIER_MONTHS), add_months(year_start, -1))
        if m >= hired
    ]
    rows = [hours(employee.pk, m) for m in year_months]
    before = [hours(employee.pk, m) for m in earlier]
    limits = limits_of(agreement)
    statuses = limits_rules.agreement_status(
        limits=limits, warning_percent=agreement.warning_percent, months=rows, earlier_months=before
    )
    average = next((s for s in statuses if s.code == "average_80"), None)
    overtime, holiday = rows[-1]
    return OvertimeStatus(
        employee_id=employee.pk,
        number=employee.number,
        name=_name(employee),
        department=department,
        agreement_id=agreement.pk,
        agreement_name=agreement.name,
        year_start=year_start,
        month=month,
        overtime=overtime,
        overtime_and_holiday=overtime + holiday,
        year_overtime=sum((o for o, _h in rows), Decimal(0)),
        worst_average=average.hours if average else None,
        worst_span=average.span if average else 0,
        months_over=sum(1 for o, _h in rows if o > agreement.monthly_limit_hours),
        months_allowed=agreement.special_months_allowed if agreement.special_clause else None,
        monthly_limit=agreement.monthly_limit_hours,
        warning_percent=agreement.warning_percent,
        statuses=statuses,
    )


def statuses_in_service(
    *,
    company: Company,
    as_of: date,
    department_ids: list[int] | None = None,
    hours: MonthHours | None = None,
) -> tuple[list[OvertimeStatus], list[Employee]]:
    """(the status of every employee in service on ``as_of`` under an agreement, in 社員番号
    order; the employees no agreement covers). ``department_ids`` narrows to those placed there."""
    hours = hours or MonthHours(company)
    coverage = Coverage(company, as_of)
    employees = people_selectors.employees_in_service(
        company=company, as_of=as_of, department_ids=department_ids
    )
    month = first_of_month(as_of)
    employees = list(employees)
    hours.preload(employees, add_months(month, -READ_MONTHS), month)
    found, uncovered = [], []
    for e in employees:
        dept_id: Any = getattr(e, "dept_id", None)  # annotated by people.selectors
        agreement = coverage.of(dept_id)
        if agreement is None:
            uncovered.append(e)
            continue
        found.append(
            employee_status(
                company=company,
                employee=e,
                agreement=agreement,
                as_of=as_of,
                hours=hours,
                department=getattr(e, "dept_name", None) or "",
            )
        )
    return found, uncovered


# ------------------------------------------------------------------------------ screens


@dataclass(frozen=True)
class Dashboard:
    month: date
    as_of: date
    rows: list[OvertimeStatus]
    counts: dict[str, int]  # breach / warning / ok over the reader's whole scope
    uncovered: int  # employees in scope whom no agreement covers
    departments: list[tuple[int, str]]  # the departments the reader may choose from


def _scope(company: Company, membership: Membership, as_of: date) -> list[int] | None:
    """None: everyone (人事, admins); else the departments a 所属長 heads, with those below."""
    if membership.has_any_role(*AGREEMENT_ROLES):
        return None
    ids = departments_headed_by(company=company, user_id=membership.user_id, as_of=as_of)
    if not ids:
        raise PermissionDeniedError()
    return ids


def scope_departments(*, company: Company, membership: Membership, as_of: date) -> list[tuple[int, str]]:
    """The departments the reader may filter the dashboard by (PermissionDeniedError for anyone
    who is neither 人事 nor a 所属長)."""
    scope = _scope(company, membership, as_of)
    choices = [(d.pk, d.name) for d, _depth in people_selectors.department_tree(company=company)]
    return [c for c in choices if scope is None or c[0] in scope]


def overtime_dashboard(
    *,
    company: Company,
    membership: Membership,
    as_of: date,
    department_id: int | None = None,
    level: str = "",
    hours: MonthHours | None = None,
) -> Dashboard:
    """36協定の状況 for the month of ``as_of``: 人事 and admins see everyone (or a department and
    those below it), a 所属長 the members of the departments they head; anyone else is refused.
    ``level``: "" warnings and breaches, "breach", "warning", or "all". Worst first."""
    scope = _scope(company, membership, as_of)
    choices = scope_departments(company=company, membership=membership, as_of=as_of)
    wanted = scope
    if department_id is not None:
        if department_id not in {pk for pk, _name in choices}:
            raise NotFound()
        wanted = people_selectors.descendant_ids(company=company, department_id=department_id)
        if scope is not None:
            wanted = [d for d in wanted if d in scope]
    found, uncovered = statuses_in_service(company=company, as_of=as_of, department_ids=wanted, hours=hours)
    counts = {lv: sum(1 for s in found if s.level == lv) for lv in ("breach", "warning", "ok")}
    rows = _filtered(found, level)
    rows.sort(key=OvertimeStatus.sort_key)
    return Dashboard(
        month=first_of_month(as_of),
        as_of=as_of,
        rows=rows,
        counts=counts,
        uncovered=len(uncovered),
        departments=choices,
    )


def _filtered(rows: Iterable[OvertimeStatus], level: str) -> list[OvertimeStatus]:
    if level == "all":
        return list(rows)
    if level in ("breach", "warning"):
        return [r for r in rows if r.level == level]
    return [r for r in rows if r.level != limits_rules.OK]


def my_overtime_status(
    *, company: Company, employee_id: int, as_of: date, hours: MonthHours | None = None
) -> OvertimeStatus | None:
    """The employee's own figures against the limits of the agreement that covers them on
    ``as_of`` (None when none does). NotFound for an id of no employee of this company. No
    permission check: callers show it to the employee themself (or to 人事)."""
    employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if employee is None:
        raise NotFound()
    placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=as_of)
    department = placement.department if placement is not None else None
    agreement = Coverage(company, as_of).of(department.pk if department is not None else None)
    if agreement is None:
        return None
    month = first_of_month(as_of)
    hours = hours or MonthHours(company)
    hours.preload([employee], add_months(month, -READ_MONTHS), month)
    return employee_status(
        company=company,
        employee=employee,
        agreement=agreement,
        as_of=as_of,
        hours=hours,
        department=department.name if department is not None else "",
    )


def own_employee_id(*, company: Company, membership: Membership) -> int | None:
    own = people_selectors.own_employee_record(company=company, membership=membership)
    return own.pk if own is not None else None


def recent_alerts(*, company: Company, employee_id: int, limit: int = 20) -> list[OvertimeAlert]:
    return list(OvertimeAlert.objects.for_company(company).filter(employee_id=employee_id)[:limit])


def hours_label(hours: Decimal | None) -> str:
    """45, 45.5, 12.33 — hours for screens and files, at most two decimals."""
    if hours is None:
        return ""
    return limits_rules.hours_text(hours)
