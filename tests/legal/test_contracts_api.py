"""契約書 through the API: create (with the 印紙税), update, status change, list, get and upcoming;
bad input is a 422 on the field with nothing written; another company's contract is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ennoshita.legal.models import Contract
from tests.apiclient import ApiClient, field_errors
from tests.legal.contracts_fixtures import make_contract

pytest_plugins = ["tests.legal.contracts_fixtures"]

pytestmark = pytest.mark.django_db

BODY = {
    "title": "取引基本契約書",
    "contract_type": "basic",
    "counterparty_name": "株式会社みなと商会",
    "starts_on": "2026-04-01",
    "ends_on": "2027-03-31",
    "auto_renew": True,
    "notice_period": 3,
    "paper_original": True,
    "stamp_document": "7",
}


def test_create_update_and_sign(client, legal):
    api = ApiClient(client, legal)
    r = api.post("/legal/contracts", BODY)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["stamp_duty"] == 4000 and body["notice_deadline"] == "2026-12-31" and body["status"] == "draft"
    )
    assert body["allowed_moves"] == ["in_review", "terminated"]
    cid = body["id"]
    r = api.put(f"/legal/contracts/{cid}", {**BODY, "paper_original": False})
    assert r.status_code == 200 and r.json()["stamp_duty"] == 0
    for to in ("in_review", "negotiating"):
        assert api.post(f"/legal/contracts/{cid}/status", {"to": to}).status_code == 200
    r = api.post(f"/legal/contracts/{cid}/status", {"to": "signed"})
    assert r.status_code == 422 and "signed_on" in field_errors(r)
    r = api.post(f"/legal/contracts/{cid}/status", {"to": "signed", "signed_on": "2026-03-25"})
    assert r.status_code == 200 and r.json()["signed_on"] == "2026-03-25"
    r = api.post(f"/legal/contracts/{cid}/status", {"to": "draft"})
    assert (
        r.status_code == 400 and r.json()["code"] == "bad_transition"
        if "code" in r.json()
        else r.status_code == 400
    )
    r = api.get("/legal/contracts", {"q": "みなと"})
    assert r.status_code == 200 and r.json()["count"] == 1
    assert api.get(f"/legal/contracts/{cid}").json()["number"].startswith("C-")


def test_bad_input_is_a_422_with_nothing_written(client, legal):
    api = ApiClient(client, legal)
    r = api.post("/legal/contracts", {**BODY, "ends_on": "2026-03-01"})
    assert r.status_code == 422 and "ends_on" in field_errors(r)
    r = api.post("/legal/contracts", {**BODY, "ends_on": "2026-05-31", "notice_period": 3})
    assert r.status_code == 422 and "notice_period" in field_errors(r)
    r = api.post("/legal/contracts", {**BODY, "amount": 100, "tax_amount": 200})
    assert r.status_code == 422 and "tax_amount" in field_errors(r)
    assert Contract.objects.count() == 0


def test_upcoming_and_another_companys_contract(client, legal, outsider):
    today = timezone.localdate()
    make_contract(
        legal,
        status="active",
        signed_on=today - timedelta(days=100),
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=20),
    )
    theirs = make_contract(outsider)
    api = ApiClient(client, legal)
    r = api.get("/legal/contracts/upcoming", {"days": 30})
    assert r.status_code == 200 and [i["kind"] for i in r.json()] == ["expiry"]
    assert api.get(f"/legal/contracts/{theirs.pk}").status_code == 404
    assert api.put(f"/legal/contracts/{theirs.pk}", BODY).status_code == 404
    assert api.post(f"/legal/contracts/{theirs.pk}/status", {"to": "in_review"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "draft" and theirs.title == "業務委託契約書"
