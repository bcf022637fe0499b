"""Request and response shapes of /api/v1/frontdesk/rooms and /room-bookings.

Times are ISO 8601; a time without an offset is Japan time (Asia/Tokyo). Bookings occupy
``[starts_at, ends_at)``: one ending at 10:00 and one starting at 10:00 do not overlap.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from datetime import time as Clock
from typing import Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Id, Input, PageParams, Str100, Str200

from .models.rooms import BookingSeries, Room, RoomBooking

FrequencyKey = Literal["daily", "weekdays", "weekly", "biweekly", "monthly_nth"]


class RoomOut(Schema):
    id: int
    code: str
    name: str
    capacity: int
    floor: str
    equipment: str
    is_active: bool

    @classmethod
    def of(cls, r: Room) -> RoomOut:
        return cls(
            id=r.pk,
            code=r.code,
            name=r.name,
            capacity=r.capacity,
            floor=r.floor,
            equipment=r.equipment,
            is_active=r.is_active,
        )


class RoomFilters(Schema):
    q: Str100 = Field("", description="コード・名前・場所・設備")
    capacity: int | None = Field(None, ge=1, le=1000, description="定員がこの人数以上")


class AvailabilityFilters(Schema):
    starts_at: datetime = Field(description="開始日時")
    ends_at: datetime = Field(description="終了日時")
    capacity: int | None = Field(None, ge=1, le=1000, description="人数(定員がこの人数以上の会議室)")


class BookingOut(Schema):
    id: int
    room_id: int
    room_name: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    attendees: int | None
    note: str
    booked_by: str
    booked_by_id: int
    series_id: int | None

    @classmethod
    def of(cls, b: RoomBooking) -> BookingOut:
        return cls(
            id=b.pk,
            room_id=b.room_id,
            room_name=b.room.name,
            title=b.title,
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            status=b.status,
            attendees=b.attendees,
            note=b.note,
            booked_by=b.booked_by.display_name(),
            booked_by_id=b.booked_by_id,
            series_id=b.series_id,
        )


class BookingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BookingOut]


class BookingFilters(PageParams):
    q: Str100 = Field("", description="件名・備考・予約者名")
    room_id: Id | None = None
    mine: bool = Field(False, description="true: 自分の予約だけ")
    date_from: Day | None = Field(None, description="この日以降に始まる予約")
    date_to: Day | None = Field(None, description="この日までに始まる予約")
    status: Literal["", "confirmed", "cancelled"] = ""


class BookingIn(Input):
    room_id: Id
    title: Str200
    starts_at: datetime
    ends_at: datetime
    attendees: int | None = Field(None, ge=1, le=1000)
    note: str = Field("", max_length=300)


class BookingMoveIn(Input):
    starts_at: datetime
    ends_at: datetime
    room_id: Id | None = Field(None, description="別の会議室へ移すとき")


class BookingCancelIn(Input):
    reason: str = Field("", max_length=300)


class SeriesIn(Input):
    room_id: Id
    title: Str200
    frequency: FrequencyKey
    starts_on: Day
    until: Day
    start_time: Clock
    end_time: Clock
    attendees: int | None = Field(None, ge=1, le=1000)
    note: str = Field("", max_length=300)


class SeriesCancelIn(Input):
    from_date: Day
    reason: str = Field("", max_length=300)


class SeriesOut(Schema):
    id: int
    room_id: int
    title: str
    frequency: str
    starts_on: Day
    until: Day
    start_time: Clock
    end_time: Clock
    occurrences: int

    @classmethod
    def of(cls, s: BookingSeries, occurrences: int) -> SeriesOut:
        return cls(
            id=s.pk,
            room_id=s.room_id,
            title=s.title,
            frequency=s.frequency,
            starts_on=s.starts_on,
            until=s.until,
            start_time=s.start_time,
            end_time=s.end_time,
            occurrences=occurrences,
        )


class SeriesCancelOut(Schema):
    cancelled: int
