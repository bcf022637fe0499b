# ruff: noqa: F811 (the shared fixtures people and room come from visits_fixtures)
"""/api/v1/frontdesk/ visits, messages and office requests: create, list, check in/out, done,
transition; errors as problem+json on the field; roles refused with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ennoshita.frontdesk.models import OfficeRequest, PhoneMessage, Visit
from tests.apiclient import ApiClient, field_errors

from .visits_fixtures import people, request_type, room, visit  # noqa: F401

pytestmark = pytest.mark.django_db


def test_visit_create_check_in_out_and_list(client, company, people, room):
    host = ApiClient(client, people.host)
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = {
        "visitor_name": "山田 太郎",
        "visitor_company": "株式会社ABC商事",
        "expected_at": f"{day}T10:00:00",
        "expected_until": f"{day}T11:00:00",
        "room_id": room.pk,
    }
    r = host.post("/frontdesk/visits", body)
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["status"] == "expected" and created["room_id"] == room.pk
    assert created["expected_at"].startswith(f"{day}T10:00:00+09:00")
    # the same slot again: 422 on room, nothing written
    r = host.post("/frontdesk/visits", {**body, "visitor_name": "別の 来客"})
    assert r.status_code == 422 and "room" in field_errors(r)
    assert Visit.objects.count() == 1
    # an employee cannot check in
    r = host.post(f"/frontdesk/visits/{created['id']}/check-in", {})
    assert r.status_code == 403
    desk = ApiClient(client, people.desk)
    r = desk.post(f"/frontdesk/visits/{created['id']}/check-in", {"badge_number": ""})
    assert r.status_code == 200 and r.json()["status"] == "arrived" and r.json()["badge_number"]
    r = desk.post(f"/frontdesk/visits/{created['id']}/check-out")
    assert r.json()["status"] == "left"
    r = desk.get("/frontdesk/visits", {"q": "ABC"})
    assert r.json()["count"] == 1
    assert host.get("/frontdesk/visits").status_code == 403
    assert host.get("/frontdesk/visits", {"mine": "true"}).json()["count"] == 1


def test_visit_bad_input_is_422(client, company, people):
    r = ApiClient(client, people.host).post(
        "/frontdesk/visits", {"visitor_name": "", "expected_at": "2020-01-01T10:00"}
    )
    assert r.status_code == 422
    assert set(field_errors(r)) >= {"visitor_name", "expected_at"}
    assert not Visit.objects.exists()


def test_messages_create_list_done(client, company, people):
    desk = ApiClient(client, people.desk)
    r = desk.post(
        "/frontdesk/messages",
        {
            "recipient_id": people.host.user.pk,
            "caller_name": "鈴木 一郎",
            "message": "折り返しを",
            "urgency": "urgent",
        },
    )
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    host = ApiClient(client, people.host)
    assert host.get("/frontdesk/messages", {"open": "true"}).json()["count"] == 1
    assert desk.post(f"/frontdesk/messages/{mid}/done", {"note": "x"}).status_code == 403
    r = host.post(f"/frontdesk/messages/{mid}/done", {"note": "折り返し済み"})
    assert r.status_code == 200 and r.json()["done_at"]
    assert host.get("/frontdesk/messages", {"open": "true"}).json()["count"] == 0
    r = desk.post(
        "/frontdesk/messages", {"recipient_id": people.host.user.pk, "caller_name": "", "message": "x"}
    )
    assert r.status_code == 422 and "caller_name" in field_errors(r)
    assert PhoneMessage.objects.count() == 1


def test_office_requests_create_list_transition(client, company, people):
    kind = request_type(people.affairs)
    host = ApiClient(client, people.host)
    assert [t["name"] for t in host.get("/frontdesk/office-request-types").json()] == ["名刺の作成"]
    r = host.post("/frontdesk/office-requests", {"request_type_id": kind.pk, "title": "名刺100枚"})
    assert r.status_code == 201
    rid = r.json()["id"]
    assert host.get("/frontdesk/office-requests").json()["count"] == 1
    assert host.get("/frontdesk/office-requests", {"scope": "queue"}).status_code == 403
    assert (
        host.post(f"/frontdesk/office-requests/{rid}/transition", {"status": "in_progress"}).status_code
        == 403
    )
    affairs = ApiClient(client, people.affairs)
    assert affairs.get("/frontdesk/office-requests", {"scope": "queue"}).json()["count"] == 1
    r = affairs.post(f"/frontdesk/office-requests/{rid}/transition", {"status": "done"})
    assert r.status_code == 422 and "resolution" in field_errors(r)
    r = affairs.post(
        f"/frontdesk/office-requests/{rid}/transition", {"status": "done", "resolution": "発注済み"}
    )
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert OfficeRequest.objects.get().status == "done"
