"""Request and response shapes of /api/v1/affairs/welfare/…: the catalogue, applications, uses and
the report. Inputs forbid unknown fields and bound every string and number; amounts are whole yen."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

from ennoshita.core.api import Id, Input, PageParams, Str30, Str100, Str200, Text, whole_yen_parser

from .models import Benefit, BenefitUse
from .selectors import welfare as selectors

Amount = Annotated[
    Decimal,
    BeforeValidator(whole_yen_parser(minimum=0, maximum=99999999)),
    WithJsonSchema(
        {"anyOf": [{"type": "integer"}, {"type": "string"}], "description": "金額(円単位の整数、0円以上)"}
    ),
]
Limit = Annotated[
    Decimal,
    BeforeValidator(whole_yen_parser(minimum=1, maximum=99999999)),
    WithJsonSchema(
        {"anyOf": [{"type": "integer"}, {"type": "string"}], "description": "年間の上限額(円、1円以上)"}
    ),
]
Category = Literal["housing", "qualification", "resort", "condolence", "health", "other"]
UseStatus = Literal["", "draft", "pending", "approved", "rejected", "withdrawn"]


def _yen(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


class RemainingOut(Schema):
    amount: int | None = Field(description="残りの金額(円)。null: 金額の上限なし")
    count: int | None = Field(description="残りの回数。null: 回数の上限なし")


class BenefitOut(Schema):
    id: int
    code: str
    name: str
    category: str
    category_label: str
    description: str
    eligible_employment_types: list[str] = Field(description="対象の雇用形態コード(空: 全社員)")
    who: str = Field(description="対象の説明(例: 正社員・契約社員、勤続6か月以上)")
    min_service_months: int
    yearly_amount_limit: int | None
    yearly_count_limit: int | None
    requires_approval: bool
    is_active: bool

    @classmethod
    def of(cls, b: Benefit, names: dict[str, str]) -> BenefitOut:
        return cls(
            id=b.pk,
            code=b.code,
            name=b.name,
            category=b.category,
            category_label=b.get_category_display(),
            description=b.description,
            eligible_employment_types=list(b.eligible_employment_types or []),
            who=selectors.who_may_use(b, names),
            min_service_months=b.min_service_months,
            yearly_amount_limit=_yen(b.yearly_amount_limit),
            yearly_count_limit=b.yearly_count_limit,
            requires_approval=b.requires_approval,
            is_active=b.is_active,
        )


class CatalogueItemOut(BenefitOut):
    eligible: bool | None = Field(description="自分が今日利用できるか(null: 社員の記録がない)")
    problems: list[str] = Field(description="利用できない理由")
    used_count: int = Field(description="今年度の利用回数(承認済み + 承認待ち)")
    used_amount: int = Field(description="今年度の利用額(承認済み + 承認待ち)")
    remaining: RemainingOut

    @classmethod
    def of_row(cls, r: selectors.CatalogueRow, names: dict[str, str]) -> CatalogueItemOut:
        base = BenefitOut.of(r.benefit, names).model_dump()
        return cls(
            **base,
            eligible=r.eligible,
            problems=r.problems,
            used_count=r.usage.counted_count,
            used_amount=int(r.usage.counted_amount),
            remaining=RemainingOut(amount=_yen(r.remaining.amount), count=r.remaining.count),
        )


class CatalogueFilters(PageParams):
    q: Str100 = Field("", description="コード・制度名・内容")
    category: Category | Literal[""] = Field("", description="区分")


class CataloguePage(Schema):
    fiscal_year: int
    count: int
    limit: int
    offset: int
    items: list[CatalogueItemOut]


class BenefitIn(Input):
    code: Str30 = Field(description="制度コード(会社の中で一意)")
    name: Str200 = Field(description="制度名")
    category: Category = Field("other", description="区分")
    description: Text = Field("", description="内容・規程")
    eligible_employment_types: list[Str30] = Field(
        default_factory=list, max_length=20, description="対象の雇用形態コード(空: 全社員)"
    )
    min_service_months: int = Field(0, ge=0, le=600, description="必要な勤続月数")
    yearly_amount_limit: Limit | None = Field(None, description="年間の上限額(円)。null: 上限なし")
    yearly_count_limit: int | None = Field(None, ge=1, le=366, description="年間の上限回数。null: 上限なし")
    requires_approval: bool = Field(True, description="承認が必要(所属長 → 総務)")


class ApplyIn(Input):
    benefit_id: Id = Field(description="制度ID")
    used_on: Day = Field(description="利用日(この日の年度の上限に数えます)")
    amount: Amount = Field(Decimal(0), description="金額(円)")
    detail: Text = Field("", description="内容")
    employee_id: Id | None = Field(None, description="対象の社員ID(総務が代理で申請するとき。省略: 自分)")


class ResubmitIn(Input):
    used_on: Day
    amount: Amount = Field(Decimal(0))
    detail: Text = Field("")


class StepOut(Schema):
    order: int
    label: str
    state: str = Field(description="done, current, waiting, stopped")
    approvers: list[str] = Field(description="今の段階を判断できる人")
    decisions: list[str]


class ApprovalOut(Schema):
    status: str
    status_label: str
    steps: list[StepOut]


class UseOut(Schema):
    id: int
    benefit_id: int
    benefit_name: str
    employee_id: int
    employee_number: str
    employee_name: str
    applicant: str
    fiscal_year: int
    used_on: Day
    amount: int
    detail: str
    status: str
    status_label: str
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, u: BenefitUse) -> UseOut:
        return cls(
            id=u.pk,
            benefit_id=u.benefit_id,
            benefit_name=u.benefit.name,
            employee_id=u.employee_id,
            employee_number=u.employee.number,
            employee_name=u.employee.full_name,
            applicant=u.applicant.display_name(),
            fiscal_year=u.fiscal_year,
            used_on=u.used_on,
            amount=int(u.amount),
            detail=u.detail,
            status=u.status,
            status_label=u.get_status_display(),
            created_at=u.created_at,
            decided_at=u.decided_at,
        )


class UseDetailOut(UseOut):
    approval: ApprovalOut | None = Field(description="承認の状態と段階(承認不要の制度は null)")
    can_withdraw: bool


class UseFilters(PageParams):
    scope: Literal["mine", "all"] = Field(
        "mine", description="mine: 自分の申請、all: 全社員(総務・人事・管理者)"
    )
    q: Str100 = Field("", description="社員・制度・内容")
    status: UseStatus = Field("", description="状態")
    benefit_id: Id | None = Field(None, description="制度ID")
    fiscal_year: int | None = Field(None, ge=2000, le=2100, description="年度")


class UsePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UseOut]


class ReportFilters(PageParams):
    fiscal_year: int | None = Field(None, ge=2000, le=2100, description="年度(省略: 今年度)")
    department_id: Id | None = Field(None, description="部署ID(下位の部署を含む)")
    benefit_id: Id | None = Field(None, description="制度ID")
    q: Str100 = Field("", description="社員(番号・氏名・フリガナ)")


class ReportRowOut(Schema):
    employee_id: int
    employee_number: str
    employee_name: str
    department: str
    benefit_id: int
    benefit_code: str
    benefit_name: str
    approved_count: int
    approved_amount: int
    pending_count: int
    pending_amount: int
    amount_limit: int | None
    count_limit: int | None
    remaining: RemainingOut

    @classmethod
    def of(cls, r: selectors.ReportRow) -> ReportRowOut:
        return cls(
            employee_id=r.employee_id,
            employee_number=r.employee_number,
            employee_name=r.employee_name,
            department=r.department,
            benefit_id=r.benefit_id,
            benefit_code=r.benefit_code,
            benefit_name=r.benefit_name,
            approved_count=r.usage.approved_count,
            approved_amount=int(r.usage.approved_amount),
            pending_count=r.usage.pending_count,
            pending_amount=int(r.usage.pending_amount),
            amount_limit=_yen(r.amount_limit),
            count_limit=r.count_limit,
            remaining=RemainingOut(amount=_yen(r.remaining.amount), count=r.remaining.count),
        )


class ReportPage(Schema):
    fiscal_year: int
    count: int
    limit: int
    offset: int
    items: list[ReportRowOut]
