"""/api/v1/attendance/: the caller's own punches (打刻) and board, and under rules/ the legal
calculations of 勤怠 (attendance/rules, jp-rules §4) with each step and the rule it applies."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ennoshita.core.api import Problem, caller_of
from ennoshita.core.dates import parse_month
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.web import client_ip

from . import (
    api_agreements,
    api_closing,
    api_leave,
    api_overtime,
    api_paid_leave,
    api_shifts,
    rules,
    selectors,
    services,
    timesheet_selectors,
)
from .models import Punch, PunchSource
from .rules import explain
from .schemas import (
    BoardOut,
    DayOut,
    HourlyWageIn,
    HourlyWageOut,
    LeaveByTypeOut,
    LeaveMarkOut,
    MinutesOut,
    MonthlyTotalsOut,
    MonthQuery,
    OvertimeLimitsIn,
    OvertimeLimitsOut,
    PaidLeaveIn,
    PaidLeaveOut,
    PremiumPayIn,
    PremiumPayOut,
    PunchIn,
    PunchOut,
    StepOut,
    TimesheetDayOut,
    TimesheetOut,
    ViolationOut,
)

router = Router(tags=["attendance"])

ERRORS: dict[int, Any] = {401: Problem, 422: Problem}


def _refused(exc: ValueError) -> ServiceError:
    """The rules' message ("field: 説明") as a 422 with the message on its field."""
    text = str(exc)
    field, _sep, message = text.partition(": ")
    if not message:
        field, message = "", text
    error = ServiceError(message, code="validation", field_errors={field: [message]} if field else None)
    error.status = 422
    return error


@router.post("/rules/hourly-base-wage", response={200: HourlyWageOut, **ERRORS}, summary="1時間あたりの賃金")
def hourly_base_wage(request: HttpRequest, body: HourlyWageIn) -> HourlyWageOut:
    """月給 ÷ 1年間の1月平均所定労働時間(労基則19条1項4号)、50銭の端数処理(基発150号)。"""
    args = body.dict()
    try:
        return HourlyWageOut(
            hourly_wage=rules.hourly_base_wage(**args),
            steps=[StepOut.of(s) for s in explain.explain_hourly_base_wage(**args)],
        )
    except ValueError as exc:
        raise _refused(exc) from exc


@router.post("/rules/premium-pay", response={200: PremiumPayOut, **ERRORS}, summary="割増賃金")
def premium_pay(request: HttpRequest, body: PremiumPayIn) -> PremiumPayOut:
    """時間外125%(60時間超150%)、法定休日135%、深夜25%(労基法37条、割増賃金令)。"""
    args = body.dict()
    try:
        pay = rules.premium_pay(**args)
        steps = explain.explain_premium_pay(**args)
    except ValueError as exc:
        raise _refused(exc) from exc
    return PremiumPayOut(
        overtime=pay.overtime,
        holiday=pay.holiday,
        night=pay.night,
        total=pay.total,
        steps=[StepOut.of(s) for s in steps],
    )


@router.post(
    "/rules/overtime-limit-violations",
    response={200: OvertimeLimitsOut, **ERRORS},
    summary="36協定の上限の判定",
)
def overtime_limit_violations(request: HttpRequest, body: OvertimeLimitsIn) -> OvertimeLimitsOut:
    """月45時間・年360時間、特別条項の年720時間・年6回、月100時間未満、2〜6か月平均80時間以内(労基法36条)。"""
    months = [(overtime, holiday) for overtime, holiday in body.months]
    try:
        found = rules.overtime_limit_violations(months=months, special_clause=body.special_clause)
        steps = explain.explain_overtime_limits(months=months, special_clause=body.special_clause)
    except ValueError as exc:
        raise _refused(exc) from exc
    return OvertimeLimitsOut(
        violations=[
            ViolationOut(code=v.code, message=v.message, hours=v.hours, limit=v.limit) for v in found
        ],
        steps=[StepOut.of(s) for s in steps],
    )


@router.post(
    "/rules/paid-leave-days", response={200: PaidLeaveOut, **ERRORS}, summary="年次有給休暇の付与日数"
)
def paid_leave_days(request: HttpRequest, body: PaidLeaveIn) -> PaidLeaveOut:
    """通常の労働者と比例付与の表(労基法39条、労基則24条の3)。出勤率8割以上の場合の日数。"""
    args = body.dict()
    try:
        return PaidLeaveOut(
            days=rules.paid_leave_days(**args),
            steps=[StepOut.of(s) for s in explain.explain_paid_leave(**args)],
        )
    except ValueError as exc:
        raise _refused(exc) from exc


def _punch_out(p: Punch) -> PunchOut:
    return PunchOut(id=p.pk, work_date=p.work_date, kind=p.kind, at=p.at, source=p.source, note=p.note)


@router.get(
    "/me", response={200: BoardOut, 401: Problem, 404: Problem}, summary="自分の打刻の状態と最近の勤務日"
)
def my_board(request: HttpRequest) -> BoardOut:
    """いまの状態(勤務外・勤務中・休憩中・退勤済)、打刻できる種類、最近7勤務日の打刻と実労働。社員の記録がなければ404。"""
    c = caller_of(request)
    board = selectors.punch_board(**c.reader())
    if board is None:
        raise NotFound(_("ログインユーザーに社員の記録が紐付いていません。"))
    return BoardOut(
        employee_id=board.employee.pk,
        status=board.status,
        since=board.since,
        allowed=list(board.allowed),
        forgotten_clock_in=board.forgotten_clock_in,
        days=[
            DayOut(
                work_date=d.work_date,
                first_in=d.first_in,
                last_out=d.last_out,
                worked_minutes=d.worked_minutes,
                break_minutes=d.break_minutes,
                open=d.open,
                problems=list(d.problems),
                punches=[_punch_out(p) for p in d.punches],
            )
            for d in board.days
        ],
    )


@router.post(
    "/punches", response={201: PunchOut, 400: Problem, 401: Problem, 422: Problem}, summary="打刻する"
)
def punch(request: HttpRequest, body: PunchIn) -> Status[PunchOut]:
    """サーバーの時刻で自分の打刻を記録します(時刻は選べません)。順序の誤り(出勤中の出勤、休憩中の退勤など)は400。"""
    c = caller_of(request)
    recorded = services.record_punch(
        **c.writer(),
        data=services.PunchInput(
            kind=body.kind, note=body.note, latitude=body.latitude, longitude=body.longitude
        ),
        source=PunchSource.WEB,
        ip_address=client_ip(request),
    )
    return Status(201, _punch_out(recorded))


def _month(text: str) -> date:
    if not text:
        return timezone.localdate().replace(day=1)
    month = parse_month(text)
    if month is None:
        message = _("月は YYYY-MM の形式で入力してください。")
        error = ServiceError(message, code="validation", field_errors={"month": [message]})
        error.status = 422
        raise error
    return month


def _timesheet_out(sheet: timesheet_selectors.Timesheet) -> TimesheetOut:
    totals = asdict(sheet.totals)
    del totals["employee_id"], totals["month"]
    totals["leave_by_type"] = [
        LeaveByTypeOut(code=code, days=days, hours=hours) for code, days, hours in sheet.totals.leave_by_type
    ]
    return TimesheetOut(
        employee_id=sheet.employee.pk,
        month=f"{sheet.month:%Y-%m}",
        days=[
            TimesheetDayOut(
                work_date=d.work_date,
                kind=d.kind,
                holiday_name=d.holiday_name,
                first_in=d.first_in,
                last_out=d.last_out,
                break_minutes=d.break_minutes,
                minutes=MinutesOut(**{k: v for k, v in asdict(d.minutes).items() if k != "work_date"}),
                late_minutes=d.late_minutes,
                early_leave_minutes=d.early_leave_minutes,
                absent=d.absent,
                open=d.open,
                problems=list(d.problems),
                planned_minutes=d.planned_minutes,
                expected_minutes=d.expected_minutes,
                scheduled_start=d.scheduled_start,
                scheduled_end=d.scheduled_end,
                from_shift=d.from_shift,
                leave=[LeaveMarkOut(**asdict(m)) for m in d.leave],
                unapproved_minutes=d.unapproved_minutes,
                core_missing_minutes=d.core_missing_minutes,
            )
            for d in sheet.days
        ],
        totals=MonthlyTotalsOut(**totals),
    )


TIMESHEET_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


@router.get("/timesheets/me", response={200: TimesheetOut, **TIMESHEET_ERRORS}, summary="自分の出勤簿")
def my_timesheet(request: HttpRequest, filters: Query[MonthQuery]) -> TimesheetOut:
    """日ごとの出勤・退勤・休憩・実労働・所定内・法定内残業・時間外(日・週)・深夜・法定休日、遅刻・早退・欠勤と月の合計(分)。"""
    c = caller_of(request)
    return _timesheet_out(timesheet_selectors.timesheet(**c.reader(), month=_month(filters.month)))


@router.get(
    "/timesheets/{employee_id}",
    response={200: TimesheetOut, **TIMESHEET_ERRORS},
    summary="社員の出勤簿(人事)",
)
def employee_timesheet(request: HttpRequest, employee_id: int, filters: Query[MonthQuery]) -> TimesheetOut:
    """人事と管理者はすべての社員の出勤簿を、ほかの人は自分の出勤簿だけを読めます(それ以外は403)。"""
    c = caller_of(request)
    return _timesheet_out(
        timesheet_selectors.timesheet(**c.reader(), month=_month(filters.month), employee_id=employee_id)
    )


# each part keeps its own endpoints (docs/domains/attendance.md)
for _part in (api_agreements, api_closing, api_leave, api_overtime, api_paid_leave, api_shifts):
    router.add_router("", _part.router)
