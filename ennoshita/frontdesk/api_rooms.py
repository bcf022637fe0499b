"""/api/v1/frontdesk/: the rooms part — rooms, availability, bookings (list, create, cancel,
move) and recurring bookings (定例).

An overlapping booking or one that ends before it starts is a 400 problem with the message on its
field (``starts_at`` / ``ends_at``); input the schema refuses is a 422; another company's room or
booking is a 404; nothing is written on any of them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from .schemas_rooms import (
    AvailabilityFilters,
    BookingCancelIn,
    BookingFilters,
    BookingIn,
    BookingMoveIn,
    BookingOut,
    BookingPage,
    RoomFilters,
    RoomOut,
    SeriesCancelIn,
    SeriesCancelOut,
    SeriesIn,
    SeriesOut,
)
from .selectors import rooms as selectors
from .services import rooms as services

router = Router(tags=["受付"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def booker(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not services.can_book(c.membership):
        raise PermissionDeniedError()
    return c


@router.get("/rooms", response={200: list[RoomOut], **READ_ERRORS}, summary="会議室の一覧")
def room_list(request: HttpRequest, filters: Query[RoomFilters]) -> list[RoomOut]:
    c = booker(request)
    qs = selectors.room_list(company=c.company, q=filters.q, active=True, min_capacity=filters.capacity)
    return [RoomOut.of(r) for r in qs[:500]]


@router.get("/rooms/availability", response={200: list[RoomOut], **READ_ERRORS}, summary="空き会議室")
def room_availability(request: HttpRequest, filters: Query[AvailabilityFilters]) -> list[RoomOut]:
    """指定した時間帯に予約がなく、定員が人数以上の会議室。"""
    c = booker(request)
    if filters.ends_at <= filters.starts_at:
        raise ServiceError(
            _("終了日時は開始日時より後にしてください。"),
            code="ends_before_start",
            field_errors={"ends_at": [_("終了日時は開始日時より後にしてください。")]},
        )
    starts, ends = (
        timezone.make_aware(t) if timezone.is_naive(t) else t for t in (filters.starts_at, filters.ends_at)
    )
    qs = selectors.free_rooms(company=c.company, starts_at=starts, ends_at=ends, capacity=filters.capacity)
    return [RoomOut.of(r) for r in qs[:500]]


@router.get("/room-bookings", response={200: BookingPage, **READ_ERRORS}, summary="会議室予約の一覧")
def booking_list(request: HttpRequest, filters: Query[BookingFilters]) -> BookingPage:
    c = booker(request)
    qs = selectors.booking_search(
        company=c.company,
        q=filters.q,
        room_id=filters.room_id,
        booked_by_id=c.user.pk if filters.mine else None,
        date_from=filters.date_from,
        date_to=filters.date_to,
        status=filters.status,
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return BookingPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[BookingOut.of(b) for b in rows]
    )


@router.post("/room-bookings", response={201: BookingOut, **ERRORS}, summary="会議室の予約")
def booking_create(request: HttpRequest, payload: BookingIn) -> Status[BookingOut]:
    c = booker(request)
    room = selectors.get_room(company=c.company, room_id=payload.room_id)
    booking = services.book_room(
        **c.writer(),
        room=room,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        attendees=payload.attendees,
        note=payload.note,
    )
    return Status(201, BookingOut.of(booking))


@router.get(
    "/room-bookings/{booking_id}", response={200: BookingOut, **READ_ERRORS}, summary="会議室予約の詳細"
)
def booking_get(request: HttpRequest, booking_id: Id) -> BookingOut:
    c = booker(request)
    return BookingOut.of(selectors.get_booking(company=c.company, booking_id=booking_id))


@router.post(
    "/room-bookings/{booking_id}/cancel", response={200: BookingOut, **ERRORS}, summary="会議室予約の取消"
)
def booking_cancel(request: HttpRequest, booking_id: Id, payload: BookingCancelIn) -> BookingOut:
    c = booker(request)
    booking = selectors.get_booking(company=c.company, booking_id=booking_id)
    return BookingOut.of(services.cancel_booking(**c.writer(), booking=booking, reason=payload.reason))


@router.post(
    "/room-bookings/{booking_id}/move", response={200: BookingOut, **ERRORS}, summary="会議室予約の変更"
)
def booking_move(request: HttpRequest, booking_id: Id, payload: BookingMoveIn) -> BookingOut:
    c = booker(request)
    booking = selectors.get_booking(company=c.company, booking_id=booking_id)
    room = selectors.get_room(company=c.company, room_id=payload.room_id) if payload.room_id else None
    moved = services.move_booking(
        **c.writer(), booking=booking, starts_at=payload.starts_at, ends_at=payload.ends_at, room=room
    )
    return BookingOut.of(moved)


@router.post("/room-booking-series", response={201: SeriesOut, **ERRORS}, summary="定例予約の登録")
def booking_series_create(request: HttpRequest, payload: SeriesIn) -> Status[SeriesOut]:
    """すべての回を予約します。1回でも重なると、重なる日を示して何も登録しません。"""
    c = booker(request)
    room = selectors.get_room(company=c.company, room_id=payload.room_id)
    series = services.book_series(
        **c.writer(),
        room=room,
        title=payload.title,
        frequency=payload.frequency,
        starts_on=payload.starts_on,
        until=payload.until,
        start_time=payload.start_time,
        end_time=payload.end_time,
        attendees=payload.attendees,
        note=payload.note,
    )
    count = selectors.series_bookings(company=c.company, series=series).count()
    return Status(201, SeriesOut.of(series, count))


@router.post(
    "/room-booking-series/{series_id}/cancel",
    response={200: SeriesCancelOut, **ERRORS},
    summary="定例予約の以降の回を取消",
)
def booking_series_cancel(request: HttpRequest, series_id: Id, payload: SeriesCancelIn) -> SeriesCancelOut:
    c = booker(request)
    series = selectors.get_series(company=c.company, series_id=series_id)
    n = services.cancel_series(
        **c.writer(), series=series, from_date=payload.from_date, reason=payload.reason
    )
    return SeriesCancelOut(cancelled=n)
