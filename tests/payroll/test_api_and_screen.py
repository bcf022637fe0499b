"""/api/v1/payroll/rules/ and the 給与計算シミュレーター page: the same figures and steps as the
rules (figures here worked by hand from jp-rules §1–§3), bad figures refused with a message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..apiclient import ApiClient, field_errors
from ..conftest import login

pytestmark = pytest.mark.django_db


def test_monthly_withholding_by_the_formula_and_the_table(client, hr):
    api = ApiClient(client, hr)
    # NTA's worked example of the 電算機計算の特例 (令和8年分): 175,000円・2人 → 210円
    args = {"amount": 175000, "dependents": 2, "method": "formula", "pay_date": "2026-05-25"}
    r = api.post("/payroll/rules/monthly-withholding", args)
    assert r.status_code == 200, r.content
    assert r.json()["tax"] == 210 and r.json()["steps"]
    r = api.post("/payroll/rules/monthly-withholding", {**args, "method": "table"})
    assert r.json()["tax"] == 250  # 月額表 令和8年分, row 175,000–177,000, 2人


def test_bonus_withholding(client, hr):
    # rate table 甲0人, previous month 300,000 (260–309千円: 6.126%): 500,000 × 6.126% = 30,630
    r = ApiClient(client, hr).post(
        "/payroll/rules/bonus-withholding",
        {"bonus_after_si": 500000, "prev_month_after_si": 300000, "pay_date": "2026-07-10"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["tax"] == 30630


def test_grade_and_premiums(client, hr):
    api = ApiClient(client, hr)
    r = api.post("/payroll/rules/standard-remuneration", {"monthly_remuneration": 300000, "on": "2026-09-01"})
    body = r.json()
    assert (body["health_grade"], body["health_standard"], body["pension_grade"]) == (22, 300000, 19)
    # 東京都, 45歳 (介護 applies), 2026年5月分: 300,000 × 11.47% ÷ 2 = 17,205; 支援金 300,000 × 0.23%
    # ÷ 2 = 345; 厚生年金 300,000 × 18.3% ÷ 2 = 27,450; 拠出金 300,000 × 0.36% = 1,080
    r = api.post(
        "/payroll/rules/social-insurance",
        {
            "standard_monthly": 300000,
            "prefecture": "東京都",
            "birth_date": "1981-06-15",
            "month": "2026-05-01",
        },
    )
    assert r.status_code == 200, r.content
    p = r.json()
    assert (p["health"], p["care_applies"], p["child_support"], p["pension"]) == (17205, True, 345, 27450)
    assert (p["employer_health"], p["employer_pension"], p["employer_child_contribution"]) == (
        17205,
        27450,
        1080,
    )
    r = api.post(
        "/payroll/rules/bonus-social-insurance",
        {"bonus": 1000500, "prefecture": "東京都", "birth_date": "1990-01-01", "month": "2026-07-01"},
    )
    # 標準賞与額 1,000,000 (1,000円未満切捨て); under 40: 9.85% ÷ 2 = 49,250
    assert r.json()["standard_bonus"] == 1000000 and r.json()["health"] == 49250


def test_employment_insurance_and_resident_tax(client, hr):
    api = ApiClient(client, hr)
    # 令和8年度 一般の事業 5/1000 by the 締切日; 令和7年度 5.5/1000 the day before
    r = api.post("/payroll/rules/employment-insurance", {"wages": 300000, "closing_date": "2026-04-30"})
    assert r.json()["tax"] == 1500
    r = api.post("/payroll/rules/employment-insurance", {"wages": 300000, "closing_date": "2026-03-31"})
    assert r.json()["tax"] == 1650
    r = api.post("/payroll/rules/resident-tax-installments", {"annual": 250300})
    assert (r.json()["june"], r.json()["monthly"]) == (21500, 20800)


def test_bad_figures_are_refused_with_a_message(client, hr):
    api = ApiClient(client, hr)
    r = api.post("/payroll/rules/monthly-withholding", {"amount": 300000, "pay_date": "2031-01-25"})
    assert r.status_code == 422  # no table for that year: said, not guessed
    assert "登録されていません" in field_errors(r)["pay_date"][0]
    r = api.post(
        "/payroll/rules/monthly-withholding",
        {"amount": 300000, "column": "乙", "method": "formula", "pay_date": "2026-05-25"},
    )
    assert r.status_code == 422
    r = api.post(
        "/payroll/rules/social-insurance",
        {
            "standard_monthly": 300000,
            "prefecture": "アトランティス",
            "birth_date": "1990-01-01",
            "month": "2026-05-01",
        },
    )
    assert r.status_code == 422 and "prefecture" in field_errors(r)
    r = api.post("/payroll/rules/resident-tax-installments", {"annual": -1})
    assert r.status_code == 422 and "annual" in field_errors(r)
    r = api.post("/payroll/rules/resident-tax-installments", {"annual": 1, "x": 1})
    assert r.status_code == 422  # an unknown field is an error


def test_the_api_needs_a_token(client):
    r = client.post("/api/v1/payroll/rules/resident-tax-installments", "{}", content_type="application/json")
    assert r.status_code == 401


def test_the_simulator_page(client, hr):
    login(client, hr)
    url = reverse("payroll:rules_simulator")
    page = client.get(url)
    assert page.status_code == 200 and "給与計算シミュレーター" in page.content.decode()
    r = client.get(
        url,
        {
            "calc": "monthly_tax",
            "monthly_tax-amount": "175000",
            "monthly_tax-dependents": "2",
            "monthly_tax-column": "甲",
            "monthly_tax-method": "formula",
            "monthly_tax-pay_date": "2026-05-25",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and "210円" in html
    r = client.get(
        url,
        {
            "calc": "insurance",
            "insurance-standard_monthly": "300000",
            "insurance-prefecture": "東京都",
            "insurance-birth_date": "1981-06-15",
            "insurance-month": "2026-05-01",
        },
    )
    assert "17,205円" in r.content.decode() and "27,450円" in r.content.decode()


def test_the_simulator_shows_what_the_rules_refuse_on_the_field(client, employee_member):
    login(client, employee_member)  # any member may use it
    url = reverse("payroll:rules_simulator")
    r = client.get(
        url,
        {
            "calc": "insurance",
            "insurance-standard_monthly": "123456",  # no grade has that amount
            "insurance-prefecture": "東京都",
            "insurance-birth_date": "1990-01-01",
            "insurance-month": "2026-05-01",
        },
    )
    assert r.status_code == 400
    assert "123,456円は健康保険の標準報酬月額(等級表の額)ではありません" in r.content.decode()
