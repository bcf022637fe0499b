"""Request and response shapes of /api/v1/expenses/.

Inputs forbid unknown fields and bound every string and number; amounts are whole yen (a fraction,
zero or a negative amount is a 422 on its field). The business rules stay in ``expenses.services``.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

from ennoshita.core.api import Id, Input, PageParams, Str20, Str50, Str100, Str200, Text, whole_yen_parser

from . import rules
from .models import ClaimStatus, ExpenseCategory, ExpenseClaim, ExpenseLine

LineAmount = Annotated[
    Decimal,
    BeforeValidator(whole_yen_parser(minimum=1, maximum=int(rules.MAX_LINE_AMOUNT))),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer"}, {"type": "string"}],
            "description": "税込の金額(円単位の整数、1円以上)",
        }
    ),
]
StatusKey = Literal["", "draft", "submitted", "returned", "approved", "rejected", "withdrawn"]


class LineIn(Input):
    id: Id | None = Field(None, description="既存の明細ID(領収書を引き継ぐ)。新しい明細は省略")
    date: Day = Field(description="日付(未来日は不可)")
    category_id: Id = Field(description="経費の区分ID(GET /categories)")
    payee: Str100 = Field(description="支払先")
    purpose: Str200 = Field(description="内容・目的")
    amount: LineAmount | None = Field(None, description="金額(税込、円)。日当は省略(会社の規程額×日数)")
    registration_number: Str20 = Field("", description="登録番号(T + 13桁)")
    is_qualified: bool = Field(False, description="適格請求書(インボイス)を受け取った")
    attendees: Text = Field("", description="参加者の氏名・所属(交際費・会議費)")
    attendee_count: int | None = Field(None, ge=1, le=9999, description="人数(交際費・会議費)")
    route_from: Str50 = Field("", description="出発(交通費)")
    route_to: Str50 = Field("", description="到着(交通費)")
    round_trip: bool = Field(False, description="往復(交通費)")
    per_diem_kind: Literal["", "day_trip", "overnight"] = Field("", description="日当の種類")
    per_diem_days: int | None = Field(None, ge=1, le=366, description="日当の日数")


class ClaimIn(Input):
    title: Str100 = Field(description="件名")
    lines: list[LineIn] = Field(max_length=100, description="明細(すべて。送らなかった既存の明細は削除)")


class ClaimFilters(PageParams):
    scope: Literal["mine", "all"] = Field("mine", description="mine: 自分の精算、all: 全社(経理・管理者)")
    status: StatusKey = Field("", description="状態")
    q: Str100 = Field("", description="精算番号・件名・支払先・内容")


class FlagOut(Schema):
    code: str
    message: str
    line_no: int | None
    blocking: bool = Field(description="true: 直さないと申請できない")


class LineOut(Schema):
    id: int
    line_no: int
    date: Day
    category_id: int
    category: str
    payee: str
    purpose: str
    amount: int = Field(description="税込(円)")
    registration_number: str
    is_qualified: bool
    attendees: str
    attendee_count: int | None
    route_from: str
    route_to: str
    round_trip: bool
    per_diem_kind: str
    per_diem_days: int | None
    has_receipt: bool
    receipt_sha256: str

    @classmethod
    def of(cls, ln: ExpenseLine) -> LineOut:
        return cls(
            id=ln.pk,
            line_no=ln.line_no,
            date=ln.date,
            category_id=ln.category_id,
            category=ln.category.name,
            payee=ln.payee,
            purpose=ln.purpose,
            amount=int(ln.amount),
            registration_number=ln.registration_number,
            is_qualified=ln.is_qualified,
            attendees=ln.attendees,
            attendee_count=ln.attendee_count,
            route_from=ln.route_from,
            route_to=ln.route_to,
            round_trip=ln.round_trip,
            per_diem_kind=ln.per_diem_kind,
            per_diem_days=ln.per_diem_days,
            has_receipt=bool(ln.receipt_document_id),
            receipt_sha256=ln.receipt_sha256,
        )


class ClaimOut(Schema):
    id: int
    number: str = Field(description="精算番号(初めて申請したときに採番)")
    title: str
    status: str = Field(description=" / ".join(f"{v}: {label}" for v, label in ClaimStatus.choices))
    applicant_id: int
    applicant: str
    department_id: int | None
    department: str
    total: int = Field(description="合計(税込、円)")
    submitted_at: datetime | None
    approved_at: datetime | None
    paid_at: datetime | None
    journal_entry_ids: list[int]

    @classmethod
    def of(cls, c: ExpenseClaim) -> ClaimOut:
        return cls(
            id=c.pk,
            number=c.number,
            title=c.title,
            status=c.status,
            applicant_id=c.applicant_id,
            applicant=c.applicant.display_name(),
            department_id=c.department_id,
            department=c.department.name if c.department else "",
            total=int(c.total),
            submitted_at=c.submitted_at,
            approved_at=c.approved_at,
            paid_at=c.paid_at,
            journal_entry_ids=list(c.journal_entry_ids or []),
        )


class ClaimDetail(ClaimOut):
    lines: list[LineOut]
    flags: list[FlagOut]


class ClaimPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ClaimOut]


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    account_code: str
    tax_handling: str
    kind: str
    receipt_required: bool
    books_only: bool

    @classmethod
    def of(cls, c: ExpenseCategory) -> CategoryOut:
        return cls(
            id=c.pk,
            code=c.code,
            name=c.name,
            account_code=c.account_code,
            tax_handling=c.tax_handling,
            kind=c.kind,
            receipt_required=c.receipt_required,
            books_only=c.books_only,
        )
