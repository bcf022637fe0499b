"""Reads of 人事 data: departments (and their tree), positions, employment types."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company
from ennoshita.people.models import Department, EmploymentType, Position


def departments(*, company: Company, include_inactive: bool = False) -> QuerySet[Department]:
    qs = Department.objects.for_company(company).select_related("parent")
    return qs if include_inactive else qs.filter(is_active=True)


def get_department(*, company: Company, department_id: int) -> Department:
    dept = Department.objects.for_company(company).filter(pk=department_id).first()
    if dept is None:
        raise NotFound()
    return dept


def positions(*, company: Company) -> QuerySet[Position]:
    return Position.objects.for_company(company)


def get_position(*, company: Company, position_id: int) -> Position:
    pos = Position.objects.for_company(company).filter(pk=position_id).first()
    if pos is None:
        raise NotFound()
    return pos


def employment_types(*, company: Company) -> QuerySet[EmploymentType]:
    return EmploymentType.objects.for_company(company)


def descendant_ids(*, company: Company, department_id: int) -> list[int]:
    parents = dict(Department.objects.for_company(company).values_list("pk", "parent_id"))
    result = [department_id]
    frontier = {department_id}
    while frontier:
        frontier = {pk for pk, parent in parents.items() if parent in frontier}
        result.extend(sorted(frontier))
    return result


def department_tree(*, company: Company) -> list[tuple[Department, int]]:
    """Departments in tree order with their depth, for indented lists and select boxes."""
    depts = list(
        Department.objects.for_company(company)
        .annotate(child_count=Count("children"))
        .order_by("sort_order", "code")
    )
    by_parent: dict[int | None, list[Department]] = {}
    for d in depts:
        by_parent.setdefault(d.parent_id, []).append(d)
    out: list[tuple[Department, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for d in by_parent.get(parent, []):
            out.append((d, depth))
            walk(d.pk, depth + 1)

    walk(None, 0)
    return out
