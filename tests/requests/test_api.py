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
