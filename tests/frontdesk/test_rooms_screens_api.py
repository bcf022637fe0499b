# ruff: noqa: F811 -- the shared fixtures are imported from rooms_helpers
"""The rooms screens (grids, forms, detail, search export, feeds) and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.frontdesk.models.rooms import BookingStatus, RoomBooking
from ennoshita.frontdesk.services import rooms as svc

from ..apiclient import ApiClient
from ..conftest import login
from .rooms_helpers import DAY, alice, at, bob, book, desk, make_room, room  # noqa: F401

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.content[:500]
    return len(ctx.captured_queries), r


def test_day_and_week_views_cost_the_same_queries_for_more_rooms_and_bookings(
    client, company, desk, alice, room
):
    login(client, alice)
    day_url = reverse("frontdesk:room_day") + f"?day={DAY:%Y-%m-%d}"
    week_url = reverse("frontdesk:room_week", args=[room.pk]) + f"?day={DAY:%Y-%m-%d}"
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), title="一件目")
    few_day, _r = _queries(client, day_url)
    few_week, _r = _queries(client, week_url)
    for n in range(6):
        other = make_room(company, desk, code=f"R{n}", name=f"会議室{n}")
        book(alice, other, at(DAY, "09:00"), at(DAY, "09:30"), title=f"朝会{n}")
        book(alice, room, at(DAY + timedelta(days=n), "13:00"), at(DAY + timedelta(days=n), "13:30"))
    many_day, r = _queries(client, day_url)
    many_week, r2 = _queries(client, week_url)
    assert few_day == many_day and few_week == many_week
    assert "朝会5" in r.content.decode() and "一件目" in r2.content.decode()
    # pinned: session/user/membership + company settings + rooms + bookings (+ nav)
    assert many_day <= 8 and many_week <= 9, (many_day, many_week)


def test_drag_prefills_the_booking_form_and_booking_from_the_screen(client, company, alice, room):
    login(client, alice)
    r = client.get(reverse("frontdesk:room_day") + f"?day={DAY:%Y-%m-%d}")
    html = r.content.decode()
    assert "frontdesk/rooms.js" in html and 'data-start="2026-12-08T10:00"' in html
    url = reverse("frontdesk:booking_new") + f"?room={room.pk}&start=2026-12-08T10:00&end=2026-12-08T11:30"
    r = client.get(url)
    assert 'value="2026-12-08T11:30"' in r.content.decode()
    r = client.post(
        url,
        {
            "room": room.pk,
            "title": "企画会議",
            "starts_at": "2026-12-08T10:00",
            "ends_at": "2026-12-08T11:30",
        },
    )
    booking = RoomBooking.objects.get(company=company)
    assert r.status_code == 302 and r.url == reverse("frontdesk:booking_detail", args=[booking.pk])
    # the same slot again: the form says why, nothing written
    r = client.post(
        url,
        {"room": room.pk, "title": "別件", "starts_at": "2026-12-08T11:00", "ends_at": "2026-12-08T12:00"},
    )
    assert r.status_code == 400 and "企画会議" in r.content.decode()
    r = client.post(
        url, {"room": room.pk, "title": "逆", "starts_at": "2026-12-08T15:00", "ends_at": "2026-12-08T14:00"}
    )
    assert r.status_code == 400 and "終了日時は開始日時より後" in r.content.decode()
    assert RoomBooking.objects.filter(company=company).count() == 1
    r = client.get(reverse("frontdesk:booking_detail", args=[booking.pk]))
    assert r.status_code == 200 and "変更履歴" in r.content.decode()


def test_detail_move_cancel_by_screen(client, company, alice, bob, room):
    b = book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    login(client, bob)
    r = client.post(reverse("frontdesk:booking_cancel", args=[b.pk]))
    b.refresh_from_db()
    assert r.status_code == 403 and b.status == BookingStatus.CONFIRMED
    login(client, alice)
    r = client.post(
        reverse("frontdesk:booking_move", args=[b.pk]),
        {"room": room.pk, "starts_at": "2026-12-08T14:00", "ends_at": "2026-12-08T15:00"},
    )
    assert r.status_code == 302
    r = client.post(reverse("frontdesk:booking_cancel", args=[b.pk]), {"reason": "中止"})
    b.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED and b.starts_at == at(DAY, "14:00")


def test_search_export_and_mine(client, company, alice, bob, room):
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), title="予算会議")
    book(bob, room, at(DAY, "12:00"), at(DAY, "13:00"), title="面接")
    login(client, alice)
    url = reverse("frontdesk:booking_search")
    r = client.get(url, {"q": "予算"})
    assert "予算会議" in r.content.decode() and "面接" not in r.content.decode()
    r = client.get(url, {"booked_by": bob.user.pk, "format": "csv"})
    body = r.content.decode("utf-8-sig")
    assert "面接" in body and "予算会議" not in body
    r = client.get(url, {"format": "xlsx"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = client.get(reverse("frontdesk:booking_mine") + "?past=1")
    assert r.status_code == 200


def test_free_rooms(client, company, desk, alice, room):
    big = make_room(company, desk, code="L", name="大会議室", capacity=20)
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    login(client, alice)
    r = client.get(
        reverse("frontdesk:room_free"), {"starts_at": "2026-12-08T10:30", "ends_at": "2026-12-08T11:30"}
    )
    html = r.content.decode()
    assert f'data-room="{big.pk}"' in html and f'data-room="{room.pk}"' not in html


def test_rooms_master_is_for_the_desk(client, company, desk, alice, room):
    login(client, alice)
    assert client.get(reverse("frontdesk:room_list")).status_code == 403
    login(client, desk)
    r = client.post(reverse("frontdesk:room_new"), {"code": "A", "name": "重複", "capacity": 4})
    assert r.status_code == 400 and "すでに使われています" in r.content.decode()
    r = client.post(
        reverse("frontdesk:room_new"),
        {"code": "W", "name": "Web会議ブース", "capacity": 1, "is_active": "on"},
    )
    assert r.status_code == 302
    assert client.get(reverse("frontdesk:room_list") + "?format=csv").status_code == 200


def test_room_feed_by_token_and_regenerate(client, company, desk, alice, room):
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), title="定例, 週次")
    url = reverse("frontdesk:room_calendar_ics", args=[room.pk])
    r = client.get(url, {"token": room.feed_token})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:定例\\, 週次" in r.content.decode() and "\r\n" in r.content.decode()
    assert client.get(url, {"token": "wrong"}).status_code == 404
    assert client.get(url).status_code == 404  # no token, not signed in
    old = room.feed_token
    svc.regenerate_room_feed(company=company, actor=desk.user, membership=desk, room=room)
    assert client.get(url, {"token": old}).status_code == 404


def test_person_feed(client, company, alice, room):
    b = book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), title="面談")
    login(client, alice)
    client.post(reverse("frontdesk:booking_feed_regenerate"))
    feed = svc.person_feed_token(company=company, actor=alice.user, membership=alice)
    assert feed.token in client.get(reverse("frontdesk:booking_mine")).content.decode()
    client.logout()
    r = client.get(reverse("frontdesk:booking_person_ics", args=[feed.token]))
    text = r.content.decode()
    assert r.status_code == 200 and f"UID:room-booking-{b.pk}@" in text and "STATUS:CONFIRMED" in text
    svc.cancel_booking(company=company, actor=alice.user, membership=alice, booking=b)
    assert (
        "STATUS:CANCELLED"
        in client.get(reverse("frontdesk:booking_person_ics", args=[feed.token])).content.decode()
    )
    old = feed.token
    svc.person_feed_token(company=company, actor=alice.user, membership=alice, regenerate=True)
    assert client.get(reverse("frontdesk:booking_person_ics", args=[old])).status_code == 404


def test_home_panel_lists_todays_bookings(company, alice, room):
    from django.utils import timezone

    from ennoshita.frontdesk.home_rooms import panels

    today = timezone.localdate()
    book(alice, room, at(today, "23:00"), at(today, "23:30"), title="夜の打合せ")
    [panel] = panels(alice)
    assert panel["items"][0]["text"].startswith("夜の打合せ")


# ---------------------------------------------------------------- API
def test_api_book_list_move_cancel(client, company, alice, bob, room):
    api = ApiClient(client, alice)
    r = api.get("/frontdesk/rooms")
    assert r.status_code == 200 and r.json()[0]["code"] == "A"
    body = {
        "room_id": room.pk,
        "title": "API会議",
        "starts_at": "2026-12-08T10:00:00",
        "ends_at": "2026-12-08T11:00:00",
    }
    r = api.post("/frontdesk/room-bookings", body)
    assert r.status_code == 201, r.content
    booking_id = r.json()["id"]
    assert r.json()["starts_at"].startswith("2026-12-08T10:00:00+09:00")
    r = ApiClient(client, bob).post("/frontdesk/room-bookings", {**body, "title": "重複"})
    assert r.status_code == 400 and "API会議" in r.content.decode()
    r = api.post("/frontdesk/room-bookings", {**body, "ends_at": "2026-12-08T09:00:00"})
    assert r.status_code == 400 and "ends_at" in r.content.decode()
    r = api.get(
        "/frontdesk/rooms/availability",
        {"starts_at": "2026-12-08T10:30:00", "ends_at": "2026-12-08T11:30:00"},
    )
    assert r.status_code == 200 and r.json() == []
    r = api.post(
        f"/frontdesk/room-bookings/{booking_id}/move",
        {"starts_at": "2026-12-08T13:00:00", "ends_at": "2026-12-08T14:00:00"},
    )
    assert r.status_code == 200 and r.json()["starts_at"].startswith("2026-12-08T13:00")
    r = api.get("/frontdesk/room-bookings", {"mine": "true"})
    assert r.json()["count"] == 1
    r = api.post(f"/frontdesk/room-bookings/{booking_id}/cancel", {"reason": "中止"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert RoomBooking.objects.filter(company=company).count() == 1


def test_api_series(client, company, alice, room):
    api = ApiClient(client, alice)
    body = {
        "room_id": room.pk,
        "title": "週次定例",
        "frequency": "weekly",
        "starts_on": "2026-12-08",
        "until": "2027-01-26",
        "start_time": "10:00",
        "end_time": "11:00",
    }
    r = api.post("/frontdesk/room-booking-series", body)
    assert r.status_code == 201 and r.json()["occurrences"] == 8
    r = api.post("/frontdesk/room-booking-series", body)
    assert r.status_code == 400 and "12/08" in r.content.decode()
    sid = RoomBooking.objects.filter(company=company).first().series_id
    r = api.post(f"/frontdesk/room-booking-series/{sid}/cancel", {"from_date": "2027-01-01"})
    assert r.status_code == 200 and r.json()["cancelled"] == 4
