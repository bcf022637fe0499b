"""/api/v1/costs/: the dashboard and the drill-down as JSON, for the same readers as the screens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..apiclient import ApiClient, field_errors
from ..conftest import make_company, make_member

pytestmark = pytest.mark.django_db


def test_the_dashboard_as_json(client, org):
    api = ApiClient(client, org.accountant)
    r = api.get("/costs/dashboard", {"month": "2026-11"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["month"] == "2026-11" and body["months"][0] == "2025-12" and len(body["months"]) == 12
    assert (body["amounts_basis"], body["payees_basis"]) == ("税抜", "税込")
    cats = {c["code"]: c for c in body["categories"]}
    assert cats["6270"]["amounts"][-4:] == [10000, 10000, 10000, 13500]
    assert cats["6270"]["mom"] == {"base": 10000, "amount": 3500, "percent": "35.0"}
    assert cats["6310"]["yoy"] == {"base": 0, "amount": 9000, "percent": None}
    assert cats["6260"]["amounts"][-3] == -3000
    assert (body["month_total"], body["period_total"]) == (147500, 504500)
    assert (body["headcount"], body["month_per_head"], body["period_per_head"]) == (6, 24583, 84083)
    depts = {d["department_id"]: d for d in body["departments"]}
    assert depts[org.sales.pk]["month_per_head"] == 6167 and depts[0]["month_per_head"] is None
    assert [(p["name"], p["amount"], p["bills"], p["claims"]) for p in body["top_payees"]][:2] == [
        ("大家不動産", 132000, 132000, 0),
        ("ＡＢＣモバイル", 36850, 22000, 14850),
    ]
    first = body["flags"][0]
    assert (first["code"], first["percent"], first["message"]) == (
        "6270",
        35,
        "通信費が直近3か月平均より35%増えています",
    )


def test_the_dashboard_for_a_department_head_and_its_limits(client, org):
    api = ApiClient(client, org.manager)
    body = api.get("/costs/dashboard", {"month": "2026-11"}).json()
    assert [d["name"] for d in body["departments"]] == ["営業部"] and body["month_total"] == 18500
    assert api.get("/costs/dashboard", {"month": "2026-11", "department_id": org.back.pk}).status_code == 404
    staff = ApiClient(client, org.applicant)
    r = staff.get("/costs/dashboard")
    assert r.status_code == 403 and r["Content-Type"] == "application/problem+json"
    assert staff.get("/costs/drilldown", {"month": "2026-11", "account": "6270"}).status_code == 403
    assert ApiClient(client).get("/costs/dashboard").status_code == 401


def test_bad_input_is_a_422_on_its_field(client, org):
    api = ApiClient(client, org.accountant)
    assert "month" in field_errors(api.get("/costs/dashboard", {"month": "2026-13"}))
    assert "month" in field_errors(api.get("/costs/dashboard", {"month": "11/2026"}))
    assert "months" in field_errors(api.get("/costs/dashboard", {"months": 0}))
    assert "department_id" in field_errors(api.get("/costs/dashboard", {"department_id": -1}))
    r = api.get("/costs/drilldown", {"month": "2026-1x"})
    assert r.status_code == 422


def test_the_drilldown_as_json_links_to_the_claim(client, org):
    api = ApiClient(client, org.accountant)
    r = api.get("/costs/drilldown", {"month": "2026-11", "account": "6270", "department_id": org.sales.pk})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["count"], body["total"], body["account_code"]) == (1, 13500, "6270")
    (line,) = body["lines"]
    assert (line["debit"], line["amount"], line["source_type"]) == (13500, 13500, "expenses.claim")
    assert line["source_url"] == reverse("expenses:claim_detail", args=[org.claim.pk])
    r = api.get("/costs/drilldown", {"month": "2026-11", "account": "6310", "limit": 2})
    body = r.json()
    assert (body["count"], len(body["lines"]), body["total"]) == (3, 2, 9000)
    assert api.get("/costs/drilldown", {"month": "2026-11", "account": "6250"}).status_code == 404


def test_another_companys_token_sees_its_own_books_only(client, org):
    other = make_company("株式会社よそ")
    api = ApiClient(client, make_member(other, "admin2", ["admin"]))
    body = api.get("/costs/dashboard", {"month": "2026-11"}).json()
    assert body["month_total"] == 0 and body["top_payees"] == [] and body["departments"] == []
    assert api.get("/costs/dashboard", {"month": "2026-11", "department_id": org.sales.pk}).status_code == 404
    assert api.get("/costs/drilldown", {"month": "2026-11", "account": "6270"}).json()["lines"] == []
