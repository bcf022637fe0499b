"""API of 勤怠 — 勤怠締め (one employee's month: its state, 本人確認, 締め, 締めの解除) and 打刻修正申請
(create, read one, list mine). Mounted under /api/v1/attendance/ by api.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ennoshita.core.api import Input, PageParams, Problem, caller_of
from ennoshita.core.dates import parse_month
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.people import selectors as people_selectors

from . import closing_selectors, correction_selectors
from .models import PunchCorrection
from .services import closing as closing_services
from .services import corrections as correction_services

router = Router(tags=["attendance"])

READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int, Any] = {400: Problem, **READ_ERRORS}
MONTH_PATTERN = r"^\d{4}-\d{1,2}$"


# ------------------------------------------------------------------------------ schemas
class CloseStepOut(Schema):
    action: str = Field(description="confirm 本人確認 / unconfirm 取り消し / lock 締め / reopen 締めの解除")
    label: str
    reason: str
    without_confirmation: bool = Field(description="本人確認がないまま締めた")
    actor: str
    at: datetime


class MonthCloseOut(Schema):
    employee_id: int
    month: str = Field(description="YYYY-MM")
    month_ended: bool
    confirmed_at: datetime | None
    confirmed_by: str | None
    locked_at: datetime | None
    locked_by: str | None
    locked_without_confirmation: bool
    can_confirm: bool
    can_unconfirm: bool
    can_lock: bool
    can_reopen: bool
    history: list[CloseStepOut]


class MonthIn(Input):
    month: str = Field(pattern=MONTH_PATTERN, description="月(YYYY-MM)")


class LockIn(MonthIn):
    reason: str = Field("", max_length=500, description="メモ(任意)")


class ReopenIn(MonthIn):
    reason: str = Field(max_length=500, description="締めの解除の理由(必須)")


class MonthCloseQuery(Schema):
    month: str = Field("", pattern=r"^(\d{4}-\d{1,2})?$", description="月(YYYY-MM、既定: 先月)")


class CorrectionRowIn(Input):
    kind: str = Field(
        pattern="^(in|break_start|break_end|out)$", description="in 出勤 / break_start / break_end / out 退勤"
    )
    time: str = Field(max_length=8, description="勤務日の時刻 H:MM(24:00以降は翌日、25:30 は翌日1:30)")


class CorrectionIn(Input):
    employee_id: int | None = Field(None, ge=1, description="社員ID(省略時は自分)")
    work_date: date
    rows: list[CorrectionRowIn] = Field(
        max_length=20, description="この日のあるべき打刻(空ならこの日の打刻を取り消す)"
    )
    reason: str = Field(max_length=500, description="修正の理由(必須)")


class CorrectionPunchOut(Schema):
    kind: str
    at: datetime
    time: str = Field(description="勤務日の時刻(25:30 は翌日1:30)")


class CorrectionOut(Schema):
    id: int
    employee_id: int
    employee_number: str
    work_date: date
    state: str = Field(description="pending 承認待ち / returned 差し戻し / approved / rejected / withdrawn")
    reason: str
    before: list[CorrectionPunchOut]
    proposed: list[CorrectionPunchOut]
    requested_by: str
    created_at: datetime
    decided_at: datetime | None
    applied_at: datetime | None


class CorrectionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CorrectionOut]


class CorrectionFilters(PageParams):
    state: str = Field("", pattern="^(pending|returned|approved|rejected|withdrawn|cancelled)?$")


# ------------------------------------------------------------------------------ helpers
def _month(text: str) -> date:
    month = parse_month(text)
    if month is None:
        message = _("月は YYYY-MM の形式で入力してください。")
        error = ServiceError(message, code="validation", field_errors={"month": [message]})
        error.status = 422
        raise error
    return month


def _employee_id(request: HttpRequest, employee_id: int) -> int:
    """The employee of this company (another company's id: 404); the caller themself or 人事 (403)."""
    c = caller_of(request)
    employee = people_selectors.employee_by_id(company=c.company, employee_id=employee_id)
    if employee is None:
        raise NotFound()
    if not c.membership.has_any_role(*closing_selectors.CLOSE_ROLES):
        own = people_selectors.own_employee_record(**c.reader())
        if own is None or own.pk != employee.pk:
            raise PermissionDeniedError()
    return employee.pk


def _state_out(request: HttpRequest, employee_id: int, month: date) -> MonthCloseOut:
    c = caller_of(request)
    s = closing_selectors.month_close_state(**c.reader(), employee_id=employee_id, month=month)
    return MonthCloseOut(
        employee_id=s.employee_id,
        month=f"{s.month:%Y-%m}",
        month_ended=s.month_ended,
        confirmed_at=s.confirmed_at,
        confirmed_by=s.confirmed_by.display_name() if s.confirmed_by else None,
        locked_at=s.locked_at,
        locked_by=s.locked_by.display_name() if s.locked_by else None,
        locked_without_confirmation=s.locked_without_confirmation,
        can_confirm=s.can_confirm,
        can_unconfirm=s.can_unconfirm,
        can_lock=s.can_lock,
        can_reopen=s.can_reopen,
        history=[
            CloseStepOut(
                action=e.action,
                label=e.label,
                reason=e.reason,
                without_confirmation=e.without_confirmation,
                actor=e.actor.display_name(),
                at=e.at,
            )
            for e in s.history
        ],
    )


def _correction_out(c: PunchCorrection) -> CorrectionOut:
    def rows(stored: list[dict[str, Any]]) -> list[CorrectionPunchOut]:
        return [
            CorrectionPunchOut(kind=r.kind, at=r.at, time=r.label)
            for r in correction_selectors.rows_of(c.work_date, stored)
        ]

    return CorrectionOut(
        id=c.pk,
        employee_id=c.employee_id,
        employee_number=c.employee.number,
        work_date=c.work_date,
        state=c.state,
        reason=c.reason,
        before=rows(c.before),
        proposed=rows(c.proposed),
        requested_by=c.requested_by.display_name(),
        created_at=c.created_at,
        decided_at=c.decided_at,
        applied_at=c.applied_at,
    )


# ------------------------------------------------------------------------------ 勤怠締め
@router.get(
    "/closing/{employee_id}", response={200: MonthCloseOut, **READ_ERRORS}, summary="勤怠締めの状態(社員・月)"
)
def get_month_close(request: HttpRequest, employee_id: int, filters: Query[MonthCloseQuery]) -> MonthCloseOut:
    """本人確認・締めの状態と履歴、呼び出した人ができる操作。本人と人事・管理者だけが読めます(ほかは403)。"""
    pk = _employee_id(request, employee_id)
    month = _month(filters.month) if filters.month else closing_selectors.last_month()
    return _state_out(request, pk, month)


@router.post(
    "/closing/{employee_id}/confirm", response={200: MonthCloseOut, **WRITE_ERRORS}, summary="本人確認"
)
def confirm_month_close(request: HttpRequest, employee_id: int, body: MonthIn) -> MonthCloseOut:
    """社員本人が、終わった月の勤怠を確認します(締め済みの月は400)。"""
    c = caller_of(request)
    month = _month(body.month)
    closing_services.confirm_month(**c.writer(), employee_id=_employee_id(request, employee_id), month=month)
    return _state_out(request, employee_id, month)


@router.post(
    "/closing/{employee_id}/unconfirm",
    response={200: MonthCloseOut, **WRITE_ERRORS},
    summary="本人確認の取り消し",
)
def unconfirm_month_close(request: HttpRequest, employee_id: int, body: MonthIn) -> MonthCloseOut:
    """締める前なら、社員本人が確認を取り消せます。"""
    c = caller_of(request)
    month = _month(body.month)
    closing_services.unconfirm_month(
        **c.writer(), employee_id=_employee_id(request, employee_id), month=month
    )
    return _state_out(request, employee_id, month)


@router.post("/closing/{employee_id}/lock", response={200: MonthCloseOut, **WRITE_ERRORS}, summary="締め")
def lock_month_close(request: HttpRequest, employee_id: int, body: LockIn) -> MonthCloseOut:
    """人事・管理者が、終わった月を締めます。本人確認がなくても締められ、そのことが記録されます。"""
    c = caller_of(request)
    month = _month(body.month)
    closing_services.lock_month(
        **c.writer(), employee_id=_employee_id(request, employee_id), month=month, reason=body.reason
    )
    return _state_out(request, employee_id, month)


@router.post(
    "/closing/{employee_id}/reopen", response={200: MonthCloseOut, **WRITE_ERRORS}, summary="締めの解除"
)
def reopen_month_close(request: HttpRequest, employee_id: int, body: ReopenIn) -> MonthCloseOut:
    """人事・管理者が理由を添えて締めを解除します(理由は必須)。本人確認も取り消されます。"""
    c = caller_of(request)
    month = _month(body.month)
    closing_services.reopen_month(
        **c.writer(), employee_id=_employee_id(request, employee_id), month=month, reason=body.reason
    )
    return _state_out(request, employee_id, month)


# ------------------------------------------------------------------------------ 打刻修正申請
@router.post("/corrections", response={201: CorrectionOut, **WRITE_ERRORS}, summary="打刻修正申請")
def create_correction(request: HttpRequest, body: CorrectionIn) -> Status[CorrectionOut]:
    """1日分のあるべき打刻と理由で申請し、承認ルート(所属長 → 人事)に回します。本人は自分の日、所属長は
    部下の日、人事はだれの日でも。締めた月・順序の誤り・前後の日との重なり・変更なし・申請中の日は400。"""
    c = caller_of(request)
    correction = correction_services.submit_correction(
        **c.writer(),
        employee_id=body.employee_id,
        work_date=body.work_date,
        rows=[correction_services.CorrectionRow(kind=r.kind, time=r.time) for r in body.rows],
        reason=body.reason,
    )
    found = correction_selectors.get_correction(**c.reader(), correction_id=correction.pk)
    return Status(201, _correction_out(found))


@router.get("/corrections", response={200: CorrectionPage, **READ_ERRORS}, summary="自分の打刻修正申請")
def list_my_corrections(request: HttpRequest, filters: Query[CorrectionFilters]) -> CorrectionPage:
    """自分が出した申請と、自分の勤務日についての申請。新しい順。"""
    c = caller_of(request)
    qs = correction_selectors.correction_list(**c.reader(), scope="mine", state=filters.state)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return CorrectionPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[_correction_out(r) for r in rows]
    )


@router.get(
    "/corrections/{correction_id}", response={200: CorrectionOut, **READ_ERRORS}, summary="打刻修正申請の詳細"
)
def get_correction(request: HttpRequest, correction_id: int) -> CorrectionOut:
    """修正前と修正後の打刻、理由、状態。申請者・本人・所属長・人事・承認者が読めます。"""
    c = caller_of(request)
    return _correction_out(correction_selectors.get_correction(**c.reader(), correction_id=correction_id))
