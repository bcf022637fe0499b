"""/api/v1/sales/: customers, contacts and products through a token.

Personas: 営業事務 (sales_admin) writes, 財務 (finance) reads, 人事 (hr) neither, and the outsider
(another company) sees 404 for our ids."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ennoshita.core.models import AuditEvent
from ennoshita.sales import services
from ennoshita.sales.models import Contact, Customer, Product

from ..apiclient import ApiClient, field_errors
from ..conftest import make_member

CORP = "8700110005901"


class SalesApi(ApiClient):
    def delete(self, path: str) -> Any:
        return self.client.delete(self.prefix + path, **self._headers())


def who(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def state() -> tuple[int, int, int, int]:
    return (
        Customer.objects.count(),
        Contact.objects.count(),
        Product.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def api(client, sales_admin) -> SalesApi:
    return SalesApi(client, sales_admin)


@pytest.fixture
def customer(sales_admin):
    return services.create_customer(
        **who(sales_admin),
        code="C001",
        name="株式会社山田商事",
        name_kana="ヤマダショウジ",
        corporate_number=CORP,
    )


# ------------------------------------------------------------------ customers
def test_create_and_get(api):
    r = api.post(
        "/sales/customers",
        {
            "code": "C100",
            "name": "株式会社テスト",
            "name_kana": "てすと",
            "corporate_number": "８７００１１０００５９０１",
            "registration_number": "T8700110005901",
            "postal_code": "〒100-0001",
            "closing_day": 20,
            "payment_months_after": 1,
            "payment_day": 10,
            "credit_limit": "1,000,000",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name_kana"] == "テスト"
    assert body["corporate_number"] == CORP
    assert body["registration_status"] == "registered"
    assert body["postal_code"] == "100-0001"
    assert body["credit_limit"] == 1_000_000
    assert body["terms_label"] == "20日締め翌月10日払い"
    assert body["terms"]["label"] == "20日締め翌月10日払い"
    assert body["contacts"] == []
    got = api.get(f"/sales/customers/{body['id']}")
    assert got.status_code == 200
    assert got.json()["terms"]["example_due_date"] == body["terms"]["example_due_date"]


def test_list_search_filter_and_page(api, sales_admin, customer):
    services.create_customer(
        **who(sales_admin), code="C002", name="田中工業", registration_status="not_registered"
    )
    services.create_customer(**who(sales_admin), code="C003", name="佐藤商店", is_active=False)
    r = api.get("/sales/customers", {"q": "やまだ"})
    assert r.status_code == 200
    assert [c["code"] for c in r.json()["items"]] == ["C001"]
    r = api.get("/sales/customers", {"registration": "not_registered"})
    assert [c["code"] for c in r.json()["items"]] == ["C002"]
    r = api.get("/sales/customers", {"status": "all", "limit": 2, "offset": 1})
    body = r.json()
    assert body["count"] == 3 and [c["code"] for c in body["items"]] == ["C002", "C003"]
    r = api.get("/sales/customers", {"status": "maybe"})
    assert r.status_code == 422 and "status" in field_errors(r)


def test_duplicate_corporate_number_is_a_400_on_the_field(api, customer):
    before = state()
    r = api.post("/sales/customers", {"code": "C200", "name": "別名", "corporate_number": CORP})
    assert r.status_code == 400
    assert field_errors(r)["corporate_number"] == [
        f"法人番号 {CORP} は得意先「C001 株式会社山田商事」で登録されています。"
    ]
    assert state() == before


def test_similar_name_needs_allow_similar_name(api, customer):
    r = api.post("/sales/customers", {"code": "C200", "name": "(株)山田商事"})
    assert r.status_code == 400
    assert r.json()["code"] == "similar_name"
    assert "C001 株式会社山田商事" in field_errors(r)["name"][0]
    r = api.post("/sales/customers", {"code": "C200", "name": "(株)山田商事", "allow_similar_name": True})
    assert r.status_code == 201


def test_bad_input_is_said_on_each_field(api):
    before = state()
    r = api.post(
        "/sales/customers",
        {
            "code": "C1",
            "name": "x",
            "corporate_number": "8700110005902",
            "registration_number": "T12",
            "phone": "1",
        },
    )
    assert r.status_code == 400
    errors = field_errors(r)
    assert set(errors) == {"corporate_number", "registration_number", "phone"}
    r = api.post("/sales/customers", {"code": "C1", "name": "x", "closing_day": 0, "surprise": 1})
    assert r.status_code == 422
    assert set(field_errors(r)) == {"closing_day", "surprise"}
    r = api.post("/sales/customers", raw_body="{not json")
    assert r.status_code in (400, 422)
    assert state() == before


def test_patch_changes_only_what_is_sent(api, customer):
    r = api.patch(
        f"/sales/customers/{customer.pk}", {"phone": "０３-１２３４-５６７８", "credit_limit": 300000}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["phone"] == "03-1234-5678" and body["credit_limit"] == 300000
    assert body["name"] == "株式会社山田商事" and body["corporate_number"] == CORP
    r = api.patch(f"/sales/customers/{customer.pk}", {"credit_limit": None})
    assert r.json()["credit_limit"] is None
    r = api.patch(f"/sales/customers/{customer.pk}", {"name": None})
    assert r.status_code == 422


def test_deactivate_reactivate_delete(api, customer):
    r = api.post(f"/sales/customers/{customer.pk}/deactivate")
    assert r.status_code == 200 and r.json()["is_active"] is False
    r = api.post(f"/sales/customers/{customer.pk}/reactivate")
    assert r.status_code == 200 and r.json()["is_active"] is True
    r = api.delete(f"/sales/customers/{customer.pk}")
    assert r.status_code == 204
    assert Customer.objects.count() == 0


def test_contacts(api, customer):
    r = api.post(f"/sales/customers/{customer.pk}/contacts", {"name": "佐藤", "email": "sato@example.jp"})
    assert r.status_code == 201
    contact_id = r.json()["id"]
    r = api.get(f"/sales/customers/{customer.pk}/contacts")
    assert [c["name"] for c in r.json()] == ["佐藤"]
    assert api.get(f"/sales/customers/{customer.pk}").json()["contacts"][0]["id"] == contact_id
    r = api.post(f"/sales/customers/{customer.pk}/contacts", {"name": "", "email": "bad"})
    assert r.status_code == 400 and set(field_errors(r)) == {"name", "email"}
    r = api.delete(f"/sales/customers/{customer.pk}/contacts/{contact_id}")
    assert r.status_code == 204 and Contact.objects.count() == 0


# ------------------------------------------------------------------ products
def test_products(api):
    r = api.post(
        "/sales/products", {"code": "P1", "name": "お茶", "unit": "本", "unit_price": 98.5, "tax": "S8R"}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["unit_price"] == "98.5" and body["is_reduced_rate"] is True
    pid = body["id"]
    r = api.post("/sales/products", {"code": "P2", "name": "x", "unit_price": "1.23456"})
    assert r.status_code == 400
    assert field_errors(r) == {"unit_price": ["単価は小数点以下4桁までで入力してください。"]}
    r = api.post("/sales/products", {"code": "P2", "name": "x", "tax": "S99"})
    assert r.status_code == 422 and "tax" in field_errors(r)
    r = api.patch(f"/sales/products/{pid}", {"unit_price": "100"})
    assert r.json()["unit_price"] == "100" and r.json()["tax"] == "S8R"
    r = api.post(f"/sales/products/{pid}/deactivate")
    assert r.json()["is_active"] is False
    assert api.get("/sales/products").json()["count"] == 0
    r = api.get("/sales/products", {"status": "inactive", "q": "茶"})
    assert [p["code"] for p in r.json()["items"]] == ["P1"]
    r = api.post(f"/sales/products/{pid}/reactivate")
    assert r.json()["is_active"] is True
    assert api.get(f"/sales/products/{pid}").json()["name"] == "お茶"


# ------------------------------------------------------------------ roles and tenancy
def test_a_reader_reads_and_cannot_write(client, company, customer):
    reader = SalesApi(client, make_member(company, "zaimu", ["finance"]))
    assert reader.get("/sales/customers").status_code == 200
    before = state()
    assert reader.post("/sales/customers", {"code": "X", "name": "y"}).status_code == 403
    assert reader.patch(f"/sales/customers/{customer.pk}", {"name": "y"}).status_code == 403
    assert reader.post(f"/sales/customers/{customer.pk}/deactivate").status_code == 403
    assert reader.post(f"/sales/customers/{customer.pk}/contacts", {"name": "y"}).status_code == 403
    assert reader.delete(f"/sales/customers/{customer.pk}").status_code == 403
    assert reader.post("/sales/products", {"code": "X", "name": "y"}).status_code == 403
    assert state() == before


def test_hr_gets_403(client, hr):
    api = SalesApi(client, hr)
    assert api.get("/sales/customers").status_code == 403
    assert api.get("/sales/products").status_code == 403


def test_another_company_gets_404(client, outsider, customer, sales_admin):
    contact = services.add_contact(**who(sales_admin), customer=customer, name="佐藤")
    product = services.create_product(**who(sales_admin), code="P1", name="品")
    api = SalesApi(client, outsider)
    before = state()
    assert api.get(f"/sales/customers/{customer.pk}").status_code == 404
    assert api.patch(f"/sales/customers/{customer.pk}", {"name": "x"}).status_code == 404
    assert api.post(f"/sales/customers/{customer.pk}/deactivate").status_code == 404
    assert api.delete(f"/sales/customers/{customer.pk}").status_code == 404
    assert api.get(f"/sales/customers/{customer.pk}/contacts").status_code == 404
    assert api.delete(f"/sales/customers/{customer.pk}/contacts/{contact.pk}").status_code == 404
    assert api.get(f"/sales/products/{product.pk}").status_code == 404
    assert api.patch(f"/sales/products/{product.pk}", {"name": "x"}).status_code == 404
    assert api.get("/sales/customers").json()["count"] == 0
    assert state() == before


def test_no_token_is_401(client):
    r = client.get("/api/v1/sales/customers")
    assert r.status_code == 401
    assert json.loads(r.content)["status"] == 401


def test_list_query_count_is_flat(api, sales_admin, django_assert_max_num_queries):
    for n in range(5):
        c = services.create_customer(**who(sales_admin), code=f"X{n}", name=f"会社{n}")
        services.add_contact(**who(sales_admin), customer=c, name="担当")
    api.get("/sales/customers")
    with django_assert_max_num_queries(10) as ctx:
        api.get("/sales/customers")
    few = len(ctx.captured_queries)
    for n in range(5, 25):
        c = services.create_customer(**who(sales_admin), code=f"X{n}", name=f"会社{n}")
        services.add_contact(**who(sales_admin), customer=c, name="担当")
    with django_assert_max_num_queries(few):
        r = api.get("/sales/customers")
    assert r.json()["count"] == 25
