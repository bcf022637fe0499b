"""/api/v1/people/: departments, employees, placements (人事).

Handlers parse, call ``people.services`` / ``people.selectors`` with the token's company, membership
and user, and return. Who may see or change what is decided there: hr and admin write; any other
member sees only their own employee record; another company's id is a 404 like a missing one.

An unknown id in the path is a 404 (another company's id looks the same). An unknown id inside a
body or a filter (``department_id``, ``position_id``, ...) is a 400 on that field, like any other
wrong value there.

A ``ServiceError`` names model fields (``department``); the API names the id it was sent
(``department_id``), so :func:`_api_field_names` renames them on the way out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Problem, caller_of
from ennoshita.core.errors import NotFound, ServiceError

from . import selectors, services
from .models import Department, Employee, Position
from .schemas import (
    AsOf,
    DepartmentCreate,
    DepartmentFilters,
    DepartmentOut,
    DepartmentPage,
    DepartmentUpdate,
    EmployeeCreate,
    EmployeeFilters,
    EmployeeOut,
    EmployeePage,
    EmployeeUpdate,
    Id,
    PlacementOut,
    Ref,
    TransferIn,
)

router = Router(tags=["people"])

# model field in a ServiceError → the field the API client sent
API_FIELD_NAMES = {
    "department": "department_id",
    "position": "position_id",
    "employment_type": "employment_type_id",
    "user": "user_id",
    "parent": "parent_id",
    "head": "head_id",
}

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
MASTER_ERRORS: dict[int, Any] = {401: Problem}


@contextmanager
def _api_field_names() -> Iterator[None]:
    try:
        yield
    except ServiceError as exc:
        exc.field_errors = {API_FIELD_NAMES.get(k, k): v for k, v in exc.field_errors.items()}
        raise


_caller = caller_of


def _reference(field: str, lookup: Any, **kwargs: Any) -> Any:
    """Resolve an id sent in a body or a filter within the company; unknown → a field error (400)."""
    try:
        return lookup(**kwargs)
    except NotFound as exc:
        raise ServiceError(
            _("入力内容に誤りがあります。"), code="validation", field_errors={field: [_("見つかりません。")]}
        ) from exc


def _department_ref(c: Caller, department_id: int, field: str = "department_id") -> Department:
    return _reference(field, selectors.get_department, company=c.company, department_id=department_id)


def _head_ref(c: Caller, employee_id: int) -> Employee:
    """所属長: an employee of the company; an unknown id is a 400 on head_id."""
    return _reference(
        "head_id", selectors.get_employee, company=c.company, membership=c.membership, employee_id=employee_id
    )


def _position_ref(c: Caller, position_id: int | None) -> Position | None:
    if position_id is None:
        return None
    return _reference("position_id", selectors.get_position, company=c.company, position_id=position_id)


def _employee_refs(c: Caller, data: dict[str, Any]) -> dict[str, Any]:
    """employment_type_id / user_id of a body → the objects the service expects."""
    if "employment_type_id" in data:
        data["employment_type"] = _reference(
            "employment_type_id",
            selectors.get_employment_type,
            company=c.company,
            employment_type_id=data.pop("employment_type_id"),
        )
    if "user_id" in data:
        user_id = data.pop("user_id")
        data["user"] = (
            None
            if user_id is None
            else _reference("user_id", selectors.company_member, company=c.company, user_id=user_id).user
        )
    return data


def _employee_out(c: Caller, employee: Employee) -> EmployeeOut:
    return EmployeeOut.of(employee, show_bank=selectors.can_see_bank_account(c.membership, employee))


# ------------------------------------------------------------------ departments
@router.get("/departments", response={200: DepartmentPage, **READ_ERRORS}, summary="部署の一覧")
def list_departments(request: HttpRequest, filters: Query[DepartmentFilters]) -> DepartmentPage:
    """部署を表示順・部署コード順に返します。`count` は条件に合う件数の合計です。"""
    c = _caller(request)
    total, rows = selectors.department_page(
        company=c.company,
        membership=c.membership,
        q=filters.q,
        active=filters.active,
        limit=filters.limit,
        offset=filters.offset,
    )
    return DepartmentPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[DepartmentOut.of(d) for d in rows]
    )


@router.get(
    "/departments/{department_id}", response={200: DepartmentOut, **READ_ERRORS}, summary="部署の詳細"
)
def get_department(request: HttpRequest, department_id: Id) -> DepartmentOut:
    c = _caller(request)
    return DepartmentOut.of(
        selectors.department_for_reader(
            company=c.company, membership=c.membership, department_id=department_id
        )
    )


@router.post("/departments", response={201: DepartmentOut, **ERRORS}, summary="部署の登録(人事・管理者)")
def create_department(request: HttpRequest, payload: DepartmentCreate) -> Status[DepartmentOut]:
    c = _caller(request)
    with _api_field_names():
        parent = None if payload.parent_id is None else _department_ref(c, payload.parent_id, "parent_id")
        head = None if payload.head_id is None else _head_ref(c, payload.head_id)
        dept = services.create_department(
            **c.writer(),
            code=payload.code,
            name=payload.name,
            parent=parent,
            sort_order=payload.sort_order,
            head=head,
        )
    return Status(201, DepartmentOut.of(dept))


@router.patch(
    "/departments/{department_id}",
    response={200: DepartmentOut, **ERRORS},
    summary="部署の変更(人事・管理者)",
)
def update_department(request: HttpRequest, department_id: Id, payload: DepartmentUpdate) -> DepartmentOut:
    """送った項目だけを変更します。"""
    c = _caller(request)
    dept = selectors.get_department(company=c.company, department_id=department_id)
    changes = payload.model_dump(exclude_unset=True)
    with _api_field_names():
        if "parent_id" in changes:
            parent_id = changes.pop("parent_id")
            changes["parent"] = None if parent_id is None else _department_ref(c, parent_id, "parent_id")
        if "head_id" in changes:
            head_id = changes.pop("head_id")
            changes["head"] = None if head_id is None else _head_ref(c, head_id)
        dept = services.update_department(**c.writer(), department=dept, **changes)
    return DepartmentOut.of(dept)


# ------------------------------------------------------------------ positions, employment types
@router.get("/positions", response={200: list[Ref], **MASTER_ERRORS}, summary="役職の一覧")
def list_positions(request: HttpRequest) -> list[Ref]:
    """序列順(上位が先)。社員の登録・異動の position_id に使います。"""
    c = _caller(request)
    return [Ref(id=p.pk, code=p.code, name=p.name) for p in selectors.positions(company=c.company)]


@router.get("/employment-types", response={200: list[Ref], **MASTER_ERRORS}, summary="雇用形態の一覧")
def list_employment_types(request: HttpRequest) -> list[Ref]:
    """社員の登録・変更の employment_type_id に使います。"""
    c = _caller(request)
    return [Ref(id=t.pk, code=t.code, name=t.name) for t in selectors.employment_types(company=c.company)]


# ------------------------------------------------------------------ employees
@router.get("/employees", response={200: EmployeePage, **ERRORS}, summary="社員の一覧")
def list_employees(request: HttpRequest, filters: Query[EmployeeFilters]) -> EmployeePage:
    """人事・管理者には全員、それ以外には本人の記録だけが返ります。所属は `as_of` 時点の配置です。"""
    c = _caller(request)
    as_of = filters.as_of or timezone.localdate()
    with _api_field_names():
        if filters.department_id is not None:
            _department_ref(c, filters.department_id)
        if filters.employment_type_id is not None:
            _reference(
                "employment_type_id",
                selectors.get_employment_type,
                company=c.company,
                employment_type_id=filters.employment_type_id,
            )
    total, rows = selectors.employee_page(
        company=c.company,
        membership=c.membership,
        limit=filters.limit,
        offset=filters.offset,
        as_of=as_of,
        q=filters.q,
        department_id=filters.department_id,
        include_sub_departments=filters.include_sub_departments,
        employment_type_id=filters.employment_type_id,
        status=filters.status,
        sort=filters.sort,
    )
    return EmployeePage(
        count=total,
        limit=filters.limit,
        offset=filters.offset,
        as_of=as_of,
        items=[_employee_out(c, e) for e in rows],
    )


@router.get("/employees/{employee_id}", response={200: EmployeeOut, **READ_ERRORS}, summary="社員の詳細")
def get_employee(request: HttpRequest, employee_id: Id, params: Query[AsOf]) -> EmployeeOut:
    c = _caller(request)
    employee = selectors.employee_as_of(
        company=c.company, membership=c.membership, employee_id=employee_id, as_of=params.as_of
    )
    return _employee_out(c, employee)


@router.post("/employees", response={201: EmployeeOut, **ERRORS}, summary="社員の登録(入社。人事・管理者)")
def create_employee(request: HttpRequest, payload: EmployeeCreate) -> Status[EmployeeOut]:
    """社員と最初の配置(事由: 入社、発令日: 入社日)を登録します。"""
    c = _caller(request)
    data = payload.model_dump()
    with _api_field_names():
        department = _department_ref(c, data.pop("department_id"))
        position = _position_ref(c, data.pop("position_id"))
        employee = services.create_employee(
            **c.writer(), department=department, position=position, **_employee_refs(c, data)
        )
    return Status(
        201,
        _employee_out(
            c, selectors.employee_as_of(company=c.company, membership=c.membership, employee_id=employee.pk)
        ),
    )


@router.patch(
    "/employees/{employee_id}", response={200: EmployeeOut, **ERRORS}, summary="社員の変更(人事・管理者)"
)
def update_employee(request: HttpRequest, employee_id: Id, payload: EmployeeUpdate) -> EmployeeOut:
    """送った項目だけを変更します。所属・役職は POST /employees/{id}/transfers で変えます。"""
    c = _caller(request)
    employee = selectors.get_employee(company=c.company, membership=c.membership, employee_id=employee_id)
    with _api_field_names():
        changes = _employee_refs(c, payload.model_dump(exclude_unset=True))
        services.update_employee_record(**c.writer(), employee=employee, **changes)
    return _employee_out(
        c, selectors.employee_as_of(company=c.company, membership=c.membership, employee_id=employee.pk)
    )


@router.post(
    "/employees/{employee_id}/transfers",
    response={201: PlacementOut, **ERRORS},
    summary="異動・昇格の登録(人事・管理者)",
)
def transfer_employee(request: HttpRequest, employee_id: Id, payload: TransferIn) -> Status[PlacementOut]:
    """発令日から有効な配置を登録します。未来の発令日なら、その日から所属が変わります。"""
    c = _caller(request)
    employee = selectors.get_employee(company=c.company, membership=c.membership, employee_id=employee_id)
    with _api_field_names():
        department = _department_ref(c, payload.department_id)
        position = _position_ref(c, payload.position_id)
        placement = services.transfer_employee(
            **c.writer(),
            employee=employee,
            department=department,
            position=position,
            effective_from=payload.effective_from,
            reason=payload.reason,
            note=payload.note,
        )
    return Status(201, PlacementOut.of(placement))


@router.get(
    "/employees/{employee_id}/placements",
    response={200: list[PlacementOut], **READ_ERRORS},
    summary="配置履歴",
)
def list_placements(request: HttpRequest, employee_id: Id) -> list[PlacementOut]:
    """発令日の新しい順(予定された異動を含む)。本人は自分の履歴だけを見られます。"""
    c = _caller(request)
    employee = selectors.get_employee(company=c.company, membership=c.membership, employee_id=employee_id)
    return [PlacementOut.of(p) for p in selectors.placement_history(company=c.company, employee=employee)]
