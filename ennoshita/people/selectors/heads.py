"""Reads of 人事 data for approvals: a department's 所属長 and the department a user works in."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from ennoshita.core.models import Company, User
from ennoshita.people.models import Department, Employee

from .employees import placement_as_of


def _in_service(employee: Employee, as_of: date) -> bool:
    return employee.hire_date <= as_of and (employee.retire_date is None or employee.retire_date >= as_of)


def department_head_user(*, company: Company, department: Department | None, as_of: date) -> User | None:
    """The login of the department's 所属長 on ``as_of``: None when no head is set, the head has no
    login, or the head is not in service on that date (not yet hired, or retired)."""
    if department is None or department.company_id != company.pk or department.head_id is None:
        return None
    head = Employee.objects.for_company(company).select_related("user").filter(pk=department.head_id).first()
    if head is None or head.user is None or not _in_service(head, as_of):
        return None
    return head.user


def employee_department(*, company: Company, user: User, as_of: date) -> Department | None:
    """The department of the user's employee record in this company, from the placement in force
    on ``as_of`` (None without an employee record or a placement)."""
    employee = Employee.objects.for_company(company).filter(user=user).first()
    if employee is None:
        return None
    placement = placement_as_of(company=company, employee=employee, as_of=as_of)
    return placement.department if placement is not None else None


def head_candidates(*, company: Company, as_of: date) -> QuerySet[Employee]:
    """Who may be chosen as a 所属長: the employees not retired on ``as_of`` (future hires too)."""
    return (
        Employee.objects.for_company(company)
        .filter(Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))
        .order_by("number")
    )
