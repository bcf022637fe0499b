"""Payments of what was withheld (issue 9): 源泉所得税 per month of pay date (or per half-year under
the 納期の特例) and 住民税 per municipality, each with its 納期限 moved off closed days."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.payroll.models import PayrollRun, ResidentTax
from ennoshita.payroll.selectors import confirm as selectors
from ennoshita.payroll.selectors.confirm import (
    income_tax_due,
    is_closed_for_tax,
    next_open_day,
    resident_tax_due,
    resident_tax_year,
)

from ..apiclient import ApiClient
from ..conftest import login
from .confirm_builders import add_slip, finish, make_org, make_run, person
from .factories import settings_of


# ------------------------------------------------------------------------------ 納期限 (pure)
def test_the_tenth_of_the_next_month():
    assert income_tax_due(pay_month=date(2026, 5, 1)) == date(2026, 6, 10)  # a Wednesday
    assert resident_tax_due(pay_month=date(2026, 5, 1)) == date(2026, 6, 10)


def test_a_tenth_on_a_weekend_or_holiday_moves_to_the_next_business_day():
    # 2026-10-10 is a Saturday and 10-12 スポーツの日: Tuesday 10-13 (国税通則法10条2項)
    assert income_tax_due(pay_month=date(2026, 9, 1)) == date(2026, 10, 13)
    # 2027-01-10 a Sunday, 01-11 成人の日
    assert income_tax_due(pay_month=date(2026, 12, 1)) == date(2027, 1, 12)
    assert resident_tax_due(pay_month=date(2026, 12, 1)) == date(2027, 1, 12)  # 地方税法20条の5第2項
    # 2026-05-10 a Sunday
    assert resident_tax_due(pay_month=date(2026, 4, 1)) == date(2026, 5, 11)


def test_the_special_payment_schedule_pays_twice_a_year():
    # 所得税法216条: 1–6月分 by 7月10日, 7–12月分 by 翌年1月20日 (租税特別措置法41条の6)
    assert income_tax_due(pay_month=date(2026, 3, 1), special=True) == date(2026, 7, 10)  # a Friday
    assert income_tax_due(pay_month=date(2026, 6, 1), special=True) == date(2026, 7, 10)
    assert income_tax_due(pay_month=date(2026, 8, 1), special=True) == date(2027, 1, 20)  # a Wednesday
    assert income_tax_due(pay_month=date(2027, 2, 1), special=True) == date(2027, 7, 12)  # 7-10 a Saturday
    assert income_tax_due(pay_month=date(2025, 11, 1), special=True) == date(2026, 1, 20)


def test_year_end_days_are_closed():
    assert is_closed_for_tax(date(2026, 12, 29))  # a Tuesday, closed by 施行令
    assert next_open_day(date(2026, 12, 29)) == date(2027, 1, 4)
    assert not is_closed_for_tax(date(2026, 12, 28))


def test_the_resident_tax_year_runs_june_to_may():
    assert resident_tax_year(date(2026, 5, 1)) == 2025
    assert resident_tax_year(date(2026, 6, 1)) == 2026


# ------------------------------------------------------------------------------ the figures
@pytest.fixture
def paid(company, admin, hr):
    """Confirmed runs paid in 2026 (April, May, June salaries and a July bonus) and runs that do not
    count (a draft in June, a December 2025 run). 1001 lives in 千代田区 (2025年度) then 新宿区
    (2026年度); 1002 in 港区 (2025年度) with no 2026年度 notice entered."""
    org = make_org(company, admin, hr)
    a = person(org, org.sales, "1001")
    b = person(org, org.sales, "1002")
    for employee, year, code, name in (
        (a, 2025, "131016", "千代田区"),
        (a, 2026, "131041", "新宿区"),
        (b, 2025, "131032", "港区"),
    ):
        ResidentTax.objects.create(
            company=company, employee=employee, fiscal_year=year, municipality_code=code, municipality_name=name,
            annual=150_000, june=12_500, monthly=12_500,
        )  # fmt: skip

    def run(
        day, kind="salary", status="confirmed", group="monthly", slips=((a, 12_000), (b, 15_000)), tax=6_640
    ):
        r = make_run(org, kind=kind, pay_date=day, group_code=group)
        for employee, resident in slips:
            add_slip(r, employee, department=org.sales, resident_tax=resident, income_tax=tax)
        finish(r)
        PayrollRun.objects.filter(pk=r.pk).update(status=status)

    run(date(2026, 4, 24))
    run(date(2026, 5, 25))
    run(date(2026, 6, 25), slips=((a, 13_000), (b, 15_000)))
    run(date(2026, 7, 10), kind="bonus", group="bonus", slips=((a, 0),), tax=20_000)
    run(date(2026, 6, 25), status="draft", group="parttime", slips=((a, 99_999),), tax=99_999)
    run(date(2025, 12, 25), slips=((a, 12_000),))
    return org


def test_income_tax_per_month_with_the_payment_slip_figures(paid):
    data = selectors.withheld_taxes(company=paid.company, membership=paid.accountant, year=2026)
    assert len(data.income_tax) == 12
    rows = {r.months[0].month: r for r in data.income_tax}
    april = rows[4]
    assert (april.period, april.salary_people, april.salary_paid, april.salary_tax, april.due) == (
        "2026年4月分",
        2,
        600_000,
        13_280,
        date(2026, 5, 11),  # 300,000 taxable each; 6,640 × 2
    )
    assert (rows[6].salary_tax, rows[6].due) == (13_280, date(2026, 7, 10))  # the draft is left out
    july = rows[7]
    assert (july.salary_people, july.bonus_people, july.bonus_paid, july.bonus_tax, july.due) == (
        0,
        1,
        300_000,
        20_000,
        date(2026, 8, 10),
    )
    assert rows[9].tax == 0 and rows[9].due == date(2026, 10, 13)
    assert data.income_tax_total == 13_280 * 3 + 20_000


def test_the_special_schedule_puts_half_a_year_on_one_slip(paid):
    settings_of(paid.company, special_payment_schedule=True)
    data = selectors.withheld_taxes(company=paid.company, membership=paid.accountant, year=2026)
    assert [(r.period, r.tax, r.due, len(r.months)) for r in data.income_tax] == [
        ("2026年1月〜6月分", 39_840, date(2026, 7, 10), 6),
        ("2026年7月〜12月分", 20_000, date(2027, 1, 20), 6),
    ]


def test_resident_tax_per_municipality_and_month(paid):
    data = selectors.withheld_taxes(company=paid.company, membership=paid.accountant, year=2026)
    assert [
        (f"{r.month:%Y-%m}", r.fiscal_year, r.municipality_name, r.people, r.amount, r.due)
        for r in data.resident_tax
    ] == [
        ("2026-04", 2025, "千代田区", 1, 12_000, date(2026, 5, 11)),
        ("2026-04", 2025, "港区", 1, 15_000, date(2026, 5, 11)),
        ("2026-05", 2025, "千代田区", 1, 12_000, date(2026, 6, 10)),
        ("2026-05", 2025, "港区", 1, 15_000, date(2026, 6, 10)),
        ("2026-06", 2026, "(住民税の通知が未登録)", 1, 15_000, date(2026, 7, 10)),
        ("2026-06", 2026, "新宿区", 1, 13_000, date(2026, 7, 10)),
    ]
    assert data.resident_tax_total == 82_000


def test_the_screen_and_its_exports(client, paid):
    login(client, paid.hr)
    page = client.get("/payroll/withheld-taxes/?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2026-05-11" in text and "千代田区" in text and "59,840" in text  # 13,280 × 3 + 20,000
    csv = client.get("/payroll/withheld-taxes/?year=2026&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "税目,期間,市区町村コード,市区町村,人員,支給額,税額,納期限"
    assert "源泉所得税(給与),2026年4月分,,,2,600000,13280,2026-05-11" in lines
    assert "住民税,2026年6月分,131041,新宿区,1,,13000,2026-07-10" in lines
    xlsx = client.get("/payroll/withheld-taxes/?year=2026&format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_employees_cannot_see_it(client, paid, employee_member):
    login(client, employee_member)
    assert client.get("/payroll/withheld-taxes/").status_code == 403


def test_the_api(client, paid):
    body = ApiClient(client, paid.accountant).get("/payroll/withheld-taxes", {"year": 2026}).json()
    assert body["income_tax_total"] == 59_840 and body["resident_tax_total"] == 82_000
    assert body["income_tax"][3] == {
        "period": "2026年4月分", "months": ["2026-04"], "salary_people": 2, "salary_paid": 600_000,
        "salary_tax": 13_280, "bonus_people": 0, "bonus_paid": 0, "bonus_tax": 0, "tax": 13_280, "due": "2026-05-11",
    }  # fmt: skip
    assert body["resident_tax"][0]["municipality_code"] == "131016"
