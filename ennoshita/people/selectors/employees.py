"""Reads of 人事 data: who may see whom, employees and their placements as of a date.

The placement in force on a date is the one with the latest ``effective_from`` on or before it;
lists annotate it with one correlated subquery, so a page costs the same queries for 10 or 10,000
employees.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, Role
from ennoshita.core.text import nfkc, search_key
from ennoshita.people.models import Department, Employee, Placement

from .departments import descendant_ids

SEE_ALL_ROLES = (Role.ADMIN, Role.HR)


def can_see_all_employees(membership: Membership) -> bool:
    return membership.has_any_role(*SEE_ALL_ROLES)


def visible_employees(*, company: Company, membership: Membership) -> QuerySet[Employee]:
    """hr and admin see everyone; anyone else sees only their own record."""
    qs = Employee.objects.for_company(company)
    if can_see_all_employees(membership):
        return qs
    return qs.filter(user_id=membership.user_id)


def _placement_in_force(as_of: date) -> QuerySet[Placement]:
    return Placement.objects.filter(employee=OuterRef("pk"), effective_from__lte=as_of).order_by(
        "-effective_from"
    )


def with_placement(qs: QuerySet[Employee], as_of: date) -> QuerySet[Employee]:
    current = _placement_in_force(as_of)
    return qs.annotate(
        dept_id=Subquery(current.values("department_id")[:1]),
        dept_name=Subquery(current.values("department__name")[:1]),
        dept_code=Subquery(current.values("department__code")[:1]),
        position_name=Subquery(current.values("position__name")[:1]),
    )


SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "kana": ("family_name_kana", "given_name_kana", "number"),
    "-kana": ("-family_name_kana", "-given_name_kana", "-number"),
    "hire_date": ("hire_date", "number"),
    "-hire_date": ("-hire_date", "-number"),
    # Employees without a placement on the date sort last on both SQLite and PostgreSQL.
    "department": (F("dept_code").asc(nulls_last=True), "number"),
    "-department": (F("dept_code").desc(nulls_last=True), "-number"),
}


def employee_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    department_id: int | None = None,
    include_sub_departments: bool = True,
    employment_type_id: int | None = None,
    status: str = "active",
    as_of: date | None = None,
    sort: str = "number",
    incomplete: bool = False,
) -> QuerySet[Employee]:
    """Employees visible to ``membership``, filtered; ``status`` is active, retired or all (as of the date)."""
    as_of = as_of or timezone.localdate()
    # Any: the annotated columns (dept_id, …) are beyond what the type stubs can follow.
    qs: Any = with_placement(visible_employees(company=company, membership=membership), as_of)
    qs = qs.select_related("employment_type")
    if q:
        # Every word must match ("太郎 山田" finds 山田太郎); the stored key separates fields with
        # "|" so that a word never matches across two fields.
        for word in nfkc(q).split():
            qs = qs.filter(search_key__contains=search_key(word))
    if department_id:
        ids = [department_id]
        if include_sub_departments:
            ids = descendant_ids(company=company, department_id=department_id)
        qs = qs.filter(dept_id__in=ids)
    if employment_type_id:
        qs = qs.filter(employment_type_id=employment_type_id)
    if incomplete:
        qs = qs.filter(_incomplete_q())
    in_service = Q(hire_date__lte=as_of) & (Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))
    if status == "active":
        qs = qs.filter(in_service)
    elif status == "retired":
        qs = qs.filter(retire_date__lt=as_of)
    elif status == "future":
        qs = qs.filter(hire_date__gt=as_of)
    return qs.order_by(*SORTS.get(sort, SORTS["number"]))


def get_employee(*, company: Company, membership: Membership, employee_id: int) -> Employee:
    """One employee, or NotFound (another company's id and a colleague's id look the same)."""
    employee = (
        visible_employees(company=company, membership=membership)
        .select_related("employment_type", "user")
        .filter(pk=employee_id)
        .first()
    )
    if employee is None:
        raise NotFound()
    return employee


def own_employee_record(*, company: Company, membership: Membership) -> Employee | None:
    return Employee.objects.for_company(company).filter(user_id=membership.user_id).first()


def placement_history(*, company: Company, employee: Employee) -> list[Placement]:
    return list(
        Placement.objects.for_company(company)
        .filter(employee=employee)
        .select_related("department", "position")
        .order_by("-effective_from")
    )


def placement_as_of(*, company: Company, employee: Employee, as_of: date) -> Placement | None:
    """Which department and position the employee had on ``as_of`` (None before hire or after leaving)."""
    if as_of < employee.hire_date or (employee.retire_date and as_of > employee.retire_date):
        return None
    return (
        Placement.objects.for_company(company)
        .filter(employee=employee, effective_from__lte=as_of)
        .select_related("department", "position")
        .order_by("-effective_from")
        .first()
    )


def department_headcount(*, company: Company, department: Department, as_of: date | None) -> int:
    """People placed in the department on ``as_of`` (None: today or any scheduled future placement)."""
    day = as_of or timezone.localdate()
    qs = employee_list(
        company=company,
        membership=_SYSTEM,
        department_id=department.pk,
        include_sub_departments=False,
        status="active",
        as_of=day,
    )
    count = qs.count()
    if as_of is None:
        count += Placement.objects.filter(department=department, effective_from__gt=day).count()
    return count


class _SystemMembership:
    """Stands in for a reader that sees everyone (internal checks, not a user)."""

    user_id = None

    def has_any_role(self, *roles: str) -> bool:
        return True


_SYSTEM: Membership = _SystemMembership()  # type: ignore[assignment]


def has_employee_record(*, company: Company, user_id: int) -> bool:
    return Employee.objects.for_company(company).filter(user_id=user_id).exists()


def upcoming_placements(*, company: Company, start: date, days: int) -> list[Placement]:
    """Transfers recorded ahead of time that take effect in the next ``days`` days (not hires)."""
    end = start + timedelta(days=days)
    return list(
        Placement.objects.for_company(company)
        .filter(effective_from__gt=start, effective_from__lte=end)
        .exclude(reason="hire")
        .select_related("employee", "department")
        .order_by("effective_from")[:20]
    )


def joining_or_leaving(*, company: Company, start: date, days: int) -> list[Employee]:
    end = start + timedelta(days=days)
    return list(
        Employee.objects.for_company(company)
        .filter(Q(hire_date__gte=start, hire_date__lte=end) | Q(retire_date__gte=start, retire_date__lte=end))
        .order_by("hire_date")[:20]
    )


def _incomplete_q() -> Q:
    return Q(bank_account_number="") | Q(emergency_contact_phone="")


def incomplete_records(*, company: Company, as_of: date) -> list[int]:
    """Ids of employees in service without a pay account or an emergency contact."""
    in_service = Q(hire_date__lte=as_of) & (Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))
    return list(
        Employee.objects.for_company(company)
        .filter(in_service)
        .filter(_incomplete_q())
        .values_list("pk", flat=True)
    )


def employee_by_id(*, company: Company, employee_id: int) -> Employee | None:
    """The company's employee with that id, or None (another company's id is the same as none).
    For other apps that check their own permissions (attendance, payroll)."""
    return Employee.objects.for_company(company).filter(pk=employee_id).first()


def employees_by_number(*, company: Company) -> dict[str, Employee]:
    """社員番号 → employee, for imports that name employees by number."""
    qs = Employee.objects.for_company(company).only("pk", "number", "family_name", "given_name")
    return {e.number: e for e in qs}


def employees_in_service(
    *, company: Company, as_of: date, department_ids: list[int] | None = None, lean: bool = False
) -> list[Employee]:
    """Employees in service on ``as_of`` (hired on or before it, not retired before it), with the
    placement in force that day annotated (dept_id, dept_name, …) and, when ``department_ids`` is
    given, only those placed in one of them; in 社員番号 order. ``lean``: only the number, the
    name and the employment type's id are loaded (for boards of thousands of rows)."""
    in_service = Q(hire_date__lte=as_of) & (Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))
    qs: Any = with_placement(Employee.objects.for_company(company).filter(in_service), as_of)
    if department_ids is not None:
        qs = qs.filter(dept_id__in=department_ids)
    if lean:
        return list(
            qs.only("pk", "company_id", "number", "family_name", "given_name", "employment_type_id").order_by(
                "number"
            )
        )
    return list(qs.select_related("employment_type", "user").order_by("number"))
