from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.core.money import Rounding
from ennoshita.ledger.rules import (
    TAX_CATEGORIES,
    TRANSITIONAL_DEDUCTION_SCHEDULE,
    TaxReturnFigures,
    TaxSplit,
    deductible_input_tax,
    invoice_tax_by_rate,
    national_input_tax,
    signed_balance,
    split_amount,
    tax_included_in,
    tax_on,
    tax_return_figures,
    transitional_deduction_percent,
    transitional_note,
)

D = Decimal
amounts = st.integers(min_value=-(10**12), max_value=10**12).map(Decimal)
rates = st.sampled_from([D("10"), D("8"), D("0"), D("1"), D("5")])
roundings = st.sampled_from(list(Rounding))


# --- 税区分 -------------------------------------------------------------------------------------


def test_tax_categories_have_exactly_the_agreed_keys():
    assert list(TAX_CATEGORIES) == [
        "OUT",
        "S10",
        "S8R",
        "S_EXPORT",
        "S_EXEMPT",
        "P10",
        "P8R",
        "P10_NQ",
        "P8R_NQ",
        "P_EXEMPT",
    ]


def test_tax_categories_carry_their_rate_kind_and_qualification():
    assert TAX_CATEGORIES["S10"].rate_percent == D("10")
    assert TAX_CATEGORIES["P8R_NQ"].rate_percent == D("8")
    assert TAX_CATEGORIES["S_EXPORT"].rate_percent == D("0")
    assert TAX_CATEGORIES["S_EXPORT"].kind == "export_sales"
    assert TAX_CATEGORIES["P_EXEMPT"].kind == "exempt_purchase"
    assert TAX_CATEGORIES["P10_NQ"].label == "課税仕入10%(適格請求書なし・経過措置)"
    assert {k for k, c in TAX_CATEGORIES.items() if not c.qualified} == {"P10_NQ", "P8R_NQ"}
    for key, category in TAX_CATEGORIES.items():
        assert category.key == key
        assert isinstance(category.rate_percent, Decimal)
        assert category.rate_percent in {D("10"), D("8"), D("0")}


# --- tax on one amount --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rate", "rounding", "expected"),
    [
        ("11000", "10", Rounding.TRUNCATE, "1000"),
        ("1080", "8", Rounding.TRUNCATE, "80"),
        ("1234", "10", Rounding.TRUNCATE, "112"),  # 112.18…
        ("1234", "10", Rounding.ROUND_UP, "113"),
        ("1237", "10", Rounding.HALF_UP, "112"),  # 112.45…
        ("1238", "10", Rounding.HALF_UP, "113"),  # 112.54…
        ("998", "8", Rounding.TRUNCATE, "73"),  # 73.92…
        ("0", "10", Rounding.HALF_UP, "0"),
    ],
)
def test_tax_included_in_a_gross_amount(amount, rate, rounding, expected):
    assert tax_included_in(amount=D(amount), rate_percent=D(rate), rounding=rounding) == D(expected)


@pytest.mark.parametrize(
    ("amount", "rate", "rounding", "expected"),
    [
        ("1234", "10", Rounding.TRUNCATE, "123"),
        ("1235", "10", Rounding.HALF_UP, "124"),  # 123.5
        ("1235", "10", Rounding.HALF_DOWN, "123"),  # 123.5, 五捨五超入
        ("1231", "10", Rounding.ROUND_UP, "124"),
        ("3333", "8", Rounding.TRUNCATE, "266"),  # 266.64
    ],
)
def test_tax_on_a_net_amount(amount, rate, rounding, expected):
    assert tax_on(amount=D(amount), rate_percent=D(rate), rounding=rounding) == D(expected)


def test_split_of_a_gross_amount():
    assert split_amount(
        amount=D("1234"), rate_percent=D("10"), tax_included=True, rounding=Rounding.TRUNCATE
    ) == TaxSplit(net=D("1122"), tax=D("112"), gross=D("1234"))


def test_split_of_a_net_amount():
    assert split_amount(
        amount=D("1234"), rate_percent=D("10"), tax_included=False, rounding=Rounding.TRUNCATE
    ) == TaxSplit(net=D("1234"), tax=D("123"), gross=D("1357"))


def test_split_refuses_fractions_of_a_yen():
    with pytest.raises(ValueError):
        split_amount(amount=D("100.5"), rate_percent=D("10"), tax_included=True, rounding=Rounding.TRUNCATE)


def test_negative_rates_and_float_amounts_are_refused():
    with pytest.raises(ValueError):
        tax_on(amount=D("100"), rate_percent=D("-10"), rounding=Rounding.TRUNCATE)
    with pytest.raises(TypeError):
        tax_on(amount=100.0, rate_percent=D("10"), rounding=Rounding.TRUNCATE)  # type: ignore[arg-type]


def test_a_return_rounds_its_magnitude_so_it_mirrors_the_sale():
    # 返品 of 1,234 税抜 at 10%: −123.4 → −123 under truncation, and also under FLOOR (the magnitude
    # is rounded; rounding −123.4 toward −∞ would give −124 and break the mirror).
    for rounding in (Rounding.TRUNCATE, Rounding.FLOOR):
        assert tax_on(amount=D("-1234"), rate_percent=D("10"), rounding=rounding) == D("-123")
    assert tax_on(amount=D("-1235"), rate_percent=D("10"), rounding=Rounding.HALF_UP) == D("-124")
    assert split_amount(
        amount=D("-1234"), rate_percent=D("10"), tax_included=True, rounding=Rounding.TRUNCATE
    ) == TaxSplit(net=D("-1122"), tax=D("-112"), gross=D("-1234"))


def test_a_small_negative_amount_has_no_negative_zero_tax():
    tax = tax_on(amount=D("-5"), rate_percent=D("10"), rounding=Rounding.TRUNCATE)
    assert tax == 0 and not tax.is_signed()


@given(amount=amounts, rate=rates, rounding=roundings, tax_included=st.booleans())
def test_net_plus_tax_is_gross(amount, rate, rounding, tax_included):
    s = split_amount(amount=amount, rate_percent=rate, tax_included=tax_included, rounding=rounding)
    assert s.net + s.tax == s.gross
    for value in (s.net, s.tax, s.gross):
        assert value == value.to_integral_value()
    assert (s.gross if tax_included else s.net) == amount


@given(amount=amounts, rate=rates, rounding=roundings, tax_included=st.booleans())
def test_split_of_minus_x_mirrors_split_of_x(amount, rate, rounding, tax_included):
    plus = split_amount(amount=amount, rate_percent=rate, tax_included=tax_included, rounding=rounding)
    minus = split_amount(amount=-amount, rate_percent=rate, tax_included=tax_included, rounding=rounding)
    assert minus == TaxSplit(net=-plus.net, tax=-plus.tax, gross=-plus.gross)


@given(amount=amounts, rate=rates)
def test_truncated_tax_never_exceeds_the_exact_tax(amount, rate):
    tax = tax_included_in(amount=amount, rate_percent=rate, rounding=Rounding.TRUNCATE)
    exact = amount * rate / (100 + rate)
    assert abs(tax) <= abs(exact) < abs(tax) + 1


# --- invoice: one rounding per rate -------------------------------------------------------------


def test_invoice_rounds_once_per_rate_the_jp_rules_example():
    # jp-rules §5.2 (令70条の10, 基通1-8-15): 税抜, floor.
    lines = [
        (D("1234"), D("10")),
        (D("3333"), D("8")),
        (D("5678"), D("10")),
        (D("999"), D("10")),
        (D("1111"), D("8")),
    ]
    result = invoice_tax_by_rate(lines=lines, tax_included=False, rounding=Rounding.TRUNCATE)
    # 10%: 7,911 × 10% = 791.1 → 791; line by line 123 + 567 + 99 = 789 would be wrong.
    # 8%: 4,444 × 8% = 355.52 → 355.
    assert result == {
        D("10"): TaxSplit(net=D("7911"), tax=D("791"), gross=D("8702")),
        D("8"): TaxSplit(net=D("4444"), tax=D("355"), gross=D("4799")),
    }
    assert list(result) == [D("10"), D("8")]
    line_wise = sum(
        tax_on(amount=a, rate_percent=D("10"), rounding=Rounding.TRUNCATE)
        for a in (D("1234"), D("5678"), D("999"))
    )
    assert line_wise == D("789")


def test_invoice_with_tax_included_lines():
    # 税込 1,100 + 2,200 at 10% → 3,300 × 10/110 = 300; 税込 1,080 at 8% → 80.
    result = invoice_tax_by_rate(
        lines=[(D("1100"), D("10")), (D("1080"), D("8")), (D("2200"), D("10"))],
        tax_included=True,
        rounding=Rounding.TRUNCATE,
    )
    assert result[D("10")] == TaxSplit(net=D("3000"), tax=D("300"), gross=D("3300"))
    assert result[D("8")] == TaxSplit(net=D("1000"), tax=D("80"), gross=D("1080"))


def test_an_empty_invoice_has_no_rates():
    assert invoice_tax_by_rate(lines=[], tax_included=False, rounding=Rounding.TRUNCATE) == {}


@given(
    lines=st.lists(st.tuples(st.integers(-(10**9), 10**9).map(Decimal), rates), max_size=20),
    rounding=roundings,
    tax_included=st.booleans(),
)
def test_invoice_tax_is_the_tax_of_each_rate_subtotal(lines, rounding, tax_included):
    result = invoice_tax_by_rate(lines=lines, tax_included=tax_included, rounding=rounding)
    assert set(result) == {rate for _, rate in lines}
    for rate, split in result.items():
        subtotal = sum((a for a, r in lines if r == rate), D(0))
        compute = tax_included_in if tax_included else tax_on
        assert split.tax == compute(amount=subtotal, rate_percent=rate, rounding=rounding)
        assert split.net + split.tax == split.gross


# --- 経過措置 (purchases without a 適格請求書) ----------------------------------------------------

BOUNDARIES = [
    # (first day, percent from that day, percent the day before)
    (date(2023, 10, 1), D("80"), D("100")),
    (date(2026, 10, 1), D("70"), D("80")),
    (date(2028, 10, 1), D("50"), D("70")),
    (date(2030, 10, 1), D("30"), D("50")),
    (date(2031, 10, 1), D("0"), D("30")),
]


@pytest.mark.parametrize(("start", "percent", "before"), BOUNDARIES)
def test_transitional_percent_changes_on_each_start_date(start, percent, before):
    assert transitional_deduction_percent(purchase_date=start - timedelta(days=1)) == before
    assert transitional_deduction_percent(purchase_date=start) == percent


def test_transitional_percent_far_before_and_after():
    assert transitional_deduction_percent(purchase_date=date(2019, 10, 1)) == D("100")
    assert transitional_deduction_percent(purchase_date=date(2040, 1, 1)) == D("0")


def test_the_schedule_is_data_in_date_order():
    starts = [start for start, _ in TRANSITIONAL_DEDUCTION_SCHEDULE]
    assert starts == sorted(starts)
    assert [p for _, p in TRANSITIONAL_DEDUCTION_SCHEDULE] == [D(p) for p in (100, 80, 70, 50, 30, 0)]


@pytest.mark.parametrize(
    ("purchase_date", "note"),
    [
        (date(2023, 9, 30), ""),
        (date(2023, 10, 1), "80%控除対象"),
        (date(2026, 9, 30), "80%控除対象"),
        (date(2026, 10, 1), "70%控除対象"),
        (date(2028, 10, 1), "50%控除対象"),
        (date(2030, 10, 1), "30%控除対象"),
        (date(2031, 9, 30), "30%控除対象"),
        (date(2031, 10, 1), "控除対象外"),
    ],
)
def test_transitional_note(purchase_date, note):
    assert transitional_note(purchase_date=purchase_date) == note


def test_deductible_input_tax_with_and_without_an_invoice():
    day = date(2026, 11, 1)  # 70%
    assert deductible_input_tax(
        tax=D("1001"), purchase_date=day, qualified=True, rounding=Rounding.TRUNCATE
    ) == D("1001")
    # 1,001 × 70% = 700.7
    assert deductible_input_tax(
        tax=D("1001"), purchase_date=day, qualified=False, rounding=Rounding.TRUNCATE
    ) == D("700")
    assert deductible_input_tax(
        tax=D("1001"), purchase_date=day, qualified=False, rounding=Rounding.HALF_UP
    ) == D("701")
    # a return mirrors the purchase
    assert deductible_input_tax(
        tax=D("-1001"), purchase_date=day, qualified=False, rounding=Rounding.TRUNCATE
    ) == D("-700")
    assert deductible_input_tax(
        tax=D("1001"), purchase_date=date(2032, 1, 1), qualified=False, rounding=Rounding.TRUNCATE
    ) == D("0")
    assert deductible_input_tax(
        tax=D("1001"), purchase_date=date(2023, 9, 30), qualified=False, rounding=Rounding.TRUNCATE
    ) == D("1001")


# --- 確定申告 figures -----------------------------------------------------------------------------


def test_tax_return_figures_worked_example():
    # 税込 taxable sales: 10% 12,345,678; 8% 2,345,678. 控除税額 (国税) 612,345.
    # 課税標準額 10%: 12,345,678 × 100/110 = 11,223,343.63… → 千円未満切捨て 11,223,000
    # 課税標準額 8%:   2,345,678 × 100/108 =  2,171,924.07… → 2,171,000     total 13,394,000
    # 消費税額 10%: 11,223,000 × 7.8%  = 875,394
    # 消費税額 8%:   2,171,000 × 6.24% = 135,470.4 → 135,470              total 1,010,864
    # 差引税額: 1,010,864 − 612,345 = 398,519 → 百円未満切捨て 398,500
    # 地方消費税: 398,500 × 22/78 = 112,397.43… → 百円未満切捨て 112,300
    # 納付: 398,500 + 112,300 = 510,800
    figures = tax_return_figures(
        taxable_sales_including_tax_by_rate={D("10"): D("12345678"), D("8"): D("2345678")},
        deductible_input_tax_national=D("612345"),
    )
    assert figures == TaxReturnFigures(
        taxable_base_by_rate={D("10"): D("11223000"), D("8"): D("2171000")},
        taxable_base=D("13394000"),
        national_tax_by_rate={D("10"): D("875394"), D("8"): D("135470")},
        national_tax=D("1010864"),
        deductible_input_tax_national=D("612345"),
        net_national_tax=D("398500"),
        national_refund=D("0"),
        local_tax=D("112300"),
        local_refund=D("0"),
    )
    assert figures.total_due == D("510800")
    assert figures.total_refund == D("0")


def test_tax_return_figures_with_a_refund():
    # 税込 sales 10% 1,100,000 → 課税標準額 1,000,000 → 消費税額 78,000.
    # 控除税額 100,000 → 控除不足還付税額 22,000 (還付金: no 100円 truncation);
    # 地方 還付額 22,000 × 22/78 = 6,205.12… → 6,205.
    figures = tax_return_figures(
        taxable_sales_including_tax_by_rate={D("10"): D("1100000")},
        deductible_input_tax_national=D("100000"),
    )
    assert (figures.net_national_tax, figures.national_refund) == (D("0"), D("22000"))
    assert (figures.local_tax, figures.local_refund) == (D("0"), D("6205"))
    assert figures.total_due == 0
    assert figures.total_refund == D("28205")


def test_tax_return_refuses_a_rate_without_a_known_national_part():
    with pytest.raises(ValueError):
        tax_return_figures(
            taxable_sales_including_tax_by_rate={D("1"): D("1000")}, deductible_input_tax_national=D("0")
        )


def test_national_input_tax_by_proration():
    # 10%: 1,100,000 × 7.8/110 = 78,000; 8%: 1,000,000 × 6.24/108 = 57,777.7… → 57,777
    assert national_input_tax(
        taxable_purchases_including_tax_by_rate={D("10"): D("1100000"), D("8"): D("1000000")}
    ) == D("135777")


# --- balances -----------------------------------------------------------------------------------


def test_signed_balance_by_normal_side():
    assert signed_balance(debit=D("1000"), credit=D("300"), normal_side="debit") == D("700")
    assert signed_balance(debit=D("1000"), credit=D("300"), normal_side="credit") == D("-700")
    with pytest.raises(ValueError):
        signed_balance(debit=D("1"), credit=D("0"), normal_side="left")  # type: ignore[arg-type]
