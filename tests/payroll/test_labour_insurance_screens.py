"""労働保険の年度更新 — the 賃金総額 from confirmed payslips (selector), the screen, its CSV/Excel, the
労災保険率 form (service, audited) and the API. One company's 令和7年度 (2025-04 … 2026-03), by hand:

- 正社員 A (雇用保険 insured): 300,000 a month, 12 salaries + a 500,500 bonus paid 2025-07-10;
- パート B (not insured: no 雇用保険料): 100,000 a month;
- 役員 C: 500,000 a month (not a worker: left out);
- the salary paid 2026-04-25 closes 2026-03-31 and is March's (the 締切日 decides); the one paid
  2025-04-25 closes 2025-03-31 and belongs to 令和6年度; a draft run and another company's payslip
  do not count.

労災 = 12 × 400,000 + 500,500 = 5,300,500 → 5,300,000; 雇用 = 12 × 300,000 + 500,500 = 4,100,500 →
4,100,000. 確定 at 労災 3 and 令和7年度 一般 14.5: 15,900 + 59,450 = 75,350; 一般拠出金 106.
概算 令和8年度 (last year's wages): 15,900 + 4,100,000 × 13.5/1000 = 55,350 → 71,250, under 40万円:
paid at once by 2026-07-10. Headcounts: 24 / 12 = 2 workers, 12 / 12 = 1 insured."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import PermissionDeniedError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll.models import PayrollSettings, Payslip
from ennoshita.payroll.selectors import labour_insurance as selectors
from ennoshita.payroll.services import labour_insurance as services

from ..apiclient import ApiClient, field_errors
from ..conftest import login, make_department, make_employee, make_member
from .factories import make_group, settings_of
from .payslip_builders import make_payslip, make_run


def _slip(run, employee, amount, *, employment=0, officer=False):
    p = make_payslip(run, employee, payments={"base": amount}, employment=employment)
    if officer:
        Payslip.objects.filter(pk=p.pk).update(is_officer=True)
    return p


@pytest.fixture
def year2025(company, hr, department, other_company):
    group = make_group(company)
    actor = hr.user
    a = make_employee(company, hr, department, number="A01", family_name="正社員", given_name="一")
    b = make_employee(company, hr, department, number="B01", family_name="パート", given_name="二")
    c = make_employee(company, hr, department, number="C01", family_name="役員", given_name="三")
    # pay dates 2025-05-25 … 2026-04-25 → 締切日 2025-04-30 … 2026-03-31
    for n in range(12):
        month = 5 + n
        pay = date(2025 + (month > 12), (month - 1) % 12 + 1, 25)
        run = make_run(group, actor, pay_date=pay)
        _slip(run, a, 300_000, employment=1_650)
        _slip(run, b, 100_000)
        _slip(run, c, 500_000, officer=True)
    bonus = make_run(group, actor, pay_date=date(2025, 7, 10), kind="bonus", title="夏季賞与")
    _slip(bonus, a, 500_500, employment=2_753)
    _slip(bonus, c, 1_000_000, officer=True)
    before = make_run(group, actor, pay_date=date(2025, 4, 25))  # closes 2025-03-31: 令和6年度
    _slip(before, a, 9_999_000, employment=49_995)
    draft_group = make_group(company, code="part", name="時給者")
    draft = make_run(draft_group, actor, pay_date=date(2025, 9, 24), status="draft", title="下書き")
    _slip(draft, b, 7_777_000)
    # another company
    other_hr = make_member(other_company, "hr-other", ["hr"])
    other_dept = make_department(other_company, other_hr, "900", "よそ")
    stranger = make_employee(other_company, other_hr, other_dept, number="X01")
    other_run = make_run(make_group(other_company), other_hr.user, pay_date=date(2025, 6, 25))
    _slip(other_run, stranger, 8_888_000, employment=44_440)
    return {"a": a, "b": b, "c": c}


@pytest.fixture
def accountant(company):
    return make_member(company, "keiri-li", ["accounting"], last_name="経理", first_name="一")


# ------------------------------------------------------------------------------ selector
def test_the_year_wages_from_confirmed_payslips(company, year2025):
    wages = selectors.year_wages(company=company, year=2025)
    assert [m.month for m in wages.months][:2] == [date(2025, 4, 1), date(2025, 5, 1)]
    assert wages.months[-1].month == date(2026, 3, 1)
    april = wages.months[0]
    assert (april.workers, april.insured, april.officers) == (2, 1, 1)
    assert (april.workers_comp_wages, april.employment_wages, april.gross) == (400_000, 300_000, 900_000)
    july = wages.months[3]
    assert (july.workers_comp_bonus, july.employment_bonus) == (500_500, 500_500)
    assert july.workers == 2  # a bonus adds no head
    march = wages.months[-1]  # paid 2026-04-25, closed 2026-03-31
    assert march.workers_comp_wages == 400_000
    t = wages.total
    assert (t.workers_comp_wages, t.employment_wages) == (5_300_500, 4_100_500)
    assert (t.workers, t.insured, t.officers) == (24, 12, 12)
    assert (wages.average_workers, wages.average_insured) == (2, 1)


def test_officers_are_left_out_of_both_bases(company, year2025):
    t = selectors.year_wages(company=company, year=2025).total
    # the officer's 12 × 500,000 + 1,000,000 are in the 支払総額 only
    assert t.gross == 12 * 900_000 + 500_500 + 1_000_000
    assert t.workers_comp_wages == t.gross - 12 * 500_000 - 1_000_000


def test_the_filing_figures(company, accountant, year2025):
    f = selectors.filing(company=company, membership=accountant, year=2025)
    assert f.errors == []
    c = f.confirmed
    assert (c.workers_comp_base, c.employment_base) == (5_300_000, 4_100_000)
    assert (c.workers_comp, c.employment, c.total) == (15_900, 59_450, 75_350)
    assert f.confirmed_rate.total == Decimal("14.5")
    assert f.general_contribution == 106
    e = f.estimated
    assert (e.workers_comp, e.employment, e.total) == (15_900, 55_350, 71_250)
    assert f.estimated_rate.total == Decimal("13.5")
    s = f.settlement
    assert not s.split
    assert [(i.due, i.payable) for i in s.installments] == [(date(2026, 7, 10), 71_250 + 106)]


def test_an_estimate_and_the_paid_estimate_change_the_figures(company, accountant, year2025):
    # 労災 estimate 12,000,000 (> 200 % of 5,300,000) is used: 36,000; 雇用 estimate within range: last year's
    f = selectors.filing(
        company=company,
        membership=accountant,
        year=2025,
        workers_comp_estimate=12_000_000,
        employment_estimate=5_000_000,
        paid_estimate=80_000,
    )
    assert f.estimate_workers_comp.uses_estimate and not f.estimate_employment.uses_estimate
    assert f.estimated.total == 36_000 + 55_350
    s = f.settlement
    assert (s.surplus, s.shortfall) == (80_000 - 75_350, 0)
    assert s.installments[0].payable == 91_350 - 4_650 + 106


def test_a_year_without_rates_says_so(company, accountant, year2025):
    f = selectors.filing(company=company, membership=accountant, year=2026)  # 概算 令和9年度: no rates
    assert f.confirmed is not None and f.estimated is None and f.settlement is None
    assert any("令和9年度" in e for e in f.errors)


def test_the_filing_is_for_payroll_staff_only(company, employee_member, year2025):
    with pytest.raises(PermissionDeniedError):
        selectors.filing(company=company, membership=employee_member, year=2025)


# ------------------------------------------------------------------------------ service
def test_the_rate_is_saved_and_audited(company, accountant):
    services.set_labour_insurance_settings(
        company=company,
        actor=accountant.user,
        membership=accountant,
        workers_comp_rate="9.5",
        association=True,
    )
    row = PayrollSettings.objects.get(company=company)
    assert (row.workers_comp_rate, row.labour_insurance_association) == (Decimal("9.5"), True)
    event = AuditEvent.objects.filter(company=company, object_type="payroll.payrollsettings").latest("id")
    assert event.action == "update"
    assert event.changes["fields"]["workers_comp_rate"] == ["3.00", "9.50"]
    assert event.changes["fields"]["labour_insurance_association"] == [False, True]
    # saving the same again is no event
    count = AuditEvent.objects.filter(company=company).count()
    services.set_labour_insurance_settings(
        company=company,
        actor=accountant.user,
        membership=accountant,
        workers_comp_rate="9.50",
        association=True,
    )
    assert AuditEvent.objects.filter(company=company).count() == count


def test_a_bad_rate_or_a_plain_employee_writes_nothing(company, accountant, employee_member):
    from ennoshita.core.errors import ServiceError

    settings_of(company)
    count = AuditEvent.objects.filter(company=company).count()
    with pytest.raises(ServiceError) as exc:
        services.set_labour_insurance_settings(
            company=company,
            actor=accountant.user,
            membership=accountant,
            workers_comp_rate="0",
            association=True,
        )
    assert "workers_comp_rate" in exc.value.field_errors
    with pytest.raises(PermissionDeniedError):
        services.set_labour_insurance_settings(
            company=company,
            actor=employee_member.user,
            membership=employee_member,
            workers_comp_rate="5",
            association=False,
        )
    row = PayrollSettings.objects.get(company=company)
    assert (row.workers_comp_rate, row.labour_insurance_association) == (Decimal(3), False)
    assert AuditEvent.objects.filter(company=company).count() == count


# ------------------------------------------------------------------------------ screen
URL = "/payroll/labour-insurance/"


def test_the_screen_as_accounting(client, accountant, year2025):
    login(client, accountant)
    r = client.get(URL, {"year": 2025})
    assert r.status_code == 200
    html = r.content.decode()
    assert "労働保険の年度更新" in html
    assert 'id="confirmed-total">¥75,350<' in html
    assert 'id="estimated-total">¥71,250<' in html
    assert 'id="general-contribution">¥106<' in html
    assert 'data-month="2026-03"' in html
    assert "2026-07-10" in html


def test_the_screen_with_an_estimate_shows_three_installments(client, accountant, year2025):
    login(client, accountant)
    r = client.get(URL, {"year": 2025, "workers_comp_estimate": 200_000_000, "paid_estimate": 75_350})
    html = r.content.decode()
    # 労災 200,000,000 × 3/1000 = 600,000 + 雇用 55,350 = 655,350 → 延納: 218,450 each
    assert 'id="estimated-total">¥655,350<' in html
    assert "2026-11-02" in html and "2027-02-01" in html


def test_the_screen_is_refused_to_a_plain_employee(client, employee_member):
    login(client, employee_member)
    assert client.get(URL).status_code == 403
    r = client.post(URL + "rate/", {"industry": "", "workers_comp_rate": "9.5"})
    assert r.status_code == 403
    assert not PayrollSettings.objects.filter(workers_comp_rate=Decimal("9.5")).exists()


def test_csv_and_excel(client, accountant, year2025):
    login(client, accountant)
    r = client.get(URL, {"year": 2025, "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    assert "月,労働者数,雇用保険被保険者数" in text
    assert "合計,24,12,12," in text
    assert "確定 令和7年度 確定保険料額,75350" in text
    assert "一般拠出金(令和7年度),106" in text
    x = client.get(URL, {"year": 2025, "format": "xlsx"})
    assert x.status_code == 200 and x.content[:2] == b"PK"


def test_the_rate_form_saves_an_industry(client, accountant, year2025):
    from ennoshita.payroll.rules import labour_insurance as rules

    index = next(i for i, r in enumerate(rules.workers_comp_industries()) if r.name.startswith("建築事業"))
    login(client, accountant)
    r = client.post(URL + "rate/", {"industry": str(index), "workers_comp_rate": "", "back": "year=2025"})
    assert r.status_code == 302 and r["Location"].endswith("?year=2025")
    assert PayrollSettings.objects.get(company=accountant.company).workers_comp_rate == Decimal("9.5")
    html = client.get(URL, {"year": 2025}).content.decode()
    # 5,300,000 × 9.5/1000 = 50,350 + 59,450
    assert 'id="confirmed-total">¥109,800<' in html


def test_the_rate_form_refuses_a_bad_rate(client, accountant, year2025):
    login(client, accountant)
    r = client.post(URL + "rate/", {"industry": "", "workers_comp_rate": "0"})
    assert r.status_code == 400
    assert "0より大きく" in r.content.decode()
    assert PayrollSettings.objects.get(company=accountant.company).workers_comp_rate == Decimal(3)


# ------------------------------------------------------------------------------ API
def test_the_api_figures(client, accountant, year2025):
    body = ApiClient(client, accountant).get("/payroll/labour-insurance", {"year": 2025}).json()
    assert body["year"] == 2025 and body["next_year"] == 2026
    assert body["confirmed"]["total"] == 75_350
    assert body["estimated"]["total"] == 71_250
    assert body["general_contribution"] == 106
    assert (body["average_workers"], body["average_insured"]) == (2, 1)
    assert body["months"][3]["workers_comp_bonus"] == 500_500
    assert body["settlement"]["installments"][0]["due"] == "2026-07-10"


def test_the_api_rate(client, accountant, employee_member):
    api = ApiClient(client, accountant)

    def put(a, body):
        return a.client.put(
            a.prefix + "/payroll/labour-insurance/rate",
            json.dumps(body),
            content_type="application/json",
            **a._headers(),
        )

    r = put(api, {"workers_comp_rate": "0", "association": True})
    assert r.status_code == 422 and "workers_comp_rate" in field_errors(r)
    r = put(api, {"workers_comp_rate": "5.5", "association": True})
    assert r.status_code == 200 and r.json()["association"] is True
    assert put(ApiClient(client, employee_member), {"workers_comp_rate": "6"}).status_code == 403
    assert PayrollSettings.objects.get(company=accountant.company).workers_comp_rate == Decimal("5.5")
    assert ApiClient(client, employee_member).get("/payroll/labour-insurance").status_code == 403


def test_a_bad_estimate_is_shown_on_its_field_and_the_year_kept(client, hr, year2025):
    login(client, hr)  # 人事 too (SETTINGS_ROLES)
    r = client.get(URL, {"year": 2025, "workers_comp_estimate": "-5"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="confirmed-total">¥75,350<' in html  # still 令和7年度
    assert 'class="error"' in html


def test_the_year_wages_cost_one_query(company, year2025, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.year_wages(company=company, year=2025)
