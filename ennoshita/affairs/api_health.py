"""/api/v1/affairs/health/checkups: list, detail, book, record a result.

The list and the detail are for 人事・総務・admin (an employee reads their own checkup's detail). The
detail's ``record`` (result, opinion, measures) is filled only for a member with health access and
that read is recorded; ``GET …/result`` asks for it explicitly and answers 403 to anyone else (nothing
written). Input the services refuse is a 422 on its field; another company's id is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from .schemas_health import (
    BookIn,
    CheckupDetailOut,
    CheckupFilters,
    CheckupOut,
    CheckupPage,
    CheckupRecordOut,
    ResultIn,
)
from .selectors import health as selectors
from .services import health as services

router = Router(tags=["総務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def staff_caller(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not services.is_health_staff(c.membership):
        raise PermissionDeniedError()
    return c


def as_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except ServiceError as exc:
        if exc.code == "validation":
            exc.status = 422
        raise


def _record(record: services.CheckupRecord) -> CheckupRecordOut:
    return CheckupRecordOut(result=record.result, opinion=record.opinion, measures=record.measures)


@router.get(
    "/health/checkups", response={200: CheckupPage, **READ_ERRORS}, summary="健康診断の一覧(結果は含みません)"
)
def health_list_checkups(request: HttpRequest, filters: Query[CheckupFilters]) -> CheckupPage:
    c = staff_caller(request)
    qs = selectors.checkup_list(
        **c.reader(),
        year=filters.year,
        kind=filters.kind,
        status=filters.status,
        department_id=filters.department_id,
        overdue=filters.overdue,
        unexamined=filters.unexamined,
        q=filters.q,
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return CheckupPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[CheckupOut.of(r) for r in rows]
    )


@router.get(
    "/health/checkups/{checkup_id}", response={200: CheckupDetailOut, **READ_ERRORS}, summary="健康診断の詳細"
)
def health_get_checkup(request: HttpRequest, checkup_id: Id) -> CheckupDetailOut:
    """結果・医師の意見・措置(``record``)は健康情報の閲覧権限がある人事・管理者だけに返し、その閲覧を記録します。"""
    c = caller_of(request)
    checkup = selectors.get_checkup(**c.reader(), checkup_id=checkup_id)
    out = CheckupDetailOut(**CheckupOut.of(checkup).model_dump())
    if checkup.status == "done" and services.has_health_access(**c.reader()):
        out.record = _record(services.view_checkup_record(**c.writer(), checkup=checkup))
    return out


@router.get(
    "/health/checkups/{checkup_id}/result",
    response={200: CheckupRecordOut, **READ_ERRORS},
    summary="健康診断の結果を開く(閲覧権限が必要、記録されます)",
)
def health_get_checkup_result(request: HttpRequest, checkup_id: Id) -> CheckupRecordOut:
    c = caller_of(request)
    checkup = selectors.get_checkup(**c.reader(), checkup_id=checkup_id)
    return _record(services.view_checkup_record(**c.writer(), checkup=checkup))


@router.post(
    "/health/checkups/{checkup_id}/booking",
    response={200: CheckupOut, **ERRORS},
    summary="健康診断の予約を記録",
)
def health_book_checkup(request: HttpRequest, checkup_id: Id, payload: BookIn) -> CheckupOut:
    c = caller_of(request)
    checkup = selectors.get_checkup(**c.reader(), checkup_id=checkup_id)
    done = as_422(
        lambda: services.book_checkup(
            **c.writer(), checkup=checkup, clinic=payload.clinic, booked_for=payload.booked_for
        )
    )
    return CheckupOut.of(done)


@router.post(
    "/health/checkups/{checkup_id}/result",
    response={200: CheckupOut, **ERRORS},
    summary="健康診断の結果を記録(閲覧権限が必要、暗号化して保存)",
)
def health_record_result(request: HttpRequest, checkup_id: Id, payload: ResultIn) -> CheckupOut:
    c = staff_caller(request)
    checkup = selectors.get_checkup(**c.reader(), checkup_id=checkup_id)
    done = as_422(
        lambda: services.record_checkup_result(
            **c.writer(),
            checkup=checkup,
            examined_on=payload.examined_on,
            has_findings=payload.has_findings,
            doctor_instructed=payload.doctor_instructed,
            result=payload.result,
            clinic=payload.clinic,
        )
    )
    return CheckupOut.of(done)
