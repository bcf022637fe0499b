"""給与の設定 — 健康保険の保険者 (協会けんぽ or a 健康保険組合 with its name and its rates) and the 住民税
納期の特例: the service's checks (a refusal writes nothing), the audit, the screen (the union's fields
shown only for a union), the API, and who may change them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll.models import PayrollSettings
from ennoshita.payroll.rules.insurance import UnionRates
from ennoshita.payroll.selectors.settings import payroll_settings_of
from ennoshita.payroll.services import settings as services

from ..apiclient import ApiClient, field_errors
from ..conftest import login

pytestmark = pytest.mark.django_db

UNION = services.SettingsInput(
    health_insurer="union",
    union_name="縁の下健康保険組合",
    union_health_rate=Decimal("90"),
    union_health_employee_rate=Decimal("40"),
    union_care_rate=Decimal("18.5"),
    union_care_employee_rate=Decimal("9.25"),
)


def w(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def audit_count(company):
    return AuditEvent.objects.filter(company=company, object_type="payroll.payrollsettings").count()


# ============================================================================ the service
def test_a_union_is_saved_audited_and_read_back_as_its_rates(company, hr):
    row = services.update_payroll_settings(**w(hr), data=UNION)
    assert (row.health_insurer, row.union_name, row.union_care_employee_rate) == (
        "union",
        "縁の下健康保険組合",
        Decimal("9.250"),
    )
    event = AuditEvent.objects.get(company=company, object_type="payroll.payrollsettings", action="update")
    changed = event.changes["fields"]
    assert changed["health_insurer"] == ["kyoukai", "union"]
    assert changed["union_health_employee_rate"] == ["0.000", "40.000"]
    assert services.union_rates_of(PayrollSettings.objects.get(company=company)).at(
        date(2026, 4, 1)
    ) == UnionRates(
        Decimal("90.000"), Decimal("40.000"), Decimal("18.500"), Decimal("9.250"), "縁の下健康保険組合"
    )


def test_kyoukai_has_no_union_rates_and_keeps_what_was_typed_for_the_union(company, hr):
    services.update_payroll_settings(**w(hr), data=UNION)
    row = services.update_payroll_settings(
        **w(hr), data=replace(UNION, health_insurer="kyoukai", union_name="", union_health_rate=Decimal(0))
    )
    assert services.union_rates_of(row) is None
    assert (row.union_name, row.union_health_rate) == ("縁の下健康保険組合", Decimal("90.000"))


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"union_name": "  "}, {"union_name"}),
        ({"union_health_rate": Decimal(0), "union_health_employee_rate": Decimal(0)},
         {"union_health_rate", "union_health_employee_rate"}),
        ({"union_health_employee_rate": Decimal("90.001")}, {"union_health_employee_rate"}),  # > total
        ({"union_health_rate": Decimal("200.001")}, {"union_health_rate"}),
        ({"union_health_rate": Decimal("90.0001")}, {"union_health_rate"}),  # 4 places
        ({"union_health_rate": Decimal("1e40")}, {"union_health_rate"}),
        ({"union_health_rate": Decimal("NaN")}, {"union_health_rate"}),
        ({"union_care_rate": Decimal(0), "union_care_employee_rate": Decimal(0)},
         {"union_care_rate", "union_care_employee_rate"}),  # 介護 rates are required too
        ({"union_care_employee_rate": Decimal(19)}, {"union_care_employee_rate"}),
        ({"union_care_employee_rate": Decimal(-1)}, {"union_care_employee_rate"}),
        ({"health_insurer": "nhi"}, {"health_insurer"}),
    ],
)  # fmt: skip
def test_a_bad_union_is_refused_on_its_field_and_nothing_is_written(company, hr, change, fields):
    payroll_settings_of(company=company)  # the row as a company has it once the screen is opened
    before = audit_count(company)
    with pytest.raises(ServiceError) as err:
        services.update_payroll_settings(**w(hr), data=replace(UNION, **change))
    assert set(err.value.field_errors) == fields
    row = PayrollSettings.objects.get(company=company)
    assert (row.health_insurer, row.union_name, row.union_health_rate) == ("kyoukai", "", Decimal(0))
    assert audit_count(company) == before


def test_the_employee_may_bear_the_whole_rate(company, hr):
    row = services.update_payroll_settings(
        **w(hr), data=replace(UNION, union_health_employee_rate=Decimal(90), union_care_employee_rate=Decimal("18.5"))
    )  # fmt: skip
    assert row.union_health_employee_rate == row.union_health_rate


def test_the_resident_tax_special_schedule_is_saved(company, hr):
    row = services.update_payroll_settings(
        **w(hr), data=services.SettingsInput(resident_tax_special_schedule=True)
    )
    assert PayrollSettings.objects.get(pk=row.pk).resident_tax_special_schedule is True


def test_an_employee_may_not_change_the_insurer(company, employee_member):
    before = audit_count(company)
    with pytest.raises(PermissionDeniedError):
        services.update_payroll_settings(**w(employee_member), data=UNION)
    assert not PayrollSettings.objects.filter(company=company, health_insurer="union").exists()
    assert audit_count(company) == before


# ============================================================================ the screen
FORM = {
    "withholding_method": "table",
    "proration_rule": "calendar",
    "prefecture": "東京都",
    "business": "一般",
    "annual_scheduled_hours": "2080",
    "anomaly_percent": "20",
}


def test_the_screen_shows_the_union_fields_only_for_a_union(client, company, hr):
    login(client, hr)
    page = client.get(reverse("payroll:settings")).content.decode()
    assert 'id="union-fields" data-insurer-only="union" hidden' in page
    assert 'name="resident_tax_special_schedule"' in page and 'name="health_insurer"' in page
    r = client.post(
        reverse("payroll:settings"),
        {
            **FORM,
            "health_insurer": "union",
            "union_name": "縁の下健康保険組合",
            "union_health_rate": "90",
            "union_health_employee_rate": "40",
            "union_care_rate": "18",
            "union_care_employee_rate": "9",
            "resident_tax_special_schedule": "on",
        },
    )
    assert r.status_code == 302
    row = PayrollSettings.objects.get(company=company)
    assert (row.health_insurer, row.union_health_rate, row.resident_tax_special_schedule) == (
        "union",
        Decimal("90.000"),
        True,
    )
    page = client.get(reverse("payroll:settings")).content.decode()
    assert 'id="union-fields" data-insurer-only="union">' in page  # shown
    assert 'value="縁の下健康保険組合"' in page


def test_the_screen_puts_the_union_errors_on_their_fields_and_writes_nothing(client, company, hr):
    login(client, hr)
    before = audit_count(company)
    r = client.post(
        reverse("payroll:settings"),
        {**FORM, "health_insurer": "union", "union_health_rate": "40", "union_health_employee_rate": "45"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "健康保険組合の名称を入力してください。" in html
    assert "健康保険料率の被保険者負担分は合計の率以下にしてください" in html
    assert "介護保険料率は0より大きく1000分の200以下で入力してください。" in html  # left empty
    assert 'id="union-fields" data-insurer-only="union">' in html  # kept open to correct
    assert PayrollSettings.objects.get(company=company).health_insurer == "kyoukai"
    assert audit_count(company) == before


def test_the_screen_is_not_for_employees(client, company, employee_member):
    login(client, employee_member)
    r = client.post(reverse("payroll:settings"), {**FORM, "health_insurer": "union"})
    assert r.status_code == 403
    assert not PayrollSettings.objects.filter(company=company, health_insurer="union").exists()


# ============================================================================ the API
def put(api, body):
    return api.client.put(
        api.prefix + "/payroll/settings",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        **api._headers(),
    )


def test_the_api_reads_and_writes_the_insurer_and_refuses_a_bad_union(client, company, hr, employee_member):
    api = ApiClient(client, hr)
    body = api.get("/payroll/settings").json()
    assert (body["health_insurer"], body["union_name"], body["resident_tax_special_schedule"]) == (
        "kyoukai",
        "",
        False,
    )
    r = put(api, {"health_insurer": "union", "union_name": "組合", "union_health_rate": "90"})
    assert r.status_code == 422
    assert set(field_errors(r)) == {
        "union_health_employee_rate",
        "union_care_rate",
        "union_care_employee_rate",
    }
    good = {
        "health_insurer": "union",
        "union_name": "縁の下健康保険組合",
        "union_health_rate": "91.5",
        "union_health_employee_rate": "40",
        "union_care_rate": "18",
        "union_care_employee_rate": "9",
        "resident_tax_special_schedule": True,
    }
    r = put(api, good)
    assert r.status_code == 200, r.content
    assert (r.json()["health_insurer"], Decimal(r.json()["union_health_rate"])) == ("union", Decimal("91.5"))
    assert r.json()["resident_tax_special_schedule"] is True
    denied = put(ApiClient(client, employee_member), {**good, "union_name": "別の組合"})
    assert denied.status_code == 403
    assert PayrollSettings.objects.get(company=company).union_name == "縁の下健康保険組合"
