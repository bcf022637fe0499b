"""Quote to cash in a real browser: a 見積書 with a product chosen from the list (the row fills
itself, the live total shows), 受注にする, 請求書を作成 from the order, 発行 (with its confirm),
the PDF downloaded, 入金を登録 from the invoice (the 消込 prefilled), and the invoice shown as paid."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Page, expect

from ennoshita.ledger import services as ledger_services
from ennoshita.sales.models import Customer, Invoice, Payment, Product
from tests.conftest import make_member


def test_quote_to_paid_invoice(page: Page, live_server, company, login_as, tmp_path):
    ledger_services.ensure_books(company=company)
    boss = make_member(company, "eigyo-keiri", ["admin"], last_name="営業", first_name="花子")
    customer = Customer.objects.create(
        company=company, code="C001", name="株式会社山田商事", name_key="山田商事", name_kana="ヤマダショウジ"
    )
    product = Product.objects.create(
        company=company, code="P1", name="コンサルティング", unit="時間", unit_price=Decimal(10000), tax="S10"
    )
    page.on("dialog", lambda dialog: dialog.accept())

    # 見積書: choose the customer and the product; the row fills itself and the total shows
    login_as(boss, reverse("sales:quote_new"))
    expect(page.get_by_role("heading", name="見積書の作成")).to_be_visible()
    page.get_by_label("得意先").select_option(str(customer.pk))
    page.locator("[name=lines-0-product]").select_option(str(product.pk))
    expect(page.locator("[name=lines-0-description]")).to_have_value("コンサルティング")
    expect(page.locator("[name=lines-0-unit_price]")).to_have_value("10000")
    page.locator("[name=lines-0-quantity]").fill("3")
    expect(page.locator("#doc-totals [data-total]")).to_have_text("33,000")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator("[data-status]")).to_have_text("作成中")
    expect(page.locator("[data-doc-total]")).to_have_text("¥33,000")

    # 受注にする
    page.locator("[data-accept]").click()
    expect(page.get_by_role("heading", name="受注")).to_contain_text("SO-")

    # 請求書を作成 from the order (the quantities default to what is left to invoice)
    expect(page.locator("#invoice input[name^=q_]")).to_have_value("3")
    page.locator("[data-make-invoice]").click()
    expect(page.locator("[data-status]")).to_have_text("下書き")

    # 発行 (the confirm dialog is accepted)
    page.locator("[data-issue]").click()
    expect(page.locator("[data-status]")).to_have_text("発行済み")
    invoice = Invoice.objects.get(kind="invoice")
    assert invoice.status == "issued" and invoice.total == Decimal(33000)
    expect(page.locator("[data-number]")).to_have_text(invoice.number)
    expect(page.locator("[data-open-amount]")).to_contain_text("33,000")

    # the PDF, downloaded
    with page.expect_download() as info:
        page.locator("[data-pdf-download]").click()
    path = tmp_path / "invoice.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    response = page.request.get(live_server.url + reverse("sales:invoice_pdf", args=[invoice.pk]))
    assert response.headers["content-type"] == "application/pdf"

    # 入金を登録 from the invoice: the customer, the amount and the 消込 are prefilled
    page.get_by_role("link", name="入金を登録").click()
    expect(page.locator(f"[name=apply_{invoice.pk}]")).to_be_checked()
    expect(page.locator(f"[name=alloc_{invoice.pk}]")).to_have_value("33000")
    expect(page.locator("[name=amount]")).to_have_value("33000")
    page.locator("#payment-form").get_by_role("button", name="入金を登録").click()
    expect(page.locator("[data-unapplied]")).to_have_text("¥0")
    assert Payment.objects.get().amount == Decimal(33000)

    # the invoice shows as paid
    page.goto(live_server.url + reverse("sales:invoice_detail", args=[invoice.pk]))
    expect(page.locator("[data-status]")).to_have_text("入金済み")
    expect(page.locator("[data-open-amount]")).to_contain_text("0")
