"""依頼内容の変更: the requester corrects an open request; the team reads it in the history and is
told; the outside team's grants follow the records; refusals write nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.core import grants
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.requests import services
from ennoshita.requests.models import EventKind, RequestEvent, RequestRecord
from tests.apiclient import ApiClient, field_errors
from tests.requests.fixtures import THING, make_request, me

pytestmark = pytest.mark.django_db


def _edit(m, row, **kw):
    fields = {"title": row.title, "body": row.body, "due_on": row.due_on}
    fields.update(kw)
    return services.edit_request(**me(m), request=row, **fields)


def test_requester_corrects_title_due_date_and_records(requester, outside_team, assistant):
    row = make_request(requester, outside_team, records=[(THING, "1")])
    due = timezone.localdate() + timedelta(days=5)
    assert grants.is_granted(membership=assistant, object_type=THING, object_id="1")
    _edit(requester, row, title="請求書の入力(10月分)", due_on=due, records=[(THING, "2")])
    row.refresh_from_db()
    assert row.title == "請求書の入力(10月分)" and row.due_on == due
    assert list(row.records.values_list("object_id", flat=True)) == ["2"]
    line = RequestEvent.objects.get(request=row, kind=EventKind.EDITED)
    assert "件名: 請求書の入力 → 請求書の入力(10月分)" in line.body
    assert "テスト記録1" in line.body and "テスト記録2" in line.body and due.isoformat() in line.body
    # the outside team opens the new record, no longer the old one
    assert grants.is_granted(membership=assistant, object_type=THING, object_id="2")
    assert not grants.is_granted(membership=assistant, object_type=THING, object_id="1")
    assert Notification.objects.filter(user=assistant.user, text__contains="変更").count() == 1
    audit = AuditEvent.objects.get(action="request_edit")
    assert audit.changes["fields"]["title"] == ["請求書の入力", "請求書の入力(10月分)"]
    assert audit.changes["extra"]["records_removed"] == [f"{THING}:1"]


def test_records_left_alone_when_not_given_and_no_change_writes_nothing(requester, acc_team):
    row = make_request(requester, acc_team, records=[(THING, "1")])
    events = RequestEvent.objects.count()
    _edit(requester, row)  # nothing changed
    assert RequestEvent.objects.count() == events and not AuditEvent.objects.filter(action="request_edit")
    _edit(requester, row, body="やはりこちらで")
    assert RequestRecord.objects.filter(request=row).count() == 1


def test_refusals_write_nothing(requester, acc_team, accounting, outside_team, assistant):
    row = make_request(requester, acc_team, due_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(PermissionDeniedError):
        _edit(accounting, row, title="チームが直す")
    with pytest.raises(NotFound):
        _edit(assistant, row, title="外部")
    with pytest.raises(ServiceError) as exc:
        _edit(requester, row, due_on=timezone.localdate() - timedelta(days=1))
    assert "due_on" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        _edit(requester, row, title=" ", body="")
    assert {"title", "body"} <= set(exc.value.field_errors)
    with pytest.raises(ServiceError) as exc:
        _edit(requester, row, title="x", records=[(THING, "404")])
    assert "records" in exc.value.field_errors
    row.refresh_from_db()
    assert row.title == "請求書の入力" and not RequestEvent.objects.filter(kind=EventKind.EDITED).exists()
    services.cancel_request(**me(requester), request=row)
    with pytest.raises(ServiceError):
        _edit(requester, row, title="取消後")


def test_a_passed_due_date_may_stay(requester, acc_team):
    row = make_request(requester, acc_team, due_on=timezone.localdate() + timedelta(days=1))
    later = timezone.localdate() + timedelta(days=3)
    _edit(requester, row, title="別の件名", today=later)  # due date unchanged though past by then
    row.refresh_from_db()
    assert row.title == "別の件名"


def test_edit_screen(client, as_member, requester, acc_team, accounting):
    row = make_request(requester, acc_team, records=[(THING, "1")])
    as_member(accounting)
    assert client.get(reverse("requests:edit", args=[row.pk])).status_code == 404
    as_member(requester)
    page = client.get(reverse("requests:detail", args=[row.pk])).content.decode()
    assert reverse("requests:edit", args=[row.pk]) in page
    form = client.get(reverse("requests:edit", args=[row.pk])).content.decode()
    assert "checked" in form and "テスト記録1" in form
    # look up another record, then save with both
    r = client.post(
        reverse("requests:edit", args=[row.pk]),
        {"title": row.title, "body": row.body, "record_kind": THING, "record_q": "3", "search": "1"},
    )
    assert r.status_code == 200 and "テスト記録3" in r.content.decode()
    r = client.post(
        reverse("requests:edit", args=[row.pk]),
        {"title": "直した件名", "body": row.body, "records": [f"{THING}|1", f"{THING}|3"]},
    )
    assert r.status_code == 302
    assert sorted(row.records.values_list("object_id", flat=True)) == ["1", "3"]
    bad = client.post(
        reverse("requests:edit", args=[row.pk]),
        {"title": "別", "body": row.body, "due_on": "2000-01-01", "records": [f"{THING}|1"]},
    )
    assert bad.status_code == 400 and "期限に過去の日付は指定できません" in bad.content.decode()
    bad = client.post(reverse("requests:edit", args=[row.pk]), {"title": "", "body": row.body})
    assert bad.status_code == 400
    row.refresh_from_db()
    assert row.title == "直した件名"


def test_edit_through_the_api(client, requester, acc_team, accounting):
    row = make_request(requester, acc_team, records=[(THING, "1")])
    api = ApiClient(client, requester)
    r = api.put(f"/requests/requests/{row.pk}", {"title": "API で直す", "body": "内容"})
    assert r.status_code == 200 and r.json()["title"] == "API で直す"
    assert [x["object_id"] for x in r.json()["records"]] == ["1"]
    r = api.put(f"/requests/requests/{row.pk}", {"title": "API", "body": "内容", "records": []})
    assert r.json()["records"] == []
    r = api.put(f"/requests/requests/{row.pk}", {"title": "x", "body": "y", "due_on": "2000-01-01"})
    assert r.status_code == 422 and "due_on" in field_errors(r)
    r = ApiClient(client, accounting).put(f"/requests/requests/{row.pk}", {"title": "x", "body": "y"})
    assert r.status_code == 403
