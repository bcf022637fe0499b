"""Headcount for analyses (costs per head): who is in service on a date and where they are placed,
and the departments a person heads.

In service on a date: hired on or before it and not retired before it (``retire_date`` is the last
day). The department is the placement in force on that date (``employees.with_placement``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q

from ennoshita.core.models import Company
from ennoshita.people.models import Department, Employee

from .departments import descendant_ids
from .employees import with_placement


@dataclass(frozen=True)
class Headcount:
    """People in service on ``as_of``: all of them, and by department id (the unplaced are only in
    ``total``)."""

    as_of: date
    total: int
    by_department: dict[int, int] = field(default_factory=dict)

    def of(self, department_ids: list[int] | set[int] | tuple[int, ...]) -> int:
        return sum(self.by_department.get(d, 0) for d in department_ids)


def _in_service(as_of: date) -> Q:
    return Q(hire_date__lte=as_of) & (Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))


def headcount(*, company: Company, as_of: date) -> Headcount:
    """Active employees on ``as_of``, per department of their placement then. One query."""
    # Any: the annotated dept_id is beyond what the type stubs can follow
    qs: Any = with_placement(Employee.objects.for_company(company).filter(_in_service(as_of)), as_of)
    rows = qs.values("dept_id").annotate(n=Count("pk")).order_by()
    by_department: dict[int, int] = {}
    total = 0
    for row in rows:
        total += row["n"]
        if row["dept_id"] is not None:
            by_department[int(row["dept_id"])] = by_department.get(int(row["dept_id"]), 0) + row["n"]
    return Headcount(as_of=as_of, total=total, by_department=by_department)


def departments_headed_by(*, company: Company, user_id: int, as_of: date) -> list[int]:
    """Ids of the departments whose 所属長 (``Department.head``) is the user's employee record, in
    service on ``as_of``, with every department below them. Empty for anyone else."""
    employee = (
        Employee.objects.for_company(company).filter(_in_service(as_of), user_id=user_id).only("pk").first()
    )
    if employee is None:
        return []
    heads = Department.objects.for_company(company).filter(head=employee).values_list("pk", flat=True)
    out: list[int] = []
    for pk in heads:
        for d in descendant_ids(company=company, department_id=pk):
            if d not in out:
                out.append(d)
    return out
