"""Screens of 会議室予約: the booking form (prefilled from a drag over free slots on the day or
week view), a booking with its history, moving and cancelling it, 私の予約 (with the URL of one's
own calendar feed), the search with CSV / Excel, and 定例予約.

Views parse, call ``frontdesk.services.rooms`` / ``frontdesk.selectors.rooms`` and render; the
services check the permissions again. Another company's booking or series is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.web import service_kwargs as ctx

from .forms_rooms import BookingForm, BookingSearchForm, CancelForm, CancelSeriesForm, MoveForm, SeriesForm
from .models.rooms import BookingStatus, Room
from .selectors import rooms as selectors
from .services import rooms as services
from .views_rooms import PAGE_SIZE, attempt, bookers, company_of, form_page, history


def _bookable_rooms(request: HttpRequest) -> list[Room]:
    return list(selectors.room_list(company=company_of(request), active=True))


def _prefill(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if request.GET.get("room", "").isdigit():
        initial["room"] = int(request.GET["room"])
    for key, name in (("start", "starts_at"), ("end", "ends_at")):
        value = parse_datetime(request.GET.get(key, "") or "")
        if value is not None:
            initial[name] = value
    return initial


# ---------------------------------------------------------------- bookings
@bookers
def booking_new(request: HttpRequest) -> HttpResponse:
    rooms = _bookable_rooms(request)
    form = BookingForm(request.POST or None, rooms=rooms, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        room = selectors.get_room(company=company_of(request), room_id=data["room"])
        booking = attempt(
            request,
            services.book_room,
            form=form,
            room=room,
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            attendees=data["attendees"],
            note=data["note"],
        )
        if booking is not None:
            messages.success(request, _("会議室を予約しました。"))
            return redirect("frontdesk:booking_detail", booking.pk)
    return form_page(request, "frontdesk/rooms/booking_form.html", form)


@bookers
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking(company=company_of(request), booking_id=pk)
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
            "events": history(booking, "frontdesk.roombooking", request),
        },
    )


@bookers
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking(company=company_of(request), booking_id=pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if attempt(request, services.cancel_booking, booking=booking, reason=reason) is not None:
        messages.success(request, _("予約を取り消しました。"))
    return redirect("frontdesk:booking_detail", booking.pk)


@bookers
def booking_move(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking(company=company_of(request), booking_id=pk)
    form = MoveForm(request.POST or None, rooms=_bookable_rooms(request), initial={"room": booking.room_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        room = selectors.get_room(company=company_of(request), room_id=data["room"])
        moved = attempt(
            request,
            services.move_booking,
            form=form,
            booking=booking,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            room=room,
        )
        if moved is not None:
            messages.success(request, _("予約を変更しました。"))
            return redirect("frontdesk:booking_detail", booking.pk)
    return form_page(request, "frontdesk/rooms/booking_move.html", form, booking=booking)


@bookers
@require_GET
def booking_mine(request: HttpRequest) -> HttpResponse:
    company, user = company_of(request), request.user
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
    existing = selectors.person_feed_of(company=company_of(request), user=request.user)  # type: ignore[arg-type]
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
    company = company_of(request)
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


# ---------------------------------------------------------------- 定例
@bookers
def booking_series_new(request: HttpRequest) -> HttpResponse:
    rooms = _bookable_rooms(request)
    form = SeriesForm(request.POST or None, rooms=rooms, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        room = selectors.get_room(company=company_of(request), room_id=d["room"])
        series = attempt(
            request,
            services.book_series,
            form=form,
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
        if series is not None:
            messages.success(request, _("定例予約を登録しました。"))
            return redirect("frontdesk:booking_series_detail", series.pk)
    return form_page(request, "frontdesk/rooms/series_form.html", form)


@bookers
@require_GET
def booking_series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.get_series(company=company_of(request), series_id=pk)
    qs = selectors.series_bookings(company=company_of(request), series=series)
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
            "events": history(series, "frontdesk.bookingseries", request),
        },
    )


@bookers
@require_POST
def booking_series_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.get_series(company=company_of(request), series_id=pk)
    form = CancelSeriesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("取消を始める日を入力してください。"))
        return redirect("frontdesk:booking_series_detail", series.pk)
    cancelled = attempt(
        request,
        services.cancel_series,
        series=series,
        from_date=form.cleaned_data["from_date"],
        reason=form.cleaned_data["reason"],
    )
    if cancelled is not None:
        messages.success(request, _("%(n)s件の予約を取り消しました。") % {"n": cancelled})
    return redirect("frontdesk:booking_series_detail", series.pk)
