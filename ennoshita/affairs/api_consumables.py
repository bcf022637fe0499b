"""/api/v1/affairs/consumables…: items, stock, moves, requests (create, issue, reject, cancel) and
consumption by department and month.

総務 and admin read and write everything; every other member creates requests and reads their
own. Input the rules refuse (more than in stock, a closed request) is a 400/422 problem with the
message on its field; another company's id is a 404; nothing is written on either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.people import selectors as people_selectors

from .schemas_consumables import (
    ConsumableFilters,
    ConsumableIn,
    ConsumableOut,
    ConsumablePage,
    ConsumptionOut,
    ConsumptionParams,
    IssueRequestIn,
    MoveFilters,
    MoveIn,
    MoveOut,
    MovePage,
    RejectRequestIn,
    RequestFilters,
    RequestIn,
    RequestOut,
    RequestPage,
    StockFilters,
    StockOut,
    StockPage,
)
from .selectors import consumables as selectors
from .services import consumables as services

router = Router(tags=["総務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def _manager(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not services.can_manage(c.membership):
        raise PermissionDeniedError()
    return c


def as_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except ServiceError as exc:
        if exc.code == "validation":
            exc.status = 422
        raise


def _field_error(field: str, message: str) -> ServiceError:
    """Input that names something that is not there: a 422 on its field, like the schema's own."""
    exc = ServiceError(message, code="validation", field_errors={field: [message]})
    exc.status = 422
    return exc


def _page(qs: Any, p: Any) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[p.offset : p.offset + p.limit])


# ------------------------------------------------------------------------------------ items
@router.get("/consumables", response={200: ConsumablePage, **READ_ERRORS}, summary="消耗品の一覧(在庫数つき)")
def consumable_list(request: HttpRequest, filters: Query[ConsumableFilters]) -> ConsumablePage:
    c = _manager(request)
    qs = selectors.item_list(
        **c.reader(),
        q=filters.q,
        location_id=filters.location_id,
        below_reorder=filters.below_reorder,
        active=filters.active,
    )
    total, rows = _page(qs, filters)
    return ConsumablePage(
        count=total, limit=filters.limit, offset=filters.offset, items=[ConsumableOut.of(x) for x in rows]
    )


@router.post("/consumables", response={201: ConsumableOut, **ERRORS}, summary="消耗品の登録")
def consumable_create(request: HttpRequest, payload: ConsumableIn) -> Status[ConsumableOut]:
    c = _manager(request)
    item = as_422(
        lambda: services.create_consumable(
            **c.writer(), data=services.ConsumableInput(**payload.model_dump())
        )
    )
    return Status(201, ConsumableOut.of(item))


@router.get(
    "/consumables/{consumable_id}", response={200: ConsumableOut, **READ_ERRORS}, summary="消耗品の詳細"
)
def consumable_get(request: HttpRequest, consumable_id: Id) -> ConsumableOut:
    c = _manager(request)
    return ConsumableOut.of(selectors.get_item(**c.reader(), consumable_id=consumable_id))


@router.put("/consumables/{consumable_id}", response={200: ConsumableOut, **ERRORS}, summary="消耗品の変更")
def consumable_update(request: HttpRequest, consumable_id: Id, payload: ConsumableIn) -> ConsumableOut:
    c = _manager(request)
    item = selectors.get_item(**c.reader(), consumable_id=consumable_id)
    data = services.ConsumableInput(**payload.model_dump())
    return ConsumableOut.of(
        as_422(lambda: services.update_consumable(**c.writer(), consumable=item, data=data))
    )


# ------------------------------------------------------------------------------------ stock and moves
@router.get("/consumable-stock", response={200: StockPage, **READ_ERRORS}, summary="場所別の在庫")
def consumable_stock(request: HttpRequest, filters: Query[StockFilters]) -> StockPage:
    c = _manager(request)
    qs = selectors.stock_list(**c.reader(), location_id=filters.location_id, q=filters.q)
    total, rows = _page(qs, filters)
    return StockPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[StockOut.of(s) for s in rows]
    )


@router.get("/consumable-moves", response={200: MovePage, **READ_ERRORS}, summary="入出庫の履歴")
def consumable_moves(request: HttpRequest, filters: Query[MoveFilters]) -> MovePage:
    c = _manager(request)
    qs = selectors.move_list(
        **c.reader(),
        consumable_id=filters.consumable_id,
        kind=filters.kind,
        start=filters.start,
        end=filters.end,
        department_id=filters.department_id,
        location_id=filters.location_id,
    )
    total, rows = _page(qs, filters)
    return MovePage(
        count=total, limit=filters.limit, offset=filters.offset, items=[MoveOut.of(m) for m in rows]
    )


def _location(c: Caller, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    try:
        return selectors.get_location(company=c.company, location_id=pk)
    except NotFound:
        raise _field_error(field, "場所が見つかりません。") from None


def _move(c: Caller, item: Any, payload: MoveIn) -> list[Any]:
    common = {"consumable": item, "moved_on": payload.moved_on, "note": payload.note}
    location = _location(c, payload.location_id, "location_id")
    if payload.kind == "count":
        if payload.counted_quantity is None:
            raise ServiceError(
                "実地棚卸数を入力してください。",
                code="validation",
                field_errors={"counted_quantity": ["実地棚卸数を入力してください。"]},
            )
        return [
            services.record_stock_count(
                **c.writer(), **common, location=location, counted_quantity=payload.counted_quantity
            )
        ]
    if payload.quantity is None:
        raise ServiceError(
            "数量を入力してください。",
            code="validation",
            field_errors={"quantity": ["数量を入力してください。"]},
        )
    if payload.kind == "receipt":
        return [
            services.receive_stock(
                **c.writer(),
                **common,
                location=location,
                quantity=payload.quantity,
                unit_cost=payload.unit_cost,
            )
        ]
    if payload.kind == "issue":
        department = (
            people_selectors.get_department(company=c.company, department_id=payload.department_id)
            if payload.department_id
            else None
        )
        employee = None
        if payload.employee_id:
            employee = people_selectors.employee_by_id(company=c.company, employee_id=payload.employee_id)
            if employee is None:
                raise NotFound()
        return [
            services.issue_stock(
                **c.writer(),
                **common,
                location=location,
                quantity=payload.quantity,
                department=department,
                employee=employee,
            )
        ]
    target = _location(c, payload.to_location_id, "to_location_id")
    return list(
        services.transfer_stock(
            **c.writer(), **common, from_location=location, to_location=target, quantity=payload.quantity
        )
    )


@router.post(
    "/consumables/{consumable_id}/moves",
    response={201: list[MoveOut], **ERRORS},
    summary="入庫・出庫・棚卸・移動の記録",
)
def consumable_move_create(request: HttpRequest, consumable_id: Id, payload: MoveIn) -> Status[list[MoveOut]]:
    """在庫より多い出庫・移動は 400(code: insufficient_stock)で、何も記録しません。移動は2件(出・入)を返します。"""
    c = _manager(request)
    item = selectors.get_item(**c.reader(), consumable_id=consumable_id)
    moves = as_422(lambda: _move(c, item, payload))
    return Status(201, [MoveOut.of(m) for m in moves])


# ------------------------------------------------------------------------------------ requests
@router.get("/consumable-requests", response={200: RequestPage, **READ_ERRORS}, summary="消耗品の依頼の一覧")
def consumable_requests(request: HttpRequest, filters: Query[RequestFilters]) -> RequestPage:
    """総務は全員の依頼(既定: 依頼中)、それ以外の人は自分の依頼だけを見ます。"""
    c = caller_of(request)
    if services.can_manage(c.membership) and not filters.mine:
        qs: Any = selectors.request_list(**c.reader(), status=filters.status)
    else:
        qs = selectors.my_requests(**c.reader(), status=filters.status)
    total, rows = _page(qs, filters)
    return RequestPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[RequestOut.of(r) for r in rows]
    )


@router.post("/consumable-requests", response={201: RequestOut, **ERRORS}, summary="消耗品を依頼する")
def consumable_request_create(request: HttpRequest, payload: RequestIn) -> Status[RequestOut]:
    c = caller_of(request)
    try:
        item = selectors.get_active_or_any_item(company=c.company, consumable_id=payload.consumable_id)
    except NotFound:
        raise _field_error("consumable_id", "消耗品が見つかりません。") from None
    req = as_422(
        lambda: services.request_consumable(
            **c.writer(), consumable=item, quantity=payload.quantity, note=payload.note
        )
    )
    return Status(201, RequestOut.of(req))


@router.get(
    "/consumable-requests/{request_id}",
    response={200: RequestOut, **READ_ERRORS},
    summary="消耗品の依頼の詳細",
)
def consumable_request_get(request: HttpRequest, request_id: Id) -> RequestOut:
    c = caller_of(request)
    return RequestOut.of(selectors.get_request(**c.reader(), request_id=request_id))


@router.post(
    "/consumable-requests/{request_id}/issue", response={200: MoveOut, **ERRORS}, summary="依頼の払出(出庫)"
)
def consumable_request_issue(request: HttpRequest, request_id: Id, payload: IssueRequestIn) -> MoveOut:
    """在庫が足りなければ 400(code: insufficient_stock)で、依頼は依頼中のままです。"""
    c = _manager(request)
    req = selectors.get_request(**c.reader(), request_id=request_id)
    location = _location(c, payload.location_id, "location_id")
    move = as_422(
        lambda: services.issue_request(
            **c.writer(), request=req, location=location, moved_on=payload.moved_on, note=payload.note
        )
    )
    return MoveOut.of(move)


@router.post(
    "/consumable-requests/{request_id}/reject", response={200: RequestOut, **ERRORS}, summary="依頼の却下"
)
def consumable_request_reject(request: HttpRequest, request_id: Id, payload: RejectRequestIn) -> RequestOut:
    c = _manager(request)
    req = selectors.get_request(**c.reader(), request_id=request_id)
    return RequestOut.of(
        as_422(lambda: services.reject_request(**c.writer(), request=req, note=payload.note))
    )


@router.post(
    "/consumable-requests/{request_id}/cancel",
    response={200: RequestOut, **ERRORS},
    summary="依頼の取消(依頼者)",
)
def consumable_request_cancel(request: HttpRequest, request_id: Id) -> RequestOut:
    c = caller_of(request)
    req = selectors.get_request(**c.reader(), request_id=request_id)
    return RequestOut.of(services.cancel_request(**c.writer(), request=req))


# ------------------------------------------------------------------------------------ consumption
@router.get(
    "/consumable-consumption", response={200: ConsumptionOut, **READ_ERRORS}, summary="部門別・月別の消費"
)
def consumable_consumption(request: HttpRequest, params: Query[ConsumptionParams]) -> ConsumptionOut:
    c = _manager(request)
    data = as_422(
        lambda: selectors.consumption(
            **c.reader(),
            start=params.start,
            months=params.months,
            department_id=params.department_id,
            consumable_id=params.consumable_id,
        )
    )
    return ConsumptionOut.of(data)
