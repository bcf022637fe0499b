"""What an approved bill posts: one entry; each line to its account with its department and 税区分;
the tax of a 適格請求書 once per rate per bill; the 経過措置 for a bill without one; 買掛金 / 未払金."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.money import Rounding
from ennoshita.ledger.models import JournalLine
from ennoshita.purchasing.rules import bill_tax_by_rate, spread_tax

from .conftest import approved_bill, bill_line, make_vendor


def _lines(bill):
    rows = JournalLine.objects.filter(entry_id=bill.journal_entry_id).select_related(
        "account", "tax_code", "department"
    )
    return [
        (
            ln.account.code,
            int(ln.debit),
            int(ln.credit),
            ln.tax_code.key if ln.tax_code else None,
            ln.department.code if ln.department else None,
        )
        for ln in rows.order_by("line_no")
    ]


def _input_tax(bill):
    return sum(
        ln.debit for ln in JournalLine.objects.filter(entry_id=bill.journal_entry_id, account__code="1171")
    )


def test_one_entry_with_tax_lines_and_the_payable(org, vendor):
    bill = approved_bill(org, vendor, [bill_line(account_code="6310", amount="11000")])
    assert sorted(_lines(bill)) == sorted(
        [
            ("6310", 10000, 0, "P10", "310"),
            ("1171", 1000, 0, None, "310"),
            ("2112", 0, 11000, None, "310"),
        ]
    )


def test_qualified_bill_tax_is_rounded_once_per_rate(org, vendor):
    """Three lines of 1,000円 at 10%: each line's tax is 90.9… (90 rounded down, 270 in all); the
    bill's is 3,000 × 10/110 = 272.7… → 272 once (施行令70条の10, 46条)."""
    lines = [bill_line(description=f"品目{n}", amount="1000") for n in (1, 2, 3)]
    bill = approved_bill(org, vendor, lines)
    assert bill.tax_total == Decimal(272)
    assert _input_tax(bill) == Decimal(272)
    expense = sum(
        ln.debit for ln in JournalLine.objects.filter(entry_id=bill.journal_entry_id, account__code="6310")
    )
    assert expense == Decimal(2728)
    credit = JournalLine.objects.get(entry_id=bill.journal_entry_id, account__code="2112").credit
    assert credit == Decimal(3000)


def test_two_rates_each_rounded_on_their_subtotal(org, vendor):
    lines = [
        bill_line(account_code="6310", amount="1000"),
        bill_line(account_code="6270", amount="1000"),
        bill_line(account_code="6310", amount="1080", tax_handling="P8R"),
        bill_line(account_code="6310", amount="1081", tax_handling="P8R"),
    ]
    bill = approved_bill(org, vendor, lines)
    # 10%: 2,000 × 10/110 = 181.8 → 181; 8%: 2,161 × 8/108 = 160.07 → 160
    assert bill.tax_total == Decimal(181 + 160)
    assert _input_tax(bill) == Decimal(341)
    keys = {key for _code, _dr, _cr, key, _d in _lines(bill) if key}
    assert keys == {"P10", "P8R"}


def test_exempt_and_out_of_scope_lines_carry_no_tax(org, vendor):
    lines = [
        bill_line(account_code="6430", amount="50000", tax_handling="P_EXEMPT"),
        bill_line(account_code="6370", amount="330"),
    ]
    bill = approved_bill(org, vendor, lines)
    assert ("6430", 50000, 0, "P_EXEMPT", "310") in _lines(bill)
    assert _input_tax(bill) == Decimal(30)
    assert bill.tax_total == Decimal(30)


def test_bill_without_a_qualified_invoice_uses_the_transitional_key(org):
    exempt = make_vendor(org, code="V009", name="個人 田中工房", registration_number="", is_individual=True)
    bill = approved_bill(org, exempt, [bill_line(account_code="6210", amount="11000")], is_qualified=False)
    rows = _lines(bill)
    # 2026-10-01 onwards 70% of the 1,000円 is credited; the other 300円 stays in the cost
    assert rows[0][3] == "P10_NQ"
    credited = _input_tax(bill)
    percent = 70 if bill.bill_date >= date(2026, 10, 1) else 80
    assert credited == Decimal(1000 * percent // 100)
    assert ("6210", 11000 - int(credited), 0, "P10_NQ", "310") in rows
    memo = JournalLine.objects.get(entry_id=bill.journal_entry_id, account__code="6210").memo
    assert f"{percent}%控除対象" in memo


def test_line_department_overrides_the_bills(org, vendor):
    lines = [
        bill_line(account_code="6310", amount="1100", department_id=org.back.pk),
        bill_line(account_code="6310", amount="2200"),
    ]
    bill = approved_bill(org, vendor, lines)
    departments = {(code, dept) for code, _dr, _cr, _k, dept in _lines(bill) if code == "6310"}
    assert departments == {("6310", "500"), ("6310", "310")}


def test_other_payable_account(org, vendor):
    bill = approved_bill(org, vendor, payable_account_code="2130")
    assert ("2130", 0, 11000, None, "310") in _lines(bill)


def test_a_large_bill_goes_through_the_upper_manager(org, vendor):
    bill = approved_bill(org, vendor, [bill_line(account_code="6410", amount="165000")])
    assert bill.status == "approved"
    assert _input_tax(bill) == Decimal(15000)


# ------------------------------------------------------------------------------ the pure rule
@pytest.mark.parametrize(
    ("amounts", "rate", "rounding", "expected"),
    [
        ([1000, 1000, 1000], 10, Rounding.TRUNCATE, [91, 91, 90]),  # 272 in all
        ([1000, 1000, 1000], 10, Rounding.ROUND_UP, [91, 91, 91]),  # 273
        ([1100], 10, Rounding.TRUNCATE, [100]),
        ([1080, 1081], 8, Rounding.TRUNCATE, [80, 80]),  # 160.07 → 160
        ([999, 1, 1], 10, Rounding.TRUNCATE, [91, 0, 0]),  # 1,001 → 91: the largest fraction gets the yen
    ],
)
def test_spread_tax(amounts, rate, rounding, expected):
    shares = spread_tax(amounts=amounts, rate_percent=rate, rounding=rounding)
    assert shares == [Decimal(x) for x in expected]
    total = sum(Decimal(a) for a in amounts)
    assert sum(shares) == bill_tax_by_rate(lines=[(total, rate)], rounding=rounding)[Decimal(rate)][1]
    for amount, share in zip(amounts, shares, strict=True):
        exact = Decimal(amount) * rate / (100 + rate)
        assert exact.to_integral_value("ROUND_FLOOR") <= share <= exact.to_integral_value("ROUND_CEILING")


def test_bill_tax_by_rate():
    result = bill_tax_by_rate(lines=[(1000, 10), (1000, 10), (1080, 8), (500, 0)], rounding=Rounding.TRUNCATE)
    assert result == {
        Decimal(10): (Decimal(2000), Decimal(181)),
        Decimal(8): (Decimal(1080), Decimal(80)),
        Decimal(0): (Decimal(500), Decimal(0)),
    }
