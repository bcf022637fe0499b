"""Request and response shapes of /api/v1/legal/ip.

Inputs forbid unknown fields and bound every string and number; amounts are whole yen. The business
rules (terms, deadlines, refusals) stay in the services and ``legal.rules.ip``.
"""

from __future__ import annotations

from datetime import date as Day
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

from ennoshita.core.api import (
    Id,
    Input,
    PageParams,
    Str40,
    Str100,
    Str200,
    Str300,
    Text,
    UserRef,
    whole_yen_parser,
)

from .models import IpAlert, IpCost, IpRight
from .rules import ip as rules
from .services.ip import deadlines_of

Yen = Annotated[
    Decimal,
    BeforeValidator(whole_yen_parser(minimum=1, maximum=10**12)),
    WithJsonSchema(
        {"anyOf": [{"type": "integer"}, {"type": "string"}], "description": "金額(円単位の整数、1円以上)"}
    ),
]
KindKey = Literal["trademark", "patent", "design", "utility_model", "copyright", "domain"]
StatusKey = Literal["applied", "registered", "lapsed", "abandoned"]
CostKindKey = Literal["filing", "registration", "renewal", "annuity", "surcharge", "agent", "domain", "other"]


class IpIn(Input):
    kind: KindKey = Field(
        description="trademark 商標 / patent 特許 / design 意匠 / utility_model 実用新案 / copyright 著作権 / domain ドメイン名"
    )
    title: Str200 = Field(description="名称・標章(ドメイン名はドメイン名そのもの)")
    country: Annotated[str, Field(max_length=2)] = Field("JP", description="国・地域(英字2文字)")
    application_number: Str40 = Field("", description="出願番号")
    registration_number: Str40 = Field("", description="登録番号")
    classes: Str200 = Field("", description="商標の区分(例: 9, 35, 42)")
    filed_on: Day | None = Field(None, description="出願日")
    registered_on: Day | None = Field(
        None, description="設定登録日(存続中の商標・特許・意匠・実用新案は必須)"
    )
    installment: bool = Field(False, description="商標: 登録料(更新料)を5年ずつ分割で納付中")
    renewals: int | None = Field(
        None, ge=0, le=20, description="商標: これまでの更新の回数(省略時は登録済みの値のまま)"
    )
    paid_through_year: int | None = Field(
        None, ge=1, le=25, description="特許・意匠・実用新案: 納付済みの年分"
    )
    copyright_basis: Literal["", "death", "publication"] = Field(
        "", description="著作権: death 著作者の死亡 / publication 公表"
    )
    basis_year: int | None = Field(None, ge=1900, le=2200, description="著作権: 死亡・公表の年")
    expires_on: Day | None = Field(None, description="ドメイン名・外国の権利の満了日(日本の権利は計算します)")
    status: StatusKey = Field("registered", description="登録時の状態(変更時は無視されます)")
    owner_department_id: Id | None = Field(None, description="担当部署のID")
    owner_id: Id | None = Field(None, description="担当者のユーザーID")
    agent: Str200 = Field("", description="代理人(ドメイン名はレジストラ)")
    note: Text = Field("", description="メモ")


class StatusIn(Input):
    status: StatusKey = Field(description="新しい状態")
    reason: Str300 = Field("", description="理由(消滅・放棄・回復は必須)")
    registered_on: Day | None = Field(None, description="出願中→存続中にするときの設定登録日")
    registration_number: Str40 = Field("", description="出願中→存続中にするときの登録番号")


class PaymentIn(Input):
    what: Literal["annuity", "second_half", "renewal", "domain"] = Field(
        description="annuity 年金 / second_half 後期分割登録料 / renewal 商標の更新 / domain ドメイン名の更新"
    )
    paid_on: Day = Field(description="支払日(今日以前)")
    amount: Yen = Field(description="金額(円)")
    surcharge: Yen | None = Field(None, description="割増料金(円)。期限後・割増期間内の納付では必須")
    years: int = Field(1, ge=1, le=25, description="年金: 何年分を納付したか")
    installment: bool = Field(False, description="更新: 新しい期間を分割(前期分のみ)で納付")
    new_expires_on: Day | None = Field(None, description="ドメイン名: 新しい有効期限")
    memo: Str200 = Field("", description="摘要")


class CostIn(Input):
    kind: CostKindKey = Field(description="費用の種類")
    paid_on: Day = Field(description="支払日(今日以前)")
    amount: Yen = Field(description="金額(円)")
    memo: Str200 = Field("", description="摘要")


class DeadlineOut(Schema):
    kind: str = Field(description="期限の種類(tm_renewal, tm_second_half, annuity:N, expiry, domain_expiry)")
    label: str
    opens_on: Day | None = Field(description="手続できる期間の初日(商標の更新)")
    due_on: Day = Field(description="期限")
    grace_until: Day | None = Field(description="割増で手続できる最終日")
    state: str = Field(description="upcoming / open / grace(割増が必要)/ passed")
    surcharge: bool = Field(description="今日手続すると割増が必要")


class IpOut(Schema):
    id: int
    reference: str = Field(description="管理番号")
    kind: str
    title: str
    country: str
    application_number: str
    registration_number: str
    classes: str
    class_count: int
    filed_on: Day | None
    registered_on: Day | None
    installment: bool
    paid_through_year: int | None
    copyright_basis: str
    basis_year: int | None
    expires_on: Day | None = Field(description="存続期間の満了日")
    next_deadline_on: Day | None = Field(description="次の期限")
    next_deadline_kind: str
    next_deadline_label: str
    status: str
    owner_department_id: int | None
    owner: UserRef | None
    agent: str
    note: str

    @classmethod
    def of(cls, r: IpRight) -> IpOut:
        return cls(
            id=r.pk,
            reference=r.reference,
            kind=r.kind,
            title=r.title,
            country=r.country,
            application_number=r.application_number,
            registration_number=r.registration_number,
            classes=r.classes,
            class_count=r.class_count,
            filed_on=r.filed_on,
            registered_on=r.registered_on,
            installment=r.installment,
            paid_through_year=r.paid_through_year,
            copyright_basis=r.copyright_basis,
            basis_year=r.basis_year,
            expires_on=r.expires_on,
            next_deadline_on=r.next_deadline_on,
            next_deadline_kind=r.next_deadline_kind,
            next_deadline_label=rules.label_of(r.next_deadline_kind) if r.next_deadline_kind else "",
            status=r.status,
            owner_department_id=r.owner_department_id,
            owner=UserRef(id=r.owner.pk, name=r.owner.display_name()) if r.owner else None,
            agent=r.agent,
            note=r.note,
        )


class IpDetailOut(IpOut):
    deadlines: list[DeadlineOut]

    @classmethod
    def detail(cls, r: IpRight, today: Day) -> IpDetailOut:
        base = IpOut.of(r).model_dump()
        rows = [
            DeadlineOut(
                kind=d.key,
                label=d.label,
                opens_on=d.opens_on,
                due_on=d.due_on,
                grace_until=d.grace_until,
                state=d.state(today),
                surcharge=d.surcharge(today),
            )
            for d in deadlines_of(r, today)
        ]
        return cls(**base, deadlines=rows)


class IpFilters(PageParams):
    q: Str100 = Field("", description="管理番号・名称・出願番号・登録番号・代理人")
    kind: Literal["", "trademark", "patent", "design", "utility_model", "copyright", "domain"] = Field("")
    status: Literal["", "applied", "registered", "lapsed", "abandoned"] = Field("")
    country: Annotated[str, Field(max_length=2)] = Field("", description="国・地域")
    department_id: Id | None = Field(None, description="担当部署のID")
    within_days: int | None = Field(None, ge=0, le=3650, description="次の期限が今日から何日以内(存続中のみ)")


class UpcomingFilters(PageParams):
    days: int = Field(30, ge=0, le=3650, description="何日以内(既定 30)")


class IpPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IpOut]


class CostOut(Schema):
    id: int
    right_id: int
    paid_on: Day
    kind: str
    amount: int
    memo: str

    @classmethod
    def of(cls, c: IpCost) -> CostOut:
        return cls(
            id=c.pk, right_id=c.right_id, paid_on=c.paid_on, kind=c.kind, amount=int(c.amount), memo=c.memo
        )


class AlertOut(Schema):
    kind: str
    due_on: Day
    days_before: int

    @classmethod
    def of(cls, a: IpAlert) -> AlertOut:
        return cls(kind=a.kind, due_on=a.due_on, days_before=a.days_before)
