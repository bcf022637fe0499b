"""A bank fee the customer deducted from a payment: booked as 売上値引 (the default for new
companies; no 返還インボイス under 1万円 税込, 消費税法57条の4第3項) or as 支払手数料 (a setting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.sales import rules
from ennoshita.sales.models import FeeTreatment, Payment, SalesSettings
from ennoshita.sales.services.lines import settings_of
from ennoshita.sales.services.payments import Allocation, record_payment

from .test_receivables import invoice, make_customer, svc


@pytest.mark.parametrize(("amount", "required"), [(0, False), (880, False), (9999, False), (10000, True)])
def test_a_return_invoice_is_required_from_ten_thousand_yen(amount, required):
    assert rules.return_invoice_required(amount_including_tax=Decimal(amount)) is required


def _lines(payment: Payment) -> dict[str, tuple[Decimal, Decimal, str]]:
    entry = JournalEntry.objects.get(source_type="sales.payment", source_id=str(payment.pk))
    return {
        ln.account.code: (ln.debit, ln.credit, ln.tax_code.key if ln.tax_code else "")
        for ln in JournalLine.objects.filter(entry=entry).select_related("account", "tax_code")
    }


def _pay(accountant, customer, inv, *, amount, fee):
    return record_payment(
        **svc(accountant),
        customer=customer,
        date=date(2026, 6, 30),
        amount=amount,
        fee=fee,
        allocations=[Allocation(inv, amount + fee)],
    )


def test_new_companies_book_the_fee_as_a_sales_discount(books, company, sales_admin, accountant):
    customer = make_customer(company)
    inv = invoice(sales_admin, customer, amount=10000, day=date(2026, 6, 1))
    assert settings_of(company).fee_treatment == FeeTreatment.DISCOUNT
    payment = _pay(accountant, customer, inv, amount=9560, fee=440)
    lines = _lines(payment)
    # 440 税込 = 400 売上値引 + 40 仮受消費税等 (taken back), no 支払手数料
    assert lines["4190"] == (Decimal(400), Decimal(0), "S10")
    assert lines["2171"] == (Decimal(40), Decimal(0), "")
    assert "6370" not in lines
    assert sum(d for d, _c, _t in lines.values()) == sum(c for _d, c, _t in lines.values()) == Decimal(10000)
    inv.refresh_from_db()
    assert inv.open_amount == 0


def test_the_fee_can_be_booked_as_a_bank_charge(books, company, sales_admin, accountant):
    settings_of(company)  # the row, created on first use
    SalesSettings.objects.filter(company=company).update(fee_treatment=FeeTreatment.EXPENSE)
    customer = make_customer(company)
    inv = invoice(sales_admin, customer, amount=10000, day=date(2026, 6, 1))
    lines = _lines(_pay(accountant, customer, inv, amount=9560, fee=440))
    assert lines["6370"] == (Decimal(400), Decimal(0), "P10")
    assert lines["1171"] == (Decimal(40), Decimal(0), "")
    assert "4190" not in lines


def test_a_discount_of_ten_thousand_yen_is_refused_without_a_return_invoice(
    books, company, sales_admin, accountant
):
    customer = make_customer(company)
    inv = invoice(sales_admin, customer, amount=100000, day=date(2026, 6, 1))
    before = (Payment.objects.count(), JournalEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as err:
        _pay(accountant, customer, inv, amount=90000, fee=10000)
    assert "返還インボイス" in err.value.field_errors["fee"][0]
    assert (Payment.objects.count(), JournalEntry.objects.count(), AuditEvent.objects.count()) == before
    # 9,999 is a small discount and is recorded
    _pay(accountant, customer, inv, amount=90001, fee=9999)
