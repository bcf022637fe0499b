"""Request and response shapes of /api/v1/legal/matters (法律相談・紛争)."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Input, PageParams, Str100, Str200, Text

from .models import LegalMatter, MatterCost, MatterDeadline, MatterMember, MatterNote

MAX_YEN = 999_999_999_999_999


class MatterFilters(PageParams):
    q: str = Field("", max_length=100, description="管理番号・件名・相手方・事件番号(語ごと)")
    kind: str = Field("", max_length=20, description="区分: consultation(法律相談), dispute(紛争)")
    status: str = Field(
        "",
        max_length=20,
        description="状態(open, in_progress, answered, negotiating, mediation, litigation, settled, closed)",
    )
    category: str = Field("", max_length=20, description="分野(contract, labor, ip, collection …)")
    handler_id: int | None = Field(None, ge=1, description="担当者(法務、ユーザーID)")
    open_only: bool = Field(False, description="true: 和解・終結したものを除く")
    mine: bool = Field(False, description="true: 自分の名前がある案件だけ")


class AskIn(Input):
    title: Str200 = Field(description="件名")
    question: Text = Field(description="相談内容")
    category: str = Field("other", max_length=20, description="分野")
    member_ids: list[int] = Field(
        default_factory=list, max_length=50, description="一緒に見られる人(ユーザーID)"
    )


class DisputeIn(Input):
    title: Str200 = Field(description="件名")
    opponent: Str200 = Field(description="相手方")
    question: Text = Field("", description="経緯")
    category: str = Field("collection", max_length=20, description="分野")
    forum: Str200 = Field("", description="裁判所・機関")
    case_number: Str100 = Field("", description="事件番号")
    claim_amount: int | None = Field(None, le=MAX_YEN, description="請求額(円、0以上)。未定なら null")
    counsel: Str200 = Field("", description="外部弁護士・事務所")
    handler_id: int | None = Field(None, ge=1, description="担当者(法務、ユーザーID)")
    opened_on: Day | None = Field(None, description="受付日(省略すると今日)")
    member_ids: list[int] = Field(default_factory=list, max_length=50, description="関係者(ユーザーID)")


class AnswerIn(Input):
    answer: Text = Field(description="回答")


class NoteIn(Input):
    body: Text = Field(description="経過メモ")


class StatusIn(Input):
    to: str = Field(max_length=20, description="変更後の状態")
    closed_on: Day | None = Field(None, description="終結日(和解・終結のとき。省略すると今日)")
    outcome: Text = Field("", description="結果")


class DeadlineIn(Input):
    due_on: Day = Field(description="期限(今日以降)")
    title: Str200 = Field(description="内容(答弁書の提出期限など)")


class CostIn(Input):
    paid_on: Day = Field(description="支払日")
    payee: Str200 = Field(description="支払先")
    description: Str200 = Field(description="内容(着手金・報酬金・印紙・郵券など)")
    amount: int = Field(le=MAX_YEN, description="金額(税込・円、1以上)")


class MatterOut(Schema):
    id: int
    number: str = Field(description="管理番号(LC-/LD-<年度>-0001)")
    kind: str
    category: str
    title: str
    status: str
    department_id: int | None
    handler_id: int | None
    opponent: str
    forum: str
    case_number: str
    claim_amount: int | None
    counsel: str
    opened_on: Day
    closed_on: Day | None
    answered_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, m: LegalMatter) -> MatterOut:
        return cls(
            id=m.pk,
            number=m.number,
            kind=m.kind,
            category=m.category,
            title=m.title,
            status=m.status,
            department_id=m.department_id,
            handler_id=m.handler_id,
            opponent=m.opponent,
            forum=m.forum,
            case_number=m.case_number,
            claim_amount=None if m.claim_amount is None else int(m.claim_amount),
            counsel=m.counsel,
            opened_on=m.opened_on,
            closed_on=m.closed_on,
            answered_at=m.answered_at,
            created_at=m.created_at,
            updated_at=m.updated_at,
        )


class MatterPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MatterOut]


class MemberOut(Schema):
    user_id: int
    name: str
    role: str

    @classmethod
    def of(cls, m: MatterMember) -> MemberOut:
        return cls(user_id=m.user_id, name=m.user.display_name(), role=m.role)


class NoteOut(Schema):
    id: int
    body: str
    author_id: int
    created_at: datetime

    @classmethod
    def of(cls, n: MatterNote) -> NoteOut:
        return cls(id=n.pk, body=n.body, author_id=n.author_id, created_at=n.created_at)


class DeadlineOut(Schema):
    id: int
    due_on: Day
    title: str
    done_on: Day | None

    @classmethod
    def of(cls, d: MatterDeadline) -> DeadlineOut:
        return cls(id=d.pk, due_on=d.due_on, title=d.title, done_on=d.done_on)


class CostOut(Schema):
    id: int
    paid_on: Day
    payee: str
    description: str
    amount: int

    @classmethod
    def of(cls, c: MatterCost) -> CostOut:
        return cls(id=c.pk, paid_on=c.paid_on, payee=c.payee, description=c.description, amount=int(c.amount))


class FileOut(Schema):
    name: str
    number: int = Field(description="版")
    comment: str
    uploaded_at: datetime
    url: str = Field(description="ファイル(画面のURL)")


class MatterDetail(MatterOut):
    question: str
    answer: str
    outcome: str
    allowed_moves: list[str] = Field(description="この利用者が変更できる状態")
    members: list[MemberOut]
    notes: list[NoteOut]
    deadlines: list[DeadlineOut]
    costs: list[CostOut]
    cost_total: int = Field(description="費用合計(円)")
    files: list[FileOut]
