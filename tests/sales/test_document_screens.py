"""The screens of quotes, orders, invoices, payments and receivables: lists, forms with errors on
their fields (nothing written), the buttons each role sees, other companies' ids (404), PDFs and
exports, and the query counts of the lists."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.sales.models import Customer, DeliveryNote, Invoice, Order, Payment, Product, Quote
from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.payments import Allocation, record_payment
from ennoshita.sales.services.quotes import accept_quote, create_quote

from ..conftest import login, make_company, make_member

TODAY = timezone.localdate()


def make_customer(company, code="C001", name="株式会社山田商事", **kw) -> Customer:
    fields = {
        "name_key": name.replace("株式会社", ""),
        "name_kana": "ヤマダショウジ",
        "closing_day": 99,
        "payment_months_after": 1,
        "payment_day": 99,
    }
    fields.update(kw)
    return Customer.objects.create(company=company, code=code, name=name, **fields)


@pytest.fixture
def customer(books, company):
    return make_customer(company)


@pytest.fixture
def product(company):
    return Product.objects.create(
        company=company, code="P1", name="コンサルティング", unit="時間", unit_price=Decimal(10000), tax="S10"
    )


def svc(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def make_invoice(member, customer, *, amount=10000, day=None, issue=True, qty=1) -> Invoice:
    draft = save_invoice_draft(
        **svc(member),
        customer=customer,
        date=day or TODAY,
        lines=[LineSpec("作業費", quantity=qty, unit_price=amount, tax="S10")],
    )
    return issue_invoice(**svc(member), invoice=draft) if issue else draft


def line_post(rows, **head):
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", **head}
    for n, row in enumerate(rows):
        data.update({f"lines-{n}-{k}": v for k, v in row.items()})
    return data


# ------------------------------------------------------------------------------------- invoices
def test_invoice_list_search_filters_and_query_count(client, company, sales_admin, customer):
    other = make_customer(company, code="C002", name="株式会社鈴木工業", name_kana="スズキコウギョウ")
    for _ in range(3):
        make_invoice(sales_admin, customer)
    make_invoice(sales_admin, other, issue=False)
    login(client, sales_admin)
    url = reverse("sales:invoice_list")
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("data-invoice=") == 4
    assert client.get(url, {"q": "すずき"}).content.decode().count("data-invoice=") == 1
    assert client.get(url, {"status": "draft"}).content.decode().count("data-invoice=") == 1
    assert client.get(url, {"unpaid": "on"}).content.decode().count("data-invoice=") == 3
    assert client.get(url, {"overdue": "on"}).content.decode().count("data-invoice=") == 0
    assert client.get(url, {"customer": other.pk}).content.decode().count("data-invoice=") == 1
    # the query count does not grow with the rows
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        make_invoice(sales_admin, other)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_invoice_list_bad_date_is_a_field_error(client, company, sales_admin, customer):
    login(client, sales_admin)
    response = client.get(reverse("sales:invoice_list"), {"date_from": "2026-13-45"})
    assert response.status_code == 400
    assert "日付を正しく入力してください" in response.content.decode()


def test_invoice_export_csv_and_excel(client, company, sales_admin, customer):
    make_invoice(sales_admin, customer)
    login(client, sales_admin)
    csv = client.get(reverse("sales:invoice_export"))
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("種類,請求書番号,請求日")
    assert "INV-" in text and "株式会社山田商事" in text
    book = client.get(reverse("sales:invoice_export"), {"format": "xlsx"})
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    assert book.content[:2] == b"PK"


def test_new_invoice_draft_with_errors_on_the_fields_writes_nothing(client, company, sales_admin, customer):
    login(client, sales_admin)
    url = reverse("sales:invoice_new")
    assert client.get(url).status_code == 200
    before = AuditEvent.objects.count()
    data = line_post(
        [{"description": "作業費", "quantity": "abc", "unit_price": "1000", "tax": "S10"}],
        customer=str(customer.pk),
        date="2026-06-31",
        prices_include_tax="0",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "日付を正しく入力してください" in body
    # the date is wrong: the lines are not sent to the service yet; a right date shows the line's
    data["date"] = "2026-06-30"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "数量は数値で入力してください" in response.content.decode()
    data["customer"] = ""
    response = client.post(url, data)
    assert "得意先を選んでください" in response.content.decode()
    assert Invoice.objects.count() == 0 and AuditEvent.objects.count() == before


def test_new_invoice_draft_then_issue_pdf_and_journal_link(
    client, company, sales_admin, accountant, customer, product
):
    login(client, sales_admin)
    data = line_post(
        [
            {
                "product": str(product.pk),
                "description": "",
                "quantity": "２",
                "unit_price": "10,000",
                "tax": "S10",
            },
            {"description": "コーヒー豆", "quantity": "3", "unit_price": "1000", "tax": "S8R"},
            {"description": "", "quantity": "", "unit_price": "", "tax": "S10"},
        ],
        customer=str(customer.pk),
        date="2026/06/30",
        subject="6月分",
        prices_include_tax="0",
    )
    response = client.post(reverse("sales:invoice_new"), data)
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.status == "draft" and invoice.total == Decimal(20000 + 2000 + 3000 + 240)
    assert invoice.lines.count() == 2 and invoice.lines.first().description == "コンサルティング"
    detail = reverse("sales:invoice_detail", args=[invoice.pk])
    body = client.get(detail).content.decode()
    assert "発行" in body and "削除" in body and "※" in body
    # edit the draft
    edit = client.get(reverse("sales:invoice_edit", args=[invoice.pk]))
    assert edit.status_code == 200 and "コーヒー豆" in edit.content.decode()
    response = client.post(reverse("sales:invoice_issue", args=[invoice.pk]))
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "issued" and invoice.number.startswith("INV-")
    body = client.get(detail).content.decode()
    assert invoice.number in body and "data-open-amount" in body
    assert "返還請求書を作成" in body
    # a sales clerk cannot read the books: no journal link; the accountant sees it
    assert "data-journal" not in body
    login(client, accountant)
    body = client.get(detail).content.decode()
    assert reverse("ledger:entry_detail", args=[invoice.journal_entry_id]) in body
    pdf = client.get(reverse("sales:invoice_pdf", args=[invoice.pk]), {"download": "1"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment")


def test_issue_shows_credit_warning(client, company, sales_admin, customer):
    customer.credit_limit = Decimal(15000)
    customer.save()
    make_invoice(sales_admin, customer, amount=10000)  # 11,000 open
    draft = make_invoice(sales_admin, customer, amount=5000, issue=False)  # + 5,500
    login(client, sales_admin)
    body = client.get(reverse("sales:invoice_detail", args=[draft.pk])).content.decode()
    assert "data-credit-warning" in body and "与信限度額" in body


def test_delete_draft_and_issued_cannot_be_deleted(client, company, sales_admin, customer):
    draft = make_invoice(sales_admin, customer, issue=False)
    issued = make_invoice(sales_admin, customer)
    login(client, sales_admin)
    assert client.post(reverse("sales:invoice_delete", args=[draft.pk])).status_code == 302
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    response = client.post(reverse("sales:invoice_delete", args=[issued.pk]), follow=True)
    assert "削除できません" in response.content.decode()
    assert Invoice.objects.filter(pk=issued.pk).exists()


def test_credit_note_form_prefilled_errors_and_issue(client, company, sales_admin, customer):
    invoice = make_invoice(sales_admin, customer, amount=1000, qty=5)  # 5,500
    login(client, sales_admin)
    url = reverse("sales:invoice_credit", args=[invoice.pk])
    body = client.get(url).content.decode()
    assert 'value="作業費"' in body
    data = line_post(
        [{"description": "作業費", "quantity": "10", "unit_price": "1000", "tax": "S10"}],
        date=TODAY.isoformat(),
        reason="",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "この項目は必須です" in response.content.decode() or "返還の理由" in response.content.decode()
    data["reason"] = "返品"
    response = client.post(url, data)  # 11,000 > 5,500 open
    assert response.status_code == 400
    assert "未回収残高" in response.content.decode()
    assert Invoice.objects.filter(kind="credit").count() == 0
    data["lines-0-quantity"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    credit = Invoice.objects.get(kind="credit")
    assert credit.total == Decimal(1100) and credit.credit_of == invoice
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal(4400)
    assert credit.number in client.get(reverse("sales:invoice_detail", args=[invoice.pk])).content.decode()


def test_record_sent(client, company, sales_admin, customer):
    invoice = make_invoice(sales_admin, customer)
    login(client, sales_admin)
    url = reverse("sales:invoice_sent", args=[invoice.pk])
    assert client.post(url, {"sent_to": ""}).status_code == 400
    assert client.post(url, {"sent_to": "keiri@example.jp"}).status_code == 302
    invoice.refresh_from_db()
    assert invoice.sent_to == "keiri@example.jp" and invoice.sent_at is not None


# ------------------------------------------------------------------------------------- payments
def test_payment_form_suggests_and_records(client, company, accountant, sales_admin, customer):
    older = make_invoice(sales_admin, customer, amount=10000, day=TODAY - timedelta(days=40))  # 11,000
    newer = make_invoice(sales_admin, customer, amount=5000)  # 5,500
    login(client, accountant)
    url = reverse("sales:payment_new")
    assert "未回収の請求書を表示" in client.get(url).content.decode()
    body = client.get(url, {"customer": customer.pk, "amount": "12000", "fee": "440"}).content.decode()
    assert f'name="apply_{older.pk}" checked' in body or f'name="apply_{older.pk}"' in body
    assert f'name="alloc_{newer.pk}" value="1440"' in body
    assert "data-left" in body
    data = {
        "customer": str(customer.pk),
        "date": TODAY.isoformat(),
        "amount": "12,000",
        "fee": "440",
        "method": "transfer",
        f"apply_{older.pk}": "on",
        f"alloc_{older.pk}": "11000",
        f"apply_{newer.pk}": "on",
        f"alloc_{newer.pk}": "9999",  # more than is open
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "未回収残高" in response.content.decode()
    assert Payment.objects.count() == 0
    data[f"alloc_{newer.pk}"] = "1440"
    response = client.post(url, data)
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.unapplied == 0 and payment.allocations.count() == 2
    older.refresh_from_db()
    assert older.open_amount == 0
    body = client.get(reverse("sales:payment_detail", args=[payment.pk])).content.decode()
    assert older.number in body and "data-journal" in body
    receipt = client.get(reverse("sales:payment_receipt", args=[payment.pk]))
    assert receipt["Content-Type"] == "application/pdf" and receipt.content.startswith(b"%PDF")
    assert client.get(reverse("sales:payment_list")).content.decode().count("data-payment=") == 1
    assert "入金日" in client.get(reverse("sales:payment_export")).content.decode("utf-8-sig")


def test_payment_bad_amount_is_on_its_field(client, company, accountant, customer):
    login(client, accountant)
    response = client.post(
        reverse("sales:payment_new"),
        {"customer": str(customer.pk), "date": TODAY.isoformat(), "amount": "12.5", "method": "transfer"},
    )
    assert response.status_code == 400
    assert "金額は円単位の整数で入力してください" in response.content.decode()
    assert Payment.objects.count() == 0


def test_sales_admin_cannot_record_payments(client, company, sales_admin, customer):
    login(client, sales_admin)
    assert client.get(reverse("sales:payment_new")).status_code == 403
    body = client.get(reverse("sales:invoice_list")).content.decode()
    assert reverse("sales:payment_new") not in body


# ------------------------------------------------------------------------------------- quotes, orders
def test_quote_new_defaults_and_flow_to_invoice(client, company, sales_admin, customer, product):
    login(client, sales_admin)
    url = reverse("sales:quote_new")
    body = client.get(url).content.decode()
    assert (TODAY + timedelta(days=30)).isoformat() in body
    data = line_post(
        [
            {
                "product": str(product.pk),
                "description": "コンサルティング",
                "quantity": "10",
                "unit_price": "10000",
                "tax": "S10",
            }
        ],
        customer=str(customer.pk),
        date=TODAY.isoformat(),
        valid_until=(TODAY - timedelta(days=1)).isoformat(),
        prices_include_tax="0",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "有効期限は見積日以降" in response.content.decode()
    assert Quote.objects.count() == 0
    data["valid_until"] = (TODAY + timedelta(days=30)).isoformat()
    response = client.post(url, data)
    quote = Quote.objects.get()
    assert response.status_code == 302 and quote.total == Decimal(110000)
    detail = reverse("sales:quote_detail", args=[quote.pk])
    body = client.get(detail).content.decode()
    for label in ("提出済みにする", "改訂版を作成", "受注にする", "失注", "PDF"):
        assert label in body
    assert client.get(reverse("sales:quote_pdf", args=[quote.pk])).content.startswith(b"%PDF")
    client.post(reverse("sales:quote_send", args=[quote.pk]))
    quote.refresh_from_db()
    assert quote.status == "sent"
    # revise: the form starts from the quote, saving makes 第2版
    revise = reverse("sales:quote_revise", args=[quote.pk])
    assert client.get(revise).status_code == 200
    data.pop("customer")
    data["lines-0-quantity"] = "8"
    assert client.post(revise, data).status_code == 302
    quote.refresh_from_db()
    second = Quote.objects.get(revises=quote)
    assert quote.status == "superseded" and second.revision == 2 and second.total == Decimal(88000)
    # accept → order
    response = client.post(reverse("sales:quote_accept", args=[second.pk]), {"date": TODAY.isoformat()})
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == reverse("sales:order_detail", args=[order.pk])
    body = client.get(response.url).content.decode()
    assert "納品書を作成" in body and "請求書を作成" in body and 'value="8"' in body
    line = order.lines.get()
    # deliver 3 → a delivery note with its PDF
    response = client.post(
        reverse("sales:order_deliver", args=[order.pk]), {"date": TODAY.isoformat(), f"q_{line.pk}": "3"}
    )
    assert response.status_code == 302
    note = DeliveryNote.objects.get()
    assert client.get(reverse("sales:delivery_pdf", args=[note.pk])).content.startswith(b"%PDF")
    # too many to deliver: the error is on the line's field
    response = client.post(
        reverse("sales:order_deliver", args=[order.pk]), {"date": TODAY.isoformat(), f"q_{line.pk}": "6"}
    )
    assert response.status_code == 400 and "未納品の数量" in response.content.decode()
    # invoice 5 of the 8: a draft pointing at the order line
    response = client.post(
        reverse("sales:order_invoice", args=[order.pk]), {"date": TODAY.isoformat(), f"q_{line.pk}": "5"}
    )
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response.url == reverse("sales:invoice_detail", args=[invoice.pk])
    assert invoice.lines.get().order_line == line and invoice.lines.get().quantity == 5
    response = client.post(
        reverse("sales:order_invoice", args=[order.pk]), {"date": TODAY.isoformat(), f"q_{line.pk}": "4"}
    )
    assert response.status_code == 400 and "未請求の数量" in response.content.decode()
    # editing the draft keeps the link to the order line
    edit = reverse("sales:invoice_edit", args=[invoice.pk])
    body = client.get(edit).content.decode()
    assert f'value="{line.pk}"' in body
    data = line_post(
        [
            {
                "description": "コンサルティング",
                "quantity": "4",
                "unit_price": "10000",
                "tax": "S10",
                "order_line": str(line.pk),
            }
        ],
        customer=str(customer.pk),
        date=TODAY.isoformat(),
        prices_include_tax="0",
    )
    assert client.post(edit, data).status_code == 302
    assert invoice.lines.get().order_line == line and invoice.lines.get().quantity == 4
    client.post(reverse("sales:invoice_issue", args=[invoice.pk]))
    order.refresh_from_db()
    assert order.status == Order.Status.PARTLY_INVOICED
    assert client.post(reverse("sales:order_cancel", args=[order.pk]), follow=True).status_code == 200
    order.refresh_from_db()
    assert order.status != Order.Status.CANCELLED


def test_quote_list_and_export(client, company, sales_admin, customer):
    create_quote(
        **svc(sales_admin),
        customer=customer,
        date=TODAY,
        valid_until=TODAY + timedelta(days=30),
        subject="新規案件",
        lines=[LineSpec("作業費", quantity=1, unit_price=1000)],
    )
    login(client, sales_admin)
    body = client.get(reverse("sales:quote_list"), {"q": "新規"}).content.decode()
    assert body.count("data-quote=") == 1
    assert client.get(reverse("sales:quote_list"), {"q": "ない"}).content.decode().count("data-quote=") == 0
    assert "新規案件" in client.get(reverse("sales:quote_export")).content.decode("utf-8-sig")


def test_direct_order_and_cancel(client, company, sales_admin, customer):
    login(client, sales_admin)
    data = line_post(
        [{"description": "部品", "quantity": "2", "unit_price": "500", "tax": "S10"}],
        customer=str(customer.pk),
        date=TODAY.isoformat(),
        prices_include_tax="0",
        customer_reference="PO-1",
    )
    assert client.post(reverse("sales:order_new"), data).status_code == 302
    order = Order.objects.get()
    assert order.customer_reference == "PO-1"
    assert client.get(reverse("sales:order_list")).content.decode().count("data-order=") == 1
    client.post(reverse("sales:order_cancel", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


# ------------------------------------------------------------------------------------- permissions, tenancy
def test_manager_reads_but_sees_no_buttons(client, company, sales_admin, customer):
    invoice = make_invoice(sales_admin, customer, issue=False)
    manager = make_member(company, "bucho", ["manager"])
    login(client, manager)
    body = client.get(reverse("sales:invoice_detail", args=[invoice.pk])).content.decode()
    assert "data-issue" not in body and reverse("sales:invoice_delete", args=[invoice.pk]) not in body
    assert client.post(reverse("sales:invoice_issue", args=[invoice.pk])).status_code == 403
    assert client.get(reverse("sales:invoice_new")).status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == "draft"


def test_employee_cannot_see_sales_documents(client, company, customer):
    employee = make_member(company, "shain", ["employee"])
    login(client, employee)
    for name in ("sales:invoice_list", "sales:quote_list", "sales:payment_list", "sales:receivable_aging"):
        assert client.get(reverse(name)).status_code == 403


def test_other_company_ids_answer_404(client, company, sales_admin, accountant, customer):
    invoice = make_invoice(sales_admin, customer)
    quote = create_quote(
        **svc(sales_admin),
        customer=customer,
        date=TODAY,
        valid_until=TODAY,
        lines=[LineSpec("作業費", quantity=1, unit_price=1000)],
    )
    order = accept_quote(**svc(sales_admin), quote=quote, date=TODAY)
    payment = record_payment(
        **svc(accountant), customer=customer, date=TODAY, amount=1000, allocations=[Allocation(invoice, 1000)]
    )
    other = make_company("株式会社よそ")
    stranger = make_member(other, "yoso", ["admin"])
    login(client, stranger)
    for name, pk in [
        ("sales:invoice_detail", invoice.pk),
        ("sales:invoice_pdf", invoice.pk),
        ("sales:invoice_edit", invoice.pk),
        ("sales:invoice_credit", invoice.pk),
        ("sales:quote_detail", quote.pk),
        ("sales:quote_pdf", quote.pk),
        ("sales:order_detail", order.pk),
        ("sales:payment_detail", payment.pk),
        ("sales:payment_receipt", payment.pk),
        ("sales:customer_ledger", customer.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, pk in [
        ("sales:invoice_issue", invoice.pk),
        ("sales:invoice_delete", invoice.pk),
        ("sales:quote_accept", quote.pk),
        ("sales:order_cancel", order.pk),
    ]:
        assert client.post(reverse(name, args=[pk])).status_code == 404, name
    assert client.get(reverse("sales:payment_new"), {"customer": customer.pk}).status_code == 200
    assert (
        "未回収の請求書"
        not in client.get(reverse("sales:payment_new"), {"customer": customer.pk})
        .content.decode()
        .split("</form>")[1]
    )


# ------------------------------------------------------------------------------------- receivables
def test_receivable_screens(client, company, sales_admin, accountant, customer):
    late = make_invoice(sales_admin, customer, amount=10000, day=TODAY - timedelta(days=120))
    make_invoice(sales_admin, customer, amount=5000)
    record_payment(**svc(accountant), customer=customer, date=TODAY, amount=2000)  # 前受金
    login(client, accountant)
    body = client.get(reverse("sales:receivable_balances")).content.decode()
    assert "16,500" in body and "2,000" in body and "14,500" in body
    body = client.get(reverse("sales:receivable_aging")).content.decode()
    assert "data-totals" in body and "11,000" in body
    csv = client.get(reverse("sales:receivable_aging"), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "得意先コード,得意先,期日前,1〜30日,31〜60日,61〜90日,90日超,合計"
    assert csv.splitlines()[-1].endswith(",16500")
    body = client.get(reverse("sales:receivable_overdue")).content.decode()
    assert late.number in body
    url = reverse("sales:customer_ledger", args=[customer.pk])
    body = client.get(
        url, {"start": (TODAY - timedelta(days=200)).isoformat(), "end": TODAY.isoformat()}
    ).content.decode()
    assert late.number in body and "14,500" in body
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "日付,区分,番号,請求額,入金・返還額,残高"
    assert client.get(url, {"start": "2026-02-30"}).status_code == 400
    assert client.get(reverse("sales:receivable_aging"), {"as_of": "x"}).status_code == 400


def test_every_reading_role_sees_the_lists(client, company, customer):
    """Every list answers for each reading role (admin, sales_admin, accounting, finance, manager)."""
    for n, role in enumerate(("admin", "sales_admin", "accounting", "finance", "manager")):
        login(client, make_member(company, f"user{n}", [role]))
        for name in (
            "sales:quote_list",
            "sales:order_list",
            "sales:invoice_list",
            "sales:payment_list",
            "sales:receivable_balances",
            "sales:receivable_aging",
            "sales:receivable_overdue",
        ):
            assert client.get(reverse(name)).status_code == 200, (role, name)


def test_history_shows_lines(client, company, sales_admin, customer):
    invoice = make_invoice(sales_admin, customer)
    login(client, sales_admin)
    body = client.get(reverse("sales:invoice_detail", args=[invoice.pk])).content.decode()
    assert "明細" in body and "作業費" in body
