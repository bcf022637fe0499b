"""/api/v1/attendance/: leave types and leave requests (休暇申請): list, create (the employee's own,
or 人事 for anyone with ``employee_id``), detail, cancel (取り消し). Input the rules refuse (a range
with no workday, a unit the type does not allow, a short balance, an overlap) is a 422 with the
message on its field; a request of another company, or one the caller may not see, is a 404;
nothing is written on any refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ennoshita.core.api import Id, Input, PageParams, Problem, Str100, Str500, caller_of
from ennoshita.core.dates import parse_month
from ennoshita.core.errors import ServiceError

from . import leave_selectors
from .models import LeaveRequest, LeaveType
from .services import leave as leave_services

router = Router(tags=["attendance"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


class LeaveTypeOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(description="区分(annual, special, menstrual, child_sick, care_day, …)")
    paid: bool
    has_balance: bool = Field(description="付与日数から差し引く")
    allow_half_day: bool
    allow_hourly: bool
    counts_as_attended: bool = Field(description="出勤率の計算で出勤とみなす(労基法39条10項)")
    expiry_months: int | None
    is_active: bool

    @staticmethod
    def of(t: LeaveType) -> LeaveTypeOut:
        return LeaveTypeOut(
            id=t.pk,
            code=t.code,
            name=t.name,
            kind=t.kind,
            paid=t.paid,
            has_balance=t.has_balance,
            allow_half_day=t.allow_half_day,
            allow_hourly=t.allow_hourly,
            counts_as_attended=t.counts_as_attended,
            expiry_months=t.expiry_months,
            is_active=t.is_active,
        )


class LeaveRequestOut(Schema):
    id: int
    employee_id: int
    employee_number: str
    employee_name: str
    leave_type_id: int
    leave_type: str
    unit: str = Field(description="full(全日), am(午前半休), pm(午後半休), hours(時間単位)")
    start_date: date
    end_date: date
    start_time: time | None
    end_time: time | None
    days: Decimal = Field(description="所定労働日の日数(半日は0.5、時間単位は0)")
    hours: int
    reason: str
    planned: bool = Field(description="計画的付与(労基法39条6項)")
    state: str = Field(description="pending, returned, approved, rejected, withdrawn, cancelled")
    created_at: datetime
    decided_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str

    @staticmethod
    def of(r: LeaveRequest) -> LeaveRequestOut:
        return LeaveRequestOut(
            id=r.pk,
            employee_id=r.employee_id,
            employee_number=r.employee.number,
            employee_name=f"{r.employee.family_name} {r.employee.given_name}",
            leave_type_id=r.leave_type_id,
            leave_type=r.leave_type.name,
            unit=r.unit,
            start_date=r.start_date,
            end_date=r.end_date,
            start_time=r.start_time,
            end_time=r.end_time,
            days=r.days,
            hours=r.hours,
            reason=r.reason,
            planned=r.planned,
            state=r.state,
            created_at=r.created_at,
            decided_at=r.decided_at,
            cancelled_at=r.cancelled_at,
            cancel_reason=r.cancel_reason,
        )


class LeaveRequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LeaveRequestOut]


class LeaveRequestFilters(PageParams):
    scope: str = Field(
        "mine", pattern="^(mine|all)$", description="mine: 自分の申請、all: 見られるすべて(人事・所属長)"
    )
    state: str = Field("", max_length=12)
    leave_type_id: int | None = Field(None, ge=1, le=2**31 - 1)
    department_id: int | None = Field(None, ge=1, le=2**31 - 1)
    month: str = Field("", max_length=7, description="YYYY-MM: その月にかかる申請")
    q: Str100 = ""


class LeaveRequestIn(Input):
    leave_type_id: Id
    unit: str = Field("full", pattern="^(full|am|pm|hours)$")
    start_date: date
    end_date: date | None = Field(None, description="全日の最終日(省略は開始日と同じ)")
    start_time: time | None = Field(None, description="時間単位の開始時刻")
    end_time: time | None = Field(None, description="時間単位の終了時刻")
    reason: Str500 = ""
    employee_id: Id | None = Field(None, description="人事が社員に代わって申請するとき")


class CancelIn(Input):
    reason: Str500


def _as_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except ServiceError as exc:
        if exc.code in ("validation", "overlap", "month_closed", "insufficient_balance", "hourly_cap"):
            exc.status = 422
        raise


def _invalid(field: str, message: str) -> ServiceError:
    error = ServiceError(message, code="validation", field_errors={field: [message]})
    error.status = 422
    return error


@router.get("/leave-types", response={200: list[LeaveTypeOut], **READ_ERRORS}, summary="休暇の種類")
def list_leave_types(request: HttpRequest) -> list[LeaveTypeOut]:
    """会社の休暇の種類(初回に既定の種類が作られます)。"""
    c = caller_of(request)
    return [LeaveTypeOut.of(t) for t in leave_selectors.leave_types(company=c.company)]


@router.get("/leave-requests", response={200: LeaveRequestPage, **READ_ERRORS}, summary="休暇申請の一覧")
def list_leave_requests(request: HttpRequest, filters: Query[LeaveRequestFilters]) -> LeaveRequestPage:
    """新しい順。`scope=all` は人事ならすべて、所属長なら部下の申請(ほかは自分の申請だけ)。"""
    c = caller_of(request)
    month = None
    if filters.month:
        month = parse_month(filters.month)
        if month is None:
            raise _invalid("month", _("月は YYYY-MM の形式で入力してください。"))
    if filters.scope == "all":
        qs = leave_selectors.leave_request_list(
            **c.reader(),
            filters=leave_selectors.ListFilters(
                state=filters.state,
                leave_type_id=filters.leave_type_id,
                department_id=filters.department_id,
                month=month,
                q=filters.q,
            ),
        )
    else:
        qs = leave_selectors.own_requests(**c.reader())
        if filters.state:
            qs = qs.filter(state=filters.state)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return LeaveRequestPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[LeaveRequestOut.of(r) for r in rows]
    )


@router.post("/leave-requests", response={201: LeaveRequestOut, **ERRORS}, summary="休暇を申請する")
def create_leave_request(request: HttpRequest, payload: LeaveRequestIn) -> Status[LeaveRequestOut]:
    """所定労働日だけを数え、残日数から押さえて承認ルート(所属長 → 人事)に回します。"""
    c = caller_of(request)
    leave = _as_422(
        lambda: leave_services.request_leave(
            **c.writer(),
            data=leave_services.LeaveInput(
                leave_type_id=payload.leave_type_id,
                unit=payload.unit,
                start_date=payload.start_date,
                end_date=payload.end_date,
                start_time=payload.start_time,
                end_time=payload.end_time,
                reason=payload.reason,
            ),
            employee_id=payload.employee_id,
        )
    )
    found = leave_selectors.get_leave_request(**c.reader(), request_id=leave.pk)
    return Status(201, LeaveRequestOut.of(found))


@router.get(
    "/leave-requests/{leave_request_id}",
    response={200: LeaveRequestOut, **READ_ERRORS},
    summary="休暇申請の詳細",
)
def get_leave_request(request: HttpRequest, leave_request_id: Id) -> LeaveRequestOut:
    c = caller_of(request)
    return LeaveRequestOut.of(leave_selectors.get_leave_request(**c.reader(), request_id=leave_request_id))


@router.post(
    "/leave-requests/{leave_request_id}/cancel",
    response={200: LeaveRequestOut, **ERRORS},
    summary="休暇申請の取り消し",
)
def cancel_leave_request(request: HttpRequest, leave_request_id: Id, payload: CancelIn) -> LeaveRequestOut:
    """本人は初日の前まで、人事はいつでも(締めた月を除く)。押さえた日数は戻ります。"""
    c = caller_of(request)
    leave = leave_selectors.get_leave_request(**c.reader(), request_id=leave_request_id)
    _as_422(
        lambda: leave_services.cancel_leave_request(**c.writer(), request_id=leave.pk, reason=payload.reason)
    )
    return LeaveRequestOut.of(leave_selectors.get_leave_request(**c.reader(), request_id=leave.pk))
