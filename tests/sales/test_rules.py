"""sales.rules against the worked examples of jp-rules.md and the statutes they cite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.sales import rules
from ennoshita.sales.rules import RateTotal


def test_invoice_tax_rounds_once_per_rate_worked_example():
    # jp-rules §5.2 (NTA No.6371): 10% lines 1,234 + 5,678 + 999 = 7,911 → 791 (line-wise: 789);
    # 8% lines 3,333 + 1,111 = 4,444 → 355
    result = rules.invoice_tax(lines=[(1234, 10), (5678, 10), (999, 10), (3333, 8), (1111, 8)])
    assert result == {
        10: RateTotal(base=7911, tax=791, gross=8702),
        8: RateTotal(base=4444, tax=355, gross=4799),
    }
    assert list(result) == [10, 8]
    line_wise = sum(int(a * 10 // 100) for a in (1234, 5678, 999))
    assert line_wise == 789 != result[10].tax


@pytest.mark.parametrize(
    ("rounding", "tax10", "tax8"),
    [("floor", 791, 355), ("ceil", 792, 356), ("half_up", 791, 356)],  # 791.1 and 355.52
)
def test_invoice_tax_rounding_rules(rounding, tax10, tax8):
    result = rules.invoice_tax(lines=[(7911, 10), (4444, 8)], rounding=rounding)
    assert (result[10].tax, result[8].tax) == (tax10, tax8)


def test_invoice_tax_half_up_at_exactly_half():
    assert rules.invoice_tax(lines=[(1005, 10)], rounding="half_up")[10].tax == 101  # 100.5 → 101
    assert rules.invoice_tax(lines=[(1005, 10)], rounding="floor")[10].tax == 100


def test_invoice_tax_included_prices():
    # 税込 11,000 at 10% holds 1,000 of tax; 税込 1,080 at 8% holds 80
    result = rules.invoice_tax(lines=[(5500, 10), (5500, 10), (1080, 8)], tax_included=True)
    assert result[10] == RateTotal(base=10000, tax=1000, gross=11000)
    assert result[8] == RateTotal(base=1000, tax=80, gross=1080)
    # 税込 999 at 10%: 90.81… → floor 90, ceil 91
    assert rules.invoice_tax(lines=[(999, 10)], tax_included=True)[10].tax == 90
    assert rules.invoice_tax(lines=[(999, 10)], tax_included=True, rounding="ceil")[10].tax == 91


def test_invoice_tax_zero_rate_and_bad_input():
    assert rules.invoice_tax(lines=[(5000, 0)]) == {0: RateTotal(base=5000, tax=0, gross=5000)}
    with pytest.raises(ValueError):
        rules.invoice_tax(lines=[(100, 10)], rounding="bankers")
    with pytest.raises(ValueError):
        rules.invoice_tax(lines=[(Decimal("100.5"), 10)])


@given(
    st.lists(st.tuples(st.integers(0, 10**9), st.sampled_from([10, 8, 0])), max_size=30),
    st.sampled_from(rules.ROUNDINGS),
    st.booleans(),
)
def test_invoice_tax_properties(lines, rounding, included):
    result = rules.invoice_tax(lines=lines, rounding=rounding, tax_included=included)
    for rate, total in result.items():
        subtotal = sum(a for a, r in lines if r == rate)
        assert total.base + total.tax == total.gross
        assert (total.gross if included else total.base) == subtotal
        exact = Decimal(subtotal * rate) / Decimal(100 + rate if included else 100)
        assert abs(Decimal(total.tax) - exact) < 1  # one rounding, less than a yen away


def test_corporate_numbers():
    # jp-rules §5.3: 国税庁 7000012050002 ✓, 8000012050002 ✗
    assert rules.corporate_number_check_digit("000012050002") == 7
    assert rules.is_valid_corporate_number("7000012050002")
    assert rules.is_valid_corporate_number("T7000012050002")
    assert rules.is_valid_corporate_number("1180301018771")
    assert not rules.is_valid_corporate_number("8000012050002")
    assert not rules.is_valid_corporate_number("T8000012050002")
    assert not rules.is_valid_corporate_number("700001205000")


def test_registration_numbers():
    assert rules.normalize_registration_number("ｔ７０００ ０１２０-５０００２") == "T7000012050002"
    assert rules.registration_number_problem("T7000012050002", is_corporation=True) is None
    assert rules.registration_number_problem("T8000012050002", is_corporation=True) == "check_digit"
    # a sole proprietor's number has no published check rule: not rejected by it
    assert rules.registration_number_problem("T8000012050002", is_corporation=False) is None
    assert rules.registration_number_problem("7000012050002", is_corporation=False) == "format"


@pytest.mark.parametrize(
    ("invoice_date", "terms", "rule", "expected"),
    [
        # 月末締め翌月末払い
        (date(2026, 6, 10), (99, 1, 99), "next_business_day", date(2026, 7, 31)),
        # 2026-02-28 is a Saturday → next business day Monday 3/2
        (date(2026, 1, 15), (99, 1, 99), "next_business_day", date(2026, 3, 2)),
        (date(2026, 1, 15), (99, 1, 99), "previous_business_day", date(2026, 2, 27)),
        (date(2026, 1, 15), (99, 1, 99), "none", date(2026, 2, 28)),
        # 20日締め翌月10日払い: sold 6/20 closes 6/20 → 7/10 (Fri); sold 6/21 closes 7/20 → 8/10 (Mon)
        (date(2026, 6, 20), (20, 1, 10), "next_business_day", date(2026, 7, 10)),
        (date(2026, 6, 21), (20, 1, 10), "next_business_day", date(2026, 8, 10)),
        # 4/20 close, paid 5/5? こどもの日; 5/6 休日 → 5/7
        (date(2026, 4, 20), (20, 1, 5), "next_business_day", date(2026, 5, 7)),
        # banks close 12/31–1/3: 11月末締め翌月末 → 12/31 (Thu) → 1/4 (Mon)
        (date(2026, 11, 30), (99, 1, 99), "next_business_day", date(2027, 1, 4)),
        (date(2026, 11, 30), (99, 1, 99), "previous_business_day", date(2026, 12, 30)),
        # 25日締め翌々月15日払い, and a 31st in a 30-day month means its last day
        (date(2026, 8, 26), (25, 2, 15), "none", date(2026, 11, 15)),
        (date(2026, 4, 1), (31, 0, 99), "none", date(2026, 4, 30)),
    ],
)
def test_due_date(invoice_date, terms, rule, expected):
    closing, months, pay = terms
    assert (
        rules.due_date(
            invoice_date=invoice_date,
            closing_day=closing,
            months_after=months,
            pay_day=pay,
            holiday_rule=rule,
        )
        == expected
    )


def test_due_date_refuses_bad_terms():
    with pytest.raises(ValueError):
        rules.due_date(invoice_date=date(2026, 1, 1), closing_day=0, months_after=1, pay_day=99)
    with pytest.raises(ValueError):
        rules.due_date(
            invoice_date=date(2026, 1, 1), closing_day=99, months_after=1, pay_day=99, holiday_rule="x"
        )


def test_bank_holidays():
    assert not rules.is_bank_business_day(date(2026, 12, 31))
    assert not rules.is_bank_business_day(date(2027, 1, 2))
    assert not rules.is_bank_business_day(date(2026, 11, 23))  # 勤労感謝の日
    assert rules.is_bank_business_day(date(2026, 12, 30))


def test_terms_label():
    assert rules.terms_label(closing_day=99, months_after=1, pay_day=99) == "月末締め翌月末払い"
    assert rules.terms_label(closing_day=20, months_after=1, pay_day=10) == "20日締め翌月10日払い"


@pytest.mark.parametrize(
    ("due", "bucket"),
    [
        (date(2026, 6, 30), "current"),
        (date(2026, 6, 29), "1_30"),
        (date(2026, 5, 31), "1_30"),
        (date(2026, 5, 30), "31_60"),
        (date(2026, 4, 1), "61_90"),
        (date(2026, 3, 1), "over_90"),
    ],
)
def test_aging_bucket(due, bucket):
    assert rules.aging_bucket(due=due, as_of=date(2026, 6, 30)) == bucket


@pytest.mark.parametrize(
    ("amount", "tax", "duty"),
    [
        (49_999, 0, 0),
        (50_000, 0, 200),
        (54_000, 4_909, 0),
        (1_000_000, 0, 200),
        (1_000_001, 0, 400),
        (10**9, 0, 150_000),
        (10**9 + 1, 0, 200_000),
    ],
)
def test_receipt_stamp_duty(amount, tax, duty):
    # 印紙税法 別表第一 第17号の1 (jp-rules §14.2); tax shown separately is left out (§14.3)
    assert rules.receipt_stamp_duty(amount=amount, tax_shown_separately=tax) == duty


def test_line_amount_truncates_to_the_yen():
    assert rules.line_amount(quantity="3", unit_price_value="333.3333") == Decimal(999)
    assert rules.line_amount(quantity="0.5", unit_price_value="1001") == Decimal(500)
