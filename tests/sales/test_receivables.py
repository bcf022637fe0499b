"""Reads of 売掛金 and of the documents: balances per customer with 前受金, the 得意先元帳 with its
opening and running balance, the aging table (the database's CASE agrees with rules.aging_bucket
day by day around every boundary, two queries whatever the number of invoices), overdue invoices,
the open invoices of a customer and the credit warning."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.sales import rules
from ennoshita.sales.models import Customer, Invoice
from ennoshita.sales.selectors import documents as doc_selectors
from ennoshita.sales.selectors import receivables
from ennoshita.sales.services.invoices import issue_credit_note, issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.payments import Allocation, record_payment

from ..conftest import make_company, make_member

AS_OF = date(2026, 9, 30)


def make_customer(company, code="C001", name="株式会社山田商事", **kw) -> Customer:
    return Customer.objects.create(company=company, code=code, name=name, name_key=name, **kw)


def svc(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def invoice(member, customer, *, amount, day, due=None) -> Invoice:
    draft = save_invoice_draft(
        **svc(member),
        customer=customer,
        date=day,
        due_date=due,
        lines=[LineSpec("作業費", quantity=1, unit_price=amount, tax="OUT")],  # 対象外: total = amount
    )
    return issue_invoice(**svc(member), invoice=draft)


@pytest.fixture
def customer(books, company):
    return make_customer(company)


def test_customer_balances_with_advances(company, sales_admin, accountant, customer):
    other = make_customer(company, code="C002", name="鈴木工業")
    a = invoice(sales_admin, customer, amount=10000, day=date(2026, 6, 1))
    invoice(sales_admin, customer, amount=3000, day=date(2026, 10, 5))  # after as_of
    invoice(sales_admin, other, amount=7000, day=date(2026, 7, 1))
    record_payment(
        **svc(accountant),
        customer=customer,
        date=date(2026, 7, 1),
        amount=4000,
        allocations=[Allocation(a, 4000)],
    )
    record_payment(**svc(accountant), customer=other, date=date(2026, 7, 2), amount=1500)  # 前受金 only
    rows = receivables.customer_balances(company=company, as_of=AS_OF)
    got = {r.customer.code: (r.receivable, r.advances, r.net) for r in rows}
    assert got == {
        "C001": (Decimal(6000), Decimal(0), Decimal(6000)),
        "C002": (Decimal(7000), Decimal(1500), Decimal(5500)),
    }


def test_customer_ledger_opening_running_and_fee(company, sales_admin, accountant, customer):
    first = invoice(sales_admin, customer, amount=10000, day=date(2026, 5, 10))
    second = invoice(sales_admin, customer, amount=20000, day=date(2026, 6, 10))
    issue_credit_note(
        **svc(sales_admin),
        invoice=second,
        date=date(2026, 6, 15),
        reason="値引",
        lines=[LineSpec("値引", quantity=1, unit_price=2000, tax="OUT")],
    )
    record_payment(
        **svc(accountant),
        customer=customer,
        date=date(2026, 6, 30),
        amount=9560,
        fee=440,
        allocations=[Allocation(first, 10000)],
    )
    ledger = receivables.customer_ledger(
        company=company, customer=customer, start=date(2026, 6, 1), end=date(2026, 6, 30)
    )
    assert ledger.opening == Decimal(10000)
    assert [(r.kind, r.debit, r.credit, r.balance) for r in ledger.rows] == [
        ("invoice", Decimal(20000), 0, Decimal(30000)),
        ("credit", 0, Decimal(2000), Decimal(28000)),
        ("payment", 0, Decimal(9560), Decimal(18440)),
        ("fee", 0, Decimal(440), Decimal(18000)),
    ]
    assert ledger.closing == Decimal(18000)
    # the closing balance is what is open on the invoices
    assert ledger.closing == sum(i.open_amount for i in Invoice.objects.filter(kind="invoice"))
    whole = receivables.customer_ledger(company=company, customer=customer, start=date(2026, 4, 1), end=AS_OF)
    assert whole.opening == 0 and whole.closing == Decimal(18000)


def test_customer_ledger_of_another_company_is_not_found(company, customer, other_company):
    with pytest.raises(NotFound):
        receivables.customer_ledger(company=other_company, customer=customer, start=AS_OF, end=AS_OF)


def test_aging_agrees_with_the_rule_around_every_boundary(company, sales_admin, customer):
    """One invoice per due date from 0 to 95 days before AS_OF (and a few not due yet): each
    amount is unique (a power of two), so every bucket's sum says exactly which fell in it."""
    offsets = [-5, -1, 0, 1, 2, 29, 30, 31, 32, 59, 60, 61, 62, 89, 90, 91, 92, 120]
    expected: dict[str, Decimal] = dict.fromkeys(rules.AGING_BUCKETS, Decimal(0))
    for n, days in enumerate(offsets):
        due = AS_OF - timedelta(days=days)
        amount = 2**n
        invoice(sales_admin, customer, amount=amount, day=min(due, AS_OF) - timedelta(days=1), due=due)
        expected[rules.aging_bucket(due=due, as_of=AS_OF)] += amount
    with CaptureQueriesContext(connection) as queries:
        table = receivables.aging(company=company, as_of=AS_OF)
    assert len(queries) == 2
    assert len(table.rows) == 1
    assert table.rows[0].buckets == expected
    assert table.totals.buckets == expected
    assert table.totals.total == sum(2**n for n in range(len(offsets)))


def test_aging_reads_only_open_issued_invoices(company, sales_admin, accountant, customer):
    other = make_customer(company, code="C002", name="鈴木工業")
    paid = invoice(sales_admin, customer, amount=1000, day=date(2026, 6, 1), due=date(2026, 6, 30))
    invoice(sales_admin, customer, amount=2000, day=date(2026, 6, 1), due=date(2026, 8, 15))  # 46 days
    invoice(sales_admin, other, amount=4000, day=date(2026, 9, 1), due=date(2026, 10, 31))
    save_invoice_draft(
        **svc(sales_admin),
        customer=customer,
        date=AS_OF,
        lines=[LineSpec("下書き", quantity=1, unit_price=999, tax="OUT")],
    )
    record_payment(
        **svc(accountant), customer=customer, date=AS_OF, amount=1000, allocations=[Allocation(paid, 1000)]
    )
    table = receivables.aging(company=company, as_of=AS_OF)
    assert [(r.customer.code, r.buckets["31_60"], r.buckets["current"], r.total) for r in table.rows] == [
        ("C001", Decimal(2000), 0, Decimal(2000)),
        ("C002", 0, Decimal(4000), Decimal(4000)),
    ]
    assert table.totals.total == Decimal(6000)


def test_aging_query_count_does_not_grow(company, sales_admin, customer):
    for n in range(3):
        c = make_customer(company, code=f"X{n}", name=f"得意先{n}")
        invoice(sales_admin, c, amount=100, day=date(2026, 6, 1))
    with CaptureQueriesContext(connection) as queries:
        receivables.aging(company=company, as_of=AS_OF)
    assert len(queries) == 2


def test_aging_reads_open_invoices_through_their_index(company, sales_admin, customer):
    """Among many settled invoices, the open ones are found by the range open_amount > 0 on
    sales_invoice_open_idx (bench/sales.py measures what this saves at 200,000 invoices)."""
    from django.db.models import Sum

    from ennoshita.sales.models import Invoice

    invoice(sales_admin, customer, amount=100, day=date(2026, 6, 1))
    Invoice.objects.bulk_create(
        [
            Invoice(company=company, customer=customer, date=date(2026, 5, 1), tax_rounding="floor")
            for _ in range(2000)
        ]
    )
    qs = receivables._open_invoices(company).values("customer_id").annotate(s=Sum("open_amount")).order_by()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE sales_invoice")
    assert "sales_invoice_open_idx" in qs.explain()


def test_the_unpaid_list_reads_its_index_in_list_order(company, sales_admin, customer):
    """「未回収のみ」: is_open (open_amount > 0, a generated column) by equality on
    sales_invoice_unpaid_list_idx, whose (date, id) order is the list's, so no sort of every open
    invoice (bench/sales.py: the unpaid list at 200,000 invoices)."""
    from ennoshita.sales.models import Invoice

    paid = invoice(sales_admin, customer, amount=100, day=date(2026, 6, 1))
    open_one = invoice(sales_admin, customer, amount=200, day=date(2026, 6, 2))
    record_payment(
        **svc(make_member(company, "keiri2", ["accounting"])),
        customer=customer,
        date=date(2026, 6, 30),
        amount=100,
        allocations=[Allocation(paid, 100)],
    )
    Invoice.objects.bulk_create(
        [
            Invoice(company=company, customer=customer, date=date(2026, 5, 1), tax_rounding="floor")
            for _ in range(2000)
        ]
    )
    qs = doc_selectors.invoice_list(company=company, unpaid_only=True)
    assert list(qs) == [open_one]
    assert Invoice.objects.get(pk=open_one.pk).is_open and not Invoice.objects.get(pk=paid.pk).is_open
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE sales_invoice")
        return  # the planner's choice follows its statistics; the figures are in docs/performance.md
    plan = qs.explain()
    assert "sales_invoice_unpaid_list_idx" in plan and "TEMP B-TREE" not in plan, plan


def test_overdue_invoices(company, sales_admin, customer):
    late = invoice(sales_admin, customer, amount=100, day=date(2026, 6, 1), due=date(2026, 7, 31))
    invoice(sales_admin, customer, amount=100, day=date(2026, 9, 1), due=AS_OF)  # due today: not late
    assert list(receivables.overdue_invoices(company=company, as_of=AS_OF)) == [late]


def test_open_invoices_for_customer_and_credit_warning(company, sales_admin, customer):
    b = invoice(sales_admin, customer, amount=3000, day=date(2026, 6, 1), due=date(2026, 8, 31))
    a = invoice(sales_admin, customer, amount=5000, day=date(2026, 6, 1), due=date(2026, 7, 31))
    assert doc_selectors.invoices_open_for_customer(company=company, customer=customer) == [a, b]
    assert doc_selectors.credit_warning(company=company, customer=customer, extra=1000) is None  # no limit
    customer.credit_limit = Decimal(9000)
    customer.save()
    assert doc_selectors.credit_warning(company=company, customer=customer, extra=1000) is None
    warning = doc_selectors.credit_warning(company=company, customer=customer, extra=1001)
    assert warning is not None and warning.open_receivable == Decimal(8000) and warning.excess == Decimal(1)


def test_invoice_list_filters(company, sales_admin, customer):
    late = invoice(sales_admin, customer, amount=100, day=date(2026, 6, 1), due=date(2026, 6, 30))
    invoice(sales_admin, customer, amount=100, day=date(2026, 9, 1), due=date(2026, 10, 31))
    qs = doc_selectors.invoice_list(company=company, membership=sales_admin, overdue_only=True, as_of=AS_OF)
    assert list(qs) == [late]
    assert doc_selectors.invoice_list(company=company, q="INV-2026-000001").count() == 1
    assert doc_selectors.invoice_list(company=company, q="やまだ").count() == 0  # no フリガナ given
    customer.name_kana = "ヤマダショウジ"
    customer.save()
    assert doc_selectors.invoice_list(company=company, q="やまだ").count() == 2
    assert doc_selectors.invoice_list(company=company, date_from=date(2026, 8, 1)).count() == 1


def test_reads_need_a_reading_role(company, customer):
    employee = make_member(company, "shain", ["employee"])
    with pytest.raises(PermissionDeniedError):
        doc_selectors.invoice_list(company=company, membership=employee)
    with pytest.raises(PermissionDeniedError):
        receivables.aging(company=company, as_of=AS_OF, membership=employee)


def test_get_invoice_of_another_company_is_not_found(company, sales_admin, customer):
    inv = invoice(sales_admin, customer, amount=100, day=date(2026, 6, 1))
    other = make_company("株式会社よそ")
    with pytest.raises(NotFound):
        doc_selectors.get_invoice(company=other, invoice_id=inv.pk)
    with pytest.raises(NotFound):
        doc_selectors.get_invoice(company=company, invoice_id="abc")
