"""Screens of 会議室: the day view (every room), the week view (one room), free rooms, the rooms
master, and the iCalendar feeds; and the helpers that the bookings screens (``views_bookings``)
share with them.

Views parse, call ``frontdesk.services.rooms`` / ``frontdesk.selectors.rooms`` and render; the
services check the permissions again. Another company's room is a 404. The feeds are read without
a login: the secret token in the URL is the key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.selectors import audit_events_for_object
from ennoshita.core.web import role_required
from ennoshita.core.web import service_kwargs as ctx

from .forms_rooms import FreeRoomsForm, RoomFilterForm, RoomForm
from .models.rooms import BookingStatus, Room, RoomBooking
from .rules import rooms_ical
from .selectors import rooms as selectors
from .services import rooms as services

PAGE_SIZE = 50
managers = role_required(*services.ROOM_MANAGERS)
bookers = role_required(*services.BOOKER_ROLES)

DAY_ROOMS_PER_PAGE = 20

T = TypeVar("T")


def company_of(request: HttpRequest) -> Any:
    return request.company  # type: ignore[attr-defined]


def history(obj: Any, object_type: str, request: HttpRequest) -> Any:
    return audit_events_for_object(
        company=company_of(request), object_type=object_type, object_id=str(obj.pk)
    )


def attempt(
    request: HttpRequest, service: Callable[..., T], *, form: forms.Form | None = None, **arguments: Any
) -> T | None:
    """Call ``service`` as the signed-in member with ``arguments`` and return what it wrote. When it
    refuses, say why — on the form's fields when there is a form, else as a message on the next
    page — and return None. A permission refusal is no input error: it goes up (403)."""
    try:
        return service(**ctx(request), **arguments)
    except PermissionDeniedError:
        raise
    except ServiceError as exc:
        if form is not None:
            apply_service_error(form, exc)
        else:
            messages.error(request, exc.message)
        return None


def form_page(request: HttpRequest, template: str, form: forms.Form, **context: Any) -> HttpResponse:
    """A form screen, answered with 400 while the form shows errors (a refused write too)."""
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def _day(request: HttpRequest) -> date:
    return parse_date(request.GET.get("day", "") or "") or timezone.localdate()


# ---------------------------------------------------------------- grids
@bookers
@require_GET
def room_day(request: HttpRequest) -> HttpResponse:
    """All rooms for a day, DAY_ROOMS_PER_PAGE rooms at a time: more columns are neither readable
    on a screen nor cheap to draw (200 rooms took ~2 s to render; bench/affairs.py)."""
    day = _day(request)
    rooms = Paginator(selectors.room_list(company=company_of(request), active=True), DAY_ROOMS_PER_PAGE)
    page = rooms.get_page(request.GET.get("page"))
    grid = selectors.day_grid(company=company_of(request), day=day, rooms=page.object_list)
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
    room = selectors.get_room(company=company_of(request), room_id=pk)
    first = selectors.week_start(_day(request))
    grid = selectors.week_grid(company=company_of(request), room=room, first_day=first)
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
            "rooms": selectors.room_list(company=company_of(request), active=True),
            "today": timezone.localdate(),
        },
    )


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
                    company=company_of(request),
                    starts_at=d["starts_at"],
                    ends_at=d["ends_at"],
                    capacity=d["capacity"],
                )
            )
    return render(request, "frontdesk/rooms/free.html", {"form": form, "rooms": rooms})


# ---------------------------------------------------------------- rooms master
@managers
@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    form = RoomFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    active = {"1": True, "0": False}.get(f.get("active", ""))
    qs = selectors.room_list(
        company=company_of(request), q=f.get("q", ""), active=active, min_capacity=f.get("capacity")
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
        if room is None:
            saved = attempt(request, services.create_room, form=form, data=data)
        else:
            saved = attempt(request, services.update_room, form=form, room=room, data=data)
        if saved is not None:
            messages.success(request, _("会議室を保存しました。"))
            return redirect("frontdesk:room_detail", saved.pk)
    return form_page(request, "frontdesk/rooms/room_form.html", form, room=room)


@managers
def room_new(request: HttpRequest) -> HttpResponse:
    return _room_form(request, None)


@managers
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _room_form(request, selectors.get_room(company=company_of(request), room_id=pk))


@managers
@require_GET
def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.get_room(company=company_of(request), room_id=pk)
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
        {"room": room, "feed_url": feed_url, "events": history(room, "frontdesk.room", request)},
    )


@managers
@require_POST
def room_feed_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.get_room(company=company_of(request), room_id=pk)
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
        room = Room.objects.for_company(company_of(request)).filter(pk=pk).first()
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
