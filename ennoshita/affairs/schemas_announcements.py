"""Request and response shapes of /api/v1/affairs/announcements and /events."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Id, Input, PageParams, Str100, Str200, Str300

from .models import Announcement, Event, EventSignup

KindKey = Literal["notice", "newsletter", "external"]
AudienceKey = Literal["company", "departments", "roles"]


class AnnouncementFilters(PageParams):
    q: Str100 = Field("", description="件名・本文の検索語")
    kind: Literal["", "notice", "newsletter", "external"] = Field("", description="種類")
    unread: bool = Field(False, description="未読のみ")


class AnnouncementIn(Input):
    kind: KindKey = Field(
        "notice", description="種類 notice: お知らせ newsletter: 社内報 external: 社外向け広報"
    )
    title: Str200 = Field(description="件名")
    body: str = Field(max_length=20000, description="本文")
    audience: AudienceKey = Field("company", description="対象 company: 全社 departments: 部門 roles: 役割")
    department_ids: list[Id] = Field(
        default_factory=list, max_length=100, description="対象の部門(下位の部門を含む)"
    )
    roles: list[
        Literal[
            "admin",
            "accounting",
            "finance",
            "hr",
            "affairs",
            "legal",
            "sales_admin",
            "frontdesk",
            "manager",
            "employee",
        ]
    ] = Field(default_factory=list, max_length=20, description="対象の役割")
    is_important: bool = Field(False, description="重要(掲載時に対象者へ通知)")
    publish_at: datetime = Field(description="掲載開始")
    expire_at: datetime | None = Field(None, description="掲載終了(なければ取り下げまで)")


class AnnouncementOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    audience: str
    is_important: bool
    publish_at: datetime
    expire_at: datetime | None
    is_read: bool = Field(description="呼び出した人が既読か")
    read_at: datetime | None

    @classmethod
    def of(cls, a: Announcement) -> AnnouncementOut:
        return cls(
            id=a.pk,
            kind=a.kind,
            title=a.title,
            body=a.body,
            audience=a.audience,
            is_important=a.is_important,
            publish_at=a.publish_at,
            expire_at=a.expire_at,
            is_read=bool(getattr(a, "is_read", False)),
            read_at=getattr(a, "read_at", None),
        )


class AnnouncementPage(Schema):
    count: int
    unread: int
    limit: int
    offset: int
    items: list[AnnouncementOut]


class ReadOut(Schema):
    announcement_id: int
    read_at: datetime


class EventFilters(PageParams):
    q: Str100 = Field("", description="行事名・場所・内容の検索語")
    when: Literal["upcoming", "past", "all"] = Field("upcoming", description="これから / 終了 / すべて")


class EventOut(Schema):
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int | None
    signup_deadline: datetime | None
    status: str
    taken: int = Field(description="申込人数(同伴者を含む)")
    remaining: int | None = Field(description="残り席数(定員なしは null)")
    is_signed_up: bool

    @classmethod
    def of(cls, e: Event, remaining: int | None) -> EventOut:
        return cls(
            id=e.pk,
            title=e.title,
            description=e.description,
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            place=e.place,
            capacity=e.capacity,
            signup_deadline=e.signup_deadline,
            status=e.status,
            taken=int(getattr(e, "taken", 0) or 0),
            remaining=remaining,
            is_signed_up=bool(getattr(e, "is_signed_up", False)),
        )


class EventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


class SignupIn(Input):
    guests: int = Field(0, ge=0, le=10, description="同伴者数")
    note: Str300 = Field("", description="備考")


class SignupOut(Schema):
    id: int
    event_id: int
    user_id: int
    name: str
    guests: int
    note: str
    signed_up_at: datetime
    cancelled_at: datetime | None

    @classmethod
    def of(cls, s: EventSignup) -> SignupOut:
        return cls(
            id=s.pk,
            event_id=s.event_id,
            user_id=s.user_id,
            name=s.user.display_name(),
            guests=s.guests,
            note=s.note,
            signed_up_at=s.signed_up_at,
            cancelled_at=s.cancelled_at,
        )
