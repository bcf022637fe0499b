"""業務依頼 screens: 依頼する, the lists, a request's page and its actions, the assistant's pages with
their checks, the catalogue, teams, recurring requests and the cost report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.requests import services
from ennoshita.requests.models import (
    EventKind,
    RecurringRequest,
    RequestEvent,
    RequestStatus,
    Team,
    TeamMember,
    TimeEntry,
    WorkRequest,
)
from tests.requests.fixtures import THING, make_request, me


def test_request_new_creates_with_file_and_record(client, as_member, requester, outside_team, entry_type):
    as_member(requester)
    url = reverse("requests:new")
    r = client.get(url + f"?team={outside_team.pk}&type={entry_type.pk}")
    assert r.status_code == 200 and "元データ" in r.content.decode()
    assert reverse("frontdesk:office_request_new") in r.content.decode()  # the other way to ask
    # looking up records re-renders the form with the matches as choices
    r = client.post(url, {"team": outside_team.pk, "record_kind": THING, "record_q": "記録3", "search": "1"})
    assert r.status_code == 200 and "テスト記録3" in r.content.decode()
    assert WorkRequest.objects.count() == 0
    r = client.post(
        url,
        {
            "team": outside_team.pk,
            "request_type": entry_type.pk,
            "title": "請求書の入力",
            "body": "11月分",
            "records": [f"{THING}|3"],
            "files": [SimpleUploadedFile("memo.txt", "メモ".encode())],
        },
    )
    row = WorkRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("requests:detail", args=[row.pk])
    assert row.records.get().object_id == "3" and row.attachments.count() == 1


def test_request_new_bad_input(client, as_member, requester, outside_team):
    as_member(requester)
    r = client.post(
        reverse("requests:new"),
        {"team": outside_team.pk, "title": "x", "body": "y", "due_on": "2000-01-01"},
    )
    assert r.status_code == 400 and "過去の日付" in r.content.decode()
    assert WorkRequest.objects.count() == 0


def test_assistant_cannot_open_request_new_catalogue_teams_costs(client, as_member, assistant, outside_team):
    as_member(assistant)
    for name in (
        "requests:new",
        "requests:catalogue",
        "requests:team_list",
        "requests:costs",
        "requests:recurring_list",
    ):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("requests:team_detail", args=[outside_team.pk])).status_code == 404


def test_team_inbox_filters_and_csv(client, as_member, requester, acc_team, accounting):
    a = make_request(requester, acc_team, title="経費の確認")
    b = make_request(requester, acc_team, title="支払の確認")
    services.take_request(**me(accounting), request=b)
    as_member(accounting)
    body = client.get(reverse("requests:inbox")).content.decode()
    assert a.number in body and b.number in body
    body = client.get(reverse("requests:inbox") + "?assignee=-1&status=open").content.decode()
    assert a.number in body and b.number not in body
    body = client.get(reverse("requests:inbox") + "?q=支払").content.decode()
    assert b.number in body and a.number not in body
    r = client.get(reverse("requests:inbox") + "?format=csv")
    assert r.status_code == 200 and "経費の確認" in r.content.decode("utf-8-sig")


def test_my_requests_list(client, as_member, requester, acc_team, hr):
    a = make_request(requester, acc_team)
    other = make_request(hr, acc_team, title="人事の依頼")
    as_member(requester)
    body = client.get(reverse("requests:mine")).content.decode()
    assert a.number in body and other.number not in body


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_inbox_query_count_is_pinned(
    client, as_member, requester, acc_team, accounting, outside_team, assistant, django_assert_num_queries
):
    for i in range(2):
        make_request(requester, acc_team, title=f"依頼{i}", records=[(THING, "1")])
        make_request(
            requester, outside_team, title=f"外部{i}", records=[(THING, "2")], files=[(f"f{i}.txt", b"x")]
        )
    as_member(accounting)
    url = reverse("requests:inbox")
    few = _count(client, url)
    for i in range(6):
        make_request(requester, acc_team, title=f"追加{i}", records=[(THING, "1")])
    with django_assert_num_queries(few):
        client.get(url)
    as_member(assistant)
    few = _count(client, url)
    for i in range(6):
        make_request(
            requester, outside_team, title=f"追加外部{i}", records=[(THING, "4")], files=[(f"g{i}.txt", b"x")]
        )
    with django_assert_num_queries(few):
        client.get(url)


def test_assistant_sees_only_their_open_requests_and_what_they_give(
    client, as_member, requester, outside_team, acc_team, assistant
):
    mine = make_request(requester, outside_team, records=[(THING, "1")], files=[("請求書.txt", b"inv")])
    other = make_request(requester, acc_team, title="社内だけ")
    as_member(assistant)
    body = client.get(reverse("requests:inbox")).content.decode()
    assert mine.number in body and other.number not in body and "請求書.txt" in body
    doc_id = mine.attachments.get().document_id
    r = client.get(reverse("requests:attachment", args=[mine.pk, doc_id]))
    assert r.status_code == 200 and r.content == b"inv"
    assert client.get(reverse("requests:detail", args=[mine.pk])).status_code == 200
    rec = mine.records.get()
    assert client.get(reverse("requests:record", args=[mine.pk, rec.pk])).status_code == 200
    viewed = RequestEvent.objects.filter(request=mine, kind=EventKind.VIEWED, actor=assistant.user).count()
    assert viewed == 3
    # another team's request: 404 (not theirs: no line on it, an audit event all the same)
    assert client.get(reverse("requests:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("requests:record", args=[other.pk, rec.pk])).status_code == 404
    assert not RequestEvent.objects.filter(request=other).exclude(kind=EventKind.CREATED).exists()
    # a record not named on their request: 404, recorded on it and in the audit trail
    denied = AuditEvent.objects.filter(action="access_denied").exclude(object_type="page")
    before = denied.count()
    assert client.get(reverse("requests:record", args=[mine.pk, rec.pk + 999])).status_code == 404
    assert client.get(reverse("requests:attachment", args=[mine.pk, doc_id + 999])).status_code == 404
    assert RequestEvent.objects.filter(request=mine, kind=EventKind.DENIED).count() == 2
    assert denied.count() == before + 2
    # closed: it drops out of the inbox and everything on it is refused
    services.close_request(**me(assistant), request=mine, resolution="済")
    assert mine.number not in client.get(reverse("requests:inbox")).content.decode()
    assert client.get(reverse("requests:detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("requests:attachment", args=[mine.pk, doc_id])).status_code == 404


def test_staff_record_page_needs_the_record_named(client, as_member, requester, acc_team):
    r = make_request(requester, acc_team, records=[(THING, "1")])
    as_member(requester)
    rec = r.records.get()
    other = make_request(requester, acc_team, records=[(THING, "2")]).records.get()
    assert client.get(reverse("requests:record", args=[r.pk, rec.pk])).status_code == 200
    assert client.get(reverse("requests:record", args=[r.pk, other.pk])).status_code == 404


def test_detail_actions_take_time_close(client, as_member, requester, outside_team, assistant):
    r = make_request(requester, outside_team)
    as_member(assistant)
    assert client.post(reverse("requests:take", args=[r.pk])).status_code == 302
    today = timezone.localdate().isoformat()
    client.post(reverse("requests:time", args=[r.pk]), {"worked_on": today, "minutes": "90", "note": "入力"})
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.cost) == (90, 4200)
    # bad input: nothing written, the message on the page
    resp = client.post(
        reverse("requests:time", args=[r.pk]), {"worked_on": today, "minutes": "0"}, follow=True
    )
    assert TimeEntry.objects.count() == 1 and "作業時間" in resp.content.decode()
    client.post(reverse("requests:close", args=[r.pk]), {"body": "完了しました"})
    r.refresh_from_db()
    assert r.status == RequestStatus.DONE and r.assignee_id == assistant.user_id
    as_member(requester)
    body = client.get(reverse("requests:detail", args=[r.pk])).content.decode()
    assert "完了しました" in body


def test_actions_refused_write_nothing(client, as_member, requester, acc_team, hr, outsider):
    r = make_request(requester, acc_team)
    as_member(hr)
    assert client.post(reverse("requests:take", args=[r.pk])).status_code == 404
    as_member(requester)
    assert client.post(reverse("requests:close", args=[r.pk]), {"body": "x"}).status_code == 403
    as_member(outsider)
    assert client.post(reverse("requests:comment", args=[r.pk]), {"body": "x"}).status_code == 404
    r.refresh_from_db()
    assert r.status == RequestStatus.OPEN and not RequestEvent.objects.filter(kind=EventKind.COMMENT).exists()


def test_comment_ask_answer_cancel_and_hand_over(
    client, as_member, requester, acc_team, accounting, outside_team
):
    r = make_request(requester, acc_team)
    as_member(accounting)
    client.post(reverse("requests:ask", args=[r.pk]), {"body": "いつまで?"})
    as_member(requester)
    client.post(reverse("requests:answer", args=[r.pk]), {"body": "月末まで"})
    client.post(reverse("requests:comment", args=[r.pk]), {"body": "追記"})
    r.refresh_from_db()
    assert r.status == RequestStatus.OPEN
    as_member(accounting)
    client.post(reverse("requests:hand_over", args=[r.pk]), {"to_team": outside_team.pk, "note": "外部へ"})
    r.refresh_from_db()
    assert r.team_id == outside_team.pk
    as_member(requester)
    client.post(reverse("requests:cancel", args=[r.pk]), {"body": "不要"})
    r.refresh_from_db()
    assert r.status == RequestStatus.CANCELLED


def test_files_added_later(client, as_member, requester, acc_team):
    r = make_request(requester, acc_team)
    as_member(requester)
    client.post(reverse("requests:files", args=[r.pk]), {"files": [SimpleUploadedFile("b.txt", b"b")]})
    assert r.attachments.count() == 1


def test_catalogue(client, as_member, requester, entry_type):
    as_member(requester)
    body = client.get(reverse("requests:catalogue")).content.decode()
    assert "データ入力" in body and "3営業日" in body


def test_team_admin_pages(client, as_member, admin, requester, accounting, assistant):
    as_member(requester)
    assert client.post(reverse("requests:team_list"), {"name": "x", "kind": "general"}).status_code == 404
    assert Team.objects.count() == 0
    as_member(admin)
    r = client.post(
        reverse("requests:team_list"),
        {"name": "総務", "kind": "affairs", "hourly_rate": 3500, "inhouse_hourly_cost": 0},
    )
    team = Team.objects.get()
    assert r.status_code == 302
    assert client.get(reverse("requests:team_detail", args=[team.pk])).status_code == 200
    client.post(reverse("requests:team_member_add", args=[team.pk]), {"user": accounting.user_id})
    assert TeamMember.objects.filter(team=team, user=accounting.user, is_active=True).exists()
    resp = client.post(
        reverse("requests:team_member_add", args=[team.pk]), {"user": assistant.user_id}, follow=True
    )
    assert "外部アシスタントは社内チーム" in resp.content.decode()
    client.post(
        reverse("requests:type_new", args=[team.pk]),
        {"name": "備品の手配", "turnaround_days": 2, "sort_order": 0, "is_active": "on"},
    )
    t = team.request_types.get()
    r = client.post(
        reverse("requests:type_edit", args=[t.pk]),
        {"name": "備品の手配", "turnaround_days": 99, "sort_order": 0},
    )
    assert r.status_code == 400
    client.post(reverse("requests:team_member_remove", args=[team.pk, accounting.user_id]))
    assert not TeamMember.objects.get(team=team).is_active
    client.post(reverse("requests:team_revoke", args=[team.pk]))
    team.refresh_from_db()
    assert not team.is_active


def test_recurring_pages(client, as_member, requester, acc_team, accounting):
    as_member(requester)
    r = client.post(
        reverse("requests:recurring_new"),
        {"team": acc_team.pk, "title": "月末の整理", "frequency": "month_end", "lead_days": 3, "day": ""},
    )
    assert r.status_code == 302
    rec = RecurringRequest.objects.get()
    assert "月末の整理" in client.get(reverse("requests:recurring_list")).content.decode()
    r = client.post(
        reverse("requests:recurring_edit", args=[rec.pk]),
        {"team": acc_team.pk, "title": "x", "frequency": "monthly", "day": 0, "lead_days": 3},
    )
    assert r.status_code == 400
    as_member(accounting)
    assert client.get(reverse("requests:recurring_edit", args=[rec.pk])).status_code == 404
    as_member(requester)
    client.post(reverse("requests:recurring_stop", args=[rec.pk]))
    rec.refresh_from_db()
    assert not rec.is_active


def test_cost_report(client, as_member, admin, accounting, requester, outside_team, assistant):
    r = make_request(requester, outside_team)
    services.log_time(**me(assistant), request=r, minutes=60, worked_on=timezone.localdate())
    as_member(requester)
    assert client.get(reverse("requests:costs")).status_code == 404
    for m in (admin, accounting):
        as_member(m)
        body = client.get(reverse("requests:costs")).content.decode()
        assert "¥2,800" in body and "¥4,000" in body and "¥1,200" in body and "<svg" in body
    csv = client.get(reverse("requests:costs") + "?format=csv").content.decode("utf-8-sig")
    assert "オンラインアシスタント" in csv and "1200" in csv
    bad = client.get(
        reverse("requests:costs")
        + f"?start={timezone.localdate()}&end={timezone.localdate() - timedelta(days=3)}"
    )
    assert "終了日は開始日以降" in bad.content.decode()


def test_home_panels(requester, acc_team, accounting, assistant, outside_team):
    from ennoshita.requests.home import panels

    make_request(requester, acc_team)
    make_request(requester, outside_team)
    assert panels(requester)[0]["key"] == "requests_mine"
    keys = [p["key"] for p in panels(accounting)]
    assert "requests_team" in keys
    (only,) = panels(assistant)
    assert only["key"] == "requests_inbox" and "1" in str(only["items"][0]["text"])


@pytest.mark.parametrize(
    "name", ["requests:inbox", "requests:mine", "requests:catalogue", "requests:recurring_list"]
)
def test_lists_without_rows(client, as_member, requester, name):
    as_member(requester)
    assert client.get(reverse(name)).status_code == 200
