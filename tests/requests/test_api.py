"""業務依頼 through the API: catalogue, create (records and a file), list, get, take, hand over,
comment, close, cancel, time and the time report; the assistant reaches only their team's open
requests; bad input is a 422 on the field with nothing written."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ennoshita.requests.models import RequestStatus, TimeEntry, WorkRequest
from tests.apiclient import ApiClient, field_errors
from tests.requests.fixtures import THING, make_request

pytestmark = pytest.mark.django_db


def test_catalogue_and_create(client, requester, outside_team, entry_type):
    api = ApiClient(client, requester)
    cat = api.get("/requests/catalogue").json()
    assert cat[0]["types"][0]["needs"] == "元データ"
    body = {
        "team_id": outside_team.pk,
        "request_type_id": entry_type.pk,
        "title": "入力",
        "body": "お願いします",
        "records": [{"object_type": THING, "object_id": "2"}],
        "files": [{"name": "a.txt", "content_base64": base64.b64encode(b"abc").decode()}],
    }
    r = api.post("/requests/requests", body)
    assert r.status_code == 201, r.content
    got = r.json()
    assert got["records"][0]["label"] == "テスト記録2" and got["files"][0]["label"].endswith("a.txt")
    assert got["sla_due_on"]


def test_create_bad_input(client, requester, outside_team):
    api = ApiClient(client, requester)
    r = api.post(
        "/requests/requests",
        {
            "team_id": outside_team.pk,
            "title": "x",
            "body": "y",
            "records": [{"object_type": THING, "object_id": "404"}],
        },
    )
    assert r.status_code == 422 and "records" in field_errors(r)
    r = api.post(
        "/requests/requests", {"team_id": outside_team.pk, "title": "x", "body": "y", "due_on": "2000-01-01"}
    )
    assert r.status_code == 422 and "due_on" in field_errors(r)
    assert WorkRequest.objects.count() == 0


def test_work_through_the_api(client, requester, outside_team, assistant, acc_team, admin, accounting):
    mine = make_request(requester, outside_team)
    other = make_request(requester, acc_team)
    api = ApiClient(client, assistant)
    listed = api.get("/requests/requests").json()
    assert [i["id"] for i in listed["items"]] == [mine.pk]
    assert api.get(f"/requests/requests/{other.pk}").status_code == 404
    assert api.post(f"/requests/requests/{other.pk}/take").status_code == 404
    assert api.get("/requests/catalogue").status_code == 404
    assert api.get("/requests/time-report").status_code == 404
    assert api.post(f"/requests/requests/{mine.pk}/take").json()["status"] == "in_progress"
    assert api.post(f"/requests/requests/{mine.pk}/comment", {"body": "確認中"}).status_code == 200
    r = api.post(
        f"/requests/requests/{mine.pk}/time", {"minutes": 45, "worked_on": timezone.localdate().isoformat()}
    )
    assert r.status_code == 201 and r.json()["cost"] == 2100
    r = api.post(
        f"/requests/requests/{mine.pk}/time", {"minutes": 0, "worked_on": timezone.localdate().isoformat()}
    )
    assert r.status_code == 422 and TimeEntry.objects.count() == 1
    r = api.post(f"/requests/requests/{mine.pk}/close", {"body": ""})
    assert r.status_code == 422
    assert api.post(f"/requests/requests/{mine.pk}/close", {"body": "済"}).json()["status"] == "done"
    assert api.get(f"/requests/requests/{mine.pk}").status_code == 404  # closed: out of reach
    report = ApiClient(client, accounting).get("/requests/time-report").json()
    assert report[0]["cost"] == 2100 and report[0]["inhouse_cost"] == 3000 and report[0]["saving"] == 900
    staff = ApiClient(client, accounting)
    r = staff.post(
        f"/requests/requests/{other.pk}/hand-over", {"note": "外部へ", "to_team_id": outside_team.pk}
    )
    assert r.status_code == 200 and r.json()["team_id"] == outside_team.pk
    r = ApiClient(client, requester).post(f"/requests/requests/{other.pk}/cancel", {"body": "不要"})
    assert r.json()["status"] == RequestStatus.CANCELLED


def test_list_query_count_is_pinned(client, requester, acc_team, accounting, django_assert_num_queries):
    for i in range(2):
        make_request(requester, acc_team, title=f"依頼{i}")
    api = ApiClient(client, accounting)
    api.get("/requests/requests")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as ctx:
        api.get("/requests/requests")
    for i in range(5):
        make_request(requester, acc_team, title=f"追加{i}")
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert len(api.get("/requests/requests").json()["items"]) == 7


def test_other_company(client, outsider, requester, acc_team):
    r = make_request(requester, acc_team)
    assert ApiClient(client, outsider).get(f"/requests/requests/{r.pk}").status_code == 404


def test_assistant_opens_what_the_request_gives_through_the_api(
    client, requester, outside_team, acc_team, assistant
):
    from ennoshita.core.models import AuditEvent
    from ennoshita.requests.models import EventKind, RequestEvent

    mine = make_request(requester, outside_team, records=[(THING, "1")], files=[("請求書.txt", b"inv")])
    other = make_request(requester, acc_team, records=[(THING, "2")], files=[("社内.txt", b"secret")])
    api = ApiClient(client, assistant)
    got = api.get(f"/requests/requests/{mine.pk}").json()
    record, attached = got["records"][0], got["files"][0]
    assert record["allowed"] and attached["allowed"]
    card = client.get(record["api_url"], HTTP_AUTHORIZATION=f"Bearer {api.raw}")
    assert card.status_code == 200, card.content
    body = card.json()
    assert body["title"] == "テスト記録1" and body["fields"] == [{"label": "番号", "value": "1"}]
    assert body["kind"] == "テスト記録" and body["request_id"] == mine.pk
    file = client.get(attached["api_url"], HTTP_AUTHORIZATION=f"Bearer {api.raw}")
    assert file.status_code == 200 and file.content == b"inv"
    assert (
        file["Content-Disposition"].startswith("attachment") and file["Cache-Control"] == "private, no-store"
    )
    viewed = RequestEvent.objects.filter(request=mine, kind=EventKind.VIEWED, actor=assistant.user).count()
    assert viewed == 3  # the request, the card, the file
    # what the request does not give: 404, the attempt on their request and in the audit trail
    denied = AuditEvent.objects.filter(action="access_denied", actor=assistant.user).exclude(
        object_type="page"
    )
    before = denied.count()
    rec_id, doc_id = mine.records.get().pk, mine.attachments.get().document_id
    other_doc = other.attachments.get().document_id
    assert api.get(f"/requests/requests/{mine.pk}/records/{other.records.get().pk}").status_code == 404
    assert api.get(f"/requests/requests/{mine.pk}/files/{other_doc}").status_code == 404
    assert api.get(f"/requests/requests/{other.pk}/files/{other_doc}").status_code == 404
    assert RequestEvent.objects.filter(request=mine, kind=EventKind.DENIED).count() == 2
    assert not RequestEvent.objects.filter(request=other, kind=EventKind.DENIED).exists()
    assert denied.count() == before + 3
    # closed: everything on it is refused
    assert api.post(f"/requests/requests/{mine.pk}/close", {"body": "済"}).status_code == 200
    assert api.get(f"/requests/requests/{mine.pk}/records/{rec_id}").status_code == 404
    assert api.get(f"/requests/requests/{mine.pk}/files/{doc_id}").status_code == 404


def test_staff_open_cards_and_files_and_the_requester_answers(client, requester, acc_team, accounting):
    row = make_request(requester, acc_team, records=[(THING, "3")])
    staff, asker = ApiClient(client, accounting), ApiClient(client, requester)
    rec_id = row.records.get().pk
    assert staff.get(f"/requests/requests/{row.pk}/records/{rec_id}").json()["title"] == "テスト記録3"
    assert staff.get(f"/requests/requests/{row.pk}/records/{rec_id + 999}").status_code == 404
    r = staff.post(f"/requests/requests/{row.pk}/ask", {"body": "対象の月は?"})
    assert r.status_code == 200 and r.json()["status"] == RequestStatus.WAITING
    assert asker.post(f"/requests/requests/{row.pk}/answer", {"body": "10月分です"}).status_code == 200
    assert asker.get(f"/requests/requests/{row.pk}").json()["status"] != RequestStatus.WAITING
    r = asker.post(
        f"/requests/requests/{row.pk}/files",
        {"files": [{"name": "10月.txt", "content_base64": base64.b64encode(b"oct").decode()}]},
    )
    assert r.status_code == 200 and r.json()["files"][0]["label"].endswith("10月.txt")
    got = staff.get(r.json()["files"][0]["api_url"].removeprefix("/api/v1"))
    assert got.status_code == 200 and got.content == b"oct"
    assert asker.post(f"/requests/requests/{row.pk}/files", {"files": []}).status_code == 422
    assert staff.post(f"/requests/requests/{row.pk}/ask", {"body": ""}).status_code == 422
