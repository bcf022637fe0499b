"""/api/v1/purchasing/vendors and /bills: create, read, submit, withdraw; the error shapes."""

from __future__ import annotations

import pytest

from ennoshita.purchasing.models import Vendor, VendorBill

from ..apiclient import ApiClient, field_errors
from ..conftest import make_member
from .conftest import recent_day

pytestmark = pytest.mark.django_db


def _vendor_body(**kw):
    body = {
        "code": "V200",
        "name": "株式会社エーピーアイ",
        "registration_number": "T7000012050002",
        "bank_code": "0009",
        "branch_code": "001",
        "account_number": "123",
        "account_holder": "カブシキガイシャ エーピーアイ",
        "closing_day": 25,
        "payment_month_offset": 1,
        "payment_day": 10,
    }
    body.update(kw)
    return body


def _bill_body(vendor_id, org, **kw):
    body = {
        "vendor_id": vendor_id,
        "bill_date": recent_day().isoformat(),
        "vendor_reference": "X-1",
        "department_id": org.sales.pk,
        "lines": [{"description": "保守料", "account_code": "6370", "amount": "33,000"}],
    }
    body.update(kw)
    return body


def test_vendor_create_get_update_list(client, org):
    api = ApiClient(client, org.clerk)
    created = api.post("/purchasing/vendors", _vendor_body())
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["account_number"], data["account_holder"]) == ("0000123", "ｶ)ｴ-ﾋﾟ-ｱｲ")
    vid = data["id"]
    assert api.get(f"/purchasing/vendors/{vid}").json()["code"] == "V200"
    import json

    updated = client.put(
        f"/api/v1/purchasing/vendors/{vid}",
        json.dumps(_vendor_body(name="株式会社API"), ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.raw}",
    )
    assert updated.status_code == 200 and updated.json()["name"] == "株式会社API"
    page = api.get("/purchasing/vendors", {"q": "API"}).json()
    assert page["count"] == 1 and page["items"][0]["id"] == vid


def test_vendor_errors_are_422_on_their_fields(client, org):
    api = ApiClient(client, org.clerk)
    response = api.post("/purchasing/vendors", _vendor_body(bank_code="9999", account_holder="山田"))
    assert response.status_code == 422
    errors = field_errors(response)
    assert "9999" in errors["bank_code"][0] and "山" in errors["account_holder"][0]
    assert api.post("/purchasing/vendors", _vendor_body(closing_day=40)).status_code == 422
    assert not Vendor.objects.exists()


def test_bill_create_submit_withdraw(client, org, vendor):
    api = ApiClient(client, org.clerk)
    created = api.post("/purchasing/bills", _bill_body(vendor.pk, org))
    assert created.status_code == 201, created.content
    bill = created.json()
    assert (bill["status"], bill["total"], bill["tax_total"], bill["number"]) == ("draft", 33000, 3000, "")
    assert bill["lines"][0]["account_code"] == "6370"
    submitted = api.post(f"/purchasing/bills/{bill['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["number"].startswith("PB-")
    listed = api.get("/purchasing/bills", {"status": "submitted"}).json()
    assert [b["id"] for b in listed["items"]] == [bill["id"]]
    withdrawn = api.post(f"/purchasing/bills/{bill['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = api.post(f"/purchasing/bills/{bill['id']}/withdraw")
    assert again.status_code == 400


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"bill_date": "2099-01-01"}, "bill_date"),
        ({"lines": [{"description": "x", "account_code": "6370", "amount": "10.5"}]}, "lines.0.amount"),
        ({"lines": [{"description": "x", "account_code": "0000", "amount": 100}]}, "lines.0.account_code"),
    ],
)
def test_bill_errors_are_422_and_nothing_written(client, org, vendor, change, field):
    api = ApiClient(client, org.clerk)
    response = api.post("/purchasing/bills", _bill_body(vendor.pk, org, **change))
    assert response.status_code == 422, response.content
    assert field in field_errors(response)
    assert not VendorBill.objects.exists()


def test_employee_is_403_and_other_company_404(client, org, vendor, other_company):
    assert ApiClient(client, org.employee).get("/purchasing/vendors").status_code == 403
    stranger = make_member(other_company, "yoso-keiri", ["accounting"])
    api = ApiClient(client, stranger)
    assert api.get(f"/purchasing/vendors/{vendor.pk}").status_code == 404
    assert api.post("/purchasing/bills", _bill_body(vendor.pk, org)).status_code == 404
    assert not VendorBill.objects.exists()
