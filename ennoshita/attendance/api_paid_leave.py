"""API of 勤怠 — 年次有給休暇 (mounted under /api/v1/attendance/ by api.py): balances (one's own;
anyone's for 人事; the team's for a 所属長), the grants (人事: list, add, correct, run), the
年5日取得義務, the 年次有給休暇管理簿, and the policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from ennoshita.core.api import Caller, Id, Input, Problem, Str200, caller_of
from ennoshita.core.permissions import require_role

from . import paid_leave_selectors as selectors
from .models import LeaveGrant
from .services import leave_grants as services

router = Router(tags=["attendance"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
HR = ("admin", "hr")


class GrantBalanceOut(Schema):
    grant_id: int
    granted_on: date
    expires_on: date
    days: Decimal = Field(description="付与日数")
    source: str = Field(description="automatic / manual / migrated")
    service_months: int | None
    attendance_rate: Decimal | None
    used_days: Decimal
    used_hours: Decimal
    remaining_days: Decimal
    remaining_hours: Decimal
    valid: bool = Field(description="基準の日に使える")
    expired: bool


class BalanceOut(Schema):
    employee_id: int
    leave_type_id: int | None
    leave_type_name: str
    as_of: date
    hours_per_day: int = Field(description="時間単位で1日とする時間数(所定労働時間の切り上げ)")
    remaining_days: Decimal
    remaining_hours: Decimal
    label: str = Field(description="例: 9日と7時間")
    pending_days: Decimal = Field(description="申請中で押さえている分(残りからは差し引き済み)")
    pending_hours: Decimal
    next_expiry: date | None
    next_expiry_days: Decimal
    next_expiry_hours: Decimal
    grants: list[GrantBalanceOut]

    @classmethod
    def of(cls, b: selectors.LeaveBalance) -> BalanceOut:
        return cls(
            employee_id=b.employee_id,
            leave_type_id=b.leave_type_id,
            leave_type_name=b.leave_type_name,
            as_of=b.as_of,
            hours_per_day=b.hours_per_day,
            remaining_days=b.remaining_days,
            remaining_hours=b.remaining_hours,
            label=b.label,
            pending_days=b.pending_days,
            pending_hours=b.pending_hours,
            next_expiry=b.next_expiry,
            next_expiry_days=b.next_expiry_days,
            next_expiry_hours=b.next_expiry_hours,
            grants=[
                GrantBalanceOut(
                    grant_id=g.grant_id,
                    granted_on=g.granted_on,
                    expires_on=g.expires_on,
                    days=g.days,
                    source=g.source,
                    service_months=g.service_months,
                    attendance_rate=g.attendance_rate,
                    used_days=g.used_days,
                    used_hours=g.used_hours,
                    remaining_days=g.remaining_days,
                    remaining_hours=g.remaining_hours,
                    valid=g.valid,
                    expired=g.expired,
                )
                for g in b.grants
            ],
        )


class BalanceQuery(Schema):
    as_of: date | None = Field(None, description="この日の残り(省略: 今日)")
    leave_type_id: int | None = Field(None, ge=1, description="省略: 年次有給休暇")


class GrantOut(Schema):
    id: int
    employee_id: int
    employee_number: str
    leave_type_id: int
    granted_on: date
    expires_on: date
    days: Decimal
    source: str
    service_months: int | None
    attendance_rate: Decimal | None
    note: str

    @classmethod
    def of(cls, g: LeaveGrant) -> GrantOut:
        return cls(
            id=g.pk,
            employee_id=g.employee_id,
            employee_number=g.employee.number,
            leave_type_id=g.leave_type_id,
            granted_on=g.granted_on,
            expires_on=g.expires_on,
            days=g.days,
            source=g.source,
            service_months=g.service_months,
            attendance_rate=g.attendance_rate,
            note=g.note,
        )


class GrantQuery(Schema):
    employee_id: int | None = Field(None, ge=1)
    year: int | None = Field(None, ge=2000, le=2100, description="付与日の年")


class GrantIn(Input):
    employee_id: Id
    granted_on: date
    days: Decimal = Field(ge=0, le=40, description="0.5日単位")
    note: Str200 = Field(description="理由(必須)")
    expires_on: date | None = Field(None, description="省略: 付与日から2年(前日まで)")
    migrated: bool = Field(False, description="移行した残日数")
    leave_type_id: Id | None = Field(None, description="省略: 年次有給休暇")


class AdjustIn(Input):
    days: Decimal = Field(ge=0, le=40)
    note: Str200


class RunIn(Input):
    as_of: date | None = Field(None, description="この日までの付与(省略: 今日)")


class RunOut(Schema):
    granted: int
    not_qualified: int = Field(description="出勤率8割未満で0日の付与")
    employees: int


class DutyOut(Schema):
    employee_id: int
    number: str
    name: str
    start: date
    deadline: date
    required: Decimal
    taken: Decimal
    scheduled: Decimal
    still_needed: Decimal
    warned_on: date | None


class LedgerDayOut(Schema):
    date: date
    unit: str = Field(description="full / am / pm / hours")
    days: Decimal
    hours: Decimal
    planned: bool = Field(description="計画的付与")


class LedgerYearOut(Schema):
    granted_on: date = Field(description="基準日")
    period_end: date
    days: Decimal = Field(description="付与日数")
    expires_on: date
    taken_days: Decimal
    taken_hours: Decimal
    taken: list[LedgerDayOut] = Field(description="時季(取得日)")


class LedgerOut(Schema):
    employee_id: int
    number: str
    name: str
    hire_date: date
    hours_per_day: int
    years: list[LedgerYearOut]

    @classmethod
    def of(cls, ledger: selectors.LeaveLedger) -> LedgerOut:
        e = ledger.employee
        return cls(
            employee_id=e.pk,
            number=e.number,
            name=f"{e.family_name} {e.given_name}",
            hire_date=e.hire_date,
            hours_per_day=ledger.hours_per_day,
            years=[
                LedgerYearOut(
                    granted_on=y.granted_on,
                    period_end=y.period_end,
                    days=y.days,
                    expires_on=y.expires_on,
                    taken_days=y.taken_days,
                    taken_hours=y.taken_hours,
                    taken=[
                        LedgerDayOut(date=d.date, unit=d.unit, days=d.days, hours=d.hours, planned=d.planned)
                        for d in y.taken
                    ],
                )
                for y in ledger.years
            ],
        )


class PolicyIO(Input):
    uses_reference_date: bool = False
    reference_month: int = Field(4, ge=1, le=12)
    reference_day: int = Field(1, ge=1, le=31)
    first_grant_months: int = Field(6, ge=0, le=6)
    hourly_days_per_year: int = Field(0, ge=0, le=5)
    warn_five_days_before_months: int = Field(3, ge=1, le=11)
    records_from: date | None = None


def _hr(request: HttpRequest) -> Caller:
    c = caller_of(request)
    require_role(c.membership, *HR)
    return c


def _balance(c: Caller, employee_id: int | None, q: BalanceQuery) -> BalanceOut:
    employee = selectors.readable_employee(**c.reader(), employee_id=employee_id)
    return BalanceOut.of(
        selectors.leave_balance(
            company=c.company,
            employee_id=employee.pk,
            leave_type_id=q.leave_type_id,
            as_of=q.as_of or timezone.localdate(),
        )
    )


@router.get("/paid-leave/balance/me", response={200: BalanceOut, **READ_ERRORS}, summary="自分の休暇の残り")
def my_paid_leave_balance(request: HttpRequest, q: Query[BalanceQuery]) -> BalanceOut:
    """社員の記録がなければ404。"""
    return _balance(caller_of(request), None, q)


@router.get(
    "/paid-leave/balance/{employee_id}", response={200: BalanceOut, **READ_ERRORS}, summary="社員の休暇の残り"
)
def employee_paid_leave_balance(request: HttpRequest, employee_id: Id, q: Query[BalanceQuery]) -> BalanceOut:
    """人事・管理者は全員、所属長は所属する部署の社員、ほかは自分だけ(他人は403)。"""
    return _balance(caller_of(request), employee_id, q)


@router.get(
    "/paid-leave/grants", response={200: list[GrantOut], **READ_ERRORS}, summary="休暇の付与の一覧(人事)"
)
def list_leave_grants(request: HttpRequest, q: Query[GrantQuery]) -> list[GrantOut]:
    c = _hr(request)
    rows = selectors.employee_grants(company=c.company, employee_id=q.employee_id, year=q.year)[:2000]
    return [GrantOut.of(g) for g in rows]


@router.post("/paid-leave/grants", response={201: GrantOut, **ERRORS}, summary="休暇の手動付与(人事)")
def create_leave_grant(request: HttpRequest, body: GrantIn) -> Status[GrantOut]:
    """同じ社員・同じ日の付与があれば400。移行した残日数は migrated=true。"""
    c = _hr(request)
    grant = services.add_grant(**c.writer(), **body.dict())
    return Status(201, GrantOut.of(selectors.get_grant(company=c.company, grant_id=grant.pk)))


@router.patch(
    "/paid-leave/grants/{grant_id}", response={200: GrantOut, **ERRORS}, summary="付与日数の修正(人事)"
)
def adjust_leave_grant(request: HttpRequest, grant_id: Id, body: AdjustIn) -> GrantOut:
    """使用済み・申請中の分より少なくはできません(400)。"""
    c = _hr(request)
    services.adjust_grant(**c.writer(), grant_id=grant_id, days=body.days, note=body.note)
    return GrantOut.of(selectors.get_grant(company=c.company, grant_id=grant_id))


@router.post("/paid-leave/run-grants", response={200: RunOut, **ERRORS}, summary="自動付与の実行(人事)")
def run_leave_grants(request: HttpRequest, body: RunIn) -> RunOut:
    """まだの付与だけを行います(何度実行しても同じ)。"""
    c = _hr(request)
    result = services.grant_paid_leave(**c.writer(), as_of=body.as_of or timezone.localdate())
    return RunOut(granted=result.granted, not_qualified=result.not_qualified, employees=result.employees)


@router.get("/paid-leave/five-days", response={200: list[DutyOut], **READ_ERRORS}, summary="年5日の取得状況")
def five_day_duties(request: HttpRequest, include_done: bool = False) -> list[DutyOut]:
    """人事・管理者は全員、所属長は部下。期限の近い順。それ以外は403。"""
    c = caller_of(request)
    duties = selectors.five_day_list(**c.reader(), as_of=timezone.localdate(), include_done=include_done)
    return [
        DutyOut(
            employee_id=d.employee_id,
            number=d.number,
            name=d.name,
            start=d.start,
            deadline=d.deadline,
            required=d.required,
            taken=d.taken,
            scheduled=d.scheduled,
            still_needed=d.still_needed,
            warned_on=d.warned_on,
        )
        for d in duties
    ]


class LedgerQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="基準日の年(省略: 保存期間内すべて)")


def _ledger(c: Caller, employee_id: int | None, year: int | None) -> LedgerOut:
    employee = selectors.ledger_employee(**c.reader(), employee_id=employee_id)
    return LedgerOut.of(
        selectors.leave_ledger(company=c.company, employee=employee, year=year, today=timezone.localdate())
    )


@router.get(
    "/paid-leave/ledger/me", response={200: LedgerOut, **READ_ERRORS}, summary="自分の年次有給休暇管理簿"
)
def my_leave_ledger(request: HttpRequest, q: Query[LedgerQuery]) -> LedgerOut:
    return _ledger(caller_of(request), None, q.year)


@router.get(
    "/paid-leave/ledger/{employee_id}",
    response={200: LedgerOut, **READ_ERRORS},
    summary="年次有給休暇管理簿(人事)",
)
def employee_leave_ledger(request: HttpRequest, employee_id: Id, q: Query[LedgerQuery]) -> LedgerOut:
    """基準日・日数・時季(則24条の7)。人事は全員、ほかは自分だけ。"""
    return _ledger(caller_of(request), employee_id, q.year)


@router.get("/paid-leave/policy", response={200: PolicyIO, **READ_ERRORS}, summary="年休の付与の設定")
def get_leave_policy(request: HttpRequest) -> PolicyIO:
    c = _hr(request)
    p = selectors.policy_of(company=c.company)
    return PolicyIO(**{f: getattr(p, f) for f in services.POLICY_FIELDS})


@router.put("/paid-leave/policy", response={200: PolicyIO, **ERRORS}, summary="年休の付与の設定の変更")
def update_leave_policy(request: HttpRequest, body: PolicyIO) -> PolicyIO:
    c = _hr(request)
    p = services.update_policy(**c.writer(), data=services.PolicyInput(**body.dict()))
    return PolicyIO(**{f: getattr(p, f) for f in services.POLICY_FIELDS})
