"""給与の設定 — reads: the company's settings, pay groups and items, and each employee's pay
settings (the row in force on a date is the one with the latest ``effective_from`` on or before
it). Lists annotate the rows in force with correlated subqueries, so a page costs the same number
of queries for 10 or 10,000 employees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company
from ennoshita.core.text import nfkc, search_key
from ennoshita.payroll.models import (
    EmployeePayItem,
    PayGroup,
    PayItem,
    PayProfile,
    PayrollSettings,
    PayslipLine,
    ResidentTax,
    StandardRemuneration,
    UnionRateVersion,
)
from ennoshita.payroll.models.setup import UNION_RATES_FROM_THE_START
from ennoshita.people.models import Employee


@dataclass(frozen=True)
class AttendanceKey:
    """A figure of attendance's MonthlyTotals a pay item may be paid by: ``unit`` "minutes" (the
    rate is per hour: minutes ÷ 60 × rate), "days" or "times" (per unit)."""

    label: str
    unit: str


# attendance.timesheet_selectors.MonthlyTotals fields an ATTENDANCE item may use (its fields are
# only ever added, so these names stay valid)
ATTENDANCE_KEYS: dict[str, AttendanceKey] = {
    "days_worked": AttendanceKey("出勤日数", "days"),
    "absences": AttendanceKey("欠勤日数", "days"),
    "leave_days": AttendanceKey("休暇の日数(全日)", "days"),
    "late_count": AttendanceKey("遅刻の回数", "times"),
    "early_leave_count": AttendanceKey("早退の回数", "times"),
    "worked": AttendanceKey("実労働時間", "minutes"),
    "scheduled": AttendanceKey("所定労働時間", "minutes"),
    "legal_overtime": AttendanceKey("法定内残業の時間", "minutes"),
    "overtime": AttendanceKey("時間外労働の時間", "minutes"),
    "overtime_over_60": AttendanceKey("月60時間を超える時間外労働", "minutes"),
    "night": AttendanceKey("深夜労働の時間", "minutes"),
    "holiday": AttendanceKey("法定休日労働の時間", "minutes"),
    "scheduled_holiday": AttendanceKey("所定休日労働の時間", "minutes"),
    "late_minutes": AttendanceKey("遅刻の時間", "minutes"),
    "early_leave_minutes": AttendanceKey("早退の時間", "minutes"),
}
UNIT_LABELS = {"minutes": "1時間あたり", "days": "1日あたり", "times": "1回あたり"}


def attendance_key_choices() -> list[tuple[str, str]]:
    return [(key, f"{k.label}({UNIT_LABELS[k.unit]})") for key, k in ATTENDANCE_KEYS.items()]


# ============================================================================ 給与の設定
def payroll_settings_of(*, company: Company) -> PayrollSettings:
    """The company's settings, made with the defaults on first use."""
    return PayrollSettings.objects.get_or_create(company=company)[0]


# ============================================================================ 支給グループ
def union_rate_versions(*, company: Company) -> list[UnionRateVersion]:
    """The 健康保険組合's dated rates, oldest first (``is_from_the_start`` marks the first set that
    covers every earlier month)."""
    rows = list(UnionRateVersion.objects.for_company(company).order_by("effective_from"))
    for row in rows:
        row.is_from_the_start = row.effective_from == UNION_RATES_FROM_THE_START
    return rows


def pay_groups(*, company: Company, active_only: bool = False) -> QuerySet[PayGroup]:
    qs = PayGroup.objects.for_company(company)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("sort_order", "code")


def get_pay_group(*, company: Company, pay_group_id: int) -> PayGroup:
    group = PayGroup.objects.for_company(company).filter(pk=pay_group_id).first()
    if group is None:
        raise NotFound()
    return group


def _in_force(model: Any, as_of: date, ref: str = "pk") -> QuerySet[Any]:
    return model.objects.filter(employee=OuterRef(ref), effective_from__lte=as_of).order_by("-effective_from")


def group_member_count(*, company: Company, pay_group: PayGroup, as_of: date | None = None) -> int:
    """Employees not retired before ``as_of`` whose pay settings in force on it, or from a later
    month, put them in ``pay_group``."""
    as_of = as_of or timezone.localdate()
    current = _in_force(PayProfile, as_of, "employee").values("pk")[:1]
    rows = (
        PayProfile.objects.for_company(company)
        .filter(pay_group=pay_group)
        .filter(Q(pk=Subquery(current)) | Q(effective_from__gt=as_of))
        .exclude(employee__retire_date__lt=as_of)
    )
    return rows.values("employee_id").distinct().count()


# ============================================================================ 支給・控除項目
def pay_items(*, company: Company, active_only: bool = False, kind: str = "") -> QuerySet[PayItem]:
    qs = PayItem.objects.for_company(company)
    if active_only:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-kind", "sort_order", "code")  # 支給 (payment) before 控除 (deduction)


def get_pay_item(*, company: Company, pay_item_id: int) -> PayItem:
    item = PayItem.objects.for_company(company).filter(pk=pay_item_id).first()
    if item is None:
        raise NotFound()
    return item


def item_on_payslips(*, company: Company, item: PayItem) -> bool:
    """Whether a payslip carries the item (its line code is ``item:<code>``)."""
    return PayslipLine.objects.filter(payslip__company=company, code=f"item:{item.code}").exists()


def item_set_for_employees(*, company: Company, item: PayItem) -> bool:
    return EmployeePayItem.objects.for_company(company).filter(item=item).exists()


# ============================================================================ 社員の給与設定
GROUP_NONE = "none"  # filter value: employees without pay settings


def employee_pay_list(
    *, company: Company, q: str = "", group: str = "", status: str = "active", as_of: date | None = None
) -> QuerySet[Employee]:
    """Employees with the pay settings and 標準報酬月額 in force on ``as_of`` annotated (``p_*`` and
    ``g_*``; None when there is none). ``group`` is a pay group's id or ``none``; ``status`` active
    (in service on the date), retired or all; ``q`` matches 社員番号 and names (every word)."""
    as_of = as_of or timezone.localdate()
    profile = _in_force(PayProfile, as_of)
    grade = _in_force(StandardRemuneration, as_of)
    qs: Any = Employee.objects.for_company(company).annotate(
        p_from=Subquery(profile.values("effective_from")[:1]),
        p_type=Subquery(profile.values("pay_type")[:1]),
        p_base=Subquery(profile.values("base_pay")[:1]),
        p_group_id=Subquery(profile.values("pay_group_id")[:1]),
        p_group=Subquery(profile.values("pay_group__name")[:1]),
        p_column=Subquery(profile.values("tax_column")[:1]),
        p_dependents=Subquery(profile.values("dependents")[:1]),
        p_officer=Subquery(profile.values("is_officer")[:1]),
        p_commute=Subquery(profile.values("commute_allowance")[:1]),
        g_health_grade=Subquery(grade.values("health_grade")[:1]),
        g_health_standard=Subquery(grade.values("health_standard")[:1]),
        g_pension_grade=Subquery(grade.values("pension_grade")[:1]),
    )
    for word in nfkc(q).split():
        qs = qs.filter(search_key__contains=search_key(word))
    if group == GROUP_NONE:
        qs = qs.filter(p_group_id__isnull=True)
    elif group.isdigit():
        qs = qs.filter(p_group_id=int(group))
    in_service = Q(hire_date__lte=as_of) & (Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))
    if status == "active":
        qs = qs.filter(in_service)
    elif status == "retired":
        qs = qs.filter(retire_date__lt=as_of)
    result: QuerySet[Employee] = qs.order_by("number")
    return result


def get_employee(*, company: Company, employee_id: int) -> Employee:
    """One employee of the company (another company's id answers NotFound)."""
    employee = Employee.objects.for_company(company).filter(pk=employee_id).first()
    if employee is None:
        raise NotFound()
    return employee


@dataclass(frozen=True)
class EmployeePay:
    """Everything 社員の給与設定 shows for one employee, newest first."""

    employee: Employee
    profiles: list[PayProfile]
    items: list[EmployeePayItem]
    grades: list[StandardRemuneration]
    resident_taxes: list[ResidentTax]
    current_profile: PayProfile | None
    current_grade: StandardRemuneration | None


def _latest_on(rows: list[Any], as_of: date) -> Any:
    return next((r for r in rows if r.effective_from <= as_of), None)


def employee_pay(*, company: Company, employee: Employee, as_of: date | None = None) -> EmployeePay:
    as_of = as_of or timezone.localdate()
    profiles = list(
        PayProfile.objects.for_company(company)
        .filter(employee=employee)
        .select_related("pay_group", "created_by")
        .order_by("-effective_from")
    )
    items = list(
        EmployeePayItem.objects.for_company(company)
        .filter(employee=employee)
        .select_related("item")
        .order_by("item__kind", "item__sort_order", "item__code", "-effective_from")
    )
    grades = list(
        StandardRemuneration.objects.for_company(company)
        .filter(employee=employee)
        .order_by("-effective_from")
    )
    taxes = list(ResidentTax.objects.for_company(company).filter(employee=employee).order_by("-fiscal_year"))
    return EmployeePay(
        employee=employee,
        profiles=profiles,
        items=items,
        grades=grades,
        resident_taxes=taxes,
        current_profile=_latest_on(profiles, as_of),
        current_grade=_latest_on(grades, as_of),
    )


def profile_in_force(*, company: Company, employee_id: int, on: date) -> PayProfile | None:
    """The employee's pay settings in force on ``on`` (for the runs)."""
    return (
        PayProfile.objects.for_company(company)
        .filter(employee_id=employee_id, effective_from__lte=on)
        .select_related("pay_group")
        .order_by("-effective_from")
        .first()
    )


def fixed_items_in_force(*, company: Company, employee_id: int, on: date) -> list[EmployeePayItem]:
    """The employee's fixed items in force on ``on``: per item the latest row on or before it,
    leaving out those whose latest row is 0 (ended)."""
    rows = (
        EmployeePayItem.objects.for_company(company)
        .filter(employee_id=employee_id, effective_from__lte=on)
        .select_related("item")
        .order_by("item_id", "-effective_from")
    )
    latest: dict[int, EmployeePayItem] = {}
    for row in rows:
        latest.setdefault(row.item_id, row)
    return [r for r in latest.values() if r.amount > 0]


__all__ = [
    "ATTENDANCE_KEYS",
    "GROUP_NONE",
    "AttendanceKey",
    "EmployeePay",
    "attendance_key_choices",
    "employee_pay",
    "employee_pay_list",
    "fixed_items_in_force",
    "get_employee",
    "get_pay_group",
    "get_pay_item",
    "group_member_count",
    "item_on_payslips",
    "item_set_for_employees",
    "pay_groups",
    "pay_items",
    "payroll_settings_of",
    "profile_in_force",
]
