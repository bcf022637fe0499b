"""Request and response shapes of /api/v1/legal/contracts (契約書)."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Input, PageParams, Str200, Text

from .models import Contract

MAX_YEN = 999_999_999_999_999


class ContractFilters(PageParams):
    q: str = Field("", max_length=100, description="契約番号・契約名・相手方(語ごと)")
    status: str = Field(
        "",
        max_length=20,
        description="状態(draft, in_review, negotiating, signed, active, expired, terminated)",
    )
    contract_type: str = Field("", max_length=20, description="契約の種類(sale, outsourcing, nda …)")
    department_id: int | None = Field(None, ge=1, description="担当部署")
    owner_id: int | None = Field(None, ge=1, description="担当者(ユーザーID)")
    auto_renew: bool | None = Field(None, description="true: 自動更新ありのみ、false: なしのみ")
    ends_from: Day | None = Field(None, description="満了日がこの日以降")
    ends_to: Day | None = Field(None, description="満了日がこの日以前")


class ContractIn(Input):
    title: Str200 = Field(description="契約名")
    contract_type: str = Field(
        max_length=20,
        description="契約の種類: sale, basic, outsourcing, work, nda, lease, employment, license, loan, other",
    )
    our_side: str = Field("buyer", max_length=10, description="当社の立場: buyer, seller, mutual, other")
    counterparty_kind: str = Field(
        "other", max_length=10, description="相手方の区分: customer(得意先), vendor(仕入先), other"
    )
    customer_id: int | None = Field(None, ge=1, description="得意先(counterparty_kind=customer のとき)")
    vendor_id: int | None = Field(None, ge=1, description="仕入先(counterparty_kind=vendor のとき)")
    counterparty_name: Str200 = Field("", description="相手方の名前(得意先・仕入先なら空欄でその名前)")
    amount: int | None = Field(None, le=MAX_YEN, description="契約金額(税抜・円)。金額の記載がなければ null")
    tax_amount: int = Field(0, le=MAX_YEN, description="区分記載された消費税額等(円)")
    starts_on: Day | None = Field(None, description="契約開始日")
    ends_on: Day | None = Field(None, description="契約終了日(期間の定めがなければ null)")
    auto_renew: bool = Field(False, description="自動更新")
    renewal_months: int | None = Field(
        None, ge=0, le=1000, description="更新後の期間(月)。null なら最初の期間と同じ"
    )
    notice_period: int | None = Field(
        None, ge=0, le=10000, description="更新拒絶・解約の通知期限(満了の何か月・何日前)"
    )
    notice_unit: str = Field("months", max_length=10, description="months または days")
    paper_original: bool = Field(False, description="書面の原本を作成する(紙の契約書。電子契約は false)")
    stamp_document: str = Field(
        "none",
        max_length=20,
        description="印紙税の文書区分(号): none, 1-1-real-estate, 1-1, 1-2, 1-3, 1-4, 2-construction, 2, 7",
    )
    owner_department_id: int | None = Field(None, ge=1, description="担当部署")
    owner_id: int | None = Field(None, ge=1, description="担当者(ユーザーID)。省略すると自分")
    parent_id: int | None = Field(None, ge=1, description="親契約(基本契約など)")
    relation: str = Field(
        "",
        max_length=20,
        description="親契約との関係: individual(個別契約), amendment(覚書), renewal(再契約)",
    )
    note: Text = Field("", description="メモ")


class ContractCreateIn(ContractIn):
    status: str = Field(
        "draft", max_length=20, description="登録時の状態: draft(既定)。法務は signed / active も可"
    )
    signed_on: Day | None = Field(None, description="締結日(signed / active で登録するとき)")


class StatusIn(Input):
    to: str = Field(max_length=20, description="変更後の状態")
    signed_on: Day | None = Field(None, description="締結日(signed にするとき必須)")
    terminated_on: Day | None = Field(None, description="解約日(締結後に terminated にするとき必須)")
    reason: str = Field("", max_length=500, description="理由(締結前の取りやめは必須)")


class ContractOut(Schema):
    id: int
    number: str = Field(description="契約番号")
    title: str
    contract_type: str
    our_side: str
    status: str
    counterparty_kind: str
    customer_id: int | None
    vendor_id: int | None
    counterparty_name: str
    amount: int | None
    tax_amount: int
    starts_on: Day | None
    ends_on: Day | None
    current_end_on: Day | None = Field(description="現在の満了日(自動更新の後)")
    auto_renew: bool
    renewal_months: int | None
    notice_period: int | None
    notice_unit: str
    notice_deadline: Day | None = Field(description="更新拒絶の通知期限(自動更新の契約)")
    paper_original: bool
    stamp_document: str
    stamp_duty: int = Field(description="印紙税額(書面の原本。電子契約は 0)")
    owner_department_id: int | None
    owner_id: int | None
    parent_id: int | None
    relation: str
    signed_on: Day | None
    terminated_on: Day | None
    note: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, c: Contract) -> ContractOut:
        from .services.contracts import deadline_of

        return cls(
            id=c.pk,
            number=c.number,
            title=c.title,
            contract_type=c.contract_type,
            our_side=c.our_side,
            status=c.status,
            counterparty_kind=c.counterparty_kind,
            customer_id=c.customer_id,
            vendor_id=c.vendor_id,
            counterparty_name=c.counterparty_name,
            amount=None if c.amount is None else int(c.amount),
            tax_amount=int(c.tax_amount),
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            current_end_on=c.current_end_on,
            auto_renew=c.auto_renew,
            renewal_months=c.renewal_months,
            notice_period=c.notice_period,
            notice_unit=c.notice_unit,
            notice_deadline=deadline_of(c),
            paper_original=c.paper_original,
            stamp_document=c.stamp_document,
            stamp_duty=int(c.stamp_duty),
            owner_department_id=c.owner_department_id,
            owner_id=c.owner_id,
            parent_id=c.parent_id,
            relation=c.relation,
            signed_on=c.signed_on,
            terminated_on=c.terminated_on,
            note=c.note,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


class ContractPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ContractOut]


class FileOut(Schema):
    number: int = Field(description="版")
    name: str
    comment: str
    uploaded_at: datetime
    url: str = Field(description="ファイル(画面のURL)")


class ContractDetail(ContractOut):
    children: list[int] = Field(description="個別契約・覚書など(見える契約のID)")
    allowed_moves: list[str] = Field(description="この利用者が変更できる状態")
    files: list[FileOut]


class DeadlineOut(Schema):
    contract_id: int
    number: str
    title: str
    kind: str = Field(description="notice(更新拒絶の通知期限) / expiry(満了)")
    due_on: Day
    days_left: int
