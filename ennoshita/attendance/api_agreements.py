"""API of 勤怠 — 36協定 (mounted under /api/v1/attendance/ by api.py): the agreements (人事 and
admins), the dashboard rows 「36協定の状況」 (人事: everyone; a 所属長: the departments they head)
and the caller's own figures against the limits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ennoshita.core.api import MAX_ID, Caller, Id, Input, Problem, Str100, Str500, caller_of
from ennoshita.core.dates import parse_month
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.permissions import require_role

from . import agreement_selectors as selectors
from .models import OvertimeAgreement
from .rules.agreement_limits import LimitStatus
from .services import agreements as services
from .services.figures import read_and_keep

router = Router(tags=["attendance"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}

Hours = Decimal


class AgreementIn(Input):
    name: Str100
    department_id: Id | None = Field(None, description="対象部署(省略: 全社)")
    start_date: date = Field(description="起算日(月の初日)")
    end_date: date = Field(description="有効期間の終了日(起算日から1年以内)")
    monthly_limit_hours: Hours = Field(Decimal(45), ge=0, le=999, description="1か月の限度時間(45時間以内)")
    yearly_limit_hours: Hours = Field(Decimal(360), ge=0, le=9999, description="1年の限度時間(360時間以内)")
    special_clause: bool = False
    special_monthly_hours: Hours | None = Field(
        None, ge=0, le=999, description="特別条項の1か月の時間(時間外+休日、100時間未満)"
    )
    special_yearly_hours: Hours | None = Field(
        None, ge=0, le=9999, description="特別条項の1年の時間(720時間以内)"
    )
    special_months_allowed: int | None = Field(
        None, ge=0, le=12, description="限度時間を超えられる月数(6以内)"
    )
    warning_percent: int = Field(80, ge=1, le=100, description="警告する割合(%)")
    note: Str500 = ""


class AgreementOut(Schema):
    id: int
    name: str
    department_id: int | None
    department_name: str
    start_date: date
    end_date: date
    monthly_limit_hours: Decimal
    yearly_limit_hours: Decimal
    special_clause: bool
    special_monthly_hours: Decimal | None
    special_yearly_hours: Decimal | None
    special_months_allowed: int | None
    warning_percent: int
    note: str

    @classmethod
    def of(cls, a: OvertimeAgreement) -> AgreementOut:
        return cls(
            id=a.pk,
            name=a.name,
            department_id=a.department_id,
            department_name=a.department.name if a.department else "",
            start_date=a.start_date,
            end_date=a.end_date,
            monthly_limit_hours=a.monthly_limit_hours,
            yearly_limit_hours=a.yearly_limit_hours,
            special_clause=a.special_clause,
            special_monthly_hours=a.special_monthly_hours,
            special_yearly_hours=a.special_yearly_hours,
            special_months_allowed=a.special_months_allowed,
            warning_percent=a.warning_percent,
            note=a.note,
        )


class LimitOut(Schema):
    code: str = Field(
        description="month_45, special_month, month_100, average_80, year_360, year_720, months_over_45"
    )
    label: str
    level: str = Field(description="ok / warning(警告する割合以上) / breach(超過)")
    hours: Decimal = Field(description="実績(時間、平均、または月数)")
    limit: Decimal
    percent: int
    span: int = Field(description="average_80: 最も高い平均の月数")
    message: str
    rule: str = Field(description="上限の決まり(根拠条文つき)")

    @classmethod
    def of(cls, s: LimitStatus) -> LimitOut:
        return cls(
            code=s.code,
            label=s.label,
            level=s.level,
            hours=s.hours.quantize(Decimal("0.01")),
            limit=s.limit,
            percent=s.percent,
            span=s.span,
            message=s.message,
            rule=s.rule,
        )


class OvertimeStatusOut(Schema):
    employee_id: int
    number: str
    name: str
    department: str
    agreement_id: int
    agreement_name: str
    year_start: date
    month: str = Field(description="YYYY-MM")
    level: str
    overtime_hours: Decimal = Field(description="今月の時間外(法定休日労働を含まない)")
    overtime_and_holiday_hours: Decimal = Field(description="今月の時間外+法定休日労働")
    year_overtime_hours: Decimal = Field(description="協定年度の時間外")
    worst_average_hours: Decimal | None = Field(description="2〜6か月平均の最高")
    worst_average_months: int
    months_over_limit: int = Field(description="1か月の限度時間を超えた月数(協定年度)")
    months_allowed: int | None
    limits: list[LimitOut]

    @classmethod
    def of(cls, s: selectors.OvertimeStatus) -> OvertimeStatusOut:
        q = Decimal("0.01")
        return cls(
            employee_id=s.employee_id,
            number=s.number,
            name=s.name,
            department=s.department,
            agreement_id=s.agreement_id,
            agreement_name=s.agreement_name,
            year_start=s.year_start,
            month=f"{s.month:%Y-%m}",
            level=s.level,
            overtime_hours=s.overtime.quantize(q),
            overtime_and_holiday_hours=s.overtime_and_holiday.quantize(q),
            year_overtime_hours=s.year_overtime.quantize(q),
            worst_average_hours=s.worst_average.quantize(q) if s.worst_average is not None else None,
            worst_average_months=s.worst_span,
            months_over_limit=s.months_over,
            months_allowed=s.months_allowed,
            limits=[LimitOut.of(x) for x in s.statuses],
        )


class DashboardOut(Schema):
    month: str
    as_of: date
    counts: dict[str, int]
    uncovered: int = Field(description="36協定の対象外の社員数")
    rows: list[OvertimeStatusOut]


class DashboardQuery(Schema):
    month: str = Field("", max_length=7, description="YYYY-MM(省略: 今月)")
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    level: Literal["", "breach", "warning", "all"] = Field("", description="省略: 注意・超過の人")


class MyStatusOut(Schema):
    status: OvertimeStatusOut | None = Field(description="適用される36協定がなければ null")


def _hr(request: HttpRequest) -> Caller:
    c = caller_of(request)
    require_role(c.membership, *selectors.AGREEMENT_ROLES)
    return c


def _input(body: AgreementIn) -> services.AgreementInput:
    return services.AgreementInput(**body.dict())


def _as_of(text: str) -> date:
    today = timezone.localdate()
    if not text:
        return today
    month = parse_month(text)
    if month is None:
        message = _("月は YYYY-MM の形式で入力してください。")
        error = ServiceError(message, code="validation", field_errors={"month": [message]})
        error.status = 422
        raise error
    return selectors.as_of_for(month, today)


@router.get("/agreements", response={200: list[AgreementOut], **READ_ERRORS}, summary="36協定の一覧(人事)")
def list_agreements(request: HttpRequest) -> list[AgreementOut]:
    c = _hr(request)
    return [AgreementOut.of(a) for a in selectors.agreements(company=c.company)]


@router.post("/agreements", response={201: AgreementOut, **ERRORS}, summary="36協定の登録(人事)")
def create_agreement(request: HttpRequest, body: AgreementIn) -> Status[AgreementOut]:
    """法律の上限(36条4項・5項)を超える協定、1年を超える期間、同じ対象で期間の重なる協定は400(項目ごとの理由つき)。"""
    c = _hr(request)
    agreement = services.create_agreement(**c.writer(), data=_input(body))
    return Status(201, AgreementOut.of(selectors.get_agreement(company=c.company, agreement_id=agreement.pk)))


@router.get("/agreements/{agreement_id}", response={200: AgreementOut, **READ_ERRORS}, summary="36協定の詳細")
def get_agreement(request: HttpRequest, agreement_id: Id) -> AgreementOut:
    c = _hr(request)
    return AgreementOut.of(selectors.get_agreement(company=c.company, agreement_id=agreement_id))


@router.put("/agreements/{agreement_id}", response={200: AgreementOut, **ERRORS}, summary="36協定の変更")
def update_agreement(request: HttpRequest, agreement_id: Id, body: AgreementIn) -> AgreementOut:
    """協定を途中で終えるときは end_date を最後に適用した日にします。"""
    c = _hr(request)
    agreement = selectors.get_agreement(company=c.company, agreement_id=agreement_id)
    services.update_agreement(**c.writer(), agreement=agreement, data=_input(body))
    return AgreementOut.of(selectors.get_agreement(company=c.company, agreement_id=agreement_id))


@router.delete(
    "/agreements/{agreement_id}",
    response={204: None, **ERRORS},
    summary="36協定の削除(警告を送っていないもののみ)",
)
def delete_agreement(request: HttpRequest, agreement_id: Id) -> Status[None]:
    c = _hr(request)
    agreement = selectors.get_agreement(company=c.company, agreement_id=agreement_id)
    services.delete_agreement(**c.writer(), agreement=agreement)
    return Status(204, None)


@router.get("/overtime-limits/status", response={200: DashboardOut, **READ_ERRORS}, summary="36協定の状況")
def overtime_status(request: HttpRequest, filters: Query[DashboardQuery]) -> DashboardOut:
    """人事・管理者は全員、所属長は所属する部署の社員。上限に近い・超えた順。それ以外は403。"""
    c = caller_of(request)
    board = read_and_keep(
        company=c.company,
        read=lambda hours: selectors.overtime_dashboard(
            **c.reader(),
            as_of=_as_of(filters.month),
            department_id=filters.department_id,
            level=filters.level,
            hours=hours,
        ),
    )
    return DashboardOut(
        month=f"{board.month:%Y-%m}",
        as_of=board.as_of,
        counts=board.counts,
        uncovered=board.uncovered,
        rows=[OvertimeStatusOut.of(r) for r in board.rows],
    )


@router.get(
    "/overtime-limits/me",
    response={200: MyStatusOut, **READ_ERRORS},
    summary="自分の時間外労働と36協定の上限",
)
def my_overtime(request: HttpRequest, month: str = "") -> MyStatusOut:
    """社員の記録がなければ404。"""
    c = caller_of(request)
    employee_id = selectors.own_employee_id(**c.reader())
    if employee_id is None:
        raise NotFound(_("ログインユーザーに社員の記録が紐付いていません。"))
    status = read_and_keep(
        company=c.company,
        read=lambda hours: selectors.my_overtime_status(
            company=c.company, employee_id=employee_id, as_of=_as_of(month), hours=hours
        ),
    )
    return MyStatusOut(status=OvertimeStatusOut.of(status) if status is not None else None)
