"""/api/v1/sales/: quotes, orders, invoices, credit notes, payments and receivables through a token.

Personas: 営業事務 (sales_admin) writes the documents, 経理 (accounting) records payments, the
manager reads and may not write, 人事 (hr) may do neither, and the outsider (admin of another
company) sees 404 for our ids and 400 for our ids inside a body."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from ennoshita.core.models import AuditEvent
from ennoshita.ledger.models import JournalEntry
from ennoshita.sales import services
from ennoshita.sales.models import DeliveryNote, Invoice, Order, Payment, Quote

from ..apiclient import PROBLEM, ApiClient, field_errors
from ..conftest import make_member

DAY = date(2026, 6, 10)


class SalesApi(ApiClient):
    """ApiClient plus PUT and DELETE."""

    def put(self, path: str, body: Any) -> Any:
        data = json.dumps(body, ensure_ascii=False)
        return self.client.put(self.prefix + path, data, content_type="application/json", **self._headers())

    def delete(self, path: str) -> Any:
        return self.client.delete(self.prefix + path, **self._headers())


def who(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def state() -> tuple[int, ...]:
    """Everything a sales request could write; a refused request leaves all of it unchanged."""
    return (
        Quote.objects.count(),
        Order.objects.count(),
        DeliveryNote.objects.count(),
        Invoice.objects.count(),
        Payment.objects.count(),
        JournalEntry.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def api(client, books, sales_admin) -> SalesApi:
    return SalesApi(client, sales_admin)


@pytest.fixture
def keiri(client, books, accountant) -> SalesApi:
    return SalesApi(client, accountant)


@pytest.fixture
def customer(sales_admin):
    return services.create_customer(
        **who(sales_admin), code="C001", name="株式会社山田商事", name_kana="ヤマダショウジ"
    )


@pytest.fixture
def products(sales_admin):
    return {
        "consulting": services.create_product(
            **who(sales_admin),
            code="P1",
            name="コンサルティング",
            unit="時間",
            unit_price="12345.5",
            tax="S10",
        ),
        "coffee": services.create_product(
            **who(sales_admin), code="P2", name="コーヒー豆", unit="袋", unit_price=1111, tax="S8R"
        ),
    }


def quote_body(customer, products, **kw: Any) -> dict[str, Any]:
    return {
        "customer_id": customer.pk,
        "date": DAY.isoformat(),
        "valid_until": "2026-07-10",
        "subject": "6月分",
        "lines": [
            {"product_id": products["consulting"].pk, "quantity": "10"},
            {"product_id": products["coffee"].pk, "quantity": 4},
        ],
        **kw,
    }


def simple_invoice(api: SalesApi, customer, **kw: Any) -> dict[str, Any]:
    body = {
        "customer_id": customer.pk,
        "date": DAY.isoformat(),
        "lines": [{"description": "作業", "quantity": "1", "unit_price": "1000", "tax": "S10"}],
        **kw,
    }
    r = api.post("/sales/invoices", body)
    assert r.status_code == 201, r.content
    return r.json()


# ------------------------------------------------------------------ the whole flow
def test_quote_to_cash_through_the_api(api, keiri, company, customer, products):
    # 見積: the product fills in name, price, tax and unit
    r = api.post("/sales/quotes", quote_body(customer, products))
    assert r.status_code == 201, r.content
    quote = r.json()
    assert quote["status"] == "draft" and quote["revision"] == 1 and quote["number"].startswith("Q-")
    assert [(ln["description"], ln["unit"], ln["unit_price"], ln["tax"]) for ln in quote["lines"]] == [
        ("コンサルティング", "時間", "12345.5", "S10"),
        ("コーヒー豆", "袋", "1111", "S8R"),
    ]
    # 10% 123,455 → tax 12,345 (floor); 8% 4,444 → 355
    assert quote["rate_totals"] == [
        {"rate": 10, "reduced": False, "base": 123455, "tax": 12345, "total": 135800},
        {"rate": 8, "reduced": True, "base": 4444, "tax": 355, "total": 4799},
    ]
    assert (quote["subtotal"], quote["tax_total"], quote["total"]) == (127899, 12700, 140599)
    assert quote["customer"] == {"id": customer.pk, "code": "C001", "name": "株式会社山田商事"}

    r = api.post(f"/sales/quotes/{quote['id']}/send")
    assert r.status_code == 200 and r.json()["status"] == "sent"
    r = api.put(
        f"/sales/quotes/{quote['id']}",
        {k: v for k, v in quote_body(customer, products).items() if k != "customer_id"},
    )
    assert r.status_code == 400  # a sent quote is changed by a revision

    # 受注
    r = api.post(
        f"/sales/quotes/{quote['id']}/accept", {"date": DAY.isoformat(), "customer_reference": "PO-7"}
    )
    assert r.status_code == 201, r.content
    order = r.json()
    assert order["status"] == "open" and order["quote_id"] == quote["id"] and order["total"] == 140599
    assert order["customer_reference"] == "PO-7"
    assert api.get(f"/sales/quotes/{quote['id']}").json()["order_ids"] == [order["id"]]
    consulting, coffee = order["lines"]
    assert (consulting["ordered"], consulting["delivered"], consulting["invoiced"]) == ("10", "0", "0")

    # 納品書: 6 of the 10 hours
    r = api.post(
        f"/sales/orders/{order['id']}/deliveries",
        {"date": "2026-06-25", "quantities": {str(consulting["id"]): "6", str(coffee["id"]): 4}},
    )
    assert r.status_code == 201, r.content
    assert r.json()["number"].startswith("DN-")
    line = api.get(f"/sales/orders/{order['id']}").json()["lines"][0]
    assert (line["delivered"], line["to_deliver"]) == ("6", "4")

    # 請求書 (下書き) for part of the order: what the lines leave out comes from the order lines
    r = api.post(
        "/sales/invoices",
        {
            "customer_id": customer.pk,
            "date": "2026-06-30",
            "lines": [
                {"order_line_id": consulting["id"], "quantity": "6"},
                {"order_line_id": coffee["id"], "quantity": "4"},
            ],
        },
    )
    assert r.status_code == 201, r.content
    draft = r.json()
    assert (draft["status"], draft["number"], draft["journal_entry_id"], draft["open_amount"]) == (
        "draft",
        "",
        None,
        0,
    )
    assert draft["order_ids"] == [order["id"]]
    assert [ln["order_line_id"] for ln in draft["lines"]] == [consulting["id"], coffee["id"]]
    line = api.get(f"/sales/orders/{order['id']}").json()["lines"][0]
    assert (line["invoiced"], line["invoiced_issued"], line["to_invoice"]) == ("6", "0", "4")

    # 発行: number, issuer, due date from the terms (月末締め翌月末払い), posted
    r = api.post(f"/sales/invoices/{draft['id']}/issue")
    assert r.status_code == 200, r.content
    invoice = r.json()
    total = 74073 + 7407 + 4444 + 355
    assert invoice["number"] == "INV-2026-000001" and invoice["status"] == "issued"
    assert invoice["due_date"] == "2026-07-31"
    assert invoice["issuer_name"] == company.name
    assert invoice["customer_name"] == "株式会社山田商事 御中"
    assert invoice["rate_totals"] == [
        {"rate": 10, "reduced": False, "base": 74073, "tax": 7407, "total": 81480},
        {"rate": 8, "reduced": True, "base": 4444, "tax": 355, "total": 4799},
    ]
    assert invoice["total"] == invoice["open_amount"] == total
    assert [ln["is_reduced_rate"] for ln in invoice["lines"]] == [False, True]
    assert invoice["journal_entry_id"] == JournalEntry.objects.get(source_type="sales.invoice").pk
    assert invoice["issued_by"]["id"] == api_user_id(api)
    assert api.get(f"/sales/orders/{order['id']}").json()["status"] == "partly_invoiced"

    # 入金 with the bank fee deducted by the customer
    r = keiri.post(
        "/sales/payments",
        {
            "customer_id": customer.pk,
            "date": "2026-07-31",
            "amount": "49,560",
            "fee": 440,
            "payer_name": "ﾔﾏﾀﾞｼｮｳｼﾞ",
            "allocations": [{"invoice_id": invoice["id"], "amount": 50000}],
        },
    )
    assert r.status_code == 201, r.content
    pay1 = r.json()
    assert (pay1["amount"], pay1["fee"], pay1["applied"], pay1["unapplied"]) == (49560, 440, 50000, 0)
    assert pay1["allocations"] == [
        {"invoice_id": invoice["id"], "invoice_number": "INV-2026-000001", "amount": 50000}
    ]
    assert pay1["journal_entry_id"] is not None
    got = api.get(f"/sales/invoices/{invoice['id']}").json()
    assert got["open_amount"] == total - 50000
    assert got["allocations"] == [{"payment_id": pay1["id"], "date": "2026-07-31", "amount": 50000}]

    # 返還請求書: one bag of coffee returned
    r = api.post(
        f"/sales/invoices/{invoice['id']}/credit",
        {
            "date": "2026-08-05",
            "reason": "返品(破損)",
            "lines": [{"description": "コーヒー豆 返品", "quantity": 1, "unit_price": "1111", "tax": "S8R"}],
        },
    )
    assert r.status_code == 201, r.content
    credit = r.json()
    assert credit["kind"] == "credit" and credit["number"] == "CN-2026-000001"
    assert credit["credit_of"] == {"id": invoice["id"], "number": "INV-2026-000001"}
    assert credit["rate_totals"] == [{"rate": 8, "reduced": True, "base": 1111, "tax": 88, "total": 1199}]
    assert credit["reason"] == "返品(破損)" and credit["journal_entry_id"] is not None
    got = api.get(f"/sales/invoices/{invoice['id']}").json()
    assert got["open_amount"] == total - 50000 - 1199
    assert got["credits"] == [
        {"id": credit["id"], "number": "CN-2026-000001", "date": "2026-08-05", "total": 1199}
    ]

    # a credit beyond what is open: 400 on the lines, nothing written
    before = state()
    r = api.post(
        f"/sales/invoices/{invoice['id']}/credit",
        {
            "date": "2026-08-05",
            "reason": "値引",
            "lines": [{"description": "値引", "quantity": 1, "unit_price": 10**6}],
        },
    )
    assert r.status_code == 400 and "lines" in field_errors(r)
    assert state() == before

    # the final payment, allocated automatically, pays 1,000 more: 前受金
    rest = total - 50000 - 1199
    r = keiri.post(
        "/sales/payments",
        {"customer_id": customer.pk, "date": "2026-08-31", "amount": rest + 1000, "auto_allocate": True},
    )
    assert r.status_code == 201, r.content
    pay2 = r.json()
    assert pay2["unapplied"] == 1000
    assert [(a["invoice_id"], a["amount"]) for a in pay2["allocations"]] == [(invoice["id"], rest)]
    assert api.get(f"/sales/invoices/{invoice['id']}").json()["open_amount"] == 0

    # lists
    assert api.get("/sales/invoices", {"unpaid_only": True}).json()["count"] == 0
    r = api.get("/sales/invoices", {"kind": "credit"}).json()
    assert [i["number"] for i in r["items"]] == ["CN-2026-000001"]
    r = api.get("/sales/payments", {"customer_id": customer.pk}).json()
    assert [p["id"] for p in r["items"]] == [pay2["id"], pay1["id"]]

    # 売掛金: nothing open, 1,000 of 前受金
    r = api.get("/sales/receivables/balances", {"as_of": "2026-09-30"})
    assert r.status_code == 200
    assert r.json()["items"] == [
        {
            "customer": {"id": customer.pk, "code": "C001", "name": "株式会社山田商事"},
            "receivable": 0,
            "advances": 1000,
            "net": -1000,
        }
    ]
    r = api.get("/sales/receivables/aging", {"as_of": "2026-09-30"}).json()
    assert r["rows"] == [] and r["totals"]["total"] == 0

    # 得意先元帳: +invoice, −payment, −fee, −credit, −payment; closes at −1,000 (前受金)
    r = api.get(f"/sales/customers/{customer.pk}/ledger", {"start": "2026-06-01", "end": "2026-08-31"})
    assert r.status_code == 200, r.content
    ledger = r.json()
    assert ledger["opening"] == 0 and ledger["closing"] == -1000
    assert [(row["kind"], row["debit"], row["credit"]) for row in ledger["rows"]] == [
        ("invoice", total, 0),
        ("payment", 0, 49560),
        ("fee", 0, 440),
        ("credit", 0, 1199),
        ("payment", 0, rest + 1000),
    ]
    assert ledger["rows"][0]["invoice_id"] == invoice["id"] and ledger["rows"][1]["payment_id"] == pay1["id"]


def api_user_id(api: SalesApi) -> int:
    from ennoshita.core.services import authenticate_api_token

    return authenticate_api_token(api.raw).user_id


def test_aging_and_open_balances(api, keiri, customer):
    invoice = simple_invoice(api, customer, due_date="2026-07-31")
    api.post(f"/sales/invoices/{invoice['id']}/issue")
    r = api.get("/sales/receivables/aging", {"as_of": "2026-09-15"})
    assert r.status_code == 200
    body = r.json()
    assert body["as_of"] == "2026-09-15"
    assert body["rows"][0]["customer"]["code"] == "C001"
    assert (body["rows"][0]["days_31_60"], body["totals"]["total"]) == (1100, 1100)
    r = api.get("/sales/receivables/balances", {"as_of": "2026-09-15"}).json()
    assert (r["receivable"], r["advances"]) == (1100, 0)
    r = api.get("/sales/invoices", {"overdue_only": True, "as_of": "2026-08-01"}).json()
    assert [i["id"] for i in r["items"]] == [invoice["id"]]
    assert api.get("/sales/invoices", {"overdue_only": True, "as_of": "2026-07-31"}).json()["count"] == 0


# ------------------------------------------------------------------ quotes
def test_revise_decline_and_accept_rules(api, customer, products):
    quote = api.post("/sales/quotes", quote_body(customer, products)).json()
    body = {k: v for k, v in quote_body(customer, products).items() if k != "customer_id"}
    r = api.put(f"/sales/quotes/{quote['id']}", {**body, "subject": "改題", "lines": body["lines"][:1]})
    assert r.status_code == 200, r.content
    assert r.json()["subject"] == "改題" and len(r.json()["lines"]) == 1
    api.post(f"/sales/quotes/{quote['id']}/send")
    r = api.post(f"/sales/quotes/{quote['id']}/revise", {**body, "valid_until": "2026-07-31"})
    assert r.status_code == 201, r.content
    revision = r.json()
    assert revision["number"] == quote["number"] and revision["revision"] == 2
    assert revision["label"] == f"{quote['number']}-2" and revision["revises_id"] == quote["id"]
    old = api.get(f"/sales/quotes/{quote['id']}").json()
    assert old["status"] == "superseded" and old["revised_by_id"] == revision["id"]
    r = api.post(f"/sales/quotes/{revision['id']}/decline")
    assert r.status_code == 200 and r.json()["status"] == "declined"
    before = state()
    r = api.post(f"/sales/quotes/{revision['id']}/accept", {})
    assert r.status_code == 400 and r["Content-Type"] == PROBLEM
    assert state() == before


def test_quote_list_filters_and_pages(api, customer, products, sales_admin):
    other = services.create_customer(**who(sales_admin), code="C002", name="田中工業")
    ids = []
    for n in range(3):
        ids.append(
            api.post("/sales/quotes", quote_body(customer, products, date=f"2026-06-1{n}")).json()["id"]
        )
    api.post("/sales/quotes", quote_body(other, products))
    r = api.get("/sales/quotes", {"customer_id": customer.pk, "limit": 2, "offset": 1})
    assert r.status_code == 200
    body = r.json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 2, 1)
    assert [q["id"] for q in body["items"]] == [ids[1], ids[0]]  # newest first
    assert api.get("/sales/quotes", {"q": "田中"}).json()["count"] == 1
    assert api.get("/sales/quotes", {"date_from": "2026-06-11", "date_to": "2026-06-11"}).json()["count"] == 1
    assert api.get("/sales/quotes", {"status": "sent"}).json()["count"] == 0
    r = api.get("/sales/quotes", {"limit": 0})
    assert r.status_code == 422 and "limit" in field_errors(r)
    r = api.get("/sales/quotes", {"status": "maybe"})
    assert r.status_code == 422 and "status" in field_errors(r)
    r = api.get("/sales/quotes", {"customer_id": 10**9})
    assert r.status_code == 400 and field_errors(r) == {"customer_id": ["得意先が見つかりません。"]}


def test_quote_validation_is_said_on_each_field(api, customer, products, sales_admin):
    before = state()
    body = quote_body(customer, products, valid_until="2026-06-01")
    body["lines"].append({"description": "", "quantity": "abc", "unit_price": "1"})
    r = api.post("/sales/quotes", body)
    assert r.status_code == 400
    errors = field_errors(r)
    assert set(errors) == {"valid_until", "lines.2"}
    r = api.post("/sales/quotes", quote_body(customer, products, lines=[]))
    assert r.status_code == 400 and set(field_errors(r)) == {"lines"}
    r = api.post(
        "/sales/quotes",
        quote_body(
            customer,
            products,
            lines=[{"product_id": 10**9, "quantity": 1}, {"description": "x", "quantity": 1}],
        ),
    )
    assert r.status_code == 400
    assert field_errors(r) == {
        "lines.0.product_id": ["品目が見つかりません。"],
        "lines.1.unit_price": ["単価を入力してください。"],
    }
    r = api.post("/sales/quotes", quote_body(customer, products, customer_id=10**9))
    assert r.status_code == 400 and set(field_errors(r)) == {"customer_id"}
    r = api.post("/sales/quotes", quote_body(customer, products, surprise=1, date="2026-13-01"))
    assert r.status_code == 422 and set(field_errors(r)) == {"surprise", "date"}
    assert state() == before
    services.deactivate_customer(**who(sales_admin), customer=customer)
    before = state()
    r = api.post("/sales/quotes", quote_body(customer, products))
    assert r.status_code == 400 and field_errors(r) == {"customer_id": ["取引を停止した得意先です。"]}
    assert state() == before


# ------------------------------------------------------------------ orders
def test_order_entered_directly_delivered_and_cancelled(api, customer, products):
    r = api.post(
        "/sales/orders",
        {
            "customer_id": customer.pk,
            "date": DAY.isoformat(),
            "delivery_date": "2026-06-30",
            "prices_include_tax": True,
            "lines": [
                {"description": "部品", "quantity": "2.5", "unit_price": "1100", "tax": "S10", "unit": "kg"}
            ],
        },
    )
    assert r.status_code == 201, r.content
    order = r.json()
    assert order["number"].startswith("SO-") and order["prices_include_tax"] is True
    assert order["lines"][0]["quantity"] == "2.5" and order["lines"][0]["amount"] == 2750
    assert order["rate_totals"] == [{"rate": 10, "reduced": False, "base": 2500, "tax": 250, "total": 2750}]
    line_id = order["lines"][0]["id"]
    before = state()
    r = api.post(
        f"/sales/orders/{order['id']}/deliveries", {"date": "2026-06-20", "quantities": {str(line_id): "3"}}
    )
    assert r.status_code == 400 and set(field_errors(r)) == {f"quantities.{line_id}"}
    r = api.post(
        f"/sales/orders/{order['id']}/deliveries", {"date": "2026-06-20", "quantities": {"999999": "1"}}
    )
    assert r.status_code == 400 and field_errors(r) == {
        "quantities.999999": ["この受注の明細ではありません。"]
    }
    assert state() == before
    r = api.post(
        f"/sales/orders/{order['id']}/deliveries", {"date": "2026-06-20", "quantities": {str(line_id): "1.5"}}
    )
    assert r.status_code == 201
    assert r.json()["lines"] == [{"order_line_id": line_id, "quantity": "1.5"}]
    detail = api.get(f"/sales/orders/{order['id']}").json()
    assert detail["deliveries"][0]["date"] == "2026-06-20" and detail["lines"][0]["to_deliver"] == "1"
    assert api.get("/sales/orders", {"status": "open"}).json()["count"] == 1
    r = api.post(f"/sales/orders/{order['id']}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert api.post(f"/sales/orders/{order['id']}/cancel").status_code == 400
    assert api.get("/sales/orders", {"status": "cancelled"}).json()["count"] == 1


def test_invoicing_more_than_is_left_of_an_order_is_refused(api, customer, products, sales_admin):
    quote = api.post("/sales/quotes", quote_body(customer, products)).json()
    order = api.post(f"/sales/quotes/{quote['id']}/accept", {"date": DAY.isoformat()}).json()
    line = order["lines"][0]
    other = services.create_customer(**who(sales_admin), code="C002", name="田中工業")
    before = state()
    body = {
        "customer_id": customer.pk,
        "date": "2026-06-30",
        "lines": [{"order_line_id": line["id"], "quantity": "11"}],
    }
    r = api.post("/sales/invoices", body)
    assert r.status_code == 400 and set(field_errors(r)) == {"lines.0"}
    r = api.post("/sales/invoices", {**body, "lines": [{"order_line_id": 10**9, "quantity": "1"}]})
    assert r.status_code == 400 and field_errors(r) == {
        "lines.0.order_line_id": ["受注明細が見つかりません。"]
    }
    r = api.post(
        "/sales/invoices",
        {**body, "customer_id": other.pk, "lines": [{"order_line_id": line["id"], "quantity": "1"}]},
    )
    assert r.status_code == 400 and field_errors(r) == {"lines.0": ["別の得意先の受注です。"]}
    assert state() == before


# ------------------------------------------------------------------ invoices
def test_draft_invoice_put_delete_and_issued_is_final(api, customer):
    draft = simple_invoice(api, customer)
    assert draft["credit_warning"] is None
    body = {
        "customer_id": customer.pk,
        "date": "2026-06-15",
        "due_date": "2026-06-30",
        "lines": [{"description": "作業", "quantity": 2, "unit_price": 1000}],
    }
    r = api.put(f"/sales/invoices/{draft['id']}", body)
    assert r.status_code == 200, r.content
    assert (r.json()["date"], r.json()["total"], r.json()["due_date"]) == ("2026-06-15", 2200, "2026-06-30")
    r = api.put(f"/sales/invoices/{draft['id']}", {**body, "due_date": "2026-06-01"})
    assert r.status_code == 400 and set(field_errors(r)) == {"due_date"}
    r = api.delete(f"/sales/invoices/{draft['id']}")
    assert r.status_code == 204
    assert api.get(f"/sales/invoices/{draft['id']}").status_code == 404

    issued = simple_invoice(api, customer)
    api.post(f"/sales/invoices/{issued['id']}/issue")
    before = state()
    assert api.put(f"/sales/invoices/{issued['id']}", body).status_code == 400
    assert api.delete(f"/sales/invoices/{issued['id']}").status_code == 400
    assert api.post(f"/sales/invoices/{issued['id']}/issue").status_code == 400
    assert state() == before


def test_credit_warning_on_a_draft(api, customer, sales_admin):
    services.update_customer(**who(sales_admin), customer=customer, credit_limit="1000")
    draft = simple_invoice(api, customer)
    assert draft["credit_warning"] == {
        "credit_limit": 1000,
        "open_receivable": 0,
        "this_invoice": 1100,
        "excess": 100,
    }


def test_send_invoice_by_mail(api, customer):
    invoice = simple_invoice(api, customer)
    r = api.post(f"/sales/invoices/{invoice['id']}/send", {"to": "keiri@example.jp"})
    assert r.status_code == 400  # not issued yet
    api.post(f"/sales/invoices/{invoice['id']}/issue")
    r = api.post(f"/sales/invoices/{invoice['id']}/send", {"to": "not an address"})
    assert r.status_code == 400 and set(field_errors(r)) == {"to"}
    r = api.post(f"/sales/invoices/{invoice['id']}/send", {"to": "keiri@example.jp", "subject": "請求書"})
    assert r.status_code == 200, r.content
    assert r.json()["sent_to"] == "keiri@example.jp" and r.json()["sent_at"]
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "請求書"
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


def test_pdfs(api, keiri, customer, products):
    quote = api.post("/sales/quotes", quote_body(customer, products)).json()
    invoice = simple_invoice(api, customer)
    for path in (f"/sales/quotes/{quote['id']}/pdf", f"/sales/invoices/{invoice['id']}/pdf"):
        r = api.get(path)
        assert r.status_code == 200, path
        assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
        assert r["Content-Disposition"].startswith("inline;")
    api.post(f"/sales/invoices/{invoice['id']}/issue")
    r = api.get(f"/sales/invoices/{invoice['id']}/pdf", {"download": "1"})
    assert r["Content-Disposition"].startswith('attachment; filename="invoice-INV-2026-000001.pdf"')
    payment = keiri.post(
        "/sales/payments",
        {
            "customer_id": customer.pk,
            "date": "2026-07-01",
            "amount": 1100,
            "allocations": [{"invoice_id": invoice["id"], "amount": 1100}],
        },
    ).json()
    r = api.get(f"/sales/payments/{payment['id']}/receipt")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


# ------------------------------------------------------------------ payments
def test_payment_validation(api, keiri, customer, sales_admin):
    invoice = simple_invoice(api, customer)
    draft = simple_invoice(api, customer)
    api.post(f"/sales/invoices/{invoice['id']}/issue")
    before = state()
    base = {"customer_id": customer.pk, "date": "2026-07-01", "amount": 1100}
    r = keiri.post("/sales/payments", {**base, "amount": "1100.5", "method": "card"})
    assert r.status_code == 422 and set(field_errors(r)) == {"amount", "method"}
    r = keiri.post(
        "/sales/payments", {**base, "allocations": [{"invoice_id": invoice["id"], "amount": 1200}]}
    )
    assert r.status_code == 400 and set(field_errors(r)) == {"allocations.0"}
    r = keiri.post("/sales/payments", {**base, "allocations": [{"invoice_id": draft["id"], "amount": 100}]})
    assert r.status_code == 400 and field_errors(r) == {
        "allocations.0": ["発行済みの請求書にだけ消し込めます。"]
    }
    r = keiri.post("/sales/payments", {**base, "allocations": [{"invoice_id": 10**9, "amount": 100}]})
    assert r.status_code == 400 and field_errors(r) == {
        "allocations.0.invoice_id": ["請求書が見つかりません。"]
    }
    r = keiri.post(
        "/sales/payments",
        {**base, "auto_allocate": True, "allocations": [{"invoice_id": invoice["id"], "amount": 100}]},
    )
    assert r.status_code == 400 and set(field_errors(r)) == {"auto_allocate"}
    r = keiri.post("/sales/payments", {**base, "customer_id": 10**9})
    assert r.status_code == 400 and set(field_errors(r)) == {"customer_id"}
    # 営業事務 writes invoices but does not record payments
    r = api.post("/sales/payments", base)
    assert r.status_code == 403
    assert state() == before
    # no allocation: all of it is 前受金
    r = keiri.post("/sales/payments", {**base, "method": "cash", "memo": "前払い"})
    assert r.status_code == 201 and r.json()["unapplied"] == 1100 and r.json()["allocations"] == []


# ------------------------------------------------------------------ roles and tenancy
def test_a_manager_reads_and_cannot_write(client, books, company, api, keiri, customer, products):
    quote = api.post("/sales/quotes", quote_body(customer, products)).json()
    order = api.post(
        f"/sales/quotes/{api.post('/sales/quotes', quote_body(customer, products)).json()['id']}/accept", {}
    ).json()
    invoice = simple_invoice(api, customer)
    manager = SalesApi(client, make_member(company, "bucho", ["manager"]))
    for path in (
        "/sales/quotes",
        f"/sales/quotes/{quote['id']}",
        "/sales/orders",
        f"/sales/orders/{order['id']}",
        "/sales/invoices",
        f"/sales/invoices/{invoice['id']}",
        f"/sales/invoices/{invoice['id']}/pdf",
        "/sales/payments",
        "/sales/receivables/balances",
        "/sales/receivables/aging",
        f"/sales/customers/{customer.pk}/ledger",
    ):
        assert manager.get(path).status_code == 200, path
    before = state()
    body = quote_body(customer, products)
    assert manager.post("/sales/quotes", body).status_code == 403
    assert (
        manager.put(
            f"/sales/quotes/{quote['id']}", {k: v for k, v in body.items() if k != "customer_id"}
        ).status_code
        == 403
    )
    for path in (
        f"/sales/quotes/{quote['id']}/send",
        f"/sales/quotes/{quote['id']}/decline",
        f"/sales/orders/{order['id']}/cancel",
        f"/sales/invoices/{invoice['id']}/issue",
    ):
        r = manager.post(path)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", path
    assert manager.post(f"/sales/quotes/{quote['id']}/accept", {}).status_code == 403
    assert manager.delete(f"/sales/invoices/{invoice['id']}").status_code == 403
    assert (
        manager.post(
            "/sales/invoices", {"customer_id": customer.pk, "date": "2026-06-01", "lines": []}
        ).status_code
        == 403
    )
    assert (
        manager.post(
            "/sales/payments", {"customer_id": customer.pk, "date": "2026-06-01", "amount": 1}
        ).status_code
        == 403
    )
    # even an unknown id in the body: the role is checked first, and says nothing about the id
    assert (
        manager.post("/sales/invoices", {"customer_id": 10**9, "date": "2026-06-01", "lines": []}).status_code
        == 403
    )
    assert state() == before


def test_hr_gets_403(client, hr):
    api = SalesApi(client, hr)
    for path in (
        "/sales/quotes",
        "/sales/orders",
        "/sales/invoices",
        "/sales/payments",
        "/sales/receivables/aging",
    ):
        assert api.get(path).status_code == 403, path


def test_another_company_gets_404(client, books, api, keiri, outsider, customer, products):
    quote = api.post("/sales/quotes", quote_body(customer, products)).json()
    order = api.post(f"/sales/quotes/{quote['id']}/accept", {}).json()
    invoice = simple_invoice(api, customer)
    api.post(f"/sales/invoices/{invoice['id']}/issue")
    payment = keiri.post(
        "/sales/payments",
        {"customer_id": customer.pk, "date": "2026-07-01", "amount": 100, "auto_allocate": True},
    ).json()
    them = SalesApi(client, outsider)
    before = state()
    for path in (
        f"/sales/quotes/{quote['id']}",
        f"/sales/quotes/{quote['id']}/pdf",
        f"/sales/orders/{order['id']}",
        f"/sales/invoices/{invoice['id']}",
        f"/sales/invoices/{invoice['id']}/pdf",
        f"/sales/payments/{payment['id']}",
        f"/sales/payments/{payment['id']}/receipt",
        f"/sales/customers/{customer.pk}/ledger",
    ):
        r = them.get(path)
        assert r.status_code == 404 and r["Content-Type"] == PROBLEM, path
    for path in (
        f"/sales/quotes/{quote['id']}/send",
        f"/sales/quotes/{quote['id']}/decline",
        f"/sales/orders/{order['id']}/cancel",
        f"/sales/invoices/{invoice['id']}/issue",
    ):
        assert them.post(path).status_code == 404, path
    assert (
        them.post(
            f"/sales/orders/{order['id']}/deliveries", {"date": "2026-06-20", "quantities": {}}
        ).status_code
        == 404
    )
    credit = {
        "date": "2026-08-01",
        "reason": "x",
        "lines": [{"description": "x", "quantity": 1, "unit_price": 1}],
    }
    assert them.post(f"/sales/invoices/{invoice['id']}/credit", credit).status_code == 404
    assert them.delete(f"/sales/invoices/{invoice['id']}").status_code == 404
    # our ids inside their bodies are unknown values: 400 on the field
    r = them.post("/sales/quotes", quote_body(customer, products))
    assert r.status_code == 400 and set(field_errors(r)) == {"customer_id"}
    r = them.get("/sales/invoices", {"customer_id": customer.pk})
    assert r.status_code == 400
    for path in ("/sales/quotes", "/sales/orders", "/sales/invoices", "/sales/payments"):
        assert them.get(path).json()["count"] == 0, path
    assert them.get("/sales/receivables/balances").json()["items"] == []
    assert state() == before


def test_no_token_is_401(client):
    r = client.get("/api/v1/sales/invoices")
    assert r.status_code == 401 and r["Content-Type"] == PROBLEM


def test_invoice_list_query_count_is_flat(api, customer, sales_admin, django_assert_max_num_queries):
    for _n in range(3):
        simple_invoice(api, customer)
    api.get("/sales/invoices")
    with django_assert_max_num_queries(12) as ctx:
        api.get("/sales/invoices")
    few = len(ctx.captured_queries)
    other = services.create_customer(**who(sales_admin), code="C002", name="田中工業")
    for n in range(12):
        simple_invoice(api, other if n % 2 else customer)
    with django_assert_max_num_queries(few):
        r = api.get("/sales/invoices")
    assert r.json()["count"] == 15
    for path in ("/sales/quotes", "/sales/orders", "/sales/payments"):
        with django_assert_max_num_queries(few):
            assert api.get(path).status_code == 200


def test_decimal_quantities_and_prices_keep_their_places(api, customer):
    r = api.post(
        "/sales/invoices",
        {
            "customer_id": customer.pk,
            "date": DAY.isoformat(),
            "lines": [{"description": "砂", "quantity": "１.２５", "unit_price": 99.99, "tax": "S8R"}],
        },
    )
    assert r.status_code == 201, r.content
    line = r.json()["lines"][0]
    assert (line["quantity"], line["unit_price"], line["amount"]) == ("1.25", "99.99", 124)
    assert Decimal(line["unit_price"]) == Decimal("99.99")
    r = api.post(
        "/sales/invoices",
        {
            "customer_id": customer.pk,
            "date": DAY.isoformat(),
            "lines": [{"description": "x", "quantity": "1.0001", "unit_price": "1.23456"}],
        },
    )
    assert r.status_code == 400
    assert field_errors(r) == {
        "lines.0": [
            "数量は小数点以下3桁までで入力してください。",
            "単価は小数点以下4桁までで入力してください。",
        ]
    }
