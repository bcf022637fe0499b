"""Request and response shapes of /api/v1/requests/ (業務依頼)."""

from __future__ import annotations

import base64
import binascii
from datetime import date as Day
from datetime import datetime

from ninja import Schema
from pydantic import Field, field_validator

from ennoshita.core.api import Input, PageParams, Str200, Text

from .models import RequestType, Team, WorkRequest

MAX_FILE_BYTES = 20 * 1024 * 1024


class TypeOut(Schema):
    id: int
    name: str
    description: str
    needs: str = Field(description="依頼者に用意してほしいもの")
    turnaround_days: int = Field(description="標準の所要日数(営業日)")

    @classmethod
    def of(cls, t: RequestType) -> TypeOut:
        return cls(
            id=t.pk, name=t.name, description=t.description, needs=t.needs, turnaround_days=t.turnaround_days
        )


class TeamOut(Schema):
    id: int
    name: str
    kind: str = Field(description="accounting, hr, affairs, legal, general, outside")
    description: str
    types: list[TypeOut]

    @classmethod
    def of(cls, t: Team) -> TeamOut:
        return cls(
            id=t.pk,
            name=t.name,
            kind=t.kind,
            description=t.description,
            types=[TypeOut.of(x) for x in getattr(t, "active_types", [])],
        )


class RequestFilters(PageParams):
    scope: str = Field("team", pattern="^(mine|team)$", description="mine: 自分の依頼、team: チームの受信箱")
    status: str = Field(
        "open", max_length=20, description="open(未完了), in_progress, waiting, done, cancelled, 空=すべて"
    )
    type_id: int | None = Field(None, ge=1)
    assignee_id: int | None = Field(None, ge=-1, description="-1: 担当者なし")
    overdue: bool = False
    q: str = Field("", max_length=100, description="依頼番号・件名")


class RequestOut(Schema):
    id: int
    number: str = Field(description="依頼番号 WR-YYYY-NNNNN")
    title: str
    team_id: int
    team_name: str
    request_type_id: int | None
    status: str
    requester_id: int
    assignee_id: int | None
    due_on: Day | None
    sla_due_on: Day | None
    created_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, r: WorkRequest) -> RequestOut:
        return cls(
            id=r.pk,
            number=r.number,
            title=r.title,
            team_id=r.team_id,
            team_name=r.team.name,
            request_type_id=r.request_type_id,
            status=r.status,
            requester_id=r.requester_id,
            assignee_id=r.assignee_id,
            due_on=r.due_on,
            sla_due_on=r.sla_due_on,
            created_at=r.created_at,
            closed_at=r.closed_at,
        )


class RequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RequestOut]


class ItemOut(Schema):
    object_type: str
    object_id: str
    label: str
    allowed: bool = Field(description="呼び出し元が今開けるか(外部アシスタントは付与された記録だけ)")
    url: str = Field(description="画面")
    api_url: str = Field(description="API(記録のカード、またはファイルの内容)")


class CardFieldOut(Schema):
    label: str
    value: str


class CardDocumentOut(Schema):
    id: int
    name: str
    api_url: str = Field(description="ファイルの内容")


class RecordCardOut(Schema):
    """依頼が示す記録のカード: 作業に必要な項目だけ(何を見せるかは記録のアプリが決めます)。"""

    request_id: int
    object_type: str
    object_id: str
    kind: str = Field(description="記録の種類の名前")
    title: str
    fields: list[CardFieldOut]
    documents: list[CardDocumentOut] = Field(description="記録に付いている文書(依頼とともに開けます)")


class EventOut(Schema):
    kind: str
    actor_id: int | None
    body: str
    created_at: datetime


class RequestDetail(RequestOut):
    body: str
    resolution: str
    records: list[ItemOut]
    files: list[ItemOut]
    events: list[EventOut]
    minutes: int = Field(description="記録された作業時間の合計(分)")


class RecordIn(Schema):
    object_type: str = Field(max_length=100, description="記録の種類(app_label.modelname)")
    object_id: str = Field(max_length=64)


class FileIn(Schema):
    name: Str200
    content_base64: str = Field(max_length=MAX_FILE_BYTES * 4 // 3 + 8, description="ファイルの内容(Base64)")

    @field_validator("content_base64")
    @classmethod
    def _decodes(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("Base64 として読めません。") from exc
        return value

    def data(self) -> bytes:
        return base64.b64decode(self.content_base64)


class RequestCreateIn(Input):
    team_id: int = Field(ge=1, description="依頼先チーム")
    request_type_id: int | None = Field(None, ge=1, description="依頼の種類(そのチームのカタログから)")
    title: Str200
    body: Text
    due_on: Day | None = Field(None, description="期限(今日以降)")
    records: list[RecordIn] = Field(default_factory=list, max_length=20)
    files: list[FileIn] = Field(default_factory=list, max_length=10)


class RequestEditIn(Input):
    title: Str200
    body: Text
    due_on: Day | None = Field(None, description="期限(変更するなら今日以降)")
    records: list[RecordIn] | None = Field(
        None, max_length=20, description="対象の記録の新しい一覧(省略すると変えません。[] はすべて外します)"
    )


class HandOverIn(Input):
    note: Text = Field(description="引継ぎメモ")
    to_user_id: int | None = Field(None, ge=1, description="同じチームのメンバー")
    to_team_id: int | None = Field(None, ge=1, description="または別のチーム")


class TextIn(Input):
    body: Text = ""


class FilesIn(Input):
    files: list[FileIn] = Field(min_length=1, max_length=10)


class TimeIn(Input):
    minutes: int = Field(ge=1, le=1440, description="作業時間(分)")
    worked_on: Day = Field(description="作業日(今日以前)")
    note: str = Field("", max_length=200)


class TimeOut(Schema):
    id: int
    minutes: int
    worked_on: Day
    hourly_rate: int
    cost: int = Field(description="費用(円、1件ごとに四捨五入)")


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    team_id: int
    team_name: str
    outside: bool
    requests: int
    minutes: int
    cost: int
    inhouse_cost: int | None = Field(description="社内で行った場合の費用(外部チームのみ)")
    saving: int | None = Field(description="差額(社内で行った場合 − 実費用)")
