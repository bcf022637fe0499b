"""API of 残業申請 (create, list, get one). Mounted under /api/v1/attendance/ by api.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Problem, caller_of

from . import overtime_selectors
from .models import OvertimeRequest
from .schemas import OvertimeListQuery, OvertimeRequestIn, OvertimeRequestOut, OvertimeRequestPage
from .services import overtime as overtime_services

router = Router(tags=["attendance"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int, Any] = {400: Problem, **READ_ERRORS}


def _out(r: OvertimeRequest) -> OvertimeRequestOut:
    return OvertimeRequestOut(
        id=r.pk,
        employee_id=r.employee_id,
        work_date=r.work_date,
        start_at=r.start_at,
        end_at=r.end_at,
        reason=r.reason,
        after_the_fact=r.after_the_fact,
        state=r.state,
        created_at=r.created_at,
        decided_at=r.decided_at,
    )


@router.post(
    "/overtime-requests", response={201: OvertimeRequestOut, **WRITE_ERRORS}, summary="残業申請を出す"
)
def create_overtime_request(request: HttpRequest, body: OvertimeRequestIn) -> Status[OvertimeRequestOut]:
    """事前・事後の残業申請。所属長が承認します。人事は employee_id で他の社員の分も出せます。締めた月は400。"""
    c = caller_of(request)
    row = overtime_services.request_overtime(
        **c.writer(),
        data=overtime_services.OvertimeInput(
            work_date=body.work_date, start_at=body.start_at, end_at=body.end_at, reason=body.reason
        ),
        employee_id=body.employee_id,
    )
    return Status(201, _out(row))


@router.get(
    "/overtime-requests", response={200: OvertimeRequestPage, **READ_ERRORS}, summary="残業申請の一覧"
)
def list_overtime_requests(request: HttpRequest, filters: Query[OvertimeListQuery]) -> OvertimeRequestPage:
    """scope=mine は自分の申請、scope=team は所属長のチーム(人事はすべて)。新しい順。"""
    c = caller_of(request)
    qs = overtime_selectors.visible_requests(**c.reader(), scope=filters.scope, state=filters.state)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return OvertimeRequestPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[_out(r) for r in rows]
    )


@router.get(
    "/overtime-requests/{request_id}",
    response={200: OvertimeRequestOut, **READ_ERRORS},
    summary="残業申請の詳細",
)
def get_overtime_request(request: HttpRequest, request_id: int) -> OvertimeRequestOut:
    """本人・申請者・所属長・人事が読めます(それ以外とほかの会社のidは404)。"""
    c = caller_of(request)
    return _out(overtime_selectors.get_request(**c.reader(), request_id=request_id))
