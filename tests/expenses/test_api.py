"""/api/v1/expenses/: the applicant's claims, 経理's list, receipts by multipart, the error shapes."""

from __future__ import annotations

import pytest

from ennoshita.expenses.models import ClaimStatus, ExpenseClaim, ExpenseLine

from ..apiclient import ApiClient, field_errors
from ..conftest import make_company, make_member
from .conftest import approve_all, png_bytes

pytestmark = pytest.mark.django_db


def _body(org, **line):
    first = {
        "date": "2026-11-05",
        "category_id": org.cat["SUPPLIES"].pk,
        "payee": "文具店",
        "purpose": "コピー用紙",
        "amount": 1100,
        "registration_number": "T7000012050002",
        "is_qualified": True,
    }
    first.update(line)
    return {"title": "API の精算", "lines": [first]}


def _upload(client, api, claim_id, line_id, data, name="r.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/api/v1/expenses/claims/{claim_id}/lines/{line_id}/receipt",
        {"file": SimpleUploadedFile(name, data)},
        HTTP_AUTHORIZATION=f"Bearer {api.raw}",
    )


def _put(client, api, claim_id, body):
    import json

    return client.put(
        f"/api/v1/expenses/claims/{claim_id}",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.raw}",
    )


def test_draft_is_replaced_keeping_the_receipt_of_a_kept_line(client, org):
    api = ApiClient(client, org.applicant)
    claim = api.post("/expenses/claims", _body(org)).json()
    line_id = claim["lines"][0]["id"]
    assert _upload(client, api, claim["id"], line_id, png_bytes("keep")).status_code == 200
    body = _body(org, id=line_id, amount=2200)
    body["lines"].append(
        {
            "date": "2026-11-06",
            "category_id": org.cat["TRANSIT"].pk,
            "payee": "JR",
            "purpose": "訪問",
            "amount": 480,
            "route_from": "東京",
            "route_to": "品川",
            "round_trip": True,
        }
    )
    replaced = _put(client, api, claim["id"], body)
    assert replaced.status_code == 200, replaced.content
    data = replaced.json()
    assert data["total"] == 2680 and data["lines"][0]["has_receipt"] and data["lines"][1]["round_trip"]
    assert data["flags"] == []


def test_applicant_creates_uploads_submits_and_reads(client, org):
    api = ApiClient(client, org.applicant)
    created = api.post("/expenses/claims", _body(org))
    assert created.status_code == 201, created.content
    claim = created.json()
    assert claim["status"] == "draft" and claim["total"] == 1100 and claim["number"] == ""
    assert [f["code"] for f in claim["flags"]] == ["missing_receipt"]
    line_id = claim["lines"][0]["id"]
    bad = _upload(client, api, claim["id"], line_id, b"garbage")
    assert bad.status_code == 422 and "画像として読めません" in field_errors(bad)["file"][0]
    ok = _upload(client, api, claim["id"], line_id, png_bytes("api"))
    assert ok.status_code == 200 and ok.json()["has_receipt"] is True
    submitted = api.post(f"/expenses/claims/{claim['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["number"].startswith("EXP-")
    listed = api.get("/expenses/claims").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == claim["id"]
    again = _put(client, api, claim["id"], _body(org))
    assert again.status_code == 400 and "変更できません" in again.json()["title"]
    withdrawn = api.post(f"/expenses/claims/{claim['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"amount": "100.5"}, "lines.0.amount"),
        ({"amount": 0}, "lines.0.amount"),
        ({"amount": -1}, "lines.0.amount"),
        ({"date": "2099-01-01"}, "lines.0.date"),
        ({"registration_number": "T12"}, "lines.0.registration_number"),
    ],
)
def test_bad_input_is_422_on_its_field_and_nothing_is_written(client, org, line, field):
    api = ApiClient(client, org.applicant)
    response = api.post("/expenses/claims", _body(org, **line))
    assert response.status_code == 422, response.content
    assert field in field_errors(response)
    assert not ExpenseClaim.objects.filter(company=org.company).exists()
    assert not ExpenseLine.objects.filter(company=org.company).exists()


def test_no_lines_is_422(client, org):
    response = ApiClient(client, org.applicant).post("/expenses/claims", {"title": "空", "lines": []})
    assert response.status_code == 422 and field_errors(response)["lines"] == [
        "明細を1行以上入力してください。"
    ]


def test_blocking_flag_is_400_and_other_people_get_404(client, org):
    api = ApiClient(client, org.applicant)
    claim = api.post("/expenses/claims", _body(org)).json()
    refused = api.post(f"/expenses/claims/{claim['id']}/submit")
    assert refused.status_code == 400 and "lines.0" in field_errors(refused)
    colleague = ApiClient(client, org.colleague)
    assert colleague.get(f"/expenses/claims/{claim['id']}").status_code == 404
    assert colleague.post(f"/expenses/claims/{claim['id']}/submit").status_code == 404
    other = make_company("株式会社よそ")
    outsider = ApiClient(client, make_member(other, "yoso", ["admin", "accounting"]))
    assert outsider.get(f"/expenses/claims/{claim['id']}").status_code == 404
    assert outsider.get("/expenses/claims", {"scope": "all"}).json()["count"] == 0
    assert ExpenseClaim.objects.get(pk=claim["id"]).status == ClaimStatus.DRAFT


def test_accounting_lists_all_and_employees_cannot(client, org):
    from .conftest import line, receipt, save, submit

    claim = save(org, [line(org, receipt=receipt())])
    submit(org, claim)
    approve_all(org, claim)
    assert ApiClient(client, org.applicant).get("/expenses/claims", {"scope": "all"}).status_code == 403
    body = (
        ApiClient(client, org.accountant)
        .get("/expenses/claims", {"scope": "all", "status": "approved"})
        .json()
    )
    assert body["count"] == 1 and body["items"][0]["journal_entry_ids"] == claim.journal_entry_ids
    cats = ApiClient(client, org.applicant).get("/expenses/categories").json()
    assert {c["code"] for c in cats} >= {"TRANSIT", "ENTERTAIN", "MEETING", "PERDIEM"}
