"""Two people book the same slot at the same moment: exactly one booking is made, the other gets
the clear refusal (PostgreSQL: the room row lock and the exclusion constraint; file SQLite runs it
too, in-memory SQLite is one connection)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ennoshita.core.errors import ServiceError
from ennoshita.frontdesk.models.rooms import RoomBooking
from ennoshita.frontdesk.services import rooms as svc

from ..conftest import make_company, make_member
from .rooms_helpers import DAY, at, book, make_room


def _skip_in_memory():
    if connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]).startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL and file SQLite run this")


def _race(company, people, room, *, bypass_check: bool = False):
    results: list[object] = []
    barrier = threading.Barrier(len(people))
    original = svc.conflicts

    def person(member):
        try:
            barrier.wait()
            results.append(book(member, room, at(DAY, "10:00"), at(DAY, "11:00"), title=member.user.username))
        except ServiceError as exc:
            results.append(exc)
        except BaseException as exc:  # anything else is a failure of the test
            results.append(("unexpected", exc))
        finally:
            connections.close_all()

    if bypass_check:
        svc.conflicts = lambda *a, **k: []  # type: ignore[assignment]
    try:
        threads = [threading.Thread(target=person, args=(m,)) for m in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        svc.conflicts = original  # type: ignore[assignment]
    return results


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_same_slot_at_once_get_one_booking():
    _skip_in_memory()
    company = make_company("同時予約")
    desk = make_member(company, "desk", ["frontdesk"])
    room = make_room(company, desk)
    people = [make_member(company, f"p{n}", ["employee"]) for n in range(4)]
    results = _race(company, people, room)
    made = [r for r in results if isinstance(r, RoomBooking)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(made) == 1 and len(refused) == 3, results
    assert all(e.code == "overlap" for e in refused)
    assert RoomBooking.objects.filter(company=company, room=room).count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_service_check_the_database_still_lets_only_one_in():
    """The service's own overlap query switched off: the exclusion constraint (PostgreSQL) alone
    keeps the room single-booked, and its refusal is the same ServiceError."""
    _skip_in_memory()
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite writers are serialised anyway")
    company = make_company("同時予約DB")
    desk = make_member(company, "desk", ["frontdesk"])
    room = make_room(company, desk)
    people = [make_member(company, f"q{n}", ["employee"]) for n in range(4)]
    results = _race(company, people, room, bypass_check=True)
    made = [r for r in results if isinstance(r, RoomBooking)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(made) == 1 and len(refused) == 3, results
    assert RoomBooking.objects.filter(company=company, room=room).count() == 1
