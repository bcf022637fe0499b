"""Request and response shapes of /api/v1/frontdesk/ visits, messages and office requests.

Inputs forbid unknown fields and bound every string; a date-time without an offset is Tokyo time.
The business rules stay in the services."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from ennoshita.core.api import (
    Id,
    Input,
    PageParams,
    Str20,
    Str30,
    Str100,
    Str200,
    Str254,
    Str300,
    Str500,
    Text,
    UserRef,
)

from .models import OfficeRequest, PhoneMessage, Visit

VisitStatusKey = Literal["", "expected", "arrived", "left", "cancelled", "no_show"]
UrgencyKey = Literal["normal", "call_back", "urgent"]
RequestStatusKey = Literal["open", "in_progress", "done", "cancelled"]


def local(value: datetime | None) -> datetime | None:
    """A date-time as sent: with its offset as is, without one in Tokyo time."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _user(u: object) -> UserRef | None:
    if u is None:
        return None
    return UserRef(id=u.pk, name=u.display_name())  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------ visits
class VisitIn(Input):
    visitor_name: Str100 = Field(description="来訪者の氏名")
    visitor_company: Str200 = Field("", description="会社名")
    visitor_count: int = Field(1, ge=1, le=50, description="人数")
    visitor_phone: Str30 = Field("", description="連絡先電話")
    visitor_email: Str254 = Field("", description="連絡先メール")
    purpose: Str300 = Field("", description="用件")
    expected_at: datetime = Field(description="来訪予定時刻(オフセットなしは日本時間)")
    expected_until: datetime | None = Field(None, description="退館予定時刻(会議室を予約するときは必須)")
    host_id: Id | None = Field(
        None, description="担当者のユーザーID(省略: 自分。自分以外は受付・総務・管理者のみ)"
    )
    room_id: Id | None = Field(None, description="同時に予約する会議室のID")
    note: Str300 = Field("", description="受付メモ")


class VisitOut(Schema):
    id: int
    status: str = Field(
        description="expected 来訪予定 / arrived 来訪中 / left 退館済み / cancelled 取消 / no_show 来訪なし"
    )
    visitor_name: str = Field(description="氏名(保存期間を過ぎると空)")
    visitor_company: str
    visitor_count: int
    purpose: str
    expected_at: datetime
    expected_until: datetime | None
    host: UserRef | None
    room_id: int | None = Field(description="予約した会議室(予約がなければ null)")
    booking_id: int | None
    is_walk_in: bool
    badge_number: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    personal_data_erased_at: datetime | None

    @classmethod
    def of(cls, v: Visit) -> VisitOut:
        return cls(
            id=v.pk,
            status=v.status,
            visitor_name=v.visitor_name,
            visitor_company=v.visitor_company,
            visitor_count=v.visitor_count,
            purpose=v.purpose,
            expected_at=v.expected_at,
            expected_until=v.expected_until,
            host=_user(v.host),
            room_id=v.booking.room_id if v.booking_id and v.booking else None,
            booking_id=v.booking_id,
            is_walk_in=v.is_walk_in,
            badge_number=v.badge_number,
            checked_in_at=v.checked_in_at,
            checked_out_at=v.checked_out_at,
            personal_data_erased_at=v.personal_data_erased_at,
        )


class VisitFilters(PageParams):
    q: Str100 = Field("", description="会社名・氏名")
    date_from: Day | None = Field(None, description="来訪日(から)")
    date_to: Day | None = Field(None, description="来訪日(まで)")
    host_id: Id | None = Field(None, description="担当者のユーザーID")
    status: VisitStatusKey = Field("", description="状態")
    mine: bool = Field(
        False, description="true: 自分が担当・登録した来訪だけ(誰でも)。false: 来訪記録(受付・総務・管理者)"
    )


class VisitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[VisitOut]


class CheckInIn(Input):
    badge_number: Str20 = Field("", description="入館証番号(省略: その日の連番)")


class ReasonIn(Input):
    reason: Str300 = Field("", description="理由")


# ------------------------------------------------------------------------------ messages
class MessageIn(Input):
    recipient_id: Id = Field(description="宛先のユーザーID")
    caller_name: Str100 = Field(description="相手の氏名")
    caller_company: Str200 = Field("", description="相手の会社名")
    caller_phone: Str30 = Field("", description="電話番号")
    message: Text = Field(description="伝言")
    urgency: UrgencyKey = Field(
        "normal", description="normal 通常 / call_back 折り返し希望 / urgent 至急(メールでも通知)"
    )
    received_at: datetime | None = Field(None, description="受信日時(省略: 今)")


class MessageOut(Schema):
    id: int
    recipient: UserRef | None
    taken_by: UserRef | None
    received_at: datetime
    caller_name: str
    caller_company: str
    caller_phone: str
    message: str
    urgency: str
    done_at: datetime | None
    done_note: str

    @classmethod
    def of(cls, m: PhoneMessage) -> MessageOut:
        return cls(
            id=m.pk,
            recipient=_user(m.recipient),
            taken_by=_user(m.taken_by),
            received_at=m.received_at,
            caller_name=m.caller_name,
            caller_company=m.caller_company,
            caller_phone=m.caller_phone,
            message=m.message,
            urgency=m.urgency,
            done_at=m.done_at,
            done_note=m.done_note,
        )


class MessageFilters(PageParams):
    box: Literal["received", "taken", "all"] = Field(
        "received", description="received 自分あて / taken 自分が受けた / all すべて(受付・総務・管理者)"
    )
    q: Str100 = Field("", description="相手の氏名・会社名・番号・伝言")
    open: bool = Field(False, description="未対応だけ")


class MessagePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MessageOut]


class MessageDoneIn(Input):
    note: Str300 = Field("", description="対応メモ")


# ------------------------------------------------------------------------------ office requests
class OfficeRequestIn(Input):
    request_type_id: Id = Field(description="依頼の種類のID")
    title: Str200 = Field(description="件名")
    detail: Text = Field("", description="内容")
    due_on: Day | None = Field(None, description="希望期限")


class OfficeRequestOut(Schema):
    id: int
    request_type_id: int
    request_type: str
    team: str = Field(description="affairs 総務 / general 一般事務")
    title: str
    detail: str
    due_on: Day | None
    requester: UserRef | None
    assignee: UserRef | None
    status: str
    resolution: str
    created_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, r: OfficeRequest) -> OfficeRequestOut:
        return cls(
            id=r.pk,
            request_type_id=r.request_type_id,
            request_type=r.request_type.name,
            team=r.request_type.team,
            title=r.title,
            detail=r.detail,
            due_on=r.due_on,
            requester=_user(r.requester),
            assignee=_user(r.assignee) if r.assignee_id else None,
            status=r.status,
            resolution=r.resolution,
            created_at=r.created_at,
            closed_at=r.closed_at,
        )


class OfficeRequestFilters(PageParams):
    scope: Literal["mine", "queue"] = Field(
        "mine", description="mine 自分の依頼 / queue 担当チームの受付(総務・受付・管理者)"
    )
    status: Literal["", "open", "in_progress", "done", "cancelled", "all"] = Field(
        "", description="状態(省略: mine はすべて、queue は未完了)"
    )
    q: Str100 = Field("", description="件名・内容・種類・依頼者(queue のみ)")


class OfficeRequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OfficeRequestOut]


class TransitionIn(Input):
    status: RequestStatusKey = Field(
        description="次の状態(open 受付待ちに戻す / in_progress 対応中 / done 完了 / cancelled 取消)"
    )
    assignee_id: Id | None = Field(None, description="担当者(対応中にするとき。省略: 自分)")
    resolution: Str500 = Field("", description="対応内容(完了のとき必須)・取消の理由")


class RequestTypeOut(Schema):
    id: int
    name: str
    team: str
    description: str
