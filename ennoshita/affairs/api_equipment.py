"""/api/v1/affairs/equipment: the 備品 register, lending and return.

Reads: admin, 総務, 人事, 経理. Writes: admin and 総務. Input the rules refuse (a duplicate asset
number, lending an item already lent, a loan to someone who has left) is a 422 problem with the
message on its field; another company's id is a 404; nothing is written on either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from .schemas_equipment import (
    EquipmentFilters,
    EquipmentIn,
    EquipmentOut,
    EquipmentPage,
    LendIn,
    LoanOut,
    ReturnIn,
)
from .selectors import equipment as selectors
from .services import equipment as services

router = Router(tags=["総務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")
REFUSALS = (
    "validation",
    "already_lent",
    "not_available",
    "not_lendable",
    "retired",
    "not_lent",
    "lent",
    "disposed",
)


def reader(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not selectors.can_read(c.membership):
        raise PermissionDeniedError()
    return c


def writer(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not selectors.can_write(c.membership):
        raise PermissionDeniedError()
    return c


def as_422(call: Callable[[], T]) -> T:
    """Refusals of the services answer 422 like the schema's own, with the same field names."""
    try:
        return call()
    except ServiceError as exc:
        if exc.code in REFUSALS:
            exc.status = 422
        raise


def _input(payload: EquipmentIn) -> services.EquipmentInput:
    return services.EquipmentInput(**payload.model_dump())


@router.get("/equipment", response={200: EquipmentPage, **READ_ERRORS}, summary="備品の一覧")
def equipment_list(request: HttpRequest, filters: Query[EquipmentFilters]) -> EquipmentPage:
    c = reader(request)
    qs = selectors.equipment_list(
        **c.reader(),
        q=filters.q,
        category_id=filters.category_id,
        status=filters.status,
        location_id=filters.location_id,
        holder_id=filters.holder_id,
        fixed_asset=filters.fixed_asset,
        warranty_within=filters.warranty_within,
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return EquipmentPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[EquipmentOut.of(e) for e in rows]
    )


@router.post("/equipment", response={201: EquipmentOut, **ERRORS}, summary="備品の登録")
def equipment_create(request: HttpRequest, payload: EquipmentIn) -> Status[EquipmentOut]:
    c = writer(request)
    item = as_422(lambda: services.register_equipment(**c.writer(), data=_input(payload)))
    item = selectors.get_equipment(**c.reader(), equipment_id=item.pk)
    return Status(201, EquipmentOut.of(item))


@router.get("/equipment/{equipment_id}", response={200: EquipmentOut, **READ_ERRORS}, summary="備品の詳細")
def equipment_detail(request: HttpRequest, equipment_id: Id) -> EquipmentOut:
    c = reader(request)
    return EquipmentOut.of(selectors.get_equipment(**c.reader(), equipment_id=equipment_id))


@router.put("/equipment/{equipment_id}", response={200: EquipmentOut, **ERRORS}, summary="備品の変更")
def equipment_update(request: HttpRequest, equipment_id: Id, payload: EquipmentIn) -> EquipmentOut:
    """台帳の項目をすべて置き換えます(状態と使用者は貸与・返却で変わります)。"""
    c = writer(request)
    item = selectors.get_equipment(**c.reader(), equipment_id=equipment_id)
    as_422(lambda: services.update_equipment(**c.writer(), equipment=item, data=_input(payload)))
    return EquipmentOut.of(selectors.get_equipment(**c.reader(), equipment_id=equipment_id))


@router.post("/equipment/{equipment_id}/lend", response={201: LoanOut, **ERRORS}, summary="備品の貸与")
def equipment_lend(request: HttpRequest, equipment_id: Id, payload: LendIn) -> Status[LoanOut]:
    """貸出中・修理中・紛失・廃棄済みの備品、退職した社員への貸与は 422 で断ります(何も書き込みません)。"""
    c = writer(request)
    item = selectors.get_equipment(**c.reader(), equipment_id=equipment_id)
    employee = selectors.get_loan_employee(**c.reader(), employee_id=payload.employee_id)
    loan = as_422(
        lambda: services.lend_equipment(
            **c.writer(),
            equipment=item,
            employee=employee,
            lent_on=payload.lent_on,
            due_on=payload.due_on,
            note=payload.note,
        )
    )
    return Status(201, LoanOut.of(loan))


@router.post("/equipment/{equipment_id}/return", response={200: LoanOut, **ERRORS}, summary="備品の返却")
def equipment_return(request: HttpRequest, equipment_id: Id, payload: ReturnIn) -> LoanOut:
    c = writer(request)
    item = selectors.get_equipment(**c.reader(), equipment_id=equipment_id)
    loan = as_422(
        lambda: services.return_equipment(
            **c.writer(),
            equipment=item,
            returned_on=payload.returned_on,
            return_note=payload.return_note,
            needs_repair=payload.needs_repair,
        )
    )
    return LoanOut.of(loan)


@router.get(
    "/equipment/{equipment_id}/loans", response={200: list[LoanOut], **READ_ERRORS}, summary="備品の貸与履歴"
)
def equipment_loans(request: HttpRequest, equipment_id: Id) -> list[LoanOut]:
    c = reader(request)
    item = selectors.get_equipment(**c.reader(), equipment_id=equipment_id)
    return [LoanOut.of(loan) for loan in selectors.item_loans(company=c.company, equipment=item)[:500]]
