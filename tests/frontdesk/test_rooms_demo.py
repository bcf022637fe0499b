"""The rooms demo: five rooms, a month of bookings with a weekly 定例, built once."""

from __future__ import annotations

import pytest

from ennoshita.frontdesk.demo_rooms import build_demo_rooms
from ennoshita.frontdesk.models.rooms import BookingSeries, Room, RoomBooking

from ..conftest import make_member


@pytest.mark.django_db
def test_build_demo_rooms_is_idempotent(company):
    make_member(company, "frontdesk", ["frontdesk"])
    make_member(company, "manager", ["manager", "employee"])
    build_demo_rooms(company)
    assert Room.objects.for_company(company).count() == 5
    assert BookingSeries.objects.for_company(company).count() == 1
    count = RoomBooking.objects.for_company(company).count()
    assert count >= 40
    build_demo_rooms(company)
    assert RoomBooking.objects.for_company(company).count() == count
