"""健康保険組合の料率 are dated: a union changes its rates by 規約 (usually from March or April), and a
premium takes the rates of the insurance month it belongs to — a salary's previous month, a bonus's
pay-date month — never today's. The settings service records each change as a version (audited),
refuses changed rates without a month, and leaves unchanged rates alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll.models import PayrollSettings, UnionRateVersion
from ennoshita.payroll.models.setup import UNION_RATES_FROM_THE_START
from ennoshita.payroll.rules.insurance import UnionRates, UnionRateSchedule
from ennoshita.payroll.services import settings as services

from ..apiclient import ApiClient, field_errors
from ..conftest import login
from .bonus_builders import bonus_run, pay, slip_of
from .bonus_builders import person as bonus_person
from .factories import settings_of

pytestmark = pytest.mark.django_db

AGE_35 = date(1991, 4, 2)
OLD = services.SettingsInput(
    health_insurer="union",
    union_name="縁の下健康保険組合",
    union_health_rate=Decimal("90"),
    union_health_employee_rate=Decimal("40"),
    union_care_rate=Decimal("18"),
    union_care_employee_rate=Decimal("9"),
)
NEW = replace(OLD, union_health_rate=Decimal("100"), union_health_employee_rate=Decimal("45"))


def w(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def versions(company):
    return list(
        UnionRateVersion.objects.filter(company=company)
        .order_by("effective_from")
        .values_list("effective_from", "health_rate", "health_employee_rate")
    )


def test_a_unions_first_rates_cover_every_month(company, hr):
    services.update_payroll_settings(**w(hr), data=OLD)
    assert versions(company) == [(UNION_RATES_FROM_THE_START, Decimal("90.000"), Decimal("40.000"))]
    schedule = services.union_rates_of(PayrollSettings.objects.get(company=company))
    assert schedule.at(date(2001, 1, 1)).health_employee_rate == Decimal("40.000")


def test_new_rates_from_a_month_keep_the_old_ones_for_earlier_months_and_are_audited(company, hr):
    services.update_payroll_settings(**w(hr), data=OLD)
    services.update_payroll_settings(**w(hr), data=replace(NEW, union_rates_from=date(2027, 3, 15)))
    assert versions(company) == [
        (UNION_RATES_FROM_THE_START, Decimal("90.000"), Decimal("40.000")),
        (date(2027, 3, 1), Decimal("100.000"), Decimal("45.000")),  # the month's first day
    ]
    schedule = services.union_rates_of(PayrollSettings.objects.get(company=company))
    assert schedule.at(date(2027, 2, 1)).health_rate == Decimal("90.000")
    assert schedule.at(date(2027, 3, 1)).health_rate == Decimal("100.000")
    created = AuditEvent.objects.filter(
        company=company, object_type="payroll.unionrateversion", action="create"
    )
    assert created.count() == 2
    assert created.last().changes["fields"]["health_employee_rate"] == [None, "45.000"]


def test_changed_rates_without_a_month_are_refused_and_nothing_is_written(company, hr):
    services.update_payroll_settings(**w(hr), data=OLD)
    before = AuditEvent.objects.filter(company=company).count()
    with pytest.raises(ServiceError) as exc:
        services.update_payroll_settings(**w(hr), data=NEW)
    assert "union_rates_from" in exc.value.field_errors
    assert versions(company) == [(UNION_RATES_FROM_THE_START, Decimal("90.000"), Decimal("40.000"))]
    row = PayrollSettings.objects.get(company=company)
    assert row.union_health_rate == Decimal("90.000")  # the settings row rolled back too
    assert AuditEvent.objects.filter(company=company).count() == before


def test_unchanged_rates_write_no_version_and_a_months_rates_can_be_corrected(company, hr):
    services.update_payroll_settings(**w(hr), data=OLD)
    services.update_payroll_settings(**w(hr), data=OLD)  # e.g. another setting changed
    services.update_payroll_settings(**w(hr), data=replace(OLD, union_rates_from=date(2027, 3, 1)))
    assert len(versions(company)) == 1  # the same rates as in force then: nothing new
    services.update_payroll_settings(**w(hr), data=replace(NEW, union_rates_from=date(2027, 3, 1)))
    fixed = replace(NEW, union_health_employee_rate=Decimal("46"), union_rates_from=date(2027, 3, 1))
    services.update_payroll_settings(**w(hr), data=fixed)
    assert versions(company)[-1] == (date(2027, 3, 1), Decimal("100.000"), Decimal("46.000"))
    assert len(versions(company)) == 2
    assert AuditEvent.objects.filter(
        company=company, object_type="payroll.unionrateversion", action="update"
    ).exists()


def test_a_schedule_refuses_a_month_before_its_first_version():
    rates = UnionRates(Decimal(90), Decimal(40), Decimal(18), Decimal(9), "組合")
    schedule = UnionRateSchedule(versions=((date(2027, 3, 1), rates),))
    assert schedule.at(date(2027, 4, 1)) == rates
    with pytest.raises(ValueError, match="2027年2月分"):
        schedule.at(date(2027, 2, 1))


def test_bonuses_take_the_rates_of_their_pay_dates_month(company, hr, department):
    settings_of(
        company,
        health_insurer="union",
        union_name="縁の下健康保険組合",
        union_health_rate=Decimal(90),
        union_health_employee_rate=Decimal(40),
        union_care_rate=Decimal(18),
        union_care_employee_rate=Decimal(9),
    )
    UnionRateVersion.objects.create(
        company=company,
        effective_from=date(2026, 7, 1),
        name="縁の下健康保険組合",
        health_rate=Decimal(100),
        health_employee_rate=Decimal(45),
        care_rate=Decimal(18),
        care_employee_rate=Decimal(9),
    )
    bonus_person(company, hr, department, "0001", birth_date=AGE_35)
    june = bonus_run(company, hr, date(2026, 6, 10), title="6月")
    pay(company, hr, june, {"0001": 500_000})
    july = bonus_run(company, hr, date(2026, 7, 10), title="7月")
    pay(company, hr, july, {"0001": 500_000})
    # 500,000 × 40/1000 = 20,000 in June; × 45/1000 = 22,500 from the July version on
    assert slip_of(june, "0001").health == 20_000
    assert slip_of(july, "0001").health == 22_500
    assert slip_of(july, "0001").inputs["health_insurer"]["health_employee_rate"] == "45.000"


def test_a_bonus_in_a_month_without_union_rates_is_refused(company, hr, department):
    settings_of(company, health_insurer="union", union_name="組合")  # no rates recorded
    bonus_person(company, hr, department, "0001", birth_date=AGE_35)
    with pytest.raises(ServiceError) as exc:
        bonus_run(company, hr, date(2026, 6, 10))
    assert "健康保険組合の2026年6月分の料率が登録されていません" in str(exc.value.field_errors)


def test_the_screen_takes_a_month_and_lists_the_versions(client, company, hr):
    services.update_payroll_settings(**w(hr), data=OLD)
    login(client, hr)
    page = client.get(reverse("payroll:settings")).content.decode()
    assert 'id="union-rate-versions"' in page and "当初から" in page
    form = {
        "withholding_method": "table",
        "proration_rule": "calendar",
        "prefecture": "東京都",
        "business": "一般",
        "annual_scheduled_hours": "2080",
        "anomaly_percent": "20",
        "health_insurer": "union",
        "union_name": "縁の下健康保険組合",
        "union_health_rate": "100",
        "union_health_employee_rate": "45",
        "union_care_rate": "18",
        "union_care_employee_rate": "9",
    }
    refused = client.post(reverse("payroll:settings"), form)
    assert refused.status_code == 400
    assert "新しい料率を適用する保険料の月" in refused.content.decode()
    done = client.post(reverse("payroll:settings"), {**form, "union_rates_from": "2027-03"})
    assert done.status_code == 302, done.content.decode()[:2000]
    assert versions(company)[-1] == (date(2027, 3, 1), Decimal("100.000"), Decimal("45.000"))
    assert "2027年3月分から" in client.get(reverse("payroll:settings")).content.decode()


def test_the_api_takes_the_month_and_returns_the_history(client, company, hr):
    api = ApiClient(client, hr)
    body = {
        "health_insurer": "union",
        "union_name": "縁の下健康保険組合",
        "union_health_rate": "90",
        "union_health_employee_rate": "40",
        "union_care_rate": "18",
        "union_care_employee_rate": "9",
    }
    assert api.put("/payroll/settings", body).status_code == 200
    refused = api.put("/payroll/settings", {**body, "union_health_rate": "100"})
    assert refused.status_code == 422 and "union_rates_from" in field_errors(refused)
    done = api.put(
        "/payroll/settings", {**body, "union_health_rate": "100", "union_rates_from": "2027-03-01"}
    )
    assert done.status_code == 200
    got = api.get("/payroll/settings").json()
    assert [(r["effective_from"], r["health_rate"]) for r in got["union_rates"]] == [
        ("2000-01-01", "90.000"),
        ("2027-03-01", "100.000"),
    ]


def test_a_salary_takes_the_rates_of_its_insurance_month_not_todays(company, hr, department):
    from ennoshita.payroll.models import Payslip
    from ennoshita.payroll.services import runs as run_services

    from ..conftest import make_employee
    from .factories import make_grade, make_group, make_profile
    from .test_insurers import BANK, _books_cover, _punch_and_close

    settings_of(
        company,
        health_insurer="union",
        union_name="縁の下健康保険組合",
        union_health_rate=Decimal(90),
        union_health_employee_rate=Decimal(40),
        union_care_rate=Decimal(18),
        union_care_employee_rate=Decimal(9),
    )
    # in force today (and from May): 100/45 — but May's pay deducts April's premium (翌月徴収)
    UnionRateVersion.objects.create(
        company=company,
        effective_from=date(2026, 5, 1),
        name="縁の下健康保険組合",
        health_rate=Decimal(100),
        health_employee_rate=Decimal(45),
        care_rate=Decimal(18),
        care_employee_rate=Decimal(9),
    )
    group = make_group(company)
    taro = make_employee(company, hr, department, number="0001", birth_date=AGE_35, **BANK)
    make_profile(taro, hr.user, group)
    make_grade(taro, 300_000, effective_from=date(2025, 9, 1))
    _punch_and_close(company, hr, (taro,), date(2026, 4, 1))
    _books_cover(company, date(2026, 5, 25))
    run = run_services.create_run(
        company=company, actor=hr.user, membership=hr, pay_group=group, pay_month=date(2026, 5, 1)
    )
    slip = Payslip.objects.get(run=run, employee_number="0001")
    assert slip.inputs["insurance_months"] == ["2026-04"]
    assert (slip.health, slip.employer_health) == (12_000, 15_000)  # 300,000 × 40/1000 and × 50/1000
    assert slip.inputs["health_insurer"]["health_employee_rate"] == "40.000"
