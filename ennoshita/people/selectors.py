"""Reads of 人事 data: who may see whom, placements as of a date, the org chart.

The placement in force on a date is the one with the latest ``effective_from`` on or before it;
lists annotate it with one correlated subquery, so a page costs the same queries for 10 or 10,000
employees.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership, Role
from ennoshita.core.text import nfkc, search_key

from .models import Department, Employee, EmploymentType, Placement, Position

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


# ------------------------------------------------------------------ reads for the JSON API (people/api.py)
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


# ------------------------------------------------------------------ reads for the 人事 screens (people/views.py)
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


def department_choices(*, company: Company) -> list[tuple[str, str]]:
    """Active departments as (id, "code name") in tree order, indented; used by documents' share
    forms through a settings hook."""
    return [
        (str(d.pk), f"{'　' * depth}{d.code} {d.name}")
        for d, depth in department_tree(company=company)
        if d.is_active
    ]
