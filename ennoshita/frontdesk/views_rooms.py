"""Screens of 会議室予約: the day view (every room), the week view (one room), the booking form
(prefilled from a drag over free slots), a booking with its history, 私の予約, the search with
CSV / Excel, free rooms, 定例予約, the rooms master, and the iCalendar feeds.

Views parse, call ``frontdesk.services.rooms`` / ``frontdesk.selectors.rooms`` and render; the
services check the permissions again. Another company's room or booking is a 404. The feeds are
read without a login: the secret token in the URL is the key.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.selectors import audit_events_for_object
from ennoshita.core.web import role_required

from .forms_rooms import (
    BookingForm,
    BookingSearchForm,
    CancelForm,
    CancelSeriesForm,
    FreeRoomsForm,
    MoveForm,
    RoomFilterForm,
    RoomForm,
    SeriesForm,
)
from .models.rooms import BookingStatus, Room, RoomBooking
from .rules import rooms_ical
from .selectors import rooms as selectors
from .services import rooms as services

PAGE_SIZE = 50
managers = role_required(*services.ROOM_MANAGERS)
bookers = role_required(*services.BOOKER_ROLES)

DAY_ROOMS_PER_PAGE = 20


def ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _company(request: HttpRequest) -> Any:
    return request.company  # type: ignore[attr-defined]


def _day(request: HttpRequest) -> date:
    return parse_date(request.GET.get("day", "") or "") or timezone.localdate()


def _bookable_rooms(request: HttpRequest) -> list[Room]:
    return list(selectors.room_list(company=_company(request), active=True))


def _history(obj: Any, object_type: str, request: HttpRequest) -> Any:
    return audit_events_for_object(company=_company(request), object_type=object_type, object_id=str(obj.pk))


# ---------------------------------------------------------------- grids
@bookers
@require_GET
def room_day(request: HttpRequest) -> HttpResponse:
    """All rooms for a day, DAY_ROOMS_PER_PAGE rooms at a time: more columns are neither readable
    on a screen nor cheap to draw (200 rooms took ~2 s to render; bench/affairs.py)."""
    day = _day(request)
    rooms = Paginator(selectors.room_list(company=_company(request), active=True), DAY_ROOMS_PER_PAGE)
    page = rooms.get_page(request.GET.get("page"))
    grid = selectors.day_grid(company=_company(request), day=day, rooms=page.object_list)
    return render(
        request,
        "frontdesk/rooms/day.html",
        {
            "grid": grid,
            "rows": selectors.grid_rows(grid),
            "page_obj": page,
            "day": day,
            "prev": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "today": timezone.localdate(),
        },
    )


@bookers
@require_GET
def room_week(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.get_room(company=_company(request), room_id=pk)
    first = selectors.week_start(_day(request))
    grid = selectors.week_grid(company=_company(request), room=room, first_day=first)
    return render(
        request,
        "frontdesk/rooms/week.html",
        {
            "grid": grid,
            "rows": selectors.grid_rows(grid),
            "room": room,
            "first": first,
            "prev": first - timedelta(days=7),
            "next": first + timedelta(days=7),
            "rooms": selectors.room_list(company=_company(request), active=True),
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------- bookings
def _prefill(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if request.GET.get("room", "").isdigit():
        initial["room"] = int(request.GET["room"])
    for key, name in (("start", "starts_at"), ("end", "ends_at")):
        value = parse_datetime(request.GET.get(key, "") or "")
        if value is not None:
            initial[name] = value
    return initial


@bookers
def booking_new(request: HttpRequest) -> HttpResponse:
    rooms = _bookable_rooms(request)
    form = BookingForm(request.POST or None, rooms=rooms, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        room = selectors.get_room(company=_company(request), room_id=data["room"])
        try:
            booking = services.book_room(
                **ctx(request),
                room=room,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                attendees=data["attendees"],
                note=data["note"],
            )
        except PermissionDeniedError:
            raise
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("会議室を予約しました。"))
            return redirect("frontdesk:booking_detail", booking.pk)
    return render(
        request, "frontdesk/rooms/booking_form.html", {"form": form}, status=400 if form.errors else 200
    )


@bookers
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking(company=_company(request), booking_id=pk)
    rooms = _bookable_rooms(request)
    move = MoveForm(
        rooms=rooms,
        initial={
            "room": booking.room_id,
            "starts_at": timezone.localtime(booking.starts_at),
            "ends_at": timezone.localtime(booking.ends_at),
        },
    )
    return render(
        request,
        "frontdesk/rooms/booking_detail.html",
        {
            "booking": booking,
            "can_change": booking.status == BookingStatus.CONFIRMED
            and services.can_change_booking(request.membership, booking),  # type: ignore[attr-defined]
            "move_form": move,
            "cancel_form": CancelForm(),
            "events": _history(booking, "frontdesk.roombooking", request),
        },
    )


@bookers
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking(company=_company(request), booking_id=pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_booking(**ctx(request), booking=booking, reason=reason)
    except PermissionDeniedError:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("予約を取り消しました。"))
    return redirect("frontdesk:booking_detail", booking.pk)


@bookers
def booking_move(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking(company=_company(request), booking_id=pk)
    form = MoveForm(request.POST or None, rooms=_bookable_rooms(request), initial={"room": booking.room_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        room = selectors.get_room(company=_company(request), room_id=data["room"])
        try:
            services.move_booking(
                **ctx(request),
                booking=booking,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                room=room,
            )
        except PermissionDeniedError:
            raise
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("予約を変更しました。"))
            return redirect("frontdesk:booking_detail", booking.pk)
    return render(
        request,
        "frontdesk/rooms/booking_move.html",
        {"form": form, "booking": booking},
        status=400 if form.errors else 200,
    )


@bookers
@require_GET
def booking_mine(request: HttpRequest) -> HttpResponse:
    company, user = _company(request), request.user
    past = request.GET.get("past") == "1"
    qs = selectors.my_bookings(company=company, user=user, upcoming=not past)  # type: ignore[arg-type]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    feed = selectors.person_feed_of(company=company, user=user)  # type: ignore[arg-type]
    feed_url = (
        request.build_absolute_uri(reverse("frontdesk:booking_person_ics", args=[feed.token])) if feed else ""
    )
    return render(
        request, "frontdesk/rooms/mine.html", {"page_obj": page, "past": past, "feed_url": feed_url}
    )


@bookers
@require_POST
def booking_feed_regenerate(request: HttpRequest) -> HttpResponse:
    existing = selectors.person_feed_of(company=_company(request), user=request.user)  # type: ignore[arg-type]
    services.person_feed_token(**ctx(request), regenerate=existing is not None)
    messages.success(
        request,
        _("予定表のURLを新しくしました。以前のURLは使えません。")
        if existing
        else _("予定表のURLを発行しました。"),
    )
    return redirect("frontdesk:booking_mine")


@bookers
@require_GET
def booking_search(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    form = BookingSearchForm(
        request.GET or None,
        company=company,
        rooms=selectors.room_list(company=company),
    )
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.booking_search(
        company=company,
        q=f.get("q", ""),
        room_id=f.get("room"),
        booked_by_id=f.get("booked_by"),
        date_from=f.get("date_from"),
        date_to=f.get("date_to"),
        status=f.get("status", ""),
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, selectors.booking_rows(qs.iterator()), name="room-bookings", title=_("会議室予約")
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontdesk/rooms/search.html", {"form": form, "page_obj": page})


@bookers
@require_GET
def room_free(request: HttpRequest) -> HttpResponse:
    form = FreeRoomsForm(request.GET or None)
    rooms = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["ends_at"] <= d["starts_at"]:
            form.add_error("ends_at", _("終了日時は開始日時より後にしてください。"))
        else:
            rooms = list(
                selectors.free_rooms(
                    company=_company(request),
                    starts_at=d["starts_at"],
                    ends_at=d["ends_at"],
                    capacity=d["capacity"],
                )
            )
    return render(request, "frontdesk/rooms/free.html", {"form": form, "rooms": rooms})


# ---------------------------------------------------------------- 定例
@bookers
def booking_series_new(request: HttpRequest) -> HttpResponse:
    rooms = _bookable_rooms(request)
    form = SeriesForm(request.POST or None, rooms=rooms, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        room = selectors.get_room(company=_company(request), room_id=d["room"])
        try:
            series = services.book_series(
                **ctx(request),
                room=room,
                title=d["title"],
                frequency=d["frequency"],
                starts_on=d["starts_on"],
                until=d["until"],
                start_time=d["start_time"],
                end_time=d["end_time"],
                attendees=d["attendees"],
                note=d["note"],
            )
        except PermissionDeniedError:
            raise
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("定例予約を登録しました。"))
            return redirect("frontdesk:booking_series_detail", series.pk)
    return render(
        request, "frontdesk/rooms/series_form.html", {"form": form}, status=400 if form.errors else 200
    )


@bookers
@require_GET
def booking_series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.get_series(company=_company(request), series_id=pk)
    qs = selectors.series_bookings(company=_company(request), series=series)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "frontdesk/rooms/series_detail.html",
        {
            "series": series,
            "page_obj": page,
            "can_change": series.booked_by_id == request.user.pk
            or services.can_manage_rooms(request.membership),  # type: ignore[attr-defined]
            "cancel_form": CancelSeriesForm(initial={"from_date": timezone.localdate()}),
            "events": _history(series, "frontdesk.bookingseries", request),
        },
    )


@bookers
@require_POST
def booking_series_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.get_series(company=_company(request), series_id=pk)
    form = CancelSeriesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("取消を始める日を入力してください。"))
        return redirect("frontdesk:booking_series_detail", series.pk)
    try:
        n = services.cancel_series(
            **ctx(request),
            series=series,
            from_date=form.cleaned_data["from_date"],
            reason=form.cleaned_data["reason"],
        )
    except PermissionDeniedError:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s件の予約を取り消しました。") % {"n": n})
    return redirect("frontdesk:booking_series_detail", series.pk)


# ---------------------------------------------------------------- rooms master
@managers
@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    form = RoomFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    active = {"1": True, "0": False}.get(f.get("active", ""))
    qs = selectors.room_list(
        company=_company(request), q=f.get("q", ""), active=active, min_capacity=f.get("capacity")
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = [["会議室コード", "会議室名", "定員", "フロア・場所", "設備", "予約受付中", "表示順"]] + [
            [r.code, r.name, r.capacity, r.floor, r.equipment, "○" if r.is_active else "", r.sort_order]
            for r in qs
        ]
        return table_download(request, rows, name="rooms", title=_("会議室"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontdesk/rooms/room_list.html", {"form": form, "page_obj": page})


def _room_form(request: HttpRequest, room: Room | None) -> HttpResponse:
    initial = (
        {
            k: getattr(room, k)
            for k in ("code", "name", "capacity", "floor", "equipment", "sort_order", "is_active")
        }
        if room
        else None
    )
    form = RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.RoomInput(
            code=d["code"],
            name=d["name"],
            capacity=d["capacity"],
            floor=d["floor"],
            equipment=d["equipment"],
            is_active=d["is_active"],
            sort_order=d["sort_order"] or 0,
        )
        try:
            if room is None:
                saved = services.create_room(**ctx(request), data=data)
            else:
                saved = services.update_room(**ctx(request), room=room, data=data)
        except PermissionDeniedError:
            raise
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("会議室を保存しました。"))
            return redirect("frontdesk:room_detail", saved.pk)
    return render(
        request,
        "frontdesk/rooms/room_form.html",
        {"form": form, "room": room},
        status=400 if form.errors else 200,
    )


@managers
def room_new(request: HttpRequest) -> HttpResponse:
    return _room_form(request, None)


@managers
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _room_form(request, selectors.get_room(company=_company(request), room_id=pk))


@managers
@require_GET
def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.get_room(company=_company(request), room_id=pk)
    feed_url = (
        request.build_absolute_uri(
            reverse("frontdesk:room_calendar_ics", args=[room.pk]) + f"?token={room.feed_token}"
        )
        if room.feed_token
        else ""
    )
    return render(
        request,
        "frontdesk/rooms/room_detail.html",
        {"room": room, "feed_url": feed_url, "events": _history(room, "frontdesk.room", request)},
    )


@managers
@require_POST
def room_feed_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.get_room(company=_company(request), room_id=pk)
    services.regenerate_room_feed(**ctx(request), room=room)
    messages.success(request, _("予定表のURLを新しくしました。以前のURLは使えません。"))
    return redirect("frontdesk:room_detail", room.pk)


# ---------------------------------------------------------------- iCalendar feeds (no login)
def _event(b: RoomBooking, *, host: str) -> rooms_ical.Event:
    who = b.booked_by.display_name()
    return rooms_ical.Event(
        uid=f"room-booking-{b.pk}@{host}",
        starts_at=b.starts_at,
        ends_at=b.ends_at,
        summary=b.title,
        location=f"{b.room.name}{' ' + b.room.floor if b.room.floor else ''}",
        description=_("予約者: %(who)s") % {"who": who} + (f"\n{b.note}" if b.note else ""),
        cancelled=b.status == BookingStatus.CANCELLED,
        sequence=1 if b.status == BookingStatus.CANCELLED else 0,
        last_modified=b.cancelled_at,
    )


def _ics(request: HttpRequest, name: str, bookings: list[RoomBooking]) -> HttpResponse:
    host = request.get_host().split(":")[0] or "ennoshita"
    body = rooms_ical.calendar(name, (_event(b, host=host) for b in bookings), now=timezone.now())
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def room_calendar_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """With ``?token=`` (a calendar app): the room of that secret. Without it, a signed-in member
    downloads the feed of a room of their company (another company's room is a 404)."""
    token = request.GET.get("token", "")
    membership = getattr(request, "membership", None)
    if token:
        room = selectors.room_by_feed_token(room_id=pk, token=token)
    elif request.user.is_authenticated and services.can_book(membership):
        room = Room.objects.for_company(_company(request)).filter(pk=pk).first()
    else:
        room = None
    if room is None:
        raise Http404
    return _ics(request, room.name, selectors.feed_bookings(company=room.company, room=room))


@require_GET
def booking_person_ics(request: HttpRequest, token: str) -> HttpResponse:
    feed = selectors.person_feed_by_token(token=token)
    if feed is None:
        raise Http404
    name = _("%(who)sの会議室予約") % {"who": feed.user.display_name()}
    return _ics(request, name, selectors.feed_bookings(company=feed.company, user=feed.user))
