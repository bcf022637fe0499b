"""/api/v1/legal/ip: 知的財産 — the register, one right with its deadlines, status, payments, costs,
and the deadlines coming up.

Reads: 法務・管理者・経理 every right; any other member the rights they are 担当者 of. Writes: 法務 and
管理者. Input the rules refuse (a deadline past its late period, a date before the filing) is a 422
problem with the message on its field; another company's id, or a right the caller may not see, is
a 404; nothing is written on either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from .permissions_ip import manages_ip
from .schemas_ip import (
    CostIn,
    CostOut,
    IpDetailOut,
    IpFilters,
    IpIn,
    IpOut,
    IpPage,
    PaymentIn,
    StatusIn,
    UpcomingFilters,
)
from .selectors import ip as selectors
from .services import ip as services

router = Router(tags=["法務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def writer(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not manages_ip(c.membership):
        raise PermissionDeniedError()
    return c


def as_422(call: Callable[[], T]) -> T:
    """Refusals of the services answer 422 like the schema's own, with the same field names."""
    try:
        return call()
    except ServiceError as exc:
        if exc.code in ("validation", "invalid", "invalid_transition"):
            exc.status = 422
        raise


def _input(payload: IpIn) -> services.IpInput:
    return services.IpInput(**payload.model_dump())


def _page(qs: Any, limit: int, offset: int) -> IpPage:
    total = qs.count()
    rows = list(qs[offset : offset + limit])
    return IpPage(count=total, limit=limit, offset=offset, items=[IpOut.of(r) for r in rows])


def _detail(c: Caller, right_id: int) -> IpDetailOut:
    right = selectors.get_ip_right(**c.reader(), right_id=right_id)
    return IpDetailOut.detail(right, timezone.localdate())


@router.get("/ip", response={200: IpPage, **READ_ERRORS}, summary="知的財産の一覧")
def ip_list(request: HttpRequest, filters: Query[IpFilters]) -> IpPage:
    c = caller_of(request)
    qs = selectors.ip_list(
        **c.reader(),
        q=filters.q,
        kind=filters.kind,
        status=filters.status,
        country=filters.country,
        department_id=filters.department_id,
        within_days=filters.within_days,
    )
    return _page(qs, filters.limit, filters.offset)


@router.get("/ip/upcoming", response={200: IpPage, **READ_ERRORS}, summary="期限が近い知的財産")
def ip_upcoming(request: HttpRequest, filters: Query[UpcomingFilters]) -> IpPage:
    """存続中で、次の期限が今日から ``days`` 日以内の権利(割増期間中のものを含む)。"""
    c = caller_of(request)
    return _page(selectors.upcoming(**c.reader(), days=filters.days), filters.limit, filters.offset)


@router.post("/ip", response={201: IpDetailOut, **ERRORS}, summary="知的財産の登録")
def ip_create(request: HttpRequest, payload: IpIn) -> Status[IpDetailOut]:
    """満了日と次の期限は出願日・設定登録日から計算します。割増期間も過ぎた期限がある存続中の権利は 422 で断ります。"""
    c = writer(request)
    right = as_422(lambda: services.register_ip_right(**c.writer(), data=_input(payload)))
    return Status(201, _detail(c, right.pk))


@router.get("/ip/{right_id}", response={200: IpDetailOut, **READ_ERRORS}, summary="知的財産の詳細")
def ip_get(request: HttpRequest, right_id: Id) -> IpDetailOut:
    return _detail(caller_of(request), right_id)


@router.put("/ip/{right_id}", response={200: IpDetailOut, **ERRORS}, summary="知的財産の変更")
def ip_update(request: HttpRequest, right_id: Id, payload: IpIn) -> IpDetailOut:
    """項目をすべて置き換えます(状態は /status、納付は /payments で変わります)。"""
    c = writer(request)
    right = selectors.get_ip_right(**c.reader(), right_id=right_id)
    as_422(lambda: services.update_ip_right(**c.writer(), right=right, data=_input(payload)))
    return _detail(c, right_id)


@router.post("/ip/{right_id}/status", response={200: IpDetailOut, **ERRORS}, summary="知的財産の状態の変更")
def ip_status(request: HttpRequest, right_id: Id, payload: StatusIn) -> IpDetailOut:
    c = writer(request)
    right = selectors.get_ip_right(**c.reader(), right_id=right_id)
    as_422(
        lambda: services.set_ip_status(
            **c.writer(),
            right=right,
            status=payload.status,
            reason=payload.reason,
            registered_on=payload.registered_on,
            registration_number=payload.registration_number,
        )
    )
    return _detail(c, right_id)


@router.post("/ip/{right_id}/payments", response={201: IpDetailOut, **ERRORS}, summary="知的財産の納付の記録")
def ip_payment(request: HttpRequest, right_id: Id, payload: PaymentIn) -> Status[IpDetailOut]:
    """年金・後期分割登録料・商標の更新・ドメイン名の更新。次の期限が進みます。"""
    c = writer(request)
    right = selectors.get_ip_right(**c.reader(), right_id=right_id)
    as_422(
        lambda: services.record_ip_payment(
            **c.writer(),
            right=right,
            what=payload.what,
            paid_on=payload.paid_on,
            amount=payload.amount,
            surcharge=payload.surcharge,
            years=payload.years,
            new_expires_on=payload.new_expires_on,
            installment=payload.installment,
            memo=payload.memo,
        )
    )
    return Status(201, _detail(c, right_id))


@router.get("/ip/{right_id}/costs", response={200: list[CostOut], **READ_ERRORS}, summary="知的財産の費用")
def ip_costs(request: HttpRequest, right_id: Id) -> list[CostOut]:
    c = caller_of(request)
    right = selectors.get_ip_right(**c.reader(), right_id=right_id)
    return [CostOut.of(x) for x in selectors.right_costs(company=c.company, right=right)[:1000]]


@router.post("/ip/{right_id}/costs", response={201: CostOut, **ERRORS}, summary="知的財産の費用の記録")
def ip_cost_create(request: HttpRequest, right_id: Id, payload: CostIn) -> Status[CostOut]:
    c = writer(request)
    right = selectors.get_ip_right(**c.reader(), right_id=right_id)
    cost = as_422(
        lambda: services.record_ip_cost(
            **c.writer(),
            right=right,
            kind=payload.kind,
            paid_on=payload.paid_on,
            amount=payload.amount,
            memo=payload.memo,
        )
    )
    return Status(201, CostOut.of(cost))
