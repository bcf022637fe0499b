"""The demo company's sales: customers, a fiscal year of invoices that reconcile with the books,
some overdue, some credited, payments; idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from ennoshita.ledger.models import JournalLine
from ennoshita.ledger.selectors import trial_balance
from ennoshita.sales.demo import build_demo_sales
from ennoshita.sales.models import Customer, Invoice, Payment, Quote

from ..conftest import make_member

TODAY = date(2026, 11, 24)


def test_demo_sales_reconcile_with_the_books(books, company):
    make_member(company, "boss", ["admin"])
    make_member(company, "eigyo", ["sales_admin"])
    make_member(company, "keiri", ["accounting"])
    issued = build_demo_sales(company, today=TODAY)
    assert issued > 20
    assert Customer.objects.for_company(company).count() == 7
    invoices = Invoice.objects.for_company(company).filter(status="issued")
    assert invoices.filter(kind="credit").count() == 2
    assert invoices.filter(is_summary=True).count() >= 6  # monthly 合計請求書 since April
    assert Payment.objects.for_company(company).exists()
    assert Quote.objects.for_company(company).filter(status="sent").exists()  # some quotes still open
    overdue = invoices.filter(kind="invoice", due_date__lt=TODAY, open_amount__gt=0)
    assert overdue.exists()
    # 売掛金 in the books = what the invoices still have open
    open_total = invoices.aggregate(s=Sum("open_amount"))["s"]
    tb = trial_balance(company=company, start=date(2026, 4, 1), end=TODAY)
    closing = {row.code: row.closing for row in tb.rows}
    assert closing["1132"] == open_total > 0
    sales = invoices.filter(kind="invoice").aggregate(s=Sum("subtotal"))["s"]
    assert closing["4100"] == sales
    # 売上値引・返品: the credit notes, and the fees customers deducted (new companies book them as
    # 売上値引, each with its 仮受消費税 the other way: line + its tax line = the fee)
    fee_lines = JournalLine.objects.filter(
        company=company, account__code="4190", entry__source_type="sales.payment"
    ).prefetch_related("tax_lines")
    fees = Payment.objects.for_company(company).aggregate(s=Sum("fee"))["s"]
    assert fees > 0
    assert sum(ln.debit + sum(t.debit for t in ln.tax_lines.all()) for ln in fee_lines) == fees
    credits = invoices.filter(kind="credit").aggregate(s=Sum("subtotal"))["s"]
    assert closing["4190"] == credits + sum(ln.debit for ln in fee_lines)
    assert tb.debit == tb.credit
    # the numbers follow the dates, as when the year was really worked through
    dates = list(invoices.filter(kind="invoice").order_by("number").values_list("date", flat=True))
    assert dates == sorted(dates)
    # a second run adds nothing
    assert build_demo_sales(company, today=TODAY) == 0
    assert (
        Invoice.objects.for_company(company).count()
        == invoices.count() + Invoice.objects.for_company(company).filter(status="draft").count()
    )
    assert all(i.total == i.subtotal + i.tax_total for i in invoices) and Decimal(0) <= min(
        i.open_amount for i in invoices
    )
