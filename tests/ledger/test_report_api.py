"""/api/v1/ledger/reports/: the reports as JSON with integer yen, for the token's company only."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.core import services as core_services

from ..conftest import make_department, make_member
from .conftest import line, post
from .test_reports import worked_book

BASE = "/api/v1/ledger/reports"


@pytest.fixture
def book(books, accountant):
    return worked_book(books, accountant)


def api_client(client, membership):
    _token, raw = core_services.create_api_token(membership=membership, name="reports")

    def get(path, **params):
        return client.get(BASE + path, params, HTTP_AUTHORIZATION=f"Bearer {raw}")

    return get


@pytest.fixture
def api(client, accountant):
    return api_client(client, accountant)


def test_trial_balance_json(book, api):
    response = api("/trial-balance", start="2026-04-01", end="2026-07-31")
    assert response.status_code == 200
    data = response.json()
    assert data["debit"] == data["credit"] == 1_330_000
    rows = {r["code"]: r for r in data["rows"]}
    assert rows["3320"] == {
        "code": "3320",
        "name": "繰越利益剰余金",
        "section": "net_assets",
        "normal_side": "credit",
        "opening": 200_000,
        "debit": 0,
        "credit": 0,
        "closing": 200_000,
    }


def test_statements_json(book, api):
    bs = api("/balance-sheet", as_of="2026-07-31", compare="true").json()
    assert bs["figures"]["assets"] == bs["figures"]["liabilities_net_assets"] == 2_020_000
    lines = {ln["key"]: ln for ln in bs["lines"]}
    assert lines["account:1190"]["amount"] == -20_000 and lines["total:assets"]["previous"] == 1_500_000
    pl = api("/profit-and-loss", start="2026-04-01", end="2026-07-31").json()
    assert pl["figures"]["net"] == 570_000 and pl["figures"]["gross"] == 800_000
    trend = api("/monthly-trend", year=2026).json()
    assert len(trend["months"]) == 12
    net = next(r for r in trend["pl_rows"] if r["key"] == "profit:net")
    assert net["values"][:4] == [0, 650_000, -30_000, -50_000] and net["total"] == 570_000


def test_general_ledger_and_journal_cursors(book, api):
    first = api("/general-ledger", account="1121", start="2025-04-01", end="2027-03-31", limit=2).json()
    assert [r["balance"] for r in first["rows"]] == [1_000_000, 900_000] and first["next_cursor"]
    second = api(
        "/general-ledger",
        account="1121",
        start="2025-04-01",
        end="2027-03-31",
        limit=2,
        after=first["next_cursor"],
    ).json()
    assert [r["balance"] for r in second["rows"]] == [1_200_000, 1_050_000]
    assert second["rows"][1]["counter_account"] == "地代家賃"
    forged = api(
        "/general-ledger",
        account="1121",
        start="2025-04-01",
        end="2027-03-31",
        after=first["next_cursor"] + "x",
    )
    assert forged.status_code == 400 and forged["Content-Type"] == "application/problem+json"
    assert forged.json()["code"] == "bad_cursor"
    journal = api("/journal", start="2025-04-01", end="2027-03-31", limit=3).json()
    assert len(journal["entries"]) == 3 and journal["entries"][0]["lines"][0]["debit"] == 1_000_000
    page2 = api(
        "/journal", start="2025-04-01", end="2027-03-31", limit=3, after=journal["next_cursor"]
    ).json()
    assert page2["entries"][0]["date"] == "2025-09-30"


def test_unknown_filters_are_422(book, api, other_company, outsider):
    assert api("/general-ledger", account="0000").status_code == 422
    other_dept = make_department(other_company, outsider, code="900", name="よその部")
    response = api("/trial-balance", department_id=other_dept.pk)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "department_id"
    assert api("/profit-and-loss", start="2026-07-01", end="2026-06-01").status_code == 422


def test_department_filter(book, api, accountant, hr):
    dept = make_department(book, hr, code="300", name="開発部")
    post(
        book,
        accountant,
        date(2026, 8, 1),
        line(book, "通信費", "debit", 4_000, department=dept),
        line(book, "現金", "credit", 4_000, department=dept),
    )
    data = api("/profit-and-loss", start="2026-04-01", end="2026-08-31", department_id=dept.pk).json()
    assert data["figures"]["sga"] == 4_000 and data["figures"]["sales"] == 0


def test_tax_summary_json(books, api, accountant):
    from .test_reports import taxed_book

    taxed_book(books, accountant)
    data = api("/tax-summary", start="2026-04-01", end="2027-03-31").json()
    sales = next(g for g in data["groups"] if g["key"] == "sales")
    assert sales["rows"][0] | {} == {
        "key": "S10",
        "label": "課税売上10%",
        "kind": "taxable_sales",
        "rate": "10",
        "qualified": True,
        "net": 10_000,
        "tax": 1_000,
        "gross": 11_000,
    }
    assert data["national_input_tax"] == 998 and data["tax_return"]["national_refund"] == 218


def test_roles_and_company_scoping(book, client, company, other_company):
    hr_api = api_client(client, make_member(company, "hr-api", ["hr"]))
    response = hr_api("/trial-balance")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    finance = api_client(client, make_member(company, "fin", ["finance"]))
    assert finance("/trial-balance").status_code == 200
    stranger = api_client(client, make_member(other_company, "stranger", ["accounting"]))
    data = stranger("/trial-balance", start="2025-04-01", end="2027-03-31").json()
    assert data["rows"] == [] and data["debit"] == 0  # another company's books are not seen
    assert client.get(BASE + "/trial-balance").status_code == 401


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/balance-sheet", {"as_of": "0001-01-01"}),
        ("/trial-balance", {"start": "0001-01-01"}),
        ("/profit-and-loss", {"end": "9999-12-31"}),
        ("/tax-summary", {"start": "1899-12-31", "end": "1900-01-31"}),
    ],
)
def test_dates_outside_the_reporting_range_are_422_not_500(book, api, path, params):
    response = api(path, **params)
    assert response.status_code == 422, response.content
    assert "1900年から2999年" in response.content.decode()
