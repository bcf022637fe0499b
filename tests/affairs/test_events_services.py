"""社内行事: sign-up counts people and guests against the capacity (the last seat once), refusals
write nothing, cancellation notifies, cost summary."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.affairs.models import Event, EventSignup, EventStatus
from ennoshita.affairs.selectors import events as selectors
from ennoshita.affairs.services import events as services
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from tests.affairs.announcements_fixtures import ctx, make_event, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_last_seat_goes_once(world):
    event = make_event(world["affairs"], capacity=3)
    services.sign_up(**ctx(world["seller"]), event=event, guests=1)
    services.sign_up(**ctx(world["seller1"]), event=event)  # the last seat
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.sign_up(**ctx(world["clerk"]), event=event)
    assert exc.value.code == "full" and "定員" in exc.value.message
    assert EventSignup.objects.count() == 2 and AuditEvent.objects.count() == before
    shown = selectors.get_event(company=world["company"], membership=world["clerk"], event_id=event.pk)
    assert shown.taken == 3 and selectors.remaining(shown) == 0


def test_guests_beyond_the_seats_left_are_refused(world):
    event = make_event(world["affairs"], capacity=3)
    services.sign_up(**ctx(world["seller"]), event=event)
    with pytest.raises(ServiceError) as exc:
        services.sign_up(**ctx(world["clerk"]), event=event, guests=2)
    assert "残りは2席" in exc.value.message and "guests" in exc.value.field_errors


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_seat_get_it_once(world):
    """Two threads ask for the one seat left; the row lock serialises them (SQLite serialises
    writers too), so exactly one signs up."""
    import threading

    from django.db import connection

    event = make_event(world["affairs"], capacity=1)
    results: list[str] = []

    def go(member):
        try:
            services.sign_up(**ctx(member), event=event)
            results.append("ok")
        except ServiceError as exc:
            results.append(exc.code)
        except Exception as exc:  # SQLite "database is locked" is a refusal too, nothing written
            results.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(world[k],)) for k in ("seller", "clerk")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    assert EventSignup.objects.filter(event=event, cancelled_at__isnull=True).count() == 1


def test_past_deadline_closed_and_cancelled_are_refused_with_nothing_written(world):
    now = timezone.now()
    late = make_event(
        world["affairs"],
        signup_deadline=now - timedelta(hours=1),
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=2),
    )
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.sign_up(**ctx(world["clerk"]), event=late)
    assert "申込締切" in exc.value.message
    closed = make_event(world["affairs"], title="運動会")
    services.close_signups(**ctx(world["affairs"]), event=closed)
    cancelled = make_event(world["affairs"], title="BBQ")
    services.cancel_event(**ctx(world["affairs"]), event=cancelled)
    before = AuditEvent.objects.count()
    for event, word in ((closed, "受付は終了"), (cancelled, "中止")):
        with pytest.raises(ServiceError) as exc:
            services.sign_up(**ctx(world["clerk"]), event=event)
        assert word in exc.value.message
    assert EventSignup.objects.count() == 0 and AuditEvent.objects.count() == before


def test_double_signup_and_the_assistant_are_refused(world):
    event = make_event(world["affairs"])
    services.sign_up(**ctx(world["clerk"]), event=event)
    with pytest.raises(ServiceError) as exc:
        services.sign_up(**ctx(world["clerk"]), event=event)
    assert exc.value.code == "duplicate"
    with pytest.raises(PermissionDeniedError):
        services.sign_up(**ctx(world["assistant"]), event=event)


def test_cancel_signup_frees_the_seat_and_signing_up_again_works(world):
    event = make_event(world["affairs"], capacity=1)
    services.sign_up(**ctx(world["clerk"]), event=event)
    services.cancel_signup(**ctx(world["clerk"]), event=event)
    services.sign_up(**ctx(world["seller"]), event=event)
    with pytest.raises(ServiceError):
        services.cancel_signup(**ctx(world["clerk"]), event=event)
    assert EventSignup.objects.filter(cancelled_at__isnull=False).count() == 1


def test_a_member_cannot_cancel_anothers_signup_but_a_manager_can(world):
    event = make_event(world["affairs"])
    signup = services.sign_up(**ctx(world["clerk"]), event=event)
    with pytest.raises(PermissionDeniedError):
        services.cancel_signup(**ctx(world["seller"]), event=event, signup_id=signup.pk)
    services.cancel_signup(**ctx(world["affairs"]), event=event, signup_id=signup.pk)
    signup.refresh_from_db()
    assert signup.cancelled_at is not None


def test_cancel_event_notifies_signed_up_people(world, mailoutbox, django_capture_on_commit_callbacks):
    event = make_event(world["affairs"])
    services.sign_up(**ctx(world["clerk"]), event=event)
    services.sign_up(**ctx(world["seller"]), event=event)
    services.cancel_signup(**ctx(world["seller"]), event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(**ctx(world["affairs"]), event=event, reason="台風のため")
    notices = Notification.objects.filter(kind="affairs.event_cancelled")
    assert [n.user.username for n in notices] == ["clerk"]
    assert "台風のため" in notices[0].text
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    with pytest.raises(ServiceError):
        services.cancel_event(**ctx(world["affairs"]), event=event)


def test_capacity_cannot_go_below_the_seats_taken(world):
    event = make_event(world["affairs"], capacity=3)
    services.sign_up(**ctx(world["clerk"]), event=event, guests=1)
    data = services.EventInput(
        title=event.title, starts_at=event.starts_at, ends_at=event.ends_at, capacity=1
    )
    with pytest.raises(ServiceError) as exc:
        services.update_event(**ctx(world["affairs"]), event=event, data=data)
    assert "capacity" in exc.value.field_errors
    assert Event.objects.get().capacity == 3


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"title": ""}, "title"),
        ({"ends_at": "before"}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "1.5"}, "budget"),
        ({"signup_deadline": "after"}, "signup_deadline"),
    ],
)
def test_bad_event_input(world, kw, field):
    start = timezone.now() + timedelta(days=3)
    if kw.get("ends_at") == "before":
        kw = {"starts_at": start, "ends_at": start - timedelta(hours=1)}
    if kw.get("signup_deadline") == "after":
        kw = {
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "signup_deadline": start + timedelta(minutes=1),
        }
    with pytest.raises(ServiceError) as exc:
        make_event(world["affairs"], **kw)
    assert field in exc.value.field_errors and Event.objects.count() == 0


def test_only_managers_create(world):
    with pytest.raises(PermissionDeniedError):
        make_event(world["clerk"])


def test_cost_summary(world):
    event = make_event(world["affairs"], capacity=None, budget=100000, fee_per_person=3000)
    services.sign_up(**ctx(world["clerk"]), event=event, guests=1)
    services.sign_up(**ctx(world["seller"]), event=event)
    services.record_cost(**ctx(world["affairs"]), event=event, cost="100,000")
    event.refresh_from_db()
    s = selectors.cost_summary(company=world["company"], event=event)
    assert s.people == 3
    assert s.cost == Decimal("100000") and s.variance == Decimal("0")
    assert s.cost_per_person == Decimal("33333")  # 33,333.33… 四捨五入
    assert s.fees == Decimal("9000") and s.company_cost == Decimal("91000")
    with pytest.raises(ServiceError):
        services.record_cost(**ctx(world["affairs"]), event=event, cost="abc")
