# ruff: noqa: F811 (the shared fixtures people and room come from visits_fixtures)
"""The screens of 来訪者: the desk's board with check-in, the host's form with a room, the detail
with its history, the badge, the log with its exports and pinned query counts, the settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ennoshita.frontdesk.models import Visit, VisitStatus
from tests.conftest import login

from .visits_fixtures import ctx, people, room, visit, walk_in  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_board_is_for_the_desk_and_checks_visitors_in(client, company, people):
    v = visit(people.host, day=timezone.localdate(), start="23:59")
    login(client, people.host)
    assert client.get(reverse("frontdesk:visit_board")).status_code == 403
    assert client.post(reverse("frontdesk:visit_check_in", args=[v.pk])).status_code == 403
    v.refresh_from_db()
    assert v.status == VisitStatus.EXPECTED
    login(client, people.desk)
    r = client.get(reverse("frontdesk:visit_board"))
    assert r.status_code == 200 and "山田 太郎" in r.content.decode()
    r = client.post(reverse("frontdesk:visit_check_in", args=[v.pk]), {"next": "board"})
    assert r.status_code == 302 and r["Location"] == reverse("frontdesk:visit_board")
    v.refresh_from_db()
    assert v.status == VisitStatus.ARRIVED
    r = client.post(reverse("frontdesk:visit_check_out", args=[v.pk]))
    v.refresh_from_db()
    assert v.status == VisitStatus.LEFT


def test_walk_in_form_errors_stay_on_the_board(client, company, people):
    login(client, people.desk)
    r = client.post(reverse("frontdesk:visit_walk_in"), {"visitor_name": "", "visitor_count": 1, "host": ""})
    assert r.status_code == 400 and not Visit.objects.exists()
    r = client.post(
        reverse("frontdesk:visit_walk_in"),
        {"visitor_name": "飛込 花子", "visitor_count": 1, "host": people.host.user.pk},
    )
    assert r.status_code == 302
    assert Visit.objects.get().is_walk_in


def test_a_host_registers_a_visit_with_a_room(client, company, people, room):
    login(client, people.host)
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    form = client.get(reverse("frontdesk:visit_new")).content.decode()
    assert 'name="host"' not in form and "会議室A" in form
    r = client.post(
        reverse("frontdesk:visit_new"),
        {
            "visitor_company": "株式会社ABC商事",
            "visitor_name": "山田 太郎",
            "visitor_count": 2,
            "expected_at": f"{day}T10:00",
            "expected_until": f"{day}T11:00",
            "room": room.pk,
        },
    )
    v = Visit.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("frontdesk:visit_detail", args=[v.pk])
    assert v.booking.room == room
    page = client.get(r["Location"]).content.decode()
    assert "会議室A" in page and "変更履歴" in page and "作成" in page
    # the room is now taken at that time: the free-room options leave it out
    free = client.get(
        reverse("frontdesk:visit_free_rooms"),
        {"expected_at": f"{day}T10:30", "expected_until": f"{day}T11:30"},
    ).content.decode()
    assert "会議室A" not in free
    # a second visit in the same slot is refused on the room field, nothing written
    r = client.post(
        reverse("frontdesk:visit_new"),
        {
            "visitor_name": "別の 来客",
            "visitor_count": 1,
            "expected_at": f"{day}T10:30",
            "expected_until": f"{day}T11:30",
            "room": room.pk,
        },
    )
    assert r.status_code == 400 and "予約があります" in r.content.decode()
    assert Visit.objects.count() == 1


def test_detail_and_badge_are_for_the_host_and_the_desk(client, company, people):
    v = walk_in(people.desk, people.host)
    login(client, people.colleague)
    assert client.get(reverse("frontdesk:visit_detail", args=[v.pk])).status_code == 403
    login(client, people.host)
    badge = client.get(reverse("frontdesk:visit_badge", args=[v.pk])).content.decode()
    assert v.badge_number in badge and "<svg" in badge and "飛込 花子" in badge


def test_the_log_searches_exports_and_keeps_its_query_count(client, company, people):
    for i in range(3):
        visit(people.desk, host=people.host, name=f"来客 {i}", company="ｶﾌﾞｼｷｶﾞｲｼｬ テスト")
    login(client, people.desk)
    url = reverse("frontdesk:visit_log")
    r = client.get(url, {"q": "かぶしきがいしゃ"})
    assert r.status_code == 200 and r.content.decode().count('data-visit="') == 3
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        visit(people.desk, host=people.colleague, name=f"追加 {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    csv = client.get(url, {"format": "csv", "q": "来客"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("来訪番号,来訪予定日時,会社名,氏名") and text.count("来客") == 3
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    login(client, people.host)
    assert client.get(url).status_code == 403


def test_my_visits_and_the_board_keep_their_query_counts(client, company, people):
    login(client, people.desk)
    visit(people.desk, host=people.host, day=timezone.localdate(), start="23:58")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("frontdesk:visit_board"))
    for i in range(5):
        visit(people.desk, host=people.colleague, day=timezone.localdate(), start="23:59", name=f"来客 {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("frontdesk:visit_board"))
    assert len(many) == len(few)


def test_settings_screen(client, company, people):
    login(client, people.host)
    assert client.get(reverse("frontdesk:visit_settings")).status_code == 403
    login(client, people.desk)
    r = client.post(reverse("frontdesk:visit_settings"), {"visitor_retention_days": "0"})
    assert r.status_code == 400
    r = client.post(
        reverse("frontdesk:visit_settings"), {"visitor_retention_days": "90", "notify_host_by_email": "on"}
    )
    assert r.status_code == 302
    page = client.get(reverse("frontdesk:visit_settings")).content.decode()
    assert 'value="90"' in page and "変更履歴" in page


def test_home_shows_the_arrival_first_and_open_messages(client, company, people):
    from .visits_fixtures import message

    expected = visit(people.desk, host=people.host, day=timezone.localdate(), start="23:59", name="後で 来る")
    arrived = walk_in(people.desk, people.host)
    message(people.desk, people.host, urgency="urgent")
    login(client, people.host)
    page = client.get(reverse("home")).content.decode()
    assert page.index("【到着】") < page.index("後で 来る")
    assert "【至急】株式会社ミナト 鈴木 一郎 様から" in page
    assert expected.pk and arrived.pk
