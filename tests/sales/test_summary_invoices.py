"""合計請求書: one invoice per customer per closing day over the period's orders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Job
from ennoshita.sales.models import Customer, Invoice, Order
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.quotes import create_order
from ennoshita.sales.services.summary import (
    period_of,
    run_summary_invoicing,
    start_summary_invoicing,
    summary_candidates,
)


@pytest.fixture
def customers(books, company):
    def make(code, closing):
        return Customer.objects.create(
            company=company,
            code=code,
            name=f"得意先{code}",
            name_key=code,
            closing_day=closing,
            payment_months_after=1,
            payment_day=10,
        )

    return make("A", 20), make("B", 99)


def order(company, member, customer, day, qty, price, tax="S10", included=False):
    return create_order(
        company=company,
        actor=member.user,
        membership=member,
        customer=customer,
        date=day,
        lines=[LineSpec("部品", quantity=qty, unit_price=price, tax=tax)],
        prices_include_tax=included,
    )


def test_period_of_a_closing_day():
    twentieth = Customer(closing_day=20)
    assert period_of(twentieth, date(2026, 6, 20)) == (date(2026, 5, 21), date(2026, 6, 20))
    month_end = Customer(closing_day=99)
    assert period_of(month_end, date(2026, 3, 31)) == (date(2026, 3, 1), date(2026, 3, 31))


def test_one_invoice_per_customer_over_the_period(company, sales_admin, customers):
    a, b = customers
    o1 = order(company, sales_admin, a, date(2026, 5, 25), 3, 1000)
    o2 = order(company, sales_admin, a, date(2026, 6, 12), 1, 555, tax="S8R")
    order(company, sales_admin, a, date(2026, 6, 25), 1, 9999)  # after the close: next month
    order(company, sales_admin, b, date(2026, 6, 12), 1, 1000)  # B closes at month end
    assert [c.code for c, _lines in summary_candidates(company=company, closing=date(2026, 6, 20))] == ["A"]
    run = run_summary_invoicing(
        company=company, actor=sales_admin.user, membership=sales_admin, closing=date(2026, 6, 20)
    )
    assert run.failed == [] and len(run.issued) == 1
    invoice = Invoice.objects.get(number=run.issued[0])
    assert invoice.is_summary and (invoice.period_start, invoice.period_end) == (
        date(2026, 5, 21),
        date(2026, 6, 20),
    )
    assert invoice.date == date(2026, 6, 20) and invoice.due_date == date(2026, 7, 10)
    assert [ln.delivered_on for ln in invoice.lines.order_by("line_no")] == [
        date(2026, 5, 25),
        date(2026, 6, 12),
    ]
    assert invoice.rate_totals == {"10": {"base": 3000, "tax": 300}, "8": {"base": 555, "tax": 44}}
    assert set(invoice.orders.values_list("pk", flat=True)) == {o1.pk, o2.pk}
    assert Order.objects.get(pk=o1.pk).status == Order.Status.INVOICED
    # run again: nothing left for that close
    again = run_summary_invoicing(
        company=company, actor=sales_admin.user, membership=sales_admin, closing=date(2026, 6, 20)
    )
    assert again.issued == []


def test_the_monthly_run_as_a_job(company, sales_admin, customers):
    _a, b = customers
    order(company, sales_admin, b, date(2026, 6, 3), 2, Decimal("1234.5"))
    job = start_summary_invoicing(
        company=company, actor=sales_admin.user, membership=sales_admin, closing=date(2026, 6, 30)
    )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["issued"] == 1 and job.result["failed"] == []
    with pytest.raises(ServiceError):
        start_summary_invoicing(
            company=company, actor=sales_admin.user, membership=sales_admin, closing=date(2026, 6, 30)
        )


def test_a_refused_customer_does_not_stop_the_others(company, sales_admin, customers, accountant):
    from ennoshita.ledger import services as ledger_services

    a, _b = customers
    c = Customer.objects.create(company=company, code="C", name="得意先C", name_key="C", closing_day=20)
    order(company, sales_admin, a, date(2026, 6, 1), 1, 1000)
    order(company, sales_admin, c, date(2026, 6, 1), 1, 2000)
    Customer.objects.filter(pk=c.pk).update(is_active=False)
    run = run_summary_invoicing(
        company=company, actor=sales_admin.user, membership=sales_admin, closing=date(2026, 6, 20)
    )
    assert len(run.issued) == 1  # C is not a candidate (stopped); A is issued
    # a locked month refuses the issue with the ledger's message, and nothing of it is left behind
    order(company, sales_admin, a, date(2026, 7, 1), 1, 1000)
    ledger_services.lock_month(
        company=company, actor=accountant.user, membership=accountant, month=date(2026, 7, 1)
    )
    run = run_summary_invoicing(
        company=company, actor=sales_admin.user, membership=sales_admin, closing=date(2026, 7, 20)
    )
    assert run.issued == [] and len(run.failed) == 1
    assert not Invoice.objects.filter(date=date(2026, 7, 20)).exists()


def test_the_run_files_each_pdf(company, sales_admin, customers):
    from ennoshita.documents.models import Document

    _a, b = customers
    order(company, sales_admin, b, date(2026, 6, 3), 2, 1000)
    run = run_summary_invoicing(
        company=company, actor=sales_admin.user, membership=sales_admin, closing=date(2026, 6, 30)
    )
    invoice = Invoice.objects.get(number=run.issued[0])
    assert invoice.pdf_document_id is not None
    assert Document.objects.get(pk=invoice.pdf_document_id).is_transaction_record
