"""社員の給与設定: the 被保険者整理番号 (printed first on the 算定基礎届 and 月額変更届) and the employee's
request to have the rest of the 住民税 collected on leaving — saved by the form, the service and the
API, shown on the screen; a malformed number is refused on its field and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ennoshita.payroll.models import PayProfile

from ..apiclient import ApiClient, field_errors
from ..conftest import login, make_employee
from .factories import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def employee(company, hr, department):
    return make_employee(company, hr, department, number="1001", family_name="山田", given_name="太郎")


def profile_form(group, **extra):
    return {
        "form": "profile",
        "profile-effective_from": "2026-04",
        "profile-pay_group": str(group.pk),
        "profile-pay_type": "monthly",
        "profile-base_pay": "300000",
        "profile-commute_allowance": "10000",
        "profile-commute_exempt_limit": "150000",
        "profile-tax_column": "甲",
        "profile-dependents": "0",
        "profile-health_insured": "on",
        "profile-employment_insured": "on",
        **extra,
    }


def test_the_form_saves_the_insured_number_and_the_lump_sum_request(client, company, hr, employee):
    group = make_group(company)
    login(client, hr)
    url = reverse("payroll:employee_pay", args=[employee.pk])
    page = client.get(url).content.decode()
    assert "被保険者整理番号" in page and "退職時に住民税の残りを一括徴収" in page
    # 全角 digits are stored as 半角.
    r = client.post(
        url,
        profile_form(group, **{"profile-insured_number": "１２３", "profile-resident_tax_lump_sum": "on"}),
        follow=True,
    )
    assert r.status_code == 200
    row = PayProfile.objects.get(employee=employee)
    assert (row.insured_number, row.resident_tax_lump_sum) == ("123", True)
    text = r.content.decode()
    assert '<td class="insured-number">123</td>' in text and "一括徴収(申出あり)" in text
    # The next month's form starts from the row in force.
    assert 'value="123"' in client.get(url).content.decode()


def test_a_malformed_insured_number_is_refused_on_its_field(client, company, hr, employee):
    group = make_group(company)
    login(client, hr)
    url = reverse("payroll:employee_pay", args=[employee.pk])
    r = client.post(url, profile_form(group, **{"profile-insured_number": "12-3"}))
    assert r.status_code == 400
    assert "被保険者整理番号は10文字以内の半角英数字で入力してください。" in r.content.decode()
    assert not PayProfile.objects.exists()


def test_the_api_takes_and_gives_both_fields(client, company, hr, employee):
    group = make_group(company)
    api = ApiClient(client, hr)
    base = f"/payroll/employees/{employee.pk}/profiles"
    r = api.post(
        base,
        {
            "effective_from": "2026-04-01",
            "pay_group_id": group.pk,
            "base_pay": 300000,
            "insured_number": "A12",
            "resident_tax_lump_sum": True,
        },
    )
    assert r.status_code == 201, r.content
    assert (r.json()["insured_number"], r.json()["resident_tax_lump_sum"]) == ("A12", True)
    (listed,) = api.get(base).json()
    assert (listed["insured_number"], listed["resident_tax_lump_sum"]) == ("A12", True)
    bad = api.post(
        base,
        {"effective_from": "2026-05-01", "pay_group_id": group.pk, "base_pay": 1, "insured_number": "番号"},
    )
    assert bad.status_code == 422 and "insured_number" in field_errors(bad)
    assert PayProfile.objects.count() == 1
