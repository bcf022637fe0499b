"""Sending an issued invoice: the mail with the PDF, the PDF kept as a 電子取引 record, the record
of sending on the invoice; nothing recorded when the mail cannot go."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from ennoshita.core.errors import ServiceError
from ennoshita.documents.models import Document
from ennoshita.sales.models import Customer, Invoice
from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.sending import send_invoice

from ..conftest import make_member


@pytest.fixture
def invoice(books, company, sales_admin):
    customer = Customer.objects.create(company=company, code="C1", name="株式会社送付先", name_key="送付先")
    draft = save_invoice_draft(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        customer=customer,
        date=date(2026, 6, 10),
        lines=[LineSpec("作業", quantity=2, unit_price=5000, tax="S10")],
    )
    return issue_invoice(company=company, actor=sales_admin.user, membership=sales_admin, invoice=draft)


def test_send_files_the_pdf_and_records_the_sending(company, sales_admin, invoice):
    sent = send_invoice(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        invoice=invoice,
        to="keiri@example.jp",
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["keiri@example.jp"] and invoice.number in message.subject
    name, data, mime = message.attachments[0]
    assert mime == "application/pdf" and data.startswith(b"%PDF") and name.startswith(invoice.number)
    document = Document.objects.get(pk=sent.pdf_document_id)
    assert document.is_transaction_record and document.document_type == "invoice"
    assert document.transaction_amount == invoice.total == 11000 and document.counterparty == "株式会社送付先"
    assert document.transaction_date == date(2026, 6, 10) and document.retention_until is not None
    assert sent.sent_to == "keiri@example.jp" and sent.sent_at is not None
    # sending again files nothing new
    send_invoice(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        invoice=invoice,
        to="keiri@example.jp",
    )
    assert Document.objects.filter(company=company).count() == 1
    # the accounting role reads the filed PDF in 文書
    from ennoshita.documents.access import access_for

    keiri = make_member(company, "keiri2", ["accounting"])
    assert access_for(keiri).can_read_document(document.pk, document.folder_id)


def test_bad_address_or_draft_sends_nothing(company, sales_admin, invoice):
    with pytest.raises(ServiceError) as caught:
        send_invoice(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            invoice=invoice,
            to="not-an-address",
        )
    assert "to" in caught.value.field_errors
    draft = Invoice.objects.create(
        company=company, customer=invoice.customer, date=date(2026, 6, 11), tax_rounding="floor"
    )
    with pytest.raises(ServiceError):
        send_invoice(
            company=company, actor=sales_admin.user, membership=sales_admin, invoice=draft, to="a@example.jp"
        )
    assert mail.outbox == [] and not Document.objects.filter(company=company).exists()
    assert Invoice.objects.get(pk=invoice.pk).sent_at is None
