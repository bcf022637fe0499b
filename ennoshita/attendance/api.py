"""/api/v1/attendance/rules/: the legal calculations of 勤怠 (attendance/rules, jp-rules §4) for any
member of the company, with each step and the rule it applies. Nothing is read or written."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ennoshita.core.api import Problem
from ennoshita.core.errors import ServiceError

from . import rules
from .rules import explain
from .schemas import (
    HourlyWageIn,
    HourlyWageOut,
    OvertimeLimitsIn,
    OvertimeLimitsOut,
    PaidLeaveIn,
    PaidLeaveOut,
    PremiumPayIn,
    PremiumPayOut,
    StepOut,
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
