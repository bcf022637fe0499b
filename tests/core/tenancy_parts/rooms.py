"""Tenancy URL walk: the rooms part's objects and id-taking routes (see test_tenancy.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from tests.core.tenancy_probe import Probe, World


def _at(days: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


def _move_body(own: World) -> dict[str, Any]:
    return {"starts_at": _at(40, 15).isoformat(), "ends_at": _at(40, 16).isoformat()}


def _series_cancel_body(own: World) -> dict[str, Any]:
    return {"from_date": (timezone.localdate() + timedelta(days=60)).isoformat()}


ROUTES: dict[str, Probe] = {
    "frontdesk:room_week": Probe({"pk": "rooms_room"}),
    "frontdesk:room_detail": Probe({"pk": "rooms_room"}),
    "frontdesk:room_edit": Probe({"pk": "rooms_room"}),
    "frontdesk:room_feed_regenerate": Probe({"pk": "rooms_room"}),
    "frontdesk:room_calendar_ics": Probe({"pk": "rooms_room"}),
    "frontdesk:booking_detail": Probe({"pk": "rooms_booking"}),
    "frontdesk:booking_cancel": Probe({"pk": "rooms_booking"}),
    "frontdesk:booking_move": Probe({"pk": "rooms_booking"}),
    "frontdesk:booking_series_detail": Probe({"pk": "rooms_series"}),
    "frontdesk:booking_series_cancel": Probe({"pk": "rooms_series"}),
    "api:booking_get": Probe({"booking_id": "rooms_booking"}),
    "api:booking_cancel": Probe({"booking_id": "rooms_booking"}, body=lambda own: {"reason": "プローブ"}),
    "api:booking_move": Probe({"booking_id": "rooms_booking"}, body=_move_body),
    "api:booking_series_cancel": Probe({"series_id": "rooms_series"}, body=_series_cancel_body),
}


def objects(*, company: Any, staff: Any, employee: Any, department: Any) -> dict[str, Any]:
    """One of each object the routes above name, made through the part's services. staff is an
    admin + 人事 member; keys must not clash with other parts (prefix them with the part's name)."""
    from ennoshita.frontdesk.services import rooms as services

    w = {"company": company, "actor": staff.user, "membership": staff}
    room = services.create_room(**w, data=services.RoomInput(code="T1", name="テナンシー会議室", capacity=6))
    booking = services.book_room(
        **w, room=room, title="プローブ会議", starts_at=_at(30, 10), ends_at=_at(30, 11)
    )
    day = timezone.localdate() + timedelta(days=31)
    series = services.book_series(
        **w,
        room=room,
        title="プローブ定例",
        frequency="weekly",
        starts_on=day,
        until=day + timedelta(days=120),
        start_time=time(9),
        end_time=time(9, 30),
    )
    return {"rooms_room": room, "rooms_booking": booking, "rooms_series": series}
