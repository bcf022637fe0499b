"""Reads of 人事 data for the 人事 screens (people/views.py, employee_views.py, master_views.py),
and documents' hooks (settings)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.people.models import Department, Employee, Placement

from .departments import department_tree
from .employees import SEE_ALL_ROLES, _placement_in_force, employee_list, placement_as_of, visible_employees


def employee_history(*, company: Company, employee: Employee) -> QuerySet[AuditEvent]:
    """The 変更履歴 of an employee: events on the record and on its placements, newest first."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    placement_ids = (
        Placement.objects.for_company(company)
        .filter(employee=employee)
        .annotate(sid=Cast("pk", CharField()))
        .values("sid")
    )
    return (
        AuditEvent.objects.filter(company=company)
        .filter(
            Q(object_type="people.employee", object_id=str(employee.pk))
            | Q(object_type="people.placement", object_id__in=placement_ids)
        )
        .select_related("actor")
        .order_by("-seq")
    )


def get_placement(*, company: Company, employee: Employee, placement_id: int) -> Placement:
    placement = (
        Placement.objects.for_company(company)
        .filter(employee=employee, pk=placement_id)
        .select_related("employee")
        .first()
    )
    if placement is None:
        raise NotFound()
    return placement


def employee_export(*, company: Company, membership: Membership, **filters: Any) -> QuerySet[Employee]:
    """``employee_list`` with the position code of the placement in force, for CSV/Excel export."""
    as_of = filters.get("as_of") or timezone.localdate()
    qs = employee_list(company=company, membership=membership, **{**filters, "as_of": as_of})
    return qs.annotate(position_code=Subquery(_placement_in_force(as_of).values("position__code")[:1]))


def existing_employee_numbers(*, company: Company, numbers: Iterable[str]) -> set[str]:
    wanted = list(set(numbers))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            Employee.objects.for_company(company).filter(number__in=chunk).values_list("number", flat=True)
        )
    return found


def department_ids_of_user(*, company: Company, user_id: int) -> list[int]:
    """The department a user's employee record is placed in today, and its parents (a share with
    管理本部 reaches the people of 経理部 below it). Used by documents through a settings hook."""
    employee = Employee.objects.for_company(company).filter(user_id=user_id).first()
    if employee is None:
        return []
    placement = placement_as_of(company=company, employee=employee, as_of=timezone.localdate())
    if placement is None:
        return []
    parents = dict(Department.objects.for_company(company).values_list("pk", "parent_id"))
    ids: list[int] = []
    node: int | None = placement.department_id
    while node is not None and node not in ids:
        ids.append(node)
        node = parents.get(node)
    return ids


def can_edit_employees(membership: Membership) -> bool:
    """hr and admin change employee records (people.services requires the same roles)."""
    return membership.has_any_role(*SEE_ALL_ROLES)


_EMPLOYEE_ID = re.compile(r"[1-9][0-9]{0,17}")


def employee_attachment_target(
    *, company: Company, membership: Membership, object_id: str, for_edit: bool
) -> str:
    """documents' hook for ``people.employee`` attachments (settings.ENNOSHITA_ATTACHMENT_TARGETS).

    The same rules as the employee screens: a member reads the records ``visible_employees`` gives
    them (hr and admin everyone, anyone else their own record), and only hr and admin edit. Returns
    the employee's name; another company's id, a colleague's id and an id that is not a number are
    all NotFound; reading without the right to edit is PermissionDeniedError.
    """
    from ennoshita.core.errors import PermissionDeniedError

    if not _EMPLOYEE_ID.fullmatch(object_id):
        raise NotFound()
    employee = visible_employees(company=company, membership=membership).filter(pk=int(object_id)).first()
    if employee is None:
        raise NotFound()
    if for_edit and not can_edit_employees(membership):
        raise PermissionDeniedError()
    return employee.full_name


def department_choices(*, company: Company) -> list[tuple[str, str]]:
    """Active departments as (id, "code name") in tree order, indented; used by documents' share
    forms through a settings hook."""
    return [
        (str(d.pk), f"{'　' * depth}{d.code} {d.name}")
        for d, depth in department_tree(company=company)
        if d.is_active
    ]
