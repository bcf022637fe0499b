"""/api/v1/legal/registry: charter get/put, officers (appoint, get, list, 重任, 退任), changes (record,
list, filed, registered), meetings (record with the 基準日 refusal, list, get); refusals are 422 on
the field with nothing written; roles; another company's id is 404."""

from __future__ import annotations

from ennoshita.legal.models import CharterSettings, CorporateMeeting, Officer, RegistryChange
from tests.apiclient import ApiClient, field_errors
from tests.conftest import make_member

from .test_registry_fixtures import appoint, charter, today

pytest_plugins = ["tests.legal.test_registry_fixtures"]

CHARTER = {
    "is_public_company": False,
    "has_board": True,
    "director_term_years": 2,
    "auditor_term_years": 4,
    "agm_months_after_year_end": 3,
}


def test_charter_get_and_put(client, org):
    api = ApiClient(client, org.legal)
    assert api.get("/legal/registry/charter").status_code == 404
    r = api.put("/legal/registry/charter", {**CHARTER, "is_public_company": True, "director_term_years": 10})
    assert r.status_code == 422 and "director_term_years" in field_errors(r)
    assert CharterSettings.objects.count() == 0
    r = api.put("/legal/registry/charter", CHARTER)
    assert r.status_code == 200 and r.json()["director_term_years"] == 2
    assert api.get("/legal/registry/charter").json()["agm_months_after_year_end"] == 3


def test_officers_appoint_reelect_leave(client, org):
    api = ApiClient(client, org.legal)
    body = {
        "name": "山田 太郎",
        "position": "director",
        "elected_on": "2024-06-27",
        "took_office_on": "2024-06-27",
    }
    r = api.post("/legal/registry/officers", body)
    assert r.status_code == 422 and Officer.objects.count() == 0  # no 定款 yet
    charter(org)
    r = api.post("/legal/registry/officers", {**body, "term_years": 5})
    assert r.status_code == 422 and "term_years" in field_errors(r)
    r = api.post("/legal/registry/officers", body)
    assert r.status_code == 201 and r.json()["term_ends_on"] == "2026-06-30"
    pk = r.json()["id"]
    assert api.get(f"/legal/registry/officers/{pk}").json()["name"] == "山田 太郎"
    r = api.post(
        f"/legal/registry/officers/{pk}/reelect", {"elected_on": "2026-06-26", "took_office_on": "2026-06-26"}
    )
    assert r.status_code == 201 and r.json()["previous_id"] == pk and r.json()["term_ends_on"] == "2028-06-30"
    new = r.json()["id"]
    assert [o["id"] for o in api.get("/legal/registry/officers").json()["items"]] == [new]
    assert api.get("/legal/registry/officers", {"state": "all"}).json()["count"] == 2
    r = api.post(f"/legal/registry/officers/{new}/leave", {"reason": "resigned", "left_on": "2026-01-01"})
    assert r.status_code == 422 and "left_on" in field_errors(r)
    r = api.post(f"/legal/registry/officers/{new}/leave", {"reason": "resigned", "left_on": "2026-07-01"})
    assert r.status_code == 200 and r.json()["leave_reason"] == "resigned"
    assert RegistryChange.objects.filter(item="officers").count() == 3


def test_changes_record_filed_registered(client, org):
    api = ApiClient(client, org.legal)
    r = api.post(
        "/legal/registry/changes", {"item": "head_office", "content": "", "effective_on": today().isoformat()}
    )
    assert r.status_code == 422 and "content" in field_errors(r) and RegistryChange.objects.count() == 0
    r = api.post(
        "/legal/registry/changes", {"item": "head_office", "content": "大阪市", "effective_on": "2026-06-01"}
    )
    assert r.status_code == 201 and r.json()["deadline_on"] == "2026-06-15" and r.json()["state"] == "pending"
    pk = r.json()["id"]
    r = api.post(f"/legal/registry/changes/{pk}/registered", {"registered_on": "2026-06-10"})
    assert r.status_code == 422
    r = api.post(f"/legal/registry/changes/{pk}/filed", {"filed_on": "2026-06-10"})
    assert r.status_code == 200 and r.json()["state"] == "filed"
    r = api.post(f"/legal/registry/changes/{pk}/registered", {"registered_on": "2026-06-17"})
    assert r.status_code == 200 and r.json()["state"] == "registered"
    assert api.get("/legal/registry/changes", {"state": "registered"}).json()["count"] == 1
    assert api.get(f"/legal/registry/changes/{pk}").json()["registered_on"] == "2026-06-17"


def test_meetings(client, org):
    api = ApiClient(client, org.legal)
    body = {"kind": "agm", "title": "定時株主総会", "held_on": "2026-07-01", "record_date": "2026-03-31"}
    r = api.post("/legal/registry/meetings", body)
    assert r.status_code == 422 and "124条2項" in field_errors(r)["held_on"][0]
    assert CorporateMeeting.objects.count() == 0
    r = api.post("/legal/registry/meetings", {**body, "held_on": "2026-06-26"})
    assert r.status_code == 201 and r.json()["keep_minutes_until"] == "2036-06-26"
    assert r.json()["record_date_limit"] == "2026-06-30"
    pk = r.json()["id"]
    assert api.get("/legal/registry/meetings").json()["count"] == 1
    assert api.get(f"/legal/registry/meetings/{pk}").json()["kind"] == "agm"


def test_roles_and_other_companies(client, org, other_company):
    charter(org)
    o = appoint(org)
    reader = ApiClient(client, org.accounting)
    assert reader.get("/legal/registry/officers").status_code == 200
    r = reader.post(
        f"/legal/registry/officers/{o.pk}/leave", {"reason": "resigned", "left_on": today().isoformat()}
    )
    assert r.status_code == 403 and Officer.objects.get(pk=o.pk).left_on is None
    assert ApiClient(client, org.employee).get("/legal/registry/officers").status_code == 403
    outsider = ApiClient(client, make_member(other_company, "legal9", ["legal", "admin"]))
    assert outsider.get(f"/legal/registry/officers/{o.pk}").status_code == 404
    r = outsider.post(
        f"/legal/registry/officers/{o.pk}/leave", {"reason": "resigned", "left_on": today().isoformat()}
    )
    assert r.status_code == 404 and Officer.objects.get(pk=o.pk).left_on is None
    assert outsider.get("/legal/registry/officers").json()["count"] == 0


def test_list_endpoints_have_pinned_query_counts(client, org, django_assert_max_num_queries):
    charter(org)
    appoint(org, "一")
    api = ApiClient(client, org.legal)
    paths = ["/legal/registry/officers", "/legal/registry/changes", "/legal/registry/meetings"]
    api.post("/legal/registry/meetings", {"kind": "board", "held_on": today().isoformat()})
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(20) as first:
            assert api.get(path).status_code == 200
        counts[path] = len(first.captured_queries)
    for i in range(6):
        appoint(org, f"役員{i}")
        api.post("/legal/registry/meetings", {"kind": "board", "held_on": today().isoformat()})
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            api.get(path)
