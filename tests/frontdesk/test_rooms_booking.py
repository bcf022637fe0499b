# ruff: noqa: F811 -- the shared fixtures are imported from rooms_helpers
"""Booking a room: no double booking (half-open ranges), clear refusals, who may change what."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import IntegrityError, connection, transaction

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.frontdesk.models.rooms import BookingStatus, RoomBooking
from ennoshita.frontdesk.rules import rooms as rules
from ennoshita.frontdesk.services import rooms as svc

from ..conftest import make_member
from .rooms_helpers import DAY, alice, at, bob, book, desk, make_room, room  # noqa: F401

pytestmark = pytest.mark.django_db


def test_books_a_free_room_and_records_the_event(company, alice, room):
    b = book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), title="週次定例", attendees=5)
    assert b.status == BookingStatus.CONFIRMED and b.booked_by == alice.user
    event = AuditEvent.objects.get(company=company, object_type="frontdesk.roombooking", object_id=str(b.pk))
    assert event.action == "create"


def test_overlap_is_refused_naming_the_other_booking_and_nothing_is_written(company, alice, bob, room):
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), title="採用面接")
    events = AuditEvent.objects.filter(company=company).count()
    with pytest.raises(ServiceError) as err:
        book(bob, room, at(DAY, "10:30"), at(DAY, "11:30"))
    assert err.value.code == "overlap"
    message = err.value.field_errors["starts_at"][0]
    assert "10:00" in message and "11:00" in message and "採用面接" in message and "青木" in message
    assert RoomBooking.objects.filter(company=company).count() == 1
    assert AuditEvent.objects.filter(company=company).count() == events


@pytest.mark.parametrize(
    ("start", "end"), [("09:00", "10:01"), ("10:59", "12:00"), ("10:15", "10:45"), ("09:00", "12:00")]
)
def test_every_kind_of_overlap_is_refused(alice, bob, room, start, end):
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    with pytest.raises(ServiceError):
        book(bob, room, at(DAY, start), at(DAY, end))


def test_adjacent_bookings_are_allowed(company, alice, bob, room):
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    book(bob, room, at(DAY, "11:00"), at(DAY, "12:00"))
    book(bob, room, at(DAY, "09:00"), at(DAY, "10:00"))
    assert RoomBooking.objects.filter(company=company).count() == 3


def test_another_room_at_the_same_time_is_fine(company, desk, alice, bob, room):
    other = make_room(company, desk, code="B", name="会議室B")
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    book(bob, other, at(DAY, "10:00"), at(DAY, "11:00"))


def test_a_cancelled_booking_frees_the_slot(alice, bob, room):
    b = book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    svc.cancel_booking(company=alice.company, actor=alice.user, membership=alice, booking=b)
    book(bob, room, at(DAY, "10:00"), at(DAY, "11:00"))


@pytest.mark.parametrize("end", ["10:00", "09:00"])
def test_end_not_after_start_is_refused(company, alice, room, end):
    with pytest.raises(ServiceError) as err:
        book(alice, room, at(DAY, "10:00"), at(DAY, end))
    assert err.value.code == "ends_before_start"
    assert "終了日時は開始日時より後" in err.value.field_errors["ends_at"][0]
    assert not RoomBooking.objects.filter(company=company).exists()


def test_too_long_and_blank_title_are_refused(alice, room):
    with pytest.raises(ServiceError) as err:
        book(alice, room, at(DAY, "10:00"), at(date(2026, 12, 30), "10:00"))
    assert "ends_at" in err.value.field_errors
    with pytest.raises(ServiceError) as err:
        book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), title="  ")
    assert "title" in err.value.field_errors


def test_inactive_room_is_refused(company, desk, alice, room):
    svc.update_room(
        company=company,
        actor=desk.user,
        membership=desk,
        room=room,
        data=svc.RoomInput(code="A", name="会議室A", capacity=8, is_active=False),
    )
    with pytest.raises(ServiceError) as err:
        book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    assert err.value.code == "room_inactive"


def test_over_capacity_is_refused(company, alice, room):
    with pytest.raises(ServiceError) as err:
        book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), attendees=9)
    assert "定員は8名" in err.value.field_errors["attendees"][0]
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), attendees=8)


def test_seconds_are_cut_to_the_minute(alice, room):
    b = book(alice, room, at(DAY, "10:00").replace(second=30), at(DAY, "11:00").replace(microsecond=5))
    assert b.starts_at.second == 0 and b.ends_at.microsecond == 0


def test_assistant_cannot_book(company, room):
    helper = make_member(company, "helper", ["assistant"], expires_on=date(2027, 3, 31))
    with pytest.raises(PermissionDeniedError):
        book(helper, room, at(DAY, "10:00"), at(DAY, "11:00"))


def test_another_companys_room_is_not_found(alice, outsider, room):
    with pytest.raises(NotFound):
        book(outsider, room, at(DAY, "10:00"), at(DAY, "11:00"))


def test_only_the_booker_or_the_desk_may_cancel_or_move(company, desk, alice, bob, room):
    b = book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    with pytest.raises(PermissionDeniedError):
        svc.cancel_booking(company=company, actor=bob.user, membership=bob, booking=b)
    with pytest.raises(PermissionDeniedError):
        svc.move_booking(
            company=company,
            actor=bob.user,
            membership=bob,
            booking=b,
            starts_at=at(DAY, "13:00"),
            ends_at=at(DAY, "14:00"),
        )
    b.refresh_from_db()
    assert b.status == BookingStatus.CONFIRMED and b.starts_at == at(DAY, "10:00")
    svc.move_booking(
        company=company,
        actor=desk.user,
        membership=desk,
        booking=b,
        starts_at=at(DAY, "13:00"),
        ends_at=at(DAY, "14:00"),
    )
    # the booker hears of it when the desk moved their booking
    assert Notification.objects.filter(user=alice.user, kind="room_booking").count() == 1
    svc.cancel_booking(company=company, actor=desk.user, membership=desk, booking=b, reason="設備点検")
    b.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED and b.cancelled_at is not None
    with pytest.raises(ServiceError):
        svc.cancel_booking(company=company, actor=alice.user, membership=alice, booking=b)


def test_move_checks_overlap_but_not_against_itself(company, desk, alice, bob, room):
    other = make_room(company, desk, code="B", name="会議室B", capacity=4)
    mine = book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"), attendees=6)
    book(bob, room, at(DAY, "12:00"), at(DAY, "13:00"), title="予算会議")
    moved = svc.move_booking(
        company=company,
        actor=alice.user,
        membership=alice,
        booking=mine,
        starts_at=at(DAY, "10:30"),
        ends_at=at(DAY, "11:30"),
    )
    assert moved.starts_at == at(DAY, "10:30")
    with pytest.raises(ServiceError) as err:
        svc.move_booking(
            company=company,
            actor=alice.user,
            membership=alice,
            booking=mine,
            starts_at=at(DAY, "11:30"),
            ends_at=at(DAY, "12:30"),
        )
    assert "予算会議" in err.value.field_errors["starts_at"][0]
    with pytest.raises(ServiceError) as err:  # 6 people do not fit a room for 4
        svc.move_booking(
            company=company,
            actor=alice.user,
            membership=alice,
            booking=mine,
            starts_at=at(DAY, "10:30"),
            ends_at=at(DAY, "11:30"),
            room=other,
        )
    assert "attendees" in err.value.field_errors
    mine.refresh_from_db()
    assert mine.room == room and mine.starts_at == at(DAY, "10:30")


# ---------------------------------------------------------------- the database's own refusal
def _raw_insert(company, room, user, start, end, status="confirmed"):
    with transaction.atomic():
        RoomBooking.objects.create(
            company=company,
            room=room,
            title="直接",
            starts_at=start,
            ends_at=end,
            booked_by=user,
            status=status,
        )


def test_the_database_refuses_an_overlapping_row_written_directly(company, alice, room):
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    with pytest.raises(IntegrityError):
        _raw_insert(company, room, alice.user, at(DAY, "10:30"), at(DAY, "10:45"))
    # half-open: touching is allowed; cancelled rows do not count
    _raw_insert(company, room, alice.user, at(DAY, "11:00"), at(DAY, "11:30"))
    _raw_insert(company, room, alice.user, at(DAY, "10:00"), at(DAY, "11:00"), status="cancelled")
    assert RoomBooking.objects.filter(company=company).count() == 3


def test_the_database_refuses_an_update_into_an_overlap(company, alice, room):
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    later = book(alice, room, at(DAY, "12:00"), at(DAY, "13:00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.filter(pk=later.pk).update(starts_at=at(DAY, "10:59"))
    # re-confirming a cancelled booking into a taken slot is refused too
    svc.cancel_booking(company=company, actor=alice.user, membership=alice, booking=later)
    RoomBooking.objects.filter(pk=later.pk).update(starts_at=at(DAY, "10:30"), ends_at=at(DAY, "11:30"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.filter(pk=later.pk).update(status="confirmed")


def test_the_database_refusal_becomes_the_same_message(company, alice, bob, room, monkeypatch):
    """A race the lock did not see: the service's own check finds nothing, the database refuses."""
    book(alice, room, at(DAY, "10:00"), at(DAY, "11:00"))
    monkeypatch.setattr("ennoshita.frontdesk.services.rooms.bookings.conflicts", lambda *a, **k: [])
    events = AuditEvent.objects.filter(company=company).count()
    with pytest.raises(ServiceError) as err:
        book(bob, room, at(DAY, "10:00"), at(DAY, "11:00"))
    assert err.value.code == "overlap" and "starts_at" in err.value.field_errors
    assert "すでに予約が入りました" in err.value.message  # the database's refusal, not the service's check
    assert RoomBooking.objects.filter(company=company).count() == 1
    assert AuditEvent.objects.filter(company=company).count() == events


def test_the_database_refuses_ends_before_starts(company, alice, room):
    with pytest.raises(IntegrityError):
        _raw_insert(company, room, alice.user, at(DAY, "10:00"), at(DAY, "09:00"))


def test_the_constraint_is_the_vendors_own():
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT contype FROM pg_constraint WHERE conname = 'frontdesk_booking_no_overlap'")
            assert cur.fetchone() == ("x",)
        else:
            cur.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'frontdesk_booking_no_overlap%'"
            )
            assert len(cur.fetchall()) == 2


def test_half_open_rule():
    t = at(DAY, "10:00")
    assert not rules.overlaps(at(DAY, "09:00"), t, t, at(DAY, "11:00"))
    assert rules.overlaps(at(DAY, "09:00"), at(DAY, "10:01"), t, at(DAY, "11:00"))
    assert rules.nth_weekday_of(date(2026, 12, 8)) == 2
    assert time(10) < time(11)
