"""源泉所得税 on salary and bonus (jp-rules §1): the NTA worked examples, the 電算機計算の特例,
the 740,000円以上 segments, 乙欄, the 7人超 and 従たる給与 deductions, the bonus exceptions of
所得税法186条1項2号, dates, roundings, bad input and properties. The row-by-row checks of the
ingested tables are in test_withholding_tables.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.payroll.rules.withholding import (
    bonus_withholding,
    bonus_withholding_steps,
    monthly_withholding,
    monthly_withholding_steps,
)

R08 = date(2026, 6, 25)  # 令和8年分
R07 = date(2025, 6, 25)  # 令和2〜7年分


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------
# NTA worked examples (jp-rules §1.2, denshi_01.pdf) and the table values NTA prints beside them
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "dependents", "formula", "table"),
    [
        (175_000, 2, 210, 250),  # 59,167 + 48,334 + 63,334 → B 4,165 × 5.105% = 212.6 → 210
        (446_000, 8, 940, 1_010),  # 8人: 7人の欄 2,620 − 1,610 = 1,010
        (775_200, 3, 59_470, 59_477),  # 52,290 + 35,200 × 20.42% = 59,477.84 → 59,477
    ],
)
def test_nta_denshi_examples(amount, dependents, formula, table):
    by_formula = monthly_withholding(amount=amount, dependents=dependents, method="formula", pay_date=R08)
    by_table = monthly_withholding(amount=amount, dependents=dependents, pay_date=R08)
    assert (by_formula, by_table) == (formula, table)
    assert _is_int(by_formula) and _is_int(by_table)


def test_formula_and_table_differ_by_thousands_above_740000_with_dependents():
    # jp-rules §1.2: A = 1,000,000, 1人 → formula 124,540, table 115,340 + 40,000 × 33.693% = 128,817
    assert monthly_withholding(amount=1_000_000, dependents=1, method="formula", pay_date=R08) == 124_540
    assert monthly_withholding(amount=1_000_000, dependents=1, pay_date=R08) == 128_817


def test_formula_steps_show_the_nta_example():
    steps = monthly_withholding_steps(amount=175_000, dependents=2, method="formula", pay_date=R08)
    values = {s.label: s.value for s in steps}
    assert values["給与所得控除の額(別表第一)"].endswith("= 59,167円")
    assert values["配偶者(特別)控除・扶養控除の額(別表第二)"] == "31,667円 × 2人 = 63,334円"
    assert values["基礎控除の額(別表第三)"] == "48,334円"
    assert values["課税給与所得金額 B"].endswith("= 4,165円")
    assert values["税額(別表第四)"] == "4,165円 × 5.105% − 0円 = 212.62325円 → 10円未満四捨五入 210円"
    assert steps[-1].value == "210円"
    assert all("告示第116号" in s.rule for s in steps if "別表" in s.label)


# ---------------------------------------------------------------------------------------------
# 電算機計算の特例: roundings and bands (平成24年財務省告示第116号)
# ---------------------------------------------------------------------------------------------


def test_formula_tax_rounds_an_exact_5_yen_up():
    # A 221,430: 別表一 66,429 + 6,667 = 73,096; B = 221,430 − 73,096 − 48,334 = 100,000
    # 100,000 × 5.105% = 5,105 exactly → 10円未満四捨五入 → 5,110 (half-even would give 5,100)
    assert monthly_withholding(amount=221_430, method="formula", pay_date=R08) == 5_110


def test_formula_rounds_the_employment_income_deduction_up():
    # 175,001 × 30% + 6,667 = 59,167.3 → 59,168; B = 175,001 − 59,168 − 48,334 = 67,499 → 3,445.8 → 3,450
    steps = monthly_withholding_steps(amount=175_001, method="formula", pay_date=R08)
    assert steps[2].value.endswith("(1円未満切上げ) = 59,168円")
    assert monthly_withholding(amount=175_001, method="formula", pay_date=R08) == 3_450


@pytest.mark.parametrize("amount", [0, 50_000, 102_501, 102_520])
def test_formula_is_zero_while_b_is_tiny(amount):
    # 102,501 − 54,167 − 48,334 = 0; at 102,520 B = 19 → 0.97円 → 10円未満四捨五入 → 0
    assert monthly_withholding(amount=amount, method="formula", pay_date=R08) == 0


@pytest.mark.parametrize(
    ("amount", "basic"),
    [(2_120_833, 48_334), (2_120_834, 40_000), (2_162_500, 26_667), (2_204_167, 13_334), (2_245_834, 0)],
)
def test_formula_basic_deduction_phases_out(amount, basic):
    # 別表第三 (令和8年分); 別表第一 is 162,500 at these amounts, 別表第四 40.84% − 237,893;
    # e.g. 2,120,833: B 1,909,999 → 542,150.99 → 542,150
    b = amount - 162_500 - basic
    exact = Decimal(b) * Decimal("0.4084") - 237_893
    expected = int((exact / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 10)
    assert monthly_withholding(amount=amount, method="formula", pay_date=R08) == expected
    steps = monthly_withholding_steps(amount=amount, method="formula", pay_date=R08)
    assert steps[4].value == f"{basic:,}円"


def test_formula_uses_the_2020_parameters_for_2025_pay():
    # 令和2〜7年分: 別表一 140,000 × 40% − 8,333 = 47,667; 基礎 40,000; 1人 31,667 → B 20,666
    # 20,666 × 5.105% = 1,054.99… → 1,050 (the 令和8年分 formula gives 1,200: different law)
    assert monthly_withholding(amount=140_000, dependents=1, method="formula", pay_date=R07) == 1_050
    assert monthly_withholding(amount=140_000, dependents=1, method="formula", pay_date=R08) == 300


def test_formula_has_no_seven_dependent_cap():
    # 別表第二 counts every person: 10人 → 316,670. 600,000: 別表一 151,667; B = 600,000 − 151,667 −
    # 316,670 − 48,334 = 83,329 × 5.105% = 4,253.9 → 4,250 (the table: 7人 − 3 × 1,610)
    assert monthly_withholding(amount=600_000, dependents=10, method="formula", pay_date=R08) == 4_250
    assert monthly_withholding(amount=600_000, dependents=10, pay_date=R08) == 9_950 - 3 * 1_610


# ---------------------------------------------------------------------------------------------
# 月額表 甲欄 (所得税法185条1項1号, 別表第二)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "dependents", "expected"),
    [
        (104_999, 0, 0),  # below the first row
        (105_000, 0, 170),
        (300_000, 2, 4_700),  # 299,000〜302,000
        (800_000, 0, 84_238),  # 81,890 + 10,000 × 23.483% = 84,238.3
        (790_004, 0, 81_890),  # 4 × 23.483% = 0.94 → 1円未満切捨て
        (790_005, 0, 81_891),
        (3_500_000, 7, 1_080_000),
        (5_000_000, 0, 1_814_445),  # 1,125,270 + 1,500,000 × 45.945% = 1,814,445
    ],
)
def test_ko_table(amount, dependents, expected):
    assert monthly_withholding(amount=amount, dependents=dependents, pay_date=R08) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(87_999, 0), (88_000, 130), (100_000, 720), (740_000, 73_390), (1_000_000, 138_326)],
)
def test_ko_table_2025(amount, expected):
    # 令和2〜7年分: 0円 below 88,000; 950,000〜: 121,480 + 50,000 × 33.693% = 138,326.5 → 138,326
    assert monthly_withholding(amount=amount, pay_date=R07) == expected


def test_tables_switch_on_the_first_pay_date_of_2026():
    # 100,000円 甲0人: 720円 on the 令和2〜7年分 table, 0円 on the 令和8年分 table (0 below 105,000)
    assert monthly_withholding(amount=100_000, pay_date=date(2025, 12, 31)) == 720
    assert monthly_withholding(amount=100_000, pay_date=date(2026, 1, 1)) == 0
    assert monthly_withholding(amount=100_000, column="乙", pay_date=date(2025, 12, 31)) == 3_600
    assert monthly_withholding(amount=100_000, column="乙", pay_date=date(2026, 1, 1)) == 3_063
    assert monthly_withholding(amount=100_000, pay_date=date(2020, 1, 1)) == 720


@pytest.mark.parametrize("pay_date", [date(2019, 12, 31), date(2028, 1, 1), date(2030, 5, 25)])
def test_a_pay_date_without_a_table_is_refused(pay_date):
    for call in (
        lambda: monthly_withholding(amount=300_000, pay_date=pay_date),
        lambda: monthly_withholding(amount=300_000, method="formula", pay_date=pay_date),
        lambda: bonus_withholding(bonus_after_si=500_000, prev_month_after_si=300_000, pay_date=pay_date),
    ):
        with pytest.raises(ValueError, match=rf"^pay_date: {pay_date.isoformat()}に支払う(給与|賞与)に使う"):
            call()


def test_more_than_seven_dependents_take_1610_yen_each_off_the_seven_column():
    seven = monthly_withholding(amount=500_000, dependents=7, pay_date=R08)
    assert seven == 4_830
    assert monthly_withholding(amount=500_000, dependents=8, pay_date=R08) == seven - 1_610
    assert monthly_withholding(amount=500_000, dependents=9, pay_date=R08) == seven - 3_220
    assert monthly_withholding(amount=500_000, dependents=10, pay_date=R08) == 0  # 4,830 − 4,830
    assert monthly_withholding(amount=500_000, dependents=11, pay_date=R08) == 0  # floor at 0
    # above 740,000 too: 26,410 + 10,000 × 20.42% = 28,452 − 2 × 1,610
    assert monthly_withholding(amount=750_000, dependents=9, pay_date=R08) == 28_452 - 3_220
    steps = monthly_withholding_steps(amount=500_000, dependents=11, pay_date=R08)
    assert steps[-2].value == "4,830円 − 4人 × 1,610円 = 0円 (0円未満は0円)"
    assert steps[-2].rule.startswith("月額表 甲欄: 扶養親族等が7人を超える")


# ---------------------------------------------------------------------------------------------
# 月額表 乙欄 (所得税法185条1項2号)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "pay_date", "expected"),
    [
        (0, R08, 0),
        (104_999, R08, 3_216),  # 104,999 × 3.063% = 3,216.11 → 1円未満切捨て
        (105_000, R08, 3_800),
        (87_999, R07, 2_695),  # 令和2〜7年分: 3.063% below 88,000
        (88_000, R07, 3_200),
        (739_999, R08, 257_700),
        (740_000, R08, 259_200),
        (1_709_999, R08, 655_347),  # 259,200 + 969,999 × 40.84% = 655,347.59 → 1円未満切捨て
        (1_710_000, R08, 655_400),
        (2_000_000, R08, 788_640),  # 655,400 + 290,000 × 45.945% = 788,640.5 → 788,640
        (1_700_000, R07, 651_900),
    ],
)
def test_otsu(amount, pay_date, expected):
    assert monthly_withholding(amount=amount, column="乙", pay_date=pay_date) == expected


def test_otsu_secondary_dependents_take_1610_yen_each():
    assert monthly_withholding(amount=300_000, column="乙", pay_date=R08) == 53_600
    assert monthly_withholding(amount=300_000, column="乙", secondary_dependents=2, pay_date=R08) == 50_380
    assert monthly_withholding(amount=60_000, column="乙", secondary_dependents=2, pay_date=R08) == 0
    assert monthly_withholding(amount=800_000, column="乙", secondary_dependents=1, pay_date=R08) == 282_094
    # 259,200 + 60,000 × 40.84% = 283,704 − 1,610 = 282,094


# ---------------------------------------------------------------------------------------------
# 賞与 (所得税法186条)
# ---------------------------------------------------------------------------------------------


def test_nta_bonus_example():
    # jp-rules §1.4: (554,000 − 85,593) × 2.042% (前月196,616円・2人) = 9,564.87 → 9,564
    assert (
        bonus_withholding(
            bonus_after_si=554_000 - 85_593, prev_month_after_si=196_616, dependents=2, pay_date=R08
        )
        == 9_564
    )
    # the 令和2〜7年分 table gives the same rate (2人: 133千円以上269千円未満)
    assert (
        bonus_withholding(bonus_after_si=468_407, prev_month_after_si=196_616, dependents=2, pay_date=R07)
        == 9_564
    )


def test_bonus_of_exactly_ten_times_uses_the_rate_table():
    # 前月200,000 (1人: 107〜250千円 → 2.042%); 2,000,000 = 10 × 前月
    assert (
        bonus_withholding(bonus_after_si=2_000_000, prev_month_after_si=200_000, dependents=1, pay_date=R08)
        == 40_840
    )


def test_bonus_of_more_than_ten_times_uses_the_monthly_table():
    # 2,000,001 > 10 × 200,000: X = 2,000,001 ÷ 6 = 333,333 (切捨て);
    # 月額表(533,333, 1人) 27,120 − 月額表(200,000, 1人) 2,730 = 24,390 × 6 = 146,340
    assert (
        bonus_withholding(bonus_after_si=2_000_001, prev_month_after_si=200_000, dependents=1, pay_date=R08)
        == 146_340
    )
    steps = bonus_withholding_steps(
        bonus_after_si=2_000_001, prev_month_after_si=200_000, dependents=1, pay_date=R08
    )
    assert steps[2].value == "賞与が前月の給与の10倍(2,000,000円)を超える"
    assert steps[-1].value == "(27,120円 − 2,730円) × 6 = 146,340円"
    assert "186条1項2号" in steps[-1].rule


@pytest.mark.parametrize("prev", [0, None])
def test_bonus_without_previous_month_pay_uses_the_monthly_table(prev):
    # X = 1,200,000 ÷ 6 = 200,000 → 月額表 0人 4,340 × 6 = 26,040
    assert bonus_withholding(bonus_after_si=1_200_000, prev_month_after_si=prev, pay_date=R08) == 26_040
    # a small bonus: 600,000 ÷ 6 = 100,000 < 105,000 → 0
    assert bonus_withholding(bonus_after_si=600_000, prev_month_after_si=prev, pay_date=R08) == 0


def test_bonus_period_over_six_months_spreads_over_twelve():
    # 2,400,000: period 6 → X 400,000 (398,000〜401,000 0人 15,650) × 6 = 93,900
    #            period 7 → X 200,000 (4,340) × 12 = 52,080
    assert (
        bonus_withholding(bonus_after_si=2_400_000, prev_month_after_si=0, calc_period_months=6, pay_date=R08)
        == 93_900
    )
    assert (
        bonus_withholding(bonus_after_si=2_400_000, prev_month_after_si=0, calc_period_months=7, pay_date=R08)
        == 52_080
    )
    assert (
        bonus_withholding(
            bonus_after_si=2_400_000, prev_month_after_si=0, calc_period_months=12, pay_date=R08
        )
        == 52_080
    )
    # the period does not matter on the rate table
    assert (
        bonus_withholding(
            bonus_after_si=500_000, prev_month_after_si=300_000, calc_period_months=12, pay_date=R08
        )
        == 30_630
    )


def test_bonus_over_ten_times_with_a_long_period():
    # 前月100,000 (0人), bonus 3,600,000 > 1,000,000, period 12: X 300,000 → 月額表(400,000) 15,650 −
    # 月額表(100,000) 0 = 15,650 × 12 = 187,800
    assert (
        bonus_withholding(
            bonus_after_si=3_600_000, prev_month_after_si=100_000, calc_period_months=12, pay_date=R08
        )
        == 187_800
    )


def test_otsu_bonus_column():
    kwargs: dict[str, Any] = {"column": "乙", "pay_date": R08}
    assert (
        bonus_withholding(bonus_after_si=500_000, prev_month_after_si=223_999, **kwargs) == 51_050
    )  # 10.21%
    assert (
        bonus_withholding(bonus_after_si=500_000, prev_month_after_si=224_000, **kwargs) == 102_100
    )  # 20.42%
    assert (
        bonus_withholding(bonus_after_si=500_000, prev_month_after_si=300_000, **kwargs) == 153_150
    )  # 30.63%
    assert (
        bonus_withholding(bonus_after_si=500_000, prev_month_after_si=1_118_000, **kwargs) == 229_725
    )  # 45.945%
    # 令和2〜7年分: 乙 10.21% below 222千円
    assert (
        bonus_withholding(bonus_after_si=500_000, prev_month_after_si=222_000, column="乙", pay_date=R07)
        == 102_100
    )


def test_otsu_bonus_over_ten_times_uses_the_otsu_column_of_the_monthly_table():
    # 前月100,000 乙: 1,200,000 > 1,000,000 → X 200,000; 乙(300,000) 53,600 − 乙(100,000) 3,063 = 50,537 × 6
    assert (
        bonus_withholding(bonus_after_si=1_200_000, prev_month_after_si=100_000, column="乙", pay_date=R08)
        == 303_222
    )


def test_bonus_with_more_than_seven_dependents():
    # the rate table's last 甲 column is "7人以上": 前月317,000, 9人 → 2.042%
    assert (
        bonus_withholding(bonus_after_si=300_000, prev_month_after_si=317_000, dependents=9, pay_date=R08)
        == 6_126
    )
    # the 月額表 method takes 1,610円 off each of its two lookups:
    # 前月0, 9人, 4,200,000 ÷ 6 = 700,000 → 7人 19,050 − 3,220 = 15,830 × 6 = 94,980
    assert (
        bonus_withholding(bonus_after_si=4_200_000, prev_month_after_si=0, dependents=9, pay_date=R08)
        == 94_980
    )


def test_bonus_steps_end_with_the_result_and_cite_the_law():
    steps = bonus_withholding_steps(
        bonus_after_si=468_407, prev_month_after_si=196_616, dependents=2, pay_date=R08
    )
    assert steps[-1].value == "468,407円 × 2.042% = 9,564.87094円 → 1円未満切捨て 9,564円"
    assert "186条1項1号" in steps[-1].rule
    assert "withholding_bonus_r08.json" in steps[2].value


# ---------------------------------------------------------------------------------------------
# bad input → ValueError naming the argument
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"amount": -1}, "amount"),
        ({"amount": 1.0}, "amount"),
        ({"amount": 300_000.5}, "amount"),
        ({"amount": Decimal("300000.5")}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"amount": "300000"}, "amount"),
        ({"amount": True}, "amount"),
        ({"dependents": -1}, "dependents"),
        ({"dependents": 1.0}, "dependents"),
        ({"dependents": Decimal(1)}, "dependents"),
        ({"column": "丙"}, "column"),
        ({"column": "kou"}, "column"),
        ({"method": "electronic"}, "method"),
        ({"method": "formula", "column": "乙"}, "method"),
        ({"pay_date": "2026-06-25"}, "pay_date"),
        ({"pay_date": datetime(2026, 6, 25, 9, 0)}, "pay_date"),
        ({"secondary_dependents": -1, "column": "乙"}, "secondary_dependents"),
        ({"secondary_dependents": 1}, "secondary_dependents"),  # 甲欄 has no 従たる給与 申告書
        ({"dependents": 1, "column": "乙"}, "dependents"),  # 乙欄 does not count dependents
    ],
)
def test_monthly_bad_input(kwargs, argument):
    arguments = {"amount": 300_000, "pay_date": R08, **kwargs}
    with pytest.raises(ValueError, match=rf"^{argument}: "):
        monthly_withholding(**arguments)
    with pytest.raises(ValueError, match=rf"^{argument}: "):
        monthly_withholding_steps(**arguments)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"bonus_after_si": -1}, "bonus_after_si"),
        ({"bonus_after_si": 500_000.0}, "bonus_after_si"),
        ({"prev_month_after_si": -5}, "prev_month_after_si"),
        ({"prev_month_after_si": Decimal("0.5")}, "prev_month_after_si"),
        ({"dependents": -2}, "dependents"),
        ({"column": "丙"}, "column"),
        ({"dependents": 2, "column": "乙"}, "dependents"),
        ({"pay_date": None}, "pay_date"),
        ({"calc_period_months": 0}, "calc_period_months"),
        ({"calc_period_months": 6.5}, "calc_period_months"),
        ({"calc_period_months": True}, "calc_period_months"),
    ],
)
def test_bonus_bad_input(kwargs, argument):
    arguments = {"bonus_after_si": 500_000, "prev_month_after_si": 300_000, "pay_date": R08, **kwargs}
    with pytest.raises(ValueError, match=rf"^{argument}: "):
        bonus_withholding(**arguments)


def test_whole_yen_decimals_are_accepted():
    assert monthly_withholding(amount=Decimal("175000"), dependents=2, pay_date=R08) == 250
    assert (
        monthly_withholding(amount=Decimal("175000.00"), dependents=2, method="formula", pay_date=R08) == 210
    )
    assert (
        bonus_withholding(
            bonus_after_si=Decimal("468407"),
            prev_month_after_si=Decimal("196616"),
            dependents=2,
            pay_date=R08,
        )
        == 9_564
    )


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------

PAY_DATES = st.sampled_from(
    [date(2020, 1, 1), R07, date(2025, 12, 31), date(2026, 1, 1), R08, date(2026, 12, 31)]
)
AMOUNTS = st.integers(min_value=0, max_value=4_000_000)


@given(
    amount=AMOUNTS,
    more=st.integers(min_value=1, max_value=50_000),
    dependents=st.integers(0, 10),
    paid=PAY_DATES,
)
def test_ko_tax_is_never_negative_and_rises_with_pay(amount, more, dependents, paid):
    for method in ("table", "formula"):
        low = monthly_withholding(amount=amount, dependents=dependents, method=method, pay_date=paid)
        high = monthly_withholding(amount=amount + more, dependents=dependents, method=method, pay_date=paid)
        assert 0 <= low <= high


@given(amount=AMOUNTS, dependents=st.integers(0, 10), paid=PAY_DATES)
def test_ko_tax_falls_with_dependents(amount, dependents, paid):
    for method in ("table", "formula"):
        fewer = monthly_withholding(amount=amount, dependents=dependents, method=method, pay_date=paid)
        more = monthly_withholding(amount=amount, dependents=dependents + 1, method=method, pay_date=paid)
        assert 0 <= more <= fewer


@given(
    amount=AMOUNTS,
    more=st.integers(min_value=1, max_value=50_000),
    secondary=st.integers(0, 3),
    paid=PAY_DATES,
)
def test_otsu_tax_is_never_negative_rises_with_pay_and_is_above_ko(amount, more, secondary, paid):
    low = monthly_withholding(amount=amount, column="乙", secondary_dependents=secondary, pay_date=paid)
    high = monthly_withholding(
        amount=amount + more, column="乙", secondary_dependents=secondary, pay_date=paid
    )
    assert 0 <= low <= high
    if not secondary:
        assert low >= monthly_withholding(amount=amount, pay_date=paid)


@given(
    bonus=st.integers(0, 10_000_000),
    prev=st.one_of(st.none(), st.integers(0, 3_000_000)),
    dependents=st.integers(0, 9),
    period=st.integers(1, 12),
    paid=PAY_DATES,
)
def test_bonus_tax_is_between_zero_and_the_bonus_and_the_steps_agree(bonus, prev, dependents, period, paid):
    kwargs = {
        "bonus_after_si": bonus,
        "prev_month_after_si": prev,
        "dependents": dependents,
        "calc_period_months": period,
        "pay_date": paid,
    }
    tax = bonus_withholding(**kwargs)
    assert 0 <= tax <= bonus
    steps = bonus_withholding_steps(**kwargs)
    assert steps[-1].value.endswith(f"{tax:,}円")
    assert all(s.label and s.value and s.rule for s in steps)


@given(
    amount=AMOUNTS,
    dependents=st.integers(0, 10),
    paid=PAY_DATES,
    method=st.sampled_from(["table", "formula"]),
)
def test_monthly_steps_end_with_the_result(amount, dependents, paid, method):
    tax = monthly_withholding(amount=amount, dependents=dependents, method=method, pay_date=paid)
    steps = monthly_withholding_steps(amount=amount, dependents=dependents, method=method, pay_date=paid)
    assert steps[-1].value == f"{tax:,}円"
    assert all(s.label and s.value and s.rule for s in steps)
