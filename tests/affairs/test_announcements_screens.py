"""Screens and API of お知らせ and 社内行事: lists with unread marks and exports, the detail marks
read, the manage pages, sign-up from the detail, pinned query counts, the home panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ennoshita.affairs import home_announcements
from ennoshita.affairs.models import Announcement, AnnouncementRead, AudienceKind, EventSignup
from ennoshita.affairs.services import events as event_services
from tests.affairs.announcements_fixtures import announce, ctx, make_event, world_fixture  # noqa: F401
from tests.apiclient import ApiClient, field_errors
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_list_marks_unread_and_detail_marks_read(client, world):
    a = announce(world["affairs"], title="健康診断のご案内", is_important=True)
    announce(
        world["affairs"],
        title="営業部のみ",
        audience=AudienceKind.DEPARTMENTS,
        department_ids=[world["sales"].pk],
    )
    login(client, world["clerk"])
    page = client.get(reverse("affairs:announcement_list")).content.decode()
    assert "健康診断のご案内" in page and "営業部のみ" not in page and 'id="unread-count"' in page
    detail = client.get(reverse("affairs:announcement_detail", args=[a.pk]))
    assert detail.status_code == 200 and "12月29日" in detail.content.decode()
    assert AnnouncementRead.objects.filter(announcement=a, user=world["clerk"].user).exists()
    assert 'id="unread-count"' not in client.get(reverse("affairs:announcement_list")).content.decode()
    assert "history" not in detail.content.decode() or "変更履歴" not in detail.content.decode()


def test_member_cannot_open_manage_pages_or_others_announcements(client, world):
    a = announce(world["affairs"], audience=AudienceKind.ROLES, roles=["accounting"])
    login(client, world["clerk"])
    assert client.get(reverse("affairs:announcement_detail", args=[a.pk])).status_code == 404
    assert client.get(reverse("affairs:announcement_manage")).status_code == 403
    assert client.get(reverse("affairs:announcement_reads", args=[a.pk])).status_code == 403


def test_manager_creates_with_audience_and_sees_history_and_reads(client, world):
    login(client, world["affairs"])
    assert client.get(reverse("affairs:announcement_new")).status_code == 200
    now = timezone.localtime()
    response = client.post(
        reverse("affairs:announcement_new"),
        {
            "kind": "newsletter",
            "title": "社内報 12月号",
            "body": "今月の話題",
            "audience": "departments",
            "department_ids": [str(world["sales"].pk)],
            "publish_at": now.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    a = Announcement.objects.get()
    assert response.status_code == 302 and a.kind == "newsletter"
    detail = client.get(reverse("affairs:announcement_detail", args=[a.pk])).content.decode()
    assert "変更履歴" in detail and "営業部" in detail
    reads = client.get(reverse("affairs:announcement_reads", args=[a.pk])).content.decode()
    assert "seller1" in reads and "clerk" not in reads
    csv = client.get(reverse("affairs:announcement_reads", args=[a.pk]), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "未読" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("affairs:announcement_manage"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_bad_form_shows_the_error_on_its_field_and_writes_nothing(client, world):
    login(client, world["affairs"])
    now = timezone.localtime()
    response = client.post(
        reverse("affairs:announcement_new"),
        {
            "kind": "notice",
            "title": "x",
            "body": "y",
            "audience": "departments",
            "publish_at": now.strftime("%Y-%m-%dT%H:%M"),
            "expire_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    page = response.content.decode()
    assert (
        response.status_code == 400 and "掲載終了は掲載開始より後" in page and "対象の部門を1つ以上" in page
    )
    assert Announcement.objects.count() == 0


def test_withdraw_from_the_screen(client, world):
    a = announce(world["affairs"])
    login(client, world["affairs"])
    client.post(reverse("affairs:announcement_withdraw", args=[a.pk]), {"reason": "重複"})
    a.refresh_from_db()
    assert a.is_withdrawn


def test_list_query_count_does_not_grow(client, world):
    login(client, world["clerk"])
    announce(world["affairs"], title="1")
    client.get(reverse("affairs:announcement_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("affairs:announcement_list"))
    for i in range(6):
        announce(
            world["affairs"],
            title=f"n{i}",
            audience=AudienceKind.DEPARTMENTS,
            department_ids=[world["general"].pk],
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("affairs:announcement_list"))
    assert len(many) == len(few)
    login(client, world["affairs"])
    client.get(reverse("affairs:announcement_manage"))
    with CaptureQueriesContext(connection) as manage:
        client.get(reverse("affairs:announcement_manage"))
    announce(world["affairs"], title="more")
    with CaptureQueriesContext(connection) as manage_more:
        client.get(reverse("affairs:announcement_manage"))
    assert len(manage_more) == len(manage)


def test_event_screens_signup_cancel_and_attendees_export(client, world):
    event = make_event(world["affairs"], capacity=2)
    login(client, world["clerk"])
    page = client.get(reverse("affairs:event_detail", args=[event.pk])).content.decode()
    assert "残り 2 席" in page
    client.post(reverse("affairs:event_signup", args=[event.pk]), {"guests": "1"})
    assert EventSignup.objects.get().guests == 1
    page = client.get(reverse("affairs:event_detail", args=[event.pk])).content.decode()
    assert "残り 0 席" in page and "申込を取り消す" in page
    listing = client.get(reverse("affairs:event_list")).content.decode()
    assert "申込済み" in listing
    assert client.get(reverse("affairs:event_attendees", args=[event.pk])).status_code == 403
    login(client, world["seller"])
    response = client.post(reverse("affairs:event_signup", args=[event.pk]), {"guests": "0"}, follow=True)
    assert "定員に達しています" in response.content.decode()
    assert EventSignup.objects.count() == 1
    login(client, world["affairs"])
    csv = client.get(reverse("affairs:event_attendees", args=[event.pk]), {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert "総務 三郎" in csv
    client.post(reverse("affairs:event_cost", args=[event.pk]), {"cost": "30000"})
    detail = client.get(reverse("affairs:event_detail", args=[event.pk])).content.decode()
    assert "15,000" in detail and "変更履歴" in detail
    login(client, world["clerk"])
    client.post(reverse("affairs:event_cancel_signup", args=[event.pk]))
    assert EventSignup.objects.get().cancelled_at is not None


def test_event_list_query_count_and_export(client, world):
    login(client, world["clerk"])
    make_event(world["affairs"], title="A")
    client.get(reverse("affairs:event_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("affairs:event_list"))
    for i in range(5):
        e = make_event(world["affairs"], title=f"E{i}")
        event_services.sign_up(**ctx(world["seller"]), event=e)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("affairs:event_list"))
    assert len(many) == len(few)
    assert "E3" in client.get(reverse("affairs:event_list"), {"format": "csv"}).content.decode("utf-8-sig")


def test_home_panels(world):
    announce(world["affairs"], title="普通")
    announce(world["affairs"], title="重要なもの", is_important=True)
    event = make_event(world["affairs"])
    event_services.sign_up(**ctx(world["clerk"]), event=event)
    panels = {p["key"]: p for p in home_announcements.panels(world["clerk"])}
    assert [i["text"] for i in panels["announcements"]["items"]] == ["【重要】重要なもの", "普通"]
    assert [i["text"] for i in panels["my_events"]["items"]] == ["忘年会"]
    assert home_announcements.panels(world["assistant"]) == []


def test_api_list_detail_read_create_and_events(client, world):
    a = announce(world["affairs"], title="API のお知らせ")
    api = ApiClient(client, world["clerk"])
    body = api.get("/affairs/announcements").json()
    assert body["unread"] == 1 and body["items"][0]["title"] == "API のお知らせ"
    assert api.get(f"/affairs/announcements/{a.pk}").json()["is_read"] is False
    first = api.post(f"/affairs/announcements/{a.pk}/read").json()
    again = api.post(f"/affairs/announcements/{a.pk}/read").json()
    assert first == again
    assert api.get("/affairs/announcements", {"unread": "true"}).json()["count"] == 0
    new = {"title": "x", "body": "y", "publish_at": timezone.now().isoformat()}
    assert api.post("/affairs/announcements", new).status_code == 403
    manager = ApiClient(client, world["affairs"])
    created = manager.post("/affairs/announcements", {**new, "audience": "roles", "roles": ["hr"]})
    assert created.status_code == 201 and created.json()["audience"] == "roles"
    bad = manager.post("/affairs/announcements", {**new, "audience": "departments"})
    assert bad.status_code == 422 and "department_ids" in field_errors(bad)

    event = make_event(world["affairs"], capacity=1)
    events = api.get("/affairs/events").json()
    assert events["items"][0]["remaining"] == 1
    signed = api.post(f"/affairs/events/{event.pk}/signup", {"guests": 0})
    assert signed.status_code == 201
    full = ApiClient(client, world["seller"]).post(f"/affairs/events/{event.pk}/signup", {"guests": 0})
    assert full.status_code == 400 and "定員" in full.json()["title"]
    assert [r["name"] for r in api.get(f"/affairs/events/{event.pk}/attendees").json()] == ["総務 三郎"]
    assert api.post(f"/affairs/events/{event.pk}/cancel-signup").json()["cancelled_at"] is not None
