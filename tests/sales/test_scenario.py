"""Quote → order → invoice (part of the order) → partial payment → credit note → final payment,
with the 売掛金, 売上高 and 仮受消費税等 balances in the books checked at every step."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import ServiceError
from ennoshita.ledger.selectors import trial_balance
from ennoshita.sales.models import Customer, Invoice, Order, Product, Quote
from ennoshita.sales.services.invoices import issue_credit_note, issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.payments import Allocation, record_payment
from ennoshita.sales.services.quotes import accept_quote, create_quote, mark_quote_sent

DAY = date(2026, 6, 10)


def balances(company, end=date(2026, 12, 31)) -> dict[str, Decimal]:
    tb = trial_balance(company=company, start=date(2026, 4, 1), end=end)
    return {row.code: row.closing for row in tb.rows}


@pytest.fixture
def customer(books, company):
    return Customer.objects.create(
        company=company,
        code="C001",
        name="株式会社山田商事",
        name_key="山田商事",
        closing_day=99,
        payment_months_after=1,
        payment_day=99,
    )


@pytest.fixture
def products(company):
    return {
        "consulting": Product.objects.create(
            company=company,
            code="P1",
            name="コンサルティング",
            unit="時間",
            unit_price=Decimal("12345.5"),
            tax="S10",
        ),
        "coffee": Product.objects.create(
            company=company, code="P2", name="コーヒー豆", unit="袋", unit_price=Decimal(1111), tax="S8R"
        ),
    }


def test_quote_to_cash(company, books, sales_admin, accountant, customer, products):
    admin_user = sales_admin.user
    consulting, coffee = products["consulting"], products["coffee"]
    quote = create_quote(
        company=company,
        actor=admin_user,
        membership=sales_admin,
        customer=customer,
        date=DAY,
        valid_until=date(2026, 7, 10),
        subject="6月分",
        lines=[
            LineSpec(
                "コンサルティング",
                quantity="10",
                unit_price=consulting.unit_price,
                tax="S10",
                product=consulting,
            ),
            LineSpec("コーヒー豆", quantity=4, unit_price=coffee.unit_price, tax="S8R", product=coffee),
        ],
    )
    # 10% 123,455 → tax 12,345 (floor); 8% 4,444 → 355 (jp-rules §5.2 shape)
    assert quote.rate_totals == {"10": {"base": 123455, "tax": 12345}, "8": {"base": 4444, "tax": 355}}
    assert quote.total == Decimal(123455 + 12345 + 4444 + 355)
    mark_quote_sent(company=company, actor=admin_user, membership=sales_admin, quote=quote)
    order = accept_quote(company=company, actor=admin_user, membership=sales_admin, quote=quote, date=DAY)
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.ACCEPTED
    assert order.total == quote.total and order.lines.count() == 2
    assert balances(company) == {}  # nothing in the books before an invoice

    # invoice 6 of the 10 hours and all the coffee
    consulting_line, coffee_line = order.lines.order_by("line_no")
    draft = save_invoice_draft(
        company=company,
        actor=admin_user,
        membership=sales_admin,
        customer=customer,
        date=date(2026, 6, 30),
        lines=[
            LineSpec(
                "コンサルティング",
                quantity=6,
                unit_price=consulting_line.unit_price,
                tax="S10",
                order_line=consulting_line,
            ),
            LineSpec(
                "コーヒー豆", quantity=4, unit_price=coffee_line.unit_price, tax="S8R", order_line=coffee_line
            ),
        ],
    )
    assert balances(company) == {}  # a draft is not in the books
    invoice = issue_invoice(company=company, actor=admin_user, membership=sales_admin, invoice=draft)
    assert invoice.number == "INV-2026-000001"
    assert invoice.due_date == date(2026, 7, 31)  # 月末締め翌月末払い, 7/31 is a Friday
    # 10%: 6 × 12,345.5 = 74,073 → tax 7,407; 8%: 4,444 → 355
    assert invoice.rate_totals == {"10": {"base": 74073, "tax": 7407}, "8": {"base": 4444, "tax": 355}}
    total = Decimal(74073 + 7407 + 4444 + 355)
    assert invoice.total == total == invoice.open_amount
    assert Order.objects.get(pk=order.pk).status == Order.Status.PARTLY_INVOICED
    b = balances(company)
    assert b["1132"] == total and b["4100"] == Decimal(74073 + 4444) and b["2171"] == Decimal(7407 + 355)

    # partial payment with the bank fee deducted by the customer
    pay1 = record_payment(
        company=company,
        actor=accountant.user,
        membership=accountant,
        customer=customer,
        date=date(2026, 7, 31),
        amount=50_000 - 440,
        fee=440,
        allocations=[Allocation(invoice, 50_000)],
    )
    assert pay1.unapplied == 0
    b = balances(company)
    assert b["1132"] == total - 50_000 and b["1121"] == Decimal(49_560)
    # the fee is a 売上値引 (new companies' setting; under 1万円 no 返還インボイス): 400 off the
    # sales and 40 of 仮受消費税等 taken back
    assert b["4190"] == Decimal(400) and b["2171"] == Decimal(7407 + 355 - 40)
    assert Invoice.objects.get(pk=invoice.pk).open_amount == total - 50_000

    # a return of 1 bag of coffee
    credit = issue_credit_note(
        company=company,
        actor=admin_user,
        membership=sales_admin,
        invoice=invoice,
        date=date(2026, 8, 5),
        reason="返品(破損)",
        lines=[LineSpec("コーヒー豆 返品", quantity=1, unit_price=1111, tax="S8R")],
    )
    assert credit.number == "CN-2026-000001" and credit.credit_of_id == invoice.pk
    assert credit.rate_totals == {"8": {"base": 1111, "tax": 88}}
    b = balances(company)
    assert b["1132"] == total - 50_000 - 1199
    assert b["4190"] == Decimal(400 + 1111)  # 売上値引・返品: the fee and the return
    assert b["2171"] == Decimal(7407 + 355 - 40 - 88)
    invoice.refresh_from_db()
    assert invoice.open_amount == total - 50_000 - 1199

    # a credit larger than what is open is refused, nothing written
    with pytest.raises(ServiceError):
        issue_credit_note(
            company=company,
            actor=admin_user,
            membership=sales_admin,
            invoice=invoice,
            date=date(2026, 8, 5),
            reason="値引",
            lines=[LineSpec("値引", quantity=1, unit_price=10**6, tax="S10")],
        )
    assert Invoice.objects.filter(kind="credit").count() == 1

    # the final payment pays a little more than what is open: the rest is 前受金
    rest = invoice.open_amount
    pay2 = record_payment(
        company=company,
        actor=accountant.user,
        membership=accountant,
        customer=customer,
        date=date(2026, 8, 31),
        amount=rest + 1000,
        allocations=[Allocation(invoice, rest)],
    )
    assert pay2.unapplied == Decimal(1000)
    invoice.refresh_from_db()
    assert invoice.open_amount == 0
    b = balances(company)
    assert b.get("1132", Decimal(0)) == 0
    assert b["2140"] == Decimal(1000)  # 前受金
    assert b["1121"] == Decimal(49_560) + rest + 1000
    tb = trial_balance(company=company, start=date(2026, 4, 1), end=date(2026, 12, 31))
    assert tb.debit == tb.credit


def test_issued_invoice_is_final_in_the_database(company, books, sales_admin, customer):
    draft = save_invoice_draft(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        customer=customer,
        date=DAY,
        lines=[LineSpec("作業", quantity=1, unit_price=1000, tax="S10")],
    )
    invoice = issue_invoice(company=company, actor=sales_admin.user, membership=sales_admin, invoice=draft)
    from django.db import DatabaseError, transaction

    for change in (
        lambda: Invoice.objects.filter(pk=invoice.pk).update(total=1),
        lambda: Invoice.objects.filter(pk=invoice.pk).delete(),
        lambda: invoice.lines.update(amount=1),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    with pytest.raises(ServiceError):
        save_invoice_draft(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            customer=customer,
            date=DAY,
            lines=[LineSpec("作業", quantity=1, unit_price=2000, tax="S10")],
            draft=invoice,
        )
    # the record of sending may still change
    Invoice.objects.filter(pk=invoice.pk).update(sent_to="a@example.jp")


def test_invoice_and_journal_entry_link_both_ways(client, company, books, sales_admin, accountant, customer):
    from django.urls import reverse

    from ..conftest import login

    draft = save_invoice_draft(
        company=company,
        actor=sales_admin.user,
        membership=sales_admin,
        customer=customer,
        date=DAY,
        lines=[LineSpec("作業", quantity=1, unit_price=1000, tax="S10")],
    )
    invoice = issue_invoice(company=company, actor=sales_admin.user, membership=sales_admin, invoice=draft)
    login(client, accountant)
    entry_page = client.get(reverse("ledger:entry_detail", args=[invoice.journal_entry_id])).content.decode()
    assert f'href="{reverse("sales:invoice_detail", args=[invoice.pk])}"' in entry_page
    invoice_page = client.get(reverse("sales:invoice_detail", args=[invoice.pk])).content.decode()
    assert f'href="{reverse("ledger:entry_detail", args=[invoice.journal_entry_id])}"' in invoice_page
