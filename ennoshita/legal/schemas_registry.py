"""Request and response shapes of /api/v1/legal/registry. Inputs forbid unknown fields and bound
every string and number; the rules (terms, deadlines, the 基準日 limit) stay in the services and
``legal.rules.registry``."""

from __future__ import annotations

from datetime import date as Day
from typing import Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Id, Input, PageParams, Str100, Str200, Text, UserRef

from .models import CharterSettings, CorporateMeeting, Officer, RegistryChange
from .rules import registry as rules
from .services.registry import change_state

PositionKey = Literal[
    "representative_director",
    "director",
    "outside_director",
    "auditor",
    "outside_auditor",
    "accounting_advisor",
]
ItemKey = Literal[
    "trade_name",
    "head_office",
    "purpose",
    "capital",
    "authorized_shares",
    "issued_shares",
    "public_notice",
    "officers",
    "other",
]
MeetingKey = Literal["agm", "egm", "board", "written_shareholders", "written_board"]


class CharterIn(Input):
    is_public_company: bool = Field(False, description="公開会社")
    has_board: bool = Field(True, description="取締役会設置会社")
    director_term_years: int = Field(2, ge=1, le=10, description="取締役の任期(年)。公開会社は2年まで")
    auditor_term_years: int = Field(4, ge=1, le=10, description="監査役の任期(年)。4年、非公開会社は10年まで")
    agm_months_after_year_end: int = Field(
        3, ge=1, le=6, description="定時株主総会の時期(期末から何か月以内)"
    )


class CharterOut(Schema):
    is_public_company: bool
    has_board: bool
    director_term_years: int
    auditor_term_years: int
    agm_months_after_year_end: int

    @classmethod
    def of(cls, c: CharterSettings) -> CharterOut:
        return cls(
            is_public_company=c.is_public_company,
            has_board=c.has_board,
            director_term_years=c.director_term_years,
            auditor_term_years=c.auditor_term_years,
            agm_months_after_year_end=c.agm_months_after_year_end,
        )


class OfficerIn(Input):
    name: Str100 = Field(description="氏名")
    name_kana: Str100 = Field("", description="フリガナ")
    position: PositionKey = Field(description="役職")
    elected_on: Day = Field(description="選任日")
    took_office_on: Day = Field(description="就任日(就任承諾日)。登記期限の起算日")
    term_years: int | None = Field(None, ge=1, le=10, description="任期(年)。省略時は定款の任期")
    user_id: Id | None = Field(None, description="社内のユーザーID")


class ReelectIn(Input):
    elected_on: Day = Field(description="選任日")
    took_office_on: Day = Field(description="就任日(就任承諾日)")
    term_years: int | None = Field(None, ge=1, le=10, description="任期(年)。省略時は定款の任期")


class LeaveIn(Input):
    reason: Literal["term_end", "resigned", "dismissed", "deceased"] = Field(description="退任事由")
    left_on: Day = Field(description="退任日")


class OfficerOut(Schema):
    id: int
    name: str
    name_kana: str
    position: str
    position_label: str
    elected_on: Day
    took_office_on: Day
    term_years: int
    term_ends_on: Day = Field(description="任期満了予定日(その事業年度の定時株主総会の時期の末日)")
    left_on: Day | None
    leave_reason: str
    previous_id: int | None = Field(description="重任前の任期")
    user: UserRef | None

    @classmethod
    def of(cls, o: Officer) -> OfficerOut:
        return cls(
            id=o.pk,
            name=o.name,
            name_kana=o.name_kana,
            position=o.position,
            position_label=str(o.get_position_display()),
            elected_on=o.elected_on,
            took_office_on=o.took_office_on,
            term_years=o.term_years,
            term_ends_on=o.term_ends_on,
            left_on=o.left_on,
            leave_reason=o.leave_reason,
            previous_id=o.previous_id,
            user=UserRef(id=o.user.pk, name=o.user.display_name()) if o.user else None,
        )


class OfficerFilters(PageParams):
    state: Literal["current", "past", "all"] = Field("current", description="在任中・退任済み・すべて")


class OfficerPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OfficerOut]


class ChangeIn(Input):
    item: ItemKey = Field(description="登記事項")
    content: Text = Field(description="変更後の内容")
    effective_on: Day = Field(description="変更の効力発生日(登記期限の起算日)")
    note: Text = Field("", description="メモ")
    filed_on: Day | None = Field(None, description="申請日(過去の変更を記録するとき)")
    registered_on: Day | None = Field(None, description="登記完了日(過去の変更を記録するとき)")


class FiledIn(Input):
    filed_on: Day = Field(description="申請日(効力発生日以降、今日以前)")


class RegisteredIn(Input):
    registered_on: Day = Field(description="登記完了日(申請日以降、今日以前)")


class ChangeOut(Schema):
    id: int
    item: str
    item_label: str
    content: str
    effective_on: Day
    deadline_on: Day = Field(description="登記期限(効力発生日から2週間、会社法915条1項)")
    filed_on: Day | None
    registered_on: Day | None
    state: str = Field(description="pending 未申請 / filed 申請済み / registered 登記完了")
    officer_id: int | None
    note: str

    @classmethod
    def of(cls, c: RegistryChange) -> ChangeOut:
        return cls(
            id=c.pk,
            item=c.item,
            item_label=str(c.get_item_display()),
            content=c.content,
            effective_on=c.effective_on,
            deadline_on=c.deadline_on,
            filed_on=c.filed_on,
            registered_on=c.registered_on,
            state=change_state(c),
            officer_id=c.officer_id,
            note=c.note,
        )


class ChangeFilters(PageParams):
    item: Literal[
        "",
        "trade_name",
        "head_office",
        "purpose",
        "capital",
        "authorized_shares",
        "issued_shares",
        "public_notice",
        "officers",
        "other",
    ] = Field("", description="登記事項")
    state: Literal["", "pending", "filed", "registered"] = Field("", description="状態")


class ChangePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ChangeOut]


class MeetingIn(Input):
    kind: MeetingKey = Field(description="種類")
    title: Str200 = Field("", description="名称(省略時は種類名)")
    held_on: Day = Field(description="開催日(書面決議は決議があったとみなされた日)")
    record_date: Day | None = Field(None, description="基準日(株主総会)。開催日は3か月以内")
    resolutions: Text = Field("", description="決議事項")


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    held_on: Day
    record_date: Day | None
    record_date_limit: Day | None = Field(description="基準日の株主が権利を行使できる最終日")
    resolutions: str
    minutes_document_id: int | None
    keep_minutes_until: Day = Field(description="議事録の保存期限(10年)")

    @classmethod
    def of(cls, m: CorporateMeeting) -> MeetingOut:
        return cls(
            id=m.pk,
            kind=m.kind,
            title=m.title,
            held_on=m.held_on,
            record_date=m.record_date,
            record_date_limit=rules.record_date_limit(record_date=m.record_date) if m.record_date else None,
            resolutions=m.resolutions,
            minutes_document_id=m.minutes_id,
            keep_minutes_until=m.keep_minutes_until,
        )


class MeetingFilters(PageParams):
    kind: Literal["", "agm", "egm", "board", "written_shareholders", "written_board"] = Field("")


class MeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingOut]
