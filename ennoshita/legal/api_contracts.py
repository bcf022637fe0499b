"""/api/v1/legal/: 契約書 — list, get, create, update, status change, and what ends or reaches a
notice deadline in the next N days. The same services and selectors as the screens: 法務・管理者
change every contract, 経理 reads them all, any other member their own. Another company's contract
(and one the caller may not see) is a 404; bad input is a 422 on the field with nothing written."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from ennoshita.core.api import Id, Problem, caller_of
from ennoshita.core.errors import ServiceError

from .schemas_contracts import (
    ContractCreateIn,
    ContractDetail,
    ContractFilters,
    ContractIn,
    ContractOut,
    ContractPage,
    DeadlineOut,
    FileOut,
    StatusIn,
)
from .selectors import contracts as selectors
from .services import contracts as services

router = Router(tags=["法務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _as_422(exc: ServiceError) -> ServiceError:
    if exc.code == "validation":
        exc.status = 422
    return exc


def _input(payload: ContractIn) -> services.ContractInput:
    data = payload.model_dump(exclude={"status", "signed_on"})
    return services.ContractInput(**data)


@router.get("/contracts", response={200: ContractPage, **READ_ERRORS}, summary="契約の一覧")
def contract_list(request: HttpRequest, filters: Query[ContractFilters]) -> ContractPage:
    c = caller_of(request)
    qs = selectors.contract_list(
        **c.reader(),
        q=filters.q,
        status=filters.status,
        contract_type=filters.contract_type,
        department_id=filters.department_id,
        owner_id=filters.owner_id,
        auto_renew=filters.auto_renew,
        ends_from=filters.ends_from,
        ends_to=filters.ends_to,
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return ContractPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[ContractOut.of(r) for r in rows]
    )


@router.get("/contracts/upcoming", response={200: list[DeadlineOut], **READ_ERRORS}, summary="期限が近い契約")
def contract_upcoming(
    request: HttpRequest, days: int = Query(90, ge=1, le=366, description="今日から何日先まで")
) -> list[DeadlineOut]:
    """今日から `days` 日以内に満了する契約と、更新拒絶の通知期限が来る契約(期限の順)。"""
    c = caller_of(request)
    return [
        DeadlineOut(
            contract_id=i.contract.pk,
            number=i.contract.number,
            title=i.contract.title,
            kind=i.kind,
            due_on=i.due_on,
            days_left=i.days_left,
        )
        for i in selectors.upcoming(**c.reader(), days=days)
    ]


@router.get("/contracts/{contract_id}", response={200: ContractDetail, **READ_ERRORS}, summary="契約の詳細")
def contract_get(request: HttpRequest, contract_id: Id) -> ContractDetail:
    c = caller_of(request)
    contract = selectors.get_contract(**c.reader(), contract_id=contract_id)
    files = [
        FileOut(
            number=v.number,
            name=v.original_name,
            comment=v.comment,
            uploaded_at=v.uploaded_at,
            url=reverse("legal:contract_file", args=[contract.pk, v.pk]),
        )
        for v in selectors.versions(contract=contract)
    ]
    return ContractDetail(
        **ContractOut.of(contract).model_dump(),
        children=[x.pk for x in selectors.children(**c.reader(), contract=contract)],
        allowed_moves=services.allowed_moves(c.membership, contract),
        files=files,
    )


@router.post("/contracts", response={201: ContractDetail, **ERRORS}, summary="契約の登録")
def contract_create(request: HttpRequest, payload: ContractCreateIn) -> Status[ContractDetail]:
    """起案中で登録します(法務・管理者は締結済みの契約を `status` と `signed_on` 付きで登録できます)。
    印紙税は文書区分・金額・書面の有無から計算して保存します。"""
    c = caller_of(request)
    try:
        contract = services.create_contract(
            **c.writer(), data=_input(payload), status=payload.status, signed_on=payload.signed_on
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(201, contract_get(request, contract.pk))


@router.put("/contracts/{contract_id}", response={200: ContractDetail, **ERRORS}, summary="契約の変更")
def contract_update(request: HttpRequest, contract_id: Id, payload: ContractIn) -> ContractDetail:
    """すべての項目を送ります。印紙税は計算し直します。"""
    c = caller_of(request)
    contract = selectors.get_contract(**c.reader(), contract_id=contract_id)
    try:
        services.update_contract(**c.writer(), contract=contract, data=_input(payload))
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return contract_get(request, contract.pk)


@router.post(
    "/contracts/{contract_id}/status", response={200: ContractDetail, **ERRORS}, summary="契約の状態の変更"
)
def contract_change_status(request: HttpRequest, contract_id: Id, payload: StatusIn) -> ContractDetail:
    """許されない変更は 400(`code: bad_transition`)。締結には `signed_on`、締結前の取りやめには `reason`、
    締結後の解約には `terminated_on` が必要です(ないと 422)。"""
    c = caller_of(request)
    contract = selectors.get_contract(**c.reader(), contract_id=contract_id)
    try:
        services.change_contract_status(
            **c.writer(),
            contract=contract,
            to=payload.to,
            signed_on=payload.signed_on,
            terminated_on=payload.terminated_on,
            reason=payload.reason,
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return contract_get(request, contract.pk)
