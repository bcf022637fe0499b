"""The settings screens and /api/v1/payroll/ settings endpoints: they render, they save through the
services, field errors come back on the field (400 on a screen, 422 in the API), an employee gets
403 and nothing is written."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ennoshita.payroll.models import (
    PayGroup,
    PayItem,
    PayProfile,
    PayrollSettings,
    ResidentTax,
    StandardRemuneration,
)

from ..apiclient import PROBLEM, ApiClient, field_errors
from ..conftest import login, make_employee, make_member
from .factories import make_group, make_profile

pytestmark = pytest.mark.django_db

SCREENS = [
    "settings",
    "group_list",
    "group_new",
    "item_list",
    "item_new",
    "employee_list",
    "resident_tax_import",
]


@pytest.fixture
def employee(company, hr, department):
    return make_employee(company, hr, department, number="1001", family_name="山田", given_name="太郎")


def test_every_screen_renders_for_hr_and_accounting(client, company, hr, employee):
    group = make_group(company)
    login(client, hr)
    for name in SCREENS:
        r = client.get(reverse(f"payroll:{name}"))
        assert r.status_code == 200, name
        assert reverse("payroll:employee_list") in r.content.decode()  # the links between the screens
    assert client.get(reverse("payroll:group_edit", args=[group.pk])).status_code == 200
    item = PayItem.objects.for_company(company).get(code="position")  # seeded by item_list
    assert client.get(reverse("payroll:item_edit", args=[item.pk])).status_code == 200
    assert client.get(reverse("payroll:employee_pay", args=[employee.pk])).status_code == 200
    login(client, make_member(company, "acc1", ["accounting"]))
    assert client.get(reverse("payroll:settings")).status_code == 200


def test_an_employee_is_refused_everywhere(client, company, hr, employee, employee_member):
    group = make_group(company)
    login(client, employee_member)
    for name in SCREENS:
        assert client.get(reverse(f"payroll:{name}")).status_code == 403, name
    assert client.get(reverse("payroll:employee_pay", args=[employee.pk])).status_code == 403
    r = client.post(
        reverse("payroll:group_edit", args=[group.pk]), {"code": "x", "name": "x", "is_active": ""}
    )
    assert r.status_code == 403
    assert not PayItem.objects.exists()  # not even the default items
    assert PayGroup.objects.get(pk=group.pk).name == "月給者"


def test_anonymous_is_sent_to_login(client):
    r = client.get(reverse("payroll:settings"))
    assert r.status_code == 302 and "login" in r["Location"]


def test_settings_screen_saves_and_shows_errors(client, company, hr):
    login(client, hr)
    form = {
        "withholding_method": "formula",
        "proration_rule": "calendar",
        "prefecture": "北海道",
        "business": "一般",
        "annual_scheduled_hours": "2085.8",
        "anomaly_percent": "20",
        "transfer_bank_code": "0001",
        "transfer_branch_code": "001",
        "transfer_account_type": "1",
        "transfer_account_number": "1234567",
        "transfer_requester_name": "エンノシタ",
    }
    r = client.post(reverse("payroll:settings"), form)
    assert r.status_code == 400
    assert "2,085.7時間以下" in r.content.decode()
    assert PayrollSettings.objects.get(company=company).prefecture == "東京都"
    r = client.post(reverse("payroll:settings"), {**form, "annual_scheduled_hours": "2040"})
    assert r.status_code == 302
    row = PayrollSettings.objects.get(company=company)
    assert (row.prefecture, row.withholding_method, row.transfer_requester_name) == (
        "北海道",
        "formula",
        "ｴﾝﾉｼﾀ",
    )


def test_group_and_item_screens(client, company, hr):
    login(client, hr)
    r = client.post(
        reverse("payroll:group_new"),
        {
            "code": "monthly",
            "name": "月給者",
            "closing_day": "0",
            "pay_day": "25",
            "pay_month_offset": "1",
            "is_active": "on",
            "sort_order": "0",
        },
    )
    assert r.status_code == 302
    group = PayGroup.objects.get(company=company, code="monthly")
    r = client.get(reverse("payroll:group_list"))
    assert "月給者" in r.content.decode() and "末締め" in r.content.decode()
    r = client.post(
        reverse("payroll:item_new"),
        {
            "code": "calc",
            "name": "計算手当",
            "kind": "payment",
            "source": "formula",
            "formula": "base.__class__",
            "sort_order": "0",
        },
    )
    assert r.status_code == 400 and "属性は使えません" in r.content.decode()
    r = client.post(
        reverse("payroll:item_new"),
        {
            "code": "calc",
            "name": "計算手当",
            "kind": "payment",
            "source": "formula",
            "formula": "position × 0.5",
            "taxable": "on",
            "sort_order": "0",
        },
    )
    assert r.status_code == 302
    item = PayItem.objects.get(company=company, code="calc")
    assert item.formula == "position * 0.5" and item.taxable and not item.premium_base
    r = client.post(reverse("payroll:item_delete", args=[item.pk]))
    assert r.status_code == 302 and not PayItem.objects.filter(pk=item.pk).exists()
    assert group.is_active


def test_employee_pay_screen_adds_each_kind_of_row(client, company, hr, employee):
    group = make_group(company)
    login(client, hr)
    url = reverse("payroll:employee_pay", args=[employee.pk])
    profile = {
        "form": "profile",
        "profile-effective_from": "2026-04",
        "profile-pay_group": str(group.pk),
        "profile-pay_type": "monthly",
        "profile-base_pay": "300000",
        "profile-commute_allowance": "10000",
        "profile-commute_exempt_limit": "150000",
        "profile-tax_column": "乙",
        "profile-dependents": "2",
        "profile-is_officer": "on",
        "profile-employment_insured": "on",
    }
    r = client.post(url, profile)
    assert r.status_code == 400 and "役員は雇用保険の被保険者になりません。" in r.content.decode()
    assert not PayProfile.objects.exists()
    del profile["profile-employment_insured"]
    r = client.post(url, profile, follow=True)
    assert r.status_code == 200
    assert "乙欄では扶養親族等の数を数えないため、0人にしました。" in r.content.decode()
    assert PayProfile.objects.get(employee=employee).dependents == 0
    r = client.post(
        url,
        {
            "form": "grade",
            "grade-effective_from": "2026-09",
            "grade-monthly_remuneration": "300000",
            "grade-reason": "annual",
        },
        follow=True,
    )
    # the grade shown is the rules' (健保 22級 300,000円・厚年 19級 300,000円)
    assert "健康保険 22級 300,000円・厚生年金 19級 300,000円" in r.content.decode()
    assert StandardRemuneration.objects.get(employee=employee).health_grade == 22
    r = client.post(
        url,
        {
            "form": "tax",
            "tax-fiscal_year": "2026",
            "tax-municipality_name": "千代田区",
            "tax-annual": "250300",
            "tax-june": "21500",
            "tax-monthly": "20000",
        },
    )
    assert r.status_code == 400 and "合いません" in r.content.decode()
    assert not ResidentTax.objects.exists()
    position = PayItem.objects.get(company=company, code="position") if PayItem.objects.exists() else None
    assert position is None  # the employee screen does not seed items; the item list does
    r = client.get(url + "?remuneration=300000&month=2026-09")
    assert "健康保険 22級" in r.content.decode()


def test_employee_list_filters_and_exports(client, company, hr, employee, department):
    group = make_group(company)
    make_profile(employee, hr.user, group)
    make_employee(company, hr, department, number="1002", family_name="佐藤", given_name="花子")
    login(client, hr)
    r = client.get(reverse("payroll:employee_list"), {"group": "none"})
    body = r.content.decode()
    assert 'data-employee="1002"' in body and 'data-employee="1001"' not in body
    r = client.get(reverse("payroll:employee_list"), {"q": "山田", "format": "csv"})
    text = r.content.decode("utf-8-sig")
    assert r["Content-Type"].startswith("text/csv")
    lines = text.strip().splitlines()
    assert lines[0].startswith("社員番号,氏名,適用開始月,支給グループ,給与形態,基本給")
    assert lines[1].startswith("1001,山田 太郎,2020-04,月給者,月給,300000") and len(lines) == 2
    r = client.get(reverse("payroll:employee_list"), {"format": "xlsx"})
    assert r.content[:2] == b"PK"


def test_resident_tax_import_screen(client, company, hr, employee):
    login(client, hr)
    url = reverse("payroll:resident_tax_import")
    bad = "年度,市区町村コード,市区町村名,社員番号,氏名,年税額,6月分,7月分\n2026,131016,千代田区,1001,,100,0,0\n"
    r = client.post(url, {"file": SimpleUploadedFile("a.csv", bad.encode("cp932"))})
    assert r.status_code == 400 and "2行目: 年税額" in r.content.decode()
    good = bad.replace(",100,0,0", ",250300,21500,20800")
    r = client.post(url, {"file": SimpleUploadedFile("a.csv", good.encode())}, follow=True)
    assert "1人分の住民税を取り込みました" in r.content.decode()
    assert ResidentTax.objects.get(employee=employee).june == 21_500


# ============================================================================ API
def put(api, path, body):
    return api.client.put(
        api.prefix + path,
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        **api._headers(),
    )


def delete(api, path):
    return api.client.delete(api.prefix + path, **api._headers())


def test_api_settings_roundtrip_and_422(client, company, hr):
    api = ApiClient(client, hr)
    assert api.get("/payroll/settings").json()["prefecture"] == "東京都"
    r = put(api, "/payroll/settings", {"prefecture": "大阪", "transfer_account_number": "1"})
    assert r.status_code == 422
    assert "prefecture" in field_errors(r)
    r = put(api, "/payroll/settings", {"prefecture": "大阪府", "transfer_account_number": "1"})
    assert r.status_code == 200 and r.json()["transfer_account_number"] == "0000001"
    r = put(api, "/payroll/settings", {"annual_scheduled_hours": "3000"})
    assert r.status_code == 422 and "annual_scheduled_hours" in field_errors(r)


def test_api_groups_items_and_delete_in_use(client, company, hr, employee):
    api = ApiClient(client, hr)
    r = api.post("/payroll/groups", {"code": "monthly", "name": "月給者"})
    assert r.status_code == 201, r.content
    group_id = r.json()["id"]
    make_profile(employee, hr.user, PayGroup.objects.get(pk=group_id))
    r = put(api, f"/payroll/groups/{group_id}", {"code": "monthly", "name": "月給者", "is_active": False})
    assert r.status_code == 422 and "is_active" in field_errors(r)
    assert api.get(f"/payroll/groups/{group_id}").json()["members"] == 1
    items = api.get("/payroll/items").json()
    assert [i["code"] for i in items][:3] == ["position", "family", "housing"]
    r = api.post(
        "/payroll/items",
        {"code": "bad", "name": "悪い", "kind": "payment", "source": "formula", "formula": "open(1)"},
    )
    assert r.status_code == 422 and "使えません" in field_errors(r)["formula"][0]
    position = next(i for i in items if i["code"] == "position")
    r = api.post(
        f"/payroll/employees/{employee.pk}/pay-items",
        {"item_id": position["id"], "effective_from": "2026-04-01", "amount": 20000},
    )
    assert r.status_code == 201, r.content
    r = delete(api, f"/payroll/items/{position['id']}")
    assert r.status_code == 409 and r["Content-Type"] == PROBLEM
    savings = next(i for i in items if i["code"] == "savings")
    assert delete(api, f"/payroll/items/{savings['id']}").status_code == 204


def test_api_employee_rows(client, company, hr, employee):
    group = make_group(company)
    api = ApiClient(client, hr)
    base = f"/payroll/employees/{employee.pk}"
    r = api.post(
        base + "/profiles",
        {
            "effective_from": "2026-04-01",
            "pay_group_id": group.pk,
            "base_pay": 250000,
            "tax_column": "乙",
            "dependents": 1,
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["dependents"] == 0 and r.json()["notices"]
    r = api.post(
        base + "/profiles", {"effective_from": "2026-04-01", "pay_group_id": group.pk, "base_pay": 260000}
    )
    assert r.json()["replaced"] is True
    assert [p["base_pay"] for p in api.get(base + "/profiles").json()] == [260000]
    r = api.post(
        base + "/grades", {"effective_from": "2026-09-01", "monthly_remuneration": 260000, "reason": "annual"}
    )
    # 260,000: 健保 20級 (250,000–270,000) 260,000円; 厚年 17級 260,000円
    assert r.status_code == 201 and (r.json()["health_grade"], r.json()["pension_grade"]) == (20, 17)
    # 200 + 100 × 11 = 1,300
    r = api.post(
        base + "/resident-taxes",
        {"fiscal_year": 2026, "municipality_name": "千代田区", "annual": 1300, "june": 200, "monthly": 100},
    )
    assert r.status_code == 201, r.content
    assert r.json()["annual"] == 1300


def test_api_refusals_write_nothing(client, company, hr, employee, employee_member):
    group = make_group(company)
    api = ApiClient(client, hr)
    base = f"/payroll/employees/{employee.pk}"
    r = api.post(
        base + "/resident-taxes",
        {"fiscal_year": 2026, "municipality_name": "千代田区", "annual": 1300, "june": 200, "monthly": 120},
    )
    assert r.status_code == 422 and "annual" in field_errors(r)
    r = api.post(
        base + "/profiles", {"effective_from": "2026-04-15", "pay_group_id": group.pk, "base_pay": 1}
    )
    assert r.status_code == 422 and "effective_from" in field_errors(r)
    assert api.get(base + "/profiles").json() == [] and not ResidentTax.objects.exists()
    assert api.get("/payroll/employees/999999/profiles").status_code == 404
    other = ApiClient(client, employee_member)
    for path in (
        "/payroll/settings",
        "/payroll/groups",
        "/payroll/items",
        "/payroll/employees",
        base + "/profiles",
    ):
        assert other.get(path).status_code == 403, path
    r = other.post("/payroll/groups", {"code": "x", "name": "x"})
    assert r.status_code == 403 and not PayGroup.objects.filter(code="x").exists()
    assert not PayItem.objects.exists()


def test_api_employee_list_and_import(client, company, hr, employee):
    api = ApiClient(client, hr)
    body = api.get("/payroll/employees", {"q": "1001"}).json()
    assert body["count"] == 1 and body["items"][0]["effective_from"] is None
    csv = "年度,市区町村コード,市区町村名,社員番号,氏名,年税額,6月分,7月分\n2026,131016,千代田区,1001,山田太郎,250300,21500,20800\n"
    r = client.post(
        "/api/v1/payroll/resident-taxes/import",
        {"file": SimpleUploadedFile("n.csv", csv.encode("cp932"))},
        **api._headers(),
    )
    assert r.status_code == 200, r.content
    assert r.json() == {"created": 1, "replaced": 0}
    r = client.post(
        "/api/v1/payroll/resident-taxes/import",
        {"file": SimpleUploadedFile("n.csv", csv.replace("250300", "250301").encode())},
        **api._headers(),
    )
    assert r.status_code == 422 and "2行目" in field_errors(r)["file"][0]
    assert ResidentTax.objects.get(employee=employee).annual == 250_300
