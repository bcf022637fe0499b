"""The 前受金 screens and API: on the payment detail the forms to apply the 前受金 to open invoices
(oldest due first) and to refund it, errors on their fields with nothing written, the history with
links to the journal entries; the customer's 前受金 panel; POST /payments/{id}/apply-advance and
/refund (201, 422 for malformed input, 400 for a rule that says no, 403, 404 for another company)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.ledger.models import JournalEntry
from ennoshita.sales.models import AdvanceApplication, Customer, Invoice, Payment, Refund
from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.payments import Allocation, record_payment

from ..apiclient import PROBLEM, ApiClient, field_errors
from ..conftest import login, make_member

TODAY = timezone.localdate()
PAID_ON = TODAY - timedelta(days=20)


def who(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def make_customer(company, code="C001", name="株式会社山田商事") -> Customer:
    return Customer.objects.create(
        company=company,
        code=code,
        name=name,
        name_key=name.replace("株式会社", ""),
        closing_day=99,
        payment_months_after=1,
        payment_day=99,
    )


def make_invoice(member, customer, *, net=10000, day=None, issue=True) -> Invoice:
    draft = save_invoice_draft(
        **who(member),
        customer=customer,
        date=day or TODAY - timedelta(days=30),
        lines=[LineSpec("作業費", quantity=1, unit_price=net, tax="S10")],
    )
    return issue_invoice(**who(member), invoice=draft) if issue else draft


def written() -> tuple[int, ...]:
    return (
        AdvanceApplication.objects.count(),
        Refund.objects.count(),
        JournalEntry.objects.count(),
        AuditEvent.objects.count(),
        sum(Payment.objects.values_list("unapplied", flat=True)),
        sum(Invoice.objects.values_list("open_amount", flat=True)),
    )


@pytest.fixture
def customer(books, company):
    return make_customer(company)


@pytest.fixture
def overpaid(sales_admin, accountant, customer):
    """11,000 invoiced, 15,000 paid: 4,000 of 前受金."""
    first = make_invoice(sales_admin, customer, day=TODAY - timedelta(days=40))
    return record_payment(
        **who(accountant),
        customer=customer,
        date=PAID_ON,
        amount=15000,
        allocations=[Allocation(first, 11000)],
    )


@pytest.fixture
def open_invoices(sales_admin, customer):
    """The older (5,500, due first) and the newer (2,200) open invoices."""
    older = make_invoice(sales_admin, customer, net=5000, day=TODAY - timedelta(days=60))
    newer = make_invoice(sales_admin, customer, net=2000, day=TODAY - timedelta(days=10))
    return older, newer


def detail_url(payment) -> str:
    return reverse("sales:payment_detail", args=[payment.pk])


def apply_url(payment) -> str:
    return reverse("sales:payment_apply_advance", args=[payment.pk])


def refund_url(payment) -> str:
    return reverse("sales:payment_refund", args=[payment.pk])


# ------------------------------------------------------------------------------------- screens
def test_the_detail_suggests_the_oldest_invoice_first(client, accountant, overpaid, open_invoices):
    older, newer = open_invoices
    login(client, accountant)
    body = client.get(detail_url(overpaid)).content.decode()
    assert 'id="apply-advance-form"' in body and 'id="refund-form"' in body
    assert body.count("csrfmiddlewaretoken") >= 2
    # 4,000 of 前受金 goes to the older invoice (5,500 open); the newer is listed, not ticked
    assert f'name="apply_{older.pk}" id="advance_apply_{older.pk}" checked' in body
    assert f'name="alloc_{older.pk}" value="4000"' in body
    assert f'name="apply_{newer.pk}" id="advance_apply_{newer.pk}">' in body
    assert f'data-open-invoice="{newer.pk}"' in body
    assert 'name="amount" value="4000"' in body  # the refund form offers all of it


def test_applying_from_the_screen(client, accountant, overpaid, open_invoices):
    older, newer = open_invoices
    login(client, accountant)
    data = {
        "date": TODAY.isoformat(),
        f"apply_{older.pk}": "on",
        f"alloc_{older.pk}": "3,000",
        f"apply_{newer.pk}": "on",
        f"alloc_{newer.pk}": "1000",
    }
    response = client.post(apply_url(overpaid), data)
    assert response.status_code == 302 and response["Location"] == detail_url(overpaid)
    assert Payment.objects.get(pk=overpaid.pk).unapplied == 0
    assert Invoice.objects.get(pk=older.pk).open_amount == Decimal(2500)
    page = client.get(detail_url(overpaid))
    body = page.content.decode()
    assert "前受金 4,000円 を 2件の請求書に充当しました。" in body
    assert body.count("data-application=") == 2
    entry_id = AdvanceApplication.objects.first().journal_entry_id
    assert f'href="{reverse("ledger:entry_detail", args=[entry_id])}"' in body
    assert 'id="apply-advance-form"' not in body and 'id="refund-form"' not in body  # nothing left
    # the journal entry links back to the payment
    entry_page = client.get(reverse("ledger:entry_detail", args=[entry_id])).content.decode()
    assert f'href="{detail_url(overpaid)}"' in entry_page
    # and the invoice shows what settled it: the 前受金 applied, linked to its payment
    invoice_page = client.get(reverse("sales:invoice_detail", args=[older.pk])).content.decode()
    assert "前受金の充当" in invoice_page and "3,000" in invoice_page
    assert f'href="{detail_url(overpaid)}"' in invoice_page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"alloc_older": "5501"}, "未回収残高(5,500円)を超えています"),
        ({"alloc_older": "4001"}, "前受金の残高(4,000円)を超えています"),
        ({"alloc_older": "12.5"}, "金額は円単位の整数で入力してください"),
        ({"alloc_older": ""}, "充当額を入力してください"),
        ({"apply_older": ""}, "充当する請求書を選んでください"),
        ({"date": "x"}, "日付を正しく入力してください"),
        ({"date": "before"}, "充当日は入金日"),
    ],
)
def test_application_errors_are_shown_and_nothing_is_written(
    client, accountant, overpaid, open_invoices, change, message
):
    older, _newer = open_invoices
    login(client, accountant)
    data = {"date": TODAY.isoformat(), f"apply_{older.pk}": "on", f"alloc_{older.pk}": "1000"}
    for key, value in change.items():
        if key == "date":
            data["date"] = (PAID_ON - timedelta(days=1)).isoformat() if value == "before" else value
        else:
            data[key.replace("_older", f"_{older.pk}")] = value
    before = written()
    response = client.post(apply_url(overpaid), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert written() == before


def test_refunding_from_the_screen(client, accountant, overpaid):
    login(client, accountant)
    before = written()
    response = client.post(refund_url(overpaid), {"date": TODAY.isoformat(), "amount": "4001", "memo": ""})
    assert response.status_code == 400
    assert "返金額が前受金の残高(4,000円)を超えています。" in response.content.decode()
    response = client.post(refund_url(overpaid), {"date": TODAY.isoformat(), "amount": "", "memo": ""})
    assert response.status_code == 400 and "返金額を入力してください。" in response.content.decode()
    assert written() == before
    response = client.post(
        refund_url(overpaid), {"date": TODAY.isoformat(), "amount": "1500", "memo": "返金依頼"}
    )
    assert response.status_code == 302
    body = client.get(detail_url(overpaid)).content.decode()
    assert "前受金 1,500円 の返金を登録しました。" in body
    assert body.count("data-refund=") == 1 and "返金依頼" in body
    refund = Refund.objects.get()
    assert f'href="{reverse("ledger:entry_detail", args=[refund.journal_entry_id])}"' in body
    assert 'id="refund-form"' in body  # 2,500 still left
    assert Payment.objects.get(pk=overpaid.pk).unapplied == Decimal(2500)


def test_who_may_apply_and_refund(client, company, sales_admin, overpaid, open_invoices):
    older, _newer = open_invoices
    manager = make_member(company, "bucho", ["manager"])
    before = written()
    for member in (sales_admin, manager):
        login(client, member)
        body = client.get(detail_url(overpaid)).content.decode()
        assert 'id="apply-advance-form"' not in body and 'id="refund-form"' not in body
        data = {"date": TODAY.isoformat(), f"apply_{older.pk}": "on", f"alloc_{older.pk}": "100"}
        assert client.post(apply_url(overpaid), data).status_code == 403
        assert (
            client.post(refund_url(overpaid), {"date": TODAY.isoformat(), "amount": "100"}).status_code == 403
        )
    assert written() == before


def test_csrf_and_method(accountant, overpaid, open_invoices):
    older, _newer = open_invoices
    strict = Client(enforce_csrf_checks=True)
    login(strict, accountant)
    before = written()
    data = {"date": TODAY.isoformat(), f"apply_{older.pk}": "on", f"alloc_{older.pk}": "100"}
    assert strict.post(apply_url(overpaid), data).status_code == 403
    assert strict.post(refund_url(overpaid), {"date": TODAY.isoformat(), "amount": "100"}).status_code == 403
    assert strict.get(apply_url(overpaid)).status_code == 405
    assert written() == before


def test_another_company_gets_404(client, outsider, accountant, overpaid, open_invoices):
    older, _newer = open_invoices
    login(client, outsider)
    before = written()
    assert client.get(detail_url(overpaid)).status_code == 404
    data = {"date": TODAY.isoformat(), f"apply_{older.pk}": "on", f"alloc_{older.pk}": "100"}
    assert client.post(apply_url(overpaid), data).status_code == 404
    assert client.post(refund_url(overpaid), {"date": TODAY.isoformat(), "amount": "100"}).status_code == 404
    customer = overpaid.customer
    assert client.get(reverse("sales:customer_advances", args=[customer.pk])).status_code == 404
    assert written() == before


def test_the_customer_screen_shows_the_advance_balance(
    client, company, accountant, sales_admin, customer, overpaid
):
    record_payment(**who(accountant), customer=customer, date=PAID_ON, amount=2000)  # all 前受金
    other = make_customer(company, code="C002", name="株式会社鈴木工業")
    record_payment(**who(accountant), customer=other, date=PAID_ON, amount=999)
    login(client, sales_admin)
    body = client.get(reverse("sales:customer_detail", args=[customer.pk])).content.decode()
    url = reverse("sales:customer_advances", args=[customer.pk])
    assert f'hx-get="{url}"' in body and 'hx-trigger="load"' in body
    panel = client.get(url, headers={"HX-Request": "true"})
    text = panel.content.decode()
    assert panel.status_code == 200 and "<html" not in text
    assert "data-advance-balance>¥6,000<" in text  # 4,000 + 2,000; the other customer's not
    assert text.count("data-payment=") == 2
    full = client.get(url).content.decode()
    assert "<html" in full and "data-advance-balance>¥6,000<" in full and "¥999" not in full


# ------------------------------------------------------------------------------------- API
@pytest.fixture
def keiri(client, accountant) -> ApiClient:
    return ApiClient(client, accountant)


def test_api_applies_and_refunds(keiri, overpaid, open_invoices):
    older, newer = open_invoices
    path = f"/sales/payments/{overpaid.pk}"
    r = keiri.post(
        f"{path}/apply-advance",
        {"date": TODAY.isoformat(), "allocations": [{"invoice_id": older.pk, "amount": "3,000"}]},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["unapplied"] == 1000
    [app] = body["applications"]
    assert (app["invoice_id"], app["invoice_number"], app["amount"]) == (older.pk, older.number, 3000)
    assert JournalEntry.objects.get(pk=app["journal_entry_id"]).source_type == "sales.advance"
    r = keiri.post(f"{path}/refund", {"date": TODAY.isoformat(), "amount": 1000, "memo": "返金"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["unapplied"] == 0
        and body["refunds"][0]["amount"] == 1000
        and body["refunds"][0]["memo"] == "返金"
    )
    got = keiri.get(path).json()
    assert [a["amount"] for a in got["applications"]] == [3000]
    assert [x["amount"] for x in got["refunds"]] == [1000]
    assert Invoice.objects.get(pk=newer.pk).open_amount == Decimal(2200)


def test_api_refusals_write_nothing(client, company, keiri, sales_admin, overpaid, open_invoices):
    older, _newer = open_invoices
    path = f"/sales/payments/{overpaid.pk}"
    seller = ApiClient(client, sales_admin)  # (issuing its token is audited: before the count)
    before = written()
    ok = {"date": TODAY.isoformat(), "allocations": [{"invoice_id": older.pk, "amount": 100}]}
    # malformed: 422 with the fields
    r = keiri.post(
        f"{path}/apply-advance", {"date": "x", "allocations": [{"invoice_id": older.pk, "amount": "1.5"}]}
    )
    assert r.status_code == 422 and set(field_errors(r)) == {"date", "allocations.0.amount"}
    r = keiri.post(f"{path}/apply-advance", {"date": TODAY.isoformat(), "allocations": []})
    assert r.status_code == 422 and set(field_errors(r)) == {"allocations"}
    r = keiri.post(f"{path}/refund", {"date": TODAY.isoformat(), "amount": 0, "extra": 1})
    assert r.status_code == 422 and set(field_errors(r)) == {"amount", "extra"}
    # a rule that says no: 400 on the field
    r = keiri.post(
        f"{path}/apply-advance",
        {"date": TODAY.isoformat(), "allocations": [{"invoice_id": older.pk, "amount": 4001}]},
    )
    assert r.status_code == 400 and set(field_errors(r)) == {"allocations"}
    r = keiri.post(f"{path}/apply-advance", {**ok, "allocations": [{"invoice_id": older.pk, "amount": 5501}]})
    assert r.status_code == 400 and set(field_errors(r)) == {"allocations.0"}
    r = keiri.post(f"{path}/apply-advance", {**ok, "allocations": [{"invoice_id": 10**9, "amount": 1}]})
    assert r.status_code == 400 and field_errors(r) == {
        "allocations.0.invoice_id": ["請求書が見つかりません。"]
    }
    r = keiri.post(f"{path}/apply-advance", {**ok, "date": (PAID_ON - timedelta(days=1)).isoformat()})
    assert r.status_code == 400 and set(field_errors(r)) == {"date"}
    r = keiri.post(f"{path}/refund", {"date": TODAY.isoformat(), "amount": 4001})
    assert r.status_code == 400 and set(field_errors(r)) == {"amount"}
    # 営業事務 may not; an unknown payment is 404
    assert seller.post(f"{path}/apply-advance", ok).status_code == 403
    assert seller.post(f"{path}/refund", {"date": TODAY.isoformat(), "amount": 1}).status_code == 403
    r = keiri.post(f"/sales/payments/{10**9}/refund", {"date": TODAY.isoformat(), "amount": 1})
    assert r.status_code == 404 and r["Content-Type"] == PROBLEM
    assert written() == before


def test_api_another_company_gets_404(client, outsider, overpaid, open_invoices):
    older, _newer = open_invoices
    them = ApiClient(client, outsider)
    before = written()
    path = f"/sales/payments/{overpaid.pk}"
    r = them.post(
        f"{path}/apply-advance",
        {"date": TODAY.isoformat(), "allocations": [{"invoice_id": older.pk, "amount": 100}]},
    )
    assert r.status_code == 404 and r["Content-Type"] == PROBLEM
    r = them.post(f"{path}/refund", {"date": TODAY.isoformat(), "amount": 100})
    assert r.status_code == 404 and r["Content-Type"] == PROBLEM
    assert them.get(path).status_code == 404
    assert written() == before
