"""Reads of 人事 data for the JSON API (people/api.py)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, Role
from ennoshita.people.models import Department, Employee, EmploymentType

from .employees import (
    _placement_in_force,
    can_see_all_employees,
    employee_list,
    visible_employees,
    with_placement,
)


def can_read_departments(membership: Membership) -> bool:
    """Every member reads the department tree, except the outside team (it sees only what it is given)."""
    return bool(membership.role_set() - {Role.ASSISTANT})


def _require_department_reader(membership: Membership) -> None:
    from ennoshita.core.errors import PermissionDeniedError

    if not can_read_departments(membership):
        raise PermissionDeniedError()


def department_search(
    *, company: Company, membership: Membership, q: str = "", active: bool | None = None
) -> QuerySet[Department]:
    """Departments matching every word of ``q`` in code or name; ``active`` None means both."""
    from ennoshita.core.text import nfkc

    _require_department_reader(membership)
    qs = Department.objects.for_company(company).select_related("parent")
    if active is not None:
        qs = qs.filter(is_active=active)
    for word in nfkc(q).split():
        qs = qs.filter(Q(code__icontains=word) | Q(name__icontains=word))
    return qs.order_by("sort_order", "code", "pk")


def department_page(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    active: bool | None = None,
    limit: int,
    offset: int,
) -> tuple[int, list[Department]]:
    """(total, rows) in two queries whatever the page size."""
    qs = department_search(company=company, membership=membership, q=q, active=active)
    return qs.count(), list(qs[offset : offset + limit])


def department_for_reader(*, company: Company, membership: Membership, department_id: int) -> Department:
    _require_department_reader(membership)
    dept = Department.objects.for_company(company).select_related("parent").filter(pk=department_id).first()
    if dept is None:
        raise NotFound()
    return dept


def get_employment_type(*, company: Company, employment_type_id: int) -> EmploymentType:
    et = EmploymentType.objects.for_company(company).filter(pk=employment_type_id).first()
    if et is None:
        raise NotFound()
    return et


def company_member(*, company: Company, user_id: int) -> Membership:
    """The company's membership of a user (for linking an employee record to a login), or NotFound."""
    m = Membership.objects.for_company(company).select_related("user").filter(user_id=user_id).first()
    if m is None:
        raise NotFound()
    return m


def _with_position_ref(qs: QuerySet[Employee], as_of: date) -> QuerySet[Employee]:
    current = _placement_in_force(as_of)
    return qs.annotate(
        pos_id=Subquery(current.values("position_id")[:1]),
        pos_code=Subquery(current.values("position__code")[:1]),
    )


def employee_page(
    *,
    company: Company,
    membership: Membership,
    limit: int,
    offset: int,
    as_of: date | None = None,
    q: str = "",
    department_id: int | None = None,
    include_sub_departments: bool = True,
    employment_type_id: int | None = None,
    status: str = "active",
    sort: str = "number",
) -> tuple[int, list[Employee]]:
    """``employee_list`` with the placement in force on ``as_of`` (department and position ids):
    (total, rows) in two queries whatever the page size."""
    day = as_of or timezone.localdate()
    qs = employee_list(
        company=company,
        membership=membership,
        q=q,
        department_id=department_id,
        include_sub_departments=include_sub_departments,
        employment_type_id=employment_type_id,
        status=status,
        as_of=day,
        sort=sort,
    )
    qs = _with_position_ref(qs, day)
    return qs.count(), list(qs[offset : offset + limit])


def employee_as_of(
    *, company: Company, membership: Membership, employee_id: int, as_of: date | None = None
) -> Employee:
    """One visible employee with the placement in force on ``as_of``, or NotFound."""
    day = as_of or timezone.localdate()
    qs = with_placement(visible_employees(company=company, membership=membership), day)
    employee = _with_position_ref(qs, day).select_related("employment_type").filter(pk=employee_id).first()
    if employee is None:
        raise NotFound()
    return employee


def can_see_bank_account(membership: Membership, employee: Employee) -> bool:
    """The pay account is shown to hr and admin, and to the person themself."""
    if can_see_all_employees(membership):
        return True
    return employee.user_id is not None and employee.user_id == membership.user_id
