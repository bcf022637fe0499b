"""Issuing many invoices at once (the monthly run) gives exactly what one at a time gives: the same
invoice, the same journal entry, the same audit trail; and a refusal names only its customer."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents import services as document_services
from ennoshita.documents.models import Document
from ennoshita.documents.storage import open_blob
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.sales.models import Customer, Invoice, OrderLine
from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
from ennoshita.sales.services.issuing import NewInvoice, issue_new_invoices
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.quotes import create_order
from ennoshita.sales.services.summary import run_summary_invoicing

DAY = date(2026, 6, 30)


@pytest.fixture
def customers(books, company):
    return [
        Customer.objects.create(
            company=company, code=code, name=f"得意先{code}", name_key=code, closing_day=99, payment_day=10
        )
        for code in "ABC"
    ]


LINES = [
    LineSpec("保守作業", quantity=3, unit_price=1234, tax="S10"),
    LineSpec("お茶", quantity=7, unit_price=113, tax="S8R"),
    LineSpec("値引", quantity=1, unit_price=-100, tax="S10"),
]


def entry_lines(invoice: Invoice) -> list[tuple[str, str, int, str]]:
    return [
        (ln.account.code, "debit" if ln.debit else "credit", int(ln.debit or ln.credit), ln.memo)
        for ln in JournalLine.objects.filter(entry_id=invoice.journal_entry_id)
        .select_related("account")
        .order_by("line_no")
    ]


def test_the_same_invoice_entry_and_trail_as_one_at_a_time(company, sales_admin, customers):
    a, b, _c = customers
    draft = save_invoice_draft(
        company=company, actor=sales_admin.user, membership=sales_admin, customer=a, date=DAY, lines=LINES
    )
    single = issue_invoice(company=company, actor=sales_admin.user, membership=sales_admin, invoice=draft)
    [bulk] = issue_new_invoices(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        items=[NewInvoice(customer=b, date=DAY, lines=LINES)],
    )
    single.refresh_from_db()
    bulk.refresh_from_db()
    assert (single.number, bulk.number) == ("INV-2026-000001", "INV-2026-000002")
    fields = (
        "subtotal",
        "tax_total",
        "total",
        "rate_totals",
        "due_date",
        "open_amount",
        "status",
        "issuer_name",
    )
    assert {f: getattr(bulk, f) for f in fields} == {f: getattr(single, f) for f in fields}
    assert bulk.rate_totals == {"10": {"base": 3602, "tax": 360}, "8": {"base": 791, "tax": 63}}
    assert bulk.customer_name == "得意先B 御中" and bulk.issued_by == sales_admin.user
    # the books: the same lines but the customer's name
    same = [(code, side, amount) for code, side, amount, _memo in entry_lines(single)]
    assert [(code, side, amount) for code, side, amount, _memo in entry_lines(bulk)] == same
    entry = JournalEntry.objects.get(pk=bulk.journal_entry_id)
    assert (entry.source_type, entry.source_id, entry.status) == ("sales.invoice", str(bulk.pk), "posted")

    # the trail: made, then issued, as for the one issued from a draft
    def actions(invoice):
        return list(
            AuditEvent.objects.filter(object_type="sales.invoice", object_id=str(invoice.pk))
            .order_by("seq")
            .values_list("action", flat=True)
        )

    assert actions(bulk) == actions(single) == ["create", "issue"]


def test_nothing_is_written_when_one_invoice_of_a_batch_is_wrong(company, sales_admin, customers):
    a, b, _c = customers
    before = (Invoice.objects.count(), JournalEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as caught:
        issue_new_invoices(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            items=[
                NewInvoice(customer=a, date=DAY, lines=LINES),
                NewInvoice(
                    customer=b, date=DAY, lines=[LineSpec("値引", quantity=1, unit_price=-5, tax="S10")]
                ),
            ],
        )
    assert "invoices.1.lines" in caught.value.field_errors
    assert (Invoice.objects.count(), JournalEntry.objects.count(), AuditEvent.objects.count()) == before


def test_one_order_line_cannot_go_on_two_invoices_of_a_batch(company, sales_admin, customers):
    a, _b, _c = customers
    order = create_order(
        company=company, actor=sales_admin.user, membership=sales_admin, customer=a, date=DAY, lines=LINES[:1]
    )
    line = order.lines.get()
    spec = LineSpec("保守作業", quantity=1, unit_price=1234, tax="S10", order_line=line)
    with pytest.raises(ServiceError) as caught:
        issue_new_invoices(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            items=[
                NewInvoice(customer=a, date=DAY, lines=[spec]),
                NewInvoice(customer=a, date=DAY, lines=[spec]),
            ],
        )
    assert "invoices.1.lines.0" in caught.value.field_errors


def test_numbers_run_on_per_fiscal_year(company, sales_admin, customers):
    a, b, _c = customers
    march, april = date(2026, 3, 31), date(2026, 4, 1)  # 期首 April: two fiscal years
    issued = issue_new_invoices(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        items=[
            NewInvoice(customer=a, date=april, lines=LINES),
            NewInvoice(customer=b, date=march, lines=LINES),
            NewInvoice(customer=b, date=april, lines=LINES),
        ],
    )
    assert [i.number for i in issued] == ["INV-2026-000001", "INV-2025-000001", "INV-2026-000002"]


def test_a_refused_customer_in_a_batch_is_listed_and_the_others_issued(company, sales_admin, customers):
    for n, customer in enumerate(customers):
        create_order(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            customer=customer,
            date=date(2026, 6, 5 + n),
            lines=[LineSpec("部品", quantity=2, unit_price=1000, tax="S10")],
        )
    # B's order line was changed behind the service's back into a discount larger than any sale
    OrderLine.objects.filter(order__customer=customers[1]).update(unit_price=-3000)
    run = run_summary_invoicing(company=company, actor=sales_admin.user, membership=sales_admin, closing=DAY)
    assert run.issued == ["INV-2026-000001", "INV-2026-000002"]  # gapless: B took no number
    assert [f["customer"] for f in run.failed] == ["得意先B"]
    assert "値引" in " ".join(run.failed[0].values())
    issued = Invoice.objects.filter(company=company).order_by("number")
    assert [i.customer.code for i in issued] == ["A", "C"]
    for invoice in issued:  # each PDF filed is the invoice's own, readable, with its number on it
        doc = Document.objects.select_related("current_version").get(pk=invoice.pdf_document_id)
        data = open_blob(doc.current_version.sha256)
        assert data.startswith(b"%PDF-") and doc.current_version.size == len(data)
        assert invoice.number in doc.current_version.extracted_text and doc.name.startswith(invoice.number)
    assert JournalEntry.objects.filter(source_type="sales.invoice").count() == 2


def test_the_issued_lines_are_at_hand_without_a_query(
    company, sales_admin, customers, django_assert_num_queries
):
    a, _b, _c = customers
    [invoice] = issue_new_invoices(
        company=company, actor=sales_admin.user, membership=sales_admin, items=[NewInvoice(a, DAY, LINES)]
    )
    with django_assert_num_queries(0):
        assert [ln.description for ln in invoice.lines.all()] == ["保守作業", "お茶", "値引"]


def test_filing_many_files_at_once(company, sales_admin):
    def item(name, text):
        return document_services.GeneratedFile(
            name=name,
            data=f"請求書 {name}".encode(),
            transaction_date=DAY,
            transaction_amount=1100,
            counterparty="株式会社テスト",
            document_type="invoice",
            text=text,
        )

    first = document_services.file_generated_documents(
        company=company,
        actor=sales_admin.user,
        folder_name="発行済み請求書",
        roles=("sales_admin",),
        files=[item("a.txt", "保守作業"), item("b.txt", "開発"), item("a.txt", "保守作業")],
    )
    assert first[0].pk == first[2].pk and first[0].pk != first[1].pk  # one name, one document
    again = document_services.file_generated_document(
        company=company,
        actor=sales_admin.user,
        folder_name="発行済み請求書",
        roles=("sales_admin",),
        name="b.txt",
        data="請求書 b.txt".encode(),
        transaction_date=DAY,
        transaction_amount=1100,
        counterparty="株式会社テスト",
        document_type="invoice",
    )
    assert again.pk == first[1].pk
    doc = Document.objects.select_related("current_version").get(pk=first[0].pk)
    assert doc.is_transaction_record and doc.transaction_amount == 1100 and doc.retention_until
    assert doc.current_version.number == 1 and doc.current_version.extracted_text == "保守作業"
    assert "保守作業" in doc.search_text
    event = AuditEvent.objects.get(object_type="documents.document", object_id=str(doc.pk))
    assert event.action == "create" and event.changes["fields"]["is_transaction_record"] == [None, True]
