"""法律相談・紛争 through the API: ask, list, get (recorded), answer, note, status, deadline, cost, open a
dispute; bad input is a 422 on the field; an unnamed member and another company get a 404, the
assistant a 403 — and nothing is written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.legal.models import LegalMatter, MatterCost, MatterDeadline, MatterNote
from tests.apiclient import ApiClient, field_errors
from tests.conftest import make_member

pytest_plugins = ["tests.legal.contracts_fixtures"]

pytestmark = pytest.mark.django_db

ASK = {"title": "取引先の約款について", "question": "損害賠償の上限がありません。", "category": "contract"}


def _written():
    return (
        LegalMatter.objects.count(),
        MatterNote.objects.count(),
        MatterDeadline.objects.count(),
        MatterCost.objects.count(),
        # the outside assistants' gate (core.assistant_trail) records each refused page as
        # access_denied: a record of the attempt, not a change
        AuditEvent.objects.exclude(action="access_denied").count(),
    )


def test_ask_answer_and_close_a_consultation(client, legal, employee_member):
    asker = ApiClient(client, employee_member)
    r = asker.post("/legal/matters", ASK)
    assert r.status_code == 201, r.content
    body = r.json()
    mid = body["id"]
    assert body["number"].startswith("LC-") and body["status"] == "open" and body["allowed_moves"] == []
    assert body["members"][0]["role"] == "requester"
    assert asker.get("/legal/matters").json()["count"] == 1
    assert asker.post(f"/legal/matters/{mid}/notes", {"body": "補足です。"}).status_code == 201
    assert asker.post(f"/legal/matters/{mid}/answer", {"answer": "自分で"}).status_code == 403
    api = ApiClient(client, legal)
    r = api.post(f"/legal/matters/{mid}/answer", {"answer": ""})
    assert r.status_code == 422 and "answer" in field_errors(r)
    r = api.post(f"/legal/matters/{mid}/answer", {"answer": "上限を設けてください。"})
    assert r.status_code == 200 and r.json()["status"] == "answered"
    r = api.post(f"/legal/matters/{mid}/status", {"to": "negotiating"})
    assert r.status_code == 400 and r.json()["code"] == "bad_transition"
    r = api.post(f"/legal/matters/{mid}/status", {"to": "closed"})
    assert r.status_code == 200 and r.json()["closed_on"] == timezone.localdate().isoformat()
    views = AuditEvent.objects.filter(action="view", object_id=str(mid)).count()
    assert api.get(f"/legal/matters/{mid}").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=str(mid)).count() == views + 1


def test_a_dispute_with_deadline_and_cost(client, legal):
    api = ApiClient(client, legal)
    today = timezone.localdate()
    r = api.post(
        "/legal/matters/disputes", {"title": "売掛金の未払い", "opponent": "ひがし物産", "claim_amount": -1}
    )
    assert r.status_code == 422 and "claim_amount" in field_errors(r)
    r = api.post(
        "/legal/matters/disputes",
        {
            "title": "売掛金の未払い",
            "opponent": "ひがし物産",
            "claim_amount": 1650000,
            "counsel": "さくら法律事務所",
        },
    )
    assert r.status_code == 201 and r.json()["number"].startswith("LD-")
    mid = r.json()["id"]
    r = api.post(
        f"/legal/matters/{mid}/deadlines", {"due_on": (today - timedelta(days=1)).isoformat(), "title": "x"}
    )
    assert r.status_code == 422 and "due_on" in field_errors(r)
    assert not MatterDeadline.objects.exists()
    r = api.post(
        f"/legal/matters/{mid}/deadlines",
        {"due_on": (today + timedelta(days=10)).isoformat(), "title": "答弁書"},
    )
    assert r.status_code == 201 and r.json()["deadlines"][0]["title"] == "答弁書"
    r = api.post(
        f"/legal/matters/{mid}/costs",
        {"paid_on": today.isoformat(), "payee": "事務所", "description": "着手金", "amount": 0},
    )
    assert r.status_code == 422 and "amount" in field_errors(r)
    r = api.post(
        f"/legal/matters/{mid}/costs",
        {"paid_on": today.isoformat(), "payee": "事務所", "description": "着手金", "amount": 110000},
    )
    assert r.status_code == 201 and r.json()["cost_total"] == 110000
    r = api.post(f"/legal/matters/{mid}/status", {"to": "litigation"})
    assert r.status_code == 200 and "settled" in r.json()["allowed_moves"]
    assert api.get("/legal/matters", {"kind": "dispute", "q": "未払い"}).json()["count"] == 1


def test_an_unnamed_member_gets_404_and_nothing_is_written(client, legal, employee_member, sales_member):
    mid = ApiClient(client, employee_member).post("/legal/matters", ASK).json()["id"]
    other = ApiClient(client, sales_member)
    before = _written()
    assert other.get(f"/legal/matters/{mid}").status_code == 404
    assert other.post(f"/legal/matters/{mid}/notes", {"body": "見せて"}).status_code == 404
    assert other.post(f"/legal/matters/{mid}/status", {"to": "closed"}).status_code == 404
    assert other.get("/legal/matters").json()["count"] == 0
    assert _written() == before


def test_the_assistant_is_refused_and_another_company_is_a_404(
    client, company, legal, employee_member, outsider
):
    mid = ApiClient(client, employee_member).post("/legal/matters", ASK).json()["id"]
    assistant = make_member(company, "asst", ["assistant"], expires_on=date.today() + timedelta(days=30))
    asst = ApiClient(client, assistant)
    foreign = ApiClient(client, outsider)
    before = _written()
    # refused by the assistants' gate (404) or, without it, by this part's own check (403)
    assert asst.post("/legal/matters", ASK).status_code in (403, 404)
    assert asst.get("/legal/matters").status_code in (403, 404)
    assert asst.get(f"/legal/matters/{mid}").status_code == 404
    assert foreign.get(f"/legal/matters/{mid}").status_code == 404
    assert foreign.post(f"/legal/matters/{mid}/answer", {"answer": "x"}).status_code == 404
    assert _written() == before
