"""住民税の納期の特例 (地方税法321条の5の2): what was withheld June–November is paid by 12月10日, what
was withheld December–May by 6月10日, per municipality, each moved off closed days (地方税法20条の5
第2項). The 「源泉所得税・住民税の納付」 screen shows the two payments of the year."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.payroll.models import ResidentTax
from ennoshita.payroll.selectors import confirm as selectors
from ennoshita.payroll.selectors.confirm import resident_tax_due, resident_tax_half

from ..apiclient import ApiClient
from ..conftest import login
from .confirm_builders import add_slip, finish, make_org, make_run, person
from .factories import settings_of


# ------------------------------------------------------------------------------ 納期限 (pure)
@pytest.mark.parametrize(
    ("withheld", "due"),
    [
        (date(2026, 6, 1), date(2026, 12, 10)),  # a Thursday
        (date(2026, 11, 1), date(2026, 12, 10)),
        (date(2026, 12, 1), date(2027, 6, 10)),  # a Thursday
        (date(2027, 1, 1), date(2027, 6, 10)),
        (date(2027, 5, 1), date(2027, 6, 10)),
        # 2028-06-10 a Saturday → Monday 6/12; 2028-12-10 a Sunday → Monday 12/11
        (date(2027, 12, 1), date(2028, 6, 12)),
        (date(2028, 3, 1), date(2028, 6, 12)),
        (date(2028, 7, 1), date(2028, 12, 11)),
    ],
)
def test_the_half_year_due_dates(withheld, due):
    assert resident_tax_due(pay_month=withheld, special=True) == due


def test_without_the_special_schedule_it_is_still_the_tenth_of_the_next_month():
    assert resident_tax_due(pay_month=date(2026, 6, 1)) == date(2026, 7, 10)
    assert resident_tax_due(pay_month=date(2026, 6, 1), special=False) == date(2026, 7, 10)


def test_the_half_years_run_june_to_november_and_december_to_may():
    assert [resident_tax_half(date(2026, m, 1)) for m in (1, 5, 6, 11, 12)] == [
        date(2025, 12, 1),
        date(2025, 12, 1),
        date(2026, 6, 1),
        date(2026, 6, 1),
        date(2026, 12, 1),
    ]


# ------------------------------------------------------------------------------ the figures
@pytest.fixture
def paid(company, admin, hr):
    """Salaries confirmed each month from December 2025 to December 2026 (resident tax 12,000 for
    1001 and 15,000 for 1002), a draft that does not count, and the notices: 1001 in 千代田区 (2025年度)
    then 新宿区 (2026年度), 1002 in 港区 both years. The company has the 住民税 納期の特例."""
    org = make_org(company, admin, hr)
    settings_of(company, resident_tax_special_schedule=True)
    a = person(org, org.sales, "1001")
    b = person(org, org.sales, "1002")
    for employee, year, code, name in (
        (a, 2025, "131016", "千代田区"),
        (a, 2026, "131041", "新宿区"),
        (b, 2025, "131032", "港区"),
        (b, 2026, "131032", "港区"),
    ):
        ResidentTax.objects.create(
            company=company, employee=employee, fiscal_year=year, municipality_code=code, municipality_name=name,
            annual=150_000, june=12_500, monthly=12_500,
        )  # fmt: skip
    months = [date(2025, 12, 25)] + [date(2026, m, 24) for m in range(1, 13)]
    for day in months:
        run = make_run(org, pay_date=day)
        add_slip(run, a, department=org.sales, resident_tax=12_000)
        add_slip(run, b, department=org.sales, resident_tax=15_000)
        finish(run)
        run.status = "confirmed"
        run.save(update_fields=["status"])
    draft = make_run(org, pay_date=date(2026, 7, 10), group_code="parttime")
    add_slip(draft, a, department=org.sales, resident_tax=99_999)
    finish(draft)
    return org


@pytest.mark.django_db
def test_the_year_shows_the_two_half_year_payments_per_municipality(paid):
    data = selectors.withheld_taxes(company=paid.company, membership=paid.accountant, year=2026)
    assert data.resident_special is True
    assert [
        (r.period, f"{r.month:%Y-%m}", r.fiscal_year, r.municipality_name, r.people, r.amount, r.due)
        for r in data.resident_tax
    ] == [
        # December 2025 – May 2026 (6 months, 2025年度): by 2026-06-10 (a Wednesday)
        ("2025年12月〜2026年5月分", "2025-12", 2025, "千代田区", 6, 72_000, date(2026, 6, 10)),
        ("2025年12月〜2026年5月分", "2025-12", 2025, "港区", 6, 90_000, date(2026, 6, 10)),
        # June – November 2026 (2026年度): by 2026-12-10 (a Thursday); the draft is left out
        ("2026年6月〜11月分", "2026-06", 2026, "港区", 6, 90_000, date(2026, 12, 10)),
        ("2026年6月〜11月分", "2026-06", 2026, "新宿区", 6, 72_000, date(2026, 12, 10)),
    ]
    # December 2026 is paid in June 2027: it is on 2027's page
    assert data.resident_tax_total == 72_000 * 2 + 90_000 * 2
    later = selectors.withheld_taxes(company=paid.company, membership=paid.accountant, year=2027)
    assert [(r.period, r.amount, r.due) for r in later.resident_tax] == [
        ("2026年12月〜2027年5月分", 15_000, date(2027, 6, 10)),
        ("2026年12月〜2027年5月分", 12_000, date(2027, 6, 10)),
    ]
    # 源泉所得税 is still by the pay dates of the year (its own 特例 is off): 12 monthly slips
    assert len(data.income_tax) == 12 and data.income_tax[0].salary_people == 2


@pytest.mark.django_db
def test_the_screen_csv_and_api_under_the_special_schedule(client, paid):
    login(client, paid.hr)
    page = client.get("/payroll/withheld-taxes/?year=2026").content.decode()
    assert "納期の特例を受けています(地方税法321条の5の2)" in page
    assert "2025年12月〜2026年5月分" in page and "2026-12-10" in page
    csv = client.get("/payroll/withheld-taxes/?year=2026&format=csv").content.decode("utf-8-sig").splitlines()
    assert "住民税,2026年6月〜11月分,131041,新宿区,6,,72000,2026-12-10" in csv
    assert "住民税,2025年12月〜2026年5月分,131032,港区,6,,90000,2026-06-10" in csv
    body = ApiClient(client, paid.accountant).get("/payroll/withheld-taxes", {"year": 2026}).json()
    assert [(r["month"], r["due"], r["amount"]) for r in body["resident_tax"]][:1] == [
        ("2025-12", "2026-06-10", 72_000)
    ]
    assert body["resident_tax_total"] == 324_000


@pytest.mark.django_db
def test_employees_cannot_see_it(client, paid, employee_member):
    login(client, employee_member)
    assert client.get("/payroll/withheld-taxes/?year=2026").status_code == 403
