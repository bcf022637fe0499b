"""/api/v1/affairs/: お知らせ (list visible, detail, mark read, create) and 社内行事 (list, sign up,
cancel a sign-up, attendees). Another company's id is a 404; refusals are problem+json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Id, Problem, caller_of
from ennoshita.core.errors import ServiceError

from .schemas_announcements import (
    AnnouncementFilters,
    AnnouncementIn,
    AnnouncementOut,
    AnnouncementPage,
    EventFilters,
    EventOut,
    EventPage,
    ReadOut,
    SignupIn,
    SignupOut,
)
from .selectors import announcements as selectors
from .selectors import events as event_selectors
from .services import announcements as services
from .services import events as event_services

router = Router(tags=["総務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def as_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except ServiceError as exc:
        if exc.code == "validation":
            exc.status = 422
        raise


@router.get(
    "/announcements", response={200: AnnouncementPage, **READ_ERRORS}, summary="掲載中のお知らせ(自分宛て)"
)
def announcement_list(request: HttpRequest, filters: Query[AnnouncementFilters]) -> AnnouncementPage:
    c = caller_of(request)
    qs = selectors.visible_announcements(**c.reader(), q=filters.q, kind=filters.kind, unread=filters.unread)
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return AnnouncementPage(
        count=qs.count(),
        unread=selectors.unread_count(**c.reader()),
        limit=filters.limit,
        offset=filters.offset,
        items=[AnnouncementOut.of(a) for a in rows],
    )


@router.post(
    "/announcements", response={201: AnnouncementOut, **ERRORS}, summary="お知らせの登録(総務・人事・管理者)"
)
def announcement_create(request: HttpRequest, payload: AnnouncementIn) -> Status[AnnouncementOut]:
    c = caller_of(request)
    data = services.AnnouncementInput(**payload.model_dump())
    created = as_422(lambda: services.create_announcement(**c.writer(), data=data))
    return Status(
        201, AnnouncementOut.of(selectors.get_announcement(**c.reader(), announcement_id=created.pk))
    )


@router.get(
    "/announcements/{announcement_id}",
    response={200: AnnouncementOut, **READ_ERRORS},
    summary="お知らせの詳細",
)
def announcement_detail(request: HttpRequest, announcement_id: Id) -> AnnouncementOut:
    c = caller_of(request)
    return AnnouncementOut.of(selectors.get_announcement(**c.reader(), announcement_id=announcement_id))


@router.post(
    "/announcements/{announcement_id}/read", response={200: ReadOut, **ERRORS}, summary="お知らせを既読にする"
)
def announcement_mark_read(request: HttpRequest, announcement_id: Id) -> ReadOut:
    """何度呼んでも最初の既読日時のままです。"""
    c = caller_of(request)
    row = services.mark_read(**c.reader(), announcement_id=announcement_id)
    return ReadOut(announcement_id=row.announcement_id, read_at=row.read_at)


@router.get("/events", response={200: EventPage, **READ_ERRORS}, summary="社内行事の一覧")
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> EventPage:
    c = caller_of(request)
    when = "" if filters.when == "all" else filters.when
    qs = event_selectors.event_list(**c.reader(), when=when, q=filters.q)
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return EventPage(
        count=qs.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[EventOut.of(e, event_selectors.remaining(e)) for e in rows],
    )


@router.post("/events/{event_id}/signup", response={201: SignupOut, **ERRORS}, summary="社内行事に申し込む")
def event_signup(request: HttpRequest, event_id: Id, payload: SignupIn) -> Status[SignupOut]:
    c = caller_of(request)
    event = event_selectors.get_event(**c.reader(), event_id=event_id)
    signup = as_422(
        lambda: event_services.sign_up(**c.writer(), event=event, guests=payload.guests, note=payload.note)
    )
    return Status(201, SignupOut.of(signup))


@router.post(
    "/events/{event_id}/cancel-signup",
    response={200: SignupOut, **ERRORS},
    summary="社内行事の申込を取り消す",
)
def event_cancel_signup(request: HttpRequest, event_id: Id) -> SignupOut:
    c = caller_of(request)
    event = event_selectors.get_event(**c.reader(), event_id=event_id)
    return SignupOut.of(event_services.cancel_signup(**c.writer(), event=event))


@router.get(
    "/events/{event_id}/attendees", response={200: list[SignupOut], **READ_ERRORS}, summary="社内行事の参加者"
)
def event_attendees(request: HttpRequest, event_id: Id) -> list[SignupOut]:
    c = caller_of(request)
    event = event_selectors.get_event(**c.reader(), event_id=event_id)
    return [SignupOut.of(s) for s in event_selectors.attendees(**c.reader(), event=event)]
