"""Reads of 人事 data: the org chart as of a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from ennoshita.core.models import Company
from ennoshita.people.models import Department, Employee, Placement


@dataclass(frozen=True)
class OrgMember:
    """One person on the org chart: only what the chart shows."""

    pk: int
    number: str
    full_name: str
    position_name: str | None
    position_rank: int | None


@dataclass
class OrgNode:
    department: Department
    members: list[OrgMember] = field(default_factory=list)
    children: list[OrgNode] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.members) + sum(c.total for c in self.children)


def org_chart(*, company: Company, as_of: date) -> list[OrgNode]:
    """The department tree with who was placed where on ``as_of``, in 3 queries.

    Placements up to the date are read once, newest first per employee, and the first one seen
    is the one in force; this is cheaper at thousands of people than one correlated subquery per
    person and column (docs/performance.md).
    """
    depts = list(Department.objects.for_company(company).order_by("sort_order", "code"))
    nodes = {d.pk: OrgNode(d) for d in depts}
    in_service = Q(hire_date__lte=as_of) & (Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))
    people = {
        pk: (number, f"{family} {given}")
        for pk, number, family, given in Employee.objects.for_company(company)
        .filter(in_service)
        .values_list("pk", "number", "family_name", "given_name")
    }
    placements = (
        Placement.objects.for_company(company)
        .filter(
            effective_from__lte=as_of, employee__in=Employee.objects.for_company(company).filter(in_service)
        )
        .order_by("employee_id", "-effective_from")
        .values_list("employee_id", "department_id", "position__name", "position__rank")
    )
    placed: dict[int, OrgMember] = {}
    dept_of: dict[int, int] = {}
    for employee_id, department_id, position_name, position_rank in placements:
        if employee_id in placed or employee_id not in people:
            continue
        number, name = people[employee_id]
        placed[employee_id] = OrgMember(employee_id, number, name, position_name, position_rank)
        dept_of[employee_id] = department_id
    # Higher positions first (smaller rank), people without a position last, then by 社員番号.
    for member in sorted(
        placed.values(), key=lambda m: (m.position_rank is None, m.position_rank or 0, m.number)
    ):
        node = nodes.get(dept_of[member.pk])
        if node is not None:
            node.members.append(member)
    roots: list[OrgNode] = []
    for d in depts:
        node = nodes[d.pk]
        if d.parent_id and d.parent_id in nodes:
            nodes[d.parent_id].children.append(node)
        else:
            roots.append(node)
    # Departments that are inactive and empty on that date are left out of the chart.
    return [n for n in roots if _keep(n)]


def _keep(node: OrgNode) -> bool:
    node.children = [c for c in node.children if _keep(c)]
    return node.department.is_active or node.total > 0
