"""/api/v1/payroll/payslips/…, /wage-ledger and /withholding-book: the screens' rules through the
API (own payslips only, 404 for a colleague's or a draft; 人事・経理 anyone's; ledgers 403 for
anyone else). Figures worked by hand in payslip_builders."""

from __future__ import annotations

import pytest

from ..apiclient import ApiClient, field_errors
from ..conftest import make_member
from .payslip_builders import build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_member(company):
    return make_member(company, "emp2", ["employee"], last_name="同僚", first_name="三郎")


@pytest.fixture
def s(company, hr, department, employee_member, colleague_member):
    return build_scenario(company, hr, department, employee_member, colleague_member)


def test_mine_lists_published_payslips_of_the_newest_year(client, s, employee_member):
    api = ApiClient(client, employee_member)
    r = api.get("/payroll/payslips/mine")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["years"] == [2026, 2025] and body["year"] == 2026
    assert [i["id"] for i in body["items"]] == [s.bonus.pk, s.june.pk, s.may.pk]
    assert body["items"][2]["net"] == 264_681 and body["items"][0]["kind"] == "bonus"
    r = api.get("/payroll/payslips/mine", {"year": 2025})
    assert [i["id"] for i in r.json()["items"]] == [s.dec2025.pk]
    assert "year" in field_errors(api.get("/payroll/payslips/mine", {"year": 1900}))


def test_own_payslip_in_full(client, s, employee_member):
    r = ApiClient(client, employee_member).get(f"/payroll/payslips/{s.may.pk}")
    assert r.status_code == 200, r.content
    p = r.json()
    assert (p["employee_number"], p["employee_name"], p["draft"]) == ("E001", "社員 次郎", False)
    assert (p["pay_date"], p["period_start"], p["period_end"]) == ("2026-05-25", "2026-04-01", "2026-04-30")
    assert {a["code"]: a["value"] for a in p["attendance"]}["overtime_minutes"] == "10:00"
    assert [(x["code"], x["amount"]) for x in p["payments"]] == [
        ("base", 300_000),
        ("overtime", 23_438),
        ("commute", 12_000),
    ]
    deductions = {x["code"]: x["amount"] for x in p["deductions"]}
    assert deductions == {
        "health": 17_205,
        "child_support": 345,
        "pension": 27_450,
        "employment": 1_677,
        "income_tax": 7_080,
        "resident_tax": 15_000,
        "item:union": 2_000,
    }
    assert sum(deductions.values()) == p["deduction_total"] == 70_757
    assert (p["gross"], p["net"], p["social_insurance_total"]) == (335_438, 264_681, 46_677)
    assert [(t["account"], t["amount"]) for t in p["transfers"]] == [
        ("****567", 214_681),
        ("****321", 50_000),
    ]


def test_colleagues_drafts_and_other_companies_are_404(client, s, employee_member, outsider):
    api = ApiClient(client, employee_member)
    assert api.get(f"/payroll/payslips/{s.colleague.pk}").status_code == 404
    assert api.get(f"/payroll/payslips/{s.draft.pk}").status_code == 404
    assert ApiClient(client, outsider).get(f"/payroll/payslips/{s.may.pk}").status_code == 404


def test_hr_sees_drafts_flagged(client, s, hr):
    r = ApiClient(client, hr).get(f"/payroll/payslips/{s.draft.pk}")
    assert r.status_code == 200 and r.json()["draft"] is True and r.json()["status"] == "draft"


def test_wage_ledger_and_withholding_book(client, s, hr, employee_member, outsider):
    api = ApiClient(client, hr)
    params = {"employee": s.employee.pk, "year": 2026}
    r = api.get("/payroll/wage-ledger", params)
    assert r.status_code == 200, r.content
    body = r.json()
    assert [c["payslip_id"] for c in body["columns"]] == [s.may.pk, s.june.pk, s.bonus.pk]
    rows = {row["code"]: row for row in body["rows"]}
    assert [int(v) for v in rows["gross"]["values"]] == [335_438, 312_000, 500_000]
    assert int(rows["gross"]["total"]) == 1_147_438 and int(rows["net"]["total"]) == 912_147

    r = api.get("/payroll/withholding-book", params)
    assert r.status_code == 200, r.content
    book = r.json()
    assert [x["after_insurance"] for x in book["salary"]] == [276_761, 253_440]
    assert book["bonus_total"]["after_insurance"] == 422_500 and book["total"]["income_tax"] == 30_554

    assert ApiClient(client, employee_member).get("/payroll/wage-ledger", params).status_code == 403
    assert ApiClient(client, employee_member).get("/payroll/withholding-book", params).status_code == 403
    assert ApiClient(client, outsider).get("/payroll/wage-ledger", params).status_code == 404
    assert "employee" in field_errors(api.get("/payroll/wage-ledger", {"year": 2026}))
