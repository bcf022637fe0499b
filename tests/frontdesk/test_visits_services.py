# ruff: noqa: F811 (the shared fixtures people and room come from visits_fixtures)
"""来訪者: pre-registration (with a room in the same transaction), the desk's check-in with the
host's notice and e-mail after commit, walk-ins, check-out, cancellation, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.frontdesk.models import BookingStatus, FrontdeskSettings, RoomBooking, Visit, VisitStatus
from ennoshita.frontdesk.rules.visits import badge_label
from ennoshita.frontdesk.services import visits as svc

from .visits_fixtures import at, ctx, people, room, tomorrow, visit, walk_in  # noqa: F401

pytestmark = pytest.mark.django_db


def _audit_text(company) -> str:
    return " ".join(
        f"{e.object_repr} {e.changes}"
        for e in AuditEvent.objects.filter(company=company, object_type="frontdesk.visit")
    )


def test_a_host_pre_registers_their_own_visitor(company, people):
    v = visit(people.host, purpose="新製品の打合せ")
    assert v.host == people.host.user and v.created_by == people.host.user
    assert v.status == VisitStatus.EXPECTED and v.booking is None
    assert v.search_key == "株式会社abc商事 山田太郎"
    event = AuditEvent.objects.get(company=company, object_type="frontdesk.visit", object_id=str(v.pk))
    assert event.action == "create" and event.object_repr == f"来訪 #{v.pk}"
    # the trail is kept for years: it never holds the visitor's name or company
    assert "山田" not in _audit_text(company) and "ABC" not in _audit_text(company)


def test_an_employee_cannot_register_a_visit_for_someone_else(company, people):
    with pytest.raises(PermissionDeniedError):
        visit(people.host, host=people.colleague)
    assert not Visit.objects.exists()


def test_the_desk_registers_a_visit_for_any_host(company, people):
    v = visit(people.desk, host=people.colleague)
    assert v.host == people.colleague.user and v.created_by == people.desk.user


def test_a_visit_with_a_room_books_it_in_the_same_transaction(company, people, room):
    v = visit(people.host, start="10:00", end="11:00", room=room, purpose="契約")
    booking = v.booking
    assert booking.room == room and booking.status == BookingStatus.CONFIRMED
    assert booking.starts_at == v.expected_at and booking.ends_at == v.expected_until
    assert booking.title == "来客: 契約" and "山田" not in booking.title


def test_a_room_conflict_leaves_no_visit_and_no_booking(company, people, room):
    visit(people.colleague, start="10:00", end="11:00", room=room)
    with pytest.raises(ServiceError) as exc:
        visit(people.host, start="10:30", end="11:30", room=room, name="別の 来客")
    assert "room" in exc.value.field_errors
    assert Visit.objects.count() == 1 and RoomBooking.objects.count() == 1
    assert not Visit.objects.filter(visitor_name="別の 来客").exists()


def test_bad_input_is_refused_on_its_field(company, people, room):
    day = tomorrow()
    cases = [
        ({"visitor_name": " ", "expected_at": at(day, "10:00")}, "visitor_name"),
        ({"visitor_name": "甲", "expected_at": at(day - timedelta(days=3), "10:00")}, "expected_at"),
        (
            {"visitor_name": "甲", "expected_at": at(day, "10:00"), "expected_until": at(day, "09:00")},
            "expected_until",
        ),
        ({"visitor_name": "甲", "expected_at": at(day, "10:00"), "room_id": room.pk}, "expected_until"),
        (
            {"visitor_name": "甲", "expected_at": at(day, "10:00"), "visitor_email": "not-mail"},
            "visitor_email",
        ),
        ({"visitor_name": "甲", "expected_at": at(day, "10:00"), "visitor_count": "0"}, "visitor_count"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ServiceError) as exc:
            svc.register_visit(**ctx(people.host), data=svc.VisitInput(**kwargs))
        assert field in exc.value.field_errors, (kwargs, exc.value.field_errors)
    assert not Visit.objects.exists() and not RoomBooking.objects.exists()


def test_an_employee_cannot_check_visitors_in(company, people):
    v = visit(people.host, day=timezone.localdate(), start="23:59")
    with pytest.raises(PermissionDeniedError):
        svc.check_in(**ctx(people.host), visit=v)
    v.refresh_from_db()
    assert v.status == VisitStatus.EXPECTED and v.checked_in_at is None
    assert not Notification.objects.exists()


def test_check_in_numbers_the_badge_and_tells_the_host_in_the_app_and_by_mail(
    company, people, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    first = visit(people.desk, host=people.host, day=today, start="23:58")
    second = visit(people.desk, host=people.colleague, day=today, start="23:59", name="佐藤 次郎")
    with django_capture_on_commit_callbacks(execute=True):
        v = svc.check_in(**ctx(people.desk), visit=first)
        assert mail.outbox == []  # the mail waits for the commit
    assert v.status == VisitStatus.ARRIVED and v.checked_in_by == people.desk.user
    assert v.badge_number == badge_label(today, 1)
    notice = Notification.objects.get(user=people.host.user)
    assert notice.kind == "frontdesk.visit_arrived" and "山田 太郎 様" in notice.text
    assert notice.url == f"/frontdesk/visits/{v.pk}/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["host@example.jp"]
    assert "到着しました" in mail.outbox[0].subject
    assert svc.check_in(**ctx(people.desk), visit=second).badge_number == badge_label(today, 2)


def test_no_mail_when_the_settings_say_so(company, people, django_capture_on_commit_callbacks):
    svc.update_settings(**ctx(people.desk), visitor_retention_days=90, notify_host_by_email=False)
    v = visit(people.host, day=timezone.localdate(), start="23:59")
    with django_capture_on_commit_callbacks(execute=True):
        svc.check_in(**ctx(people.desk), visit=v, badge_number="A-12")
    assert Notification.objects.filter(user=people.host.user).count() == 1
    assert mail.outbox == []
    v.refresh_from_db()
    assert v.badge_number == "A-12"


def test_a_visitor_cannot_be_checked_in_twice_or_out_before_in(company, people):
    v = visit(people.host)
    with pytest.raises(ServiceError):
        svc.check_out(**ctx(people.desk), visit=v)
    svc.check_in(**ctx(people.desk), visit=v)
    with pytest.raises(ServiceError):
        svc.check_in(**ctx(people.desk), visit=v)
    out = svc.check_out(**ctx(people.desk), visit=v)
    assert out.status == VisitStatus.LEFT and out.checked_out_at >= out.checked_in_at
    actions = list(
        AuditEvent.objects.filter(object_type="frontdesk.visit", object_id=str(v.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "check_in", "check_out"]


def test_a_walk_in_is_registered_checked_in_and_the_host_told(
    company, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        v = walk_in(people.desk, people.host)
    assert v.is_walk_in and v.status == VisitStatus.ARRIVED and v.badge_number
    assert Notification.objects.filter(user=people.host.user, kind="frontdesk.visit_arrived").count() == 1
    assert len(mail.outbox) == 1
    with pytest.raises(PermissionDeniedError):
        walk_in(people.host, people.colleague)
    assert Visit.objects.count() == 1


def test_cancelling_a_visit_cancels_its_booking(company, people, room):
    v = visit(people.host, start="14:00", end="15:00", room=room)
    svc.cancel_visit(**ctx(people.host), visit=v, reason="先方都合")
    v.refresh_from_db()
    assert v.status == VisitStatus.CANCELLED
    assert v.booking.status == BookingStatus.CANCELLED
    # the room is free again
    visit(people.colleague, start="14:00", end="15:00", room=room)


def test_a_colleague_cannot_cancel_someone_elses_visit(company, people):
    v = visit(people.host)
    with pytest.raises(PermissionDeniedError):
        svc.cancel_visit(**ctx(people.colleague), visit=v)
    v.refresh_from_db()
    assert v.status == VisitStatus.EXPECTED


def test_update_moves_the_booking_and_a_conflict_leaves_the_visit_as_it_was(company, people, room):
    other = visit(people.colleague, start="13:00", end="14:00", room=room)
    v = visit(people.host, start="10:00", end="11:00", room=room)
    old_booking = v.booking
    day = tomorrow()
    data = svc.VisitInput(
        visitor_name="山田 太郎",
        visitor_company="株式会社ABC商事",
        expected_at=at(day, "11:00"),
        expected_until=at(day, "12:00"),
        room_id=room.pk,
    )
    v = svc.update_visit(**ctx(people.host), visit=v, data=data)
    old_booking.refresh_from_db()
    assert old_booking.status == BookingStatus.CANCELLED
    assert v.booking.starts_at == at(day, "11:00") and v.booking.status == BookingStatus.CONFIRMED
    clash = svc.VisitInput(
        visitor_name="山田 太郎",
        expected_at=at(day, "13:30"),
        expected_until=at(day, "14:30"),
        room_id=room.pk,
    )
    with pytest.raises(ServiceError):
        svc.update_visit(**ctx(people.host), visit=v, data=clash)
    v.refresh_from_db()
    assert v.expected_at == at(day, "11:00") and v.booking.status == BookingStatus.CONFIRMED
    assert other.booking.status == BookingStatus.CONFIRMED


def test_no_show(company, people):
    v = svc.mark_no_show(**ctx(people.host), visit=visit(people.host))
    assert v.status == VisitStatus.NO_SHOW
    # a late arrival can still be checked in
    assert svc.check_in(**ctx(people.desk), visit=v).status == VisitStatus.ARRIVED


def test_settings_are_for_admin_and_the_desk_and_checked(company, people):
    with pytest.raises(PermissionDeniedError):
        svc.update_settings(**ctx(people.host), visitor_retention_days=30, notify_host_by_email=True)
    with pytest.raises(ServiceError) as exc:
        svc.update_settings(**ctx(people.desk), visitor_retention_days=0, notify_host_by_email=True)
    assert "visitor_retention_days" in exc.value.field_errors
    assert not FrontdeskSettings.objects.exists()
    s = svc.update_settings(**ctx(people.admin), visitor_retention_days="１８０", notify_host_by_email=False)
    assert s.visitor_retention_days == 180 and not s.notify_host_by_email
    assert AuditEvent.objects.filter(object_type="frontdesk.frontdesksettings").count() == 1
