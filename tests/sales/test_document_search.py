"""Searching invoices: a word naming customers finds their invoices, the start of a number finds
by number, any other word looks in numbers and subjects; another company's customers never count."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.sales.models import Customer
from ennoshita.sales.selectors.documents import invoice_list
from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec

from ..conftest import make_company


@pytest.fixture
def invoices(books, company, sales_admin):
    def issue(customer, subject, day):
        draft = save_invoice_draft(
            company=company,
            actor=sales_admin.user,
            membership=sales_admin,
            customer=customer,
            date=day,
            subject=subject,
            lines=[LineSpec("作業", quantity=1, unit_price=1000, tax="S10")],
        )
        return issue_invoice(company=company, actor=sales_admin.user, membership=sales_admin, invoice=draft)

    yamada = Customer.objects.create(
        company=company, code="C1", name="株式会社山田商事", name_kana="ヤマダショウジ", name_key="山田商事"
    )
    kawa = Customer.objects.create(
        company=company, code="C2", name="川村工業", name_kana="カワムラコウギョウ", name_key="川村工業"
    )
    return [
        issue(yamada, "保守費用 6月", date(2026, 6, 1)),
        issue(kawa, "山田さん紹介の案件", date(2026, 6, 2)),
        issue(kawa, "保守費用 7月", date(2026, 7, 1)),
    ]


def numbers(company, q):
    return sorted(i.number for i in invoice_list(company=company, q=q))


def test_a_customer_word_finds_that_customers_invoices(company, invoices):
    assert numbers(company, "山田") == [invoices[0].number]  # the customer, not a subject mentioning it
    assert numbers(company, "やまだ") == [invoices[0].number]  # kana (hiragana folded)
    assert numbers(company, "C2") == sorted(i.number for i in invoices[1:])


def test_a_number_prefix_and_a_subject_word(company, invoices):
    assert numbers(company, "inv-2026-000002") == [invoices[1].number]
    assert numbers(company, "INV-2026") == sorted(i.number for i in invoices)
    assert numbers(company, "保守") == sorted([invoices[0].number, invoices[2].number])
    assert numbers(company, "保守 川村") == [invoices[2].number]  # every word must match


def test_another_companys_customers_do_not_match(company, invoices):
    other = make_company("株式会社ほか")
    Customer.objects.create(company=other, code="Z", name="保守専門株式会社", name_key="保守専門")
    # "保守" names a customer only in the other company: here it still searches the subjects
    assert numbers(company, "保守") == sorted([invoices[0].number, invoices[2].number])


def test_a_word_naming_many_customers_finds_all_their_invoices(company, invoices):
    for n in range(600):
        Customer.objects.create(
            company=company, code=f"K{n:04d}", name=f"株式会社追加{n}", name_key=f"追加{n}"
        )
    # 株式会社 names 601 customers; the invoice of the first one is still found
    assert numbers(company, "株式会社") == [invoices[0].number]
