"""An independent check of attendance.rules against the published law (jp-rules.md §4):
割増賃金 (労基法37条, 労基則19条・20条, 昭和63年3月14日基発150号), 36協定の上限 (労基法36条) and
年次有給休暇 (労基法39条, 労基則24条の3). Written from the statutes and the contract only."""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.attendance.rules import (
    hourly_base_wage,
    overtime_limit_violations,
    paid_leave_days,
    premium_pay,
)


def _half_up(x: Fraction) -> int:
    """基発150号: <50銭 切捨て, ≥50銭 切上げ (for the non-negative amounts used here)."""
    return math.floor(x + Fraction(1, 2))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------
# 1. hourly_base_wage — 労基則19条1項4号 (月給 ÷ 1年間の1月平均所定労働時間), 基発150号 50銭 rule
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("monthly_wage", "annual_hours", "expected"),
    [
        (340_000, 2_040, 2_000),  # jp-rules §4.1 worked example: 340,000 ÷ 170
        (250_000, 1_950, 1_538),  # 3,000,000 / 1,950 = 1,538.46… → 切捨て
        (300_100, 2_400, 1_501),  # 300,100 / 200 = 1,500.5 exactly → 50銭 切上げ
        (300_099, 2_400, 1_500),  # 1,500.495 → 切捨て
        (250_250, 2_000, 1_502),  # 3,003,000 / 2,000 = 1,501.5 exactly (2,000 h is not a multiple of 12)
        (250_145, 1_960, 1_532),  # 3,001,740 / 1,960 = 1,531.5 exactly → 切上げ
        (200_281, 1_950, 1_232),  # 1,232.49846… (just below .5) → 切捨て
        (200_073, 2_085, 1_151),  # 1,151.49928… (just below .5) → 切捨て
        (0, 2_000, 0),
        (340_000, Decimal("2040.0"), 2_000),  # hours may be Decimal
        (300_000, Decimal("1957.5"), 1_839),  # 3,600,000 / 1,957.5 = 1,839.08…
    ],
)
def test_hourly_base_wage_rokiso_19_and_50sen_rule(monthly_wage, annual_hours, expected):
    result = hourly_base_wage(monthly_wage=monthly_wage, annual_scheduled_hours=annual_hours)
    assert result == expected
    assert _is_int(result)


@pytest.mark.parametrize(
    ("monthly_wage", "annual_hours"),
    [(-1, 2_040), (340_000, 0), (340_000, -2_040), (340_000, Decimal("-0.5"))],
)
def test_hourly_base_wage_rejects_bad_input(monthly_wage, annual_hours):
    with pytest.raises(ValueError):
        hourly_base_wage(monthly_wage=monthly_wage, annual_scheduled_hours=annual_hours)


@given(
    monthly_wage=st.integers(min_value=0, max_value=5_000_000),
    annual_hours=st.integers(min_value=1, max_value=4_000),
)
def test_hourly_base_wage_is_the_exact_quotient_rounded_once_by_50sen_rule(monthly_wage, annual_hours):
    # 労基則19条 computed exactly, then 基発150号: within half a yen, .5 goes up
    exact = Fraction(monthly_wage * 12, annual_hours)
    assert hourly_base_wage(monthly_wage=monthly_wage, annual_scheduled_hours=annual_hours) == _half_up(exact)


# ---------------------------------------------------------------------------------------------
# 2. premium_pay — 労基法37条1項・4項, 平成6年政令第5号, 労基則20条, 基発150号
# ---------------------------------------------------------------------------------------------


def _parts(result) -> tuple[int, int, int, int]:
    return (result.overtime, result.holiday, result.night, result.total)


def test_premium_pay_overtime_over_60_hours_is_150_percent_rokiho_37_1():
    # 労基法37条1項ただし書: 60h超 → 50%; 60 × 2,000 × 1.25 + 10 × 2,000 × 1.5 = 150,000 + 30,000
    assert _parts(premium_pay(hourly_wage=2_000, overtime_hours=70)) == (180_000, 0, 0, 180_000)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (0, 0),
        (1, 2_500),
        (60, 150_000),  # exactly 60 h: all at 125%
        (61, 153_000),  # 61st hour at 150%
        (Decimal("60.5"), 151_500),
        (100, 270_000),  # 150,000 + 40 × 3,000
    ],
)
def test_premium_pay_overtime_tiers_rokiho_37_1(hours, expected):
    assert premium_pay(hourly_wage=2_000, overtime_hours=hours).overtime == expected


def test_premium_pay_statutory_holiday_is_135_percent_seirei_h6_5():
    # 平成6年政令第5号: 法定休日 35%; 8 h × 2,000 × 1.35
    assert _parts(premium_pay(hourly_wage=2_000, holiday_hours=8)) == (0, 21_600, 0, 21_600)


def test_premium_pay_holiday_hours_do_not_count_toward_60_hours_rokiho_37_1():
    # 法定休日労働 is not 時間外労働: 60 h overtime + 10 h holiday → the overtime stays all at 125%
    result = premium_pay(hourly_wage=2_000, overtime_hours=60, holiday_hours=10)
    assert _parts(result) == (150_000, 27_000, 0, 177_000)


def test_premium_pay_night_only_is_25_percent_premium_rokiho_37_4():
    # 労基法37条4項: 深夜 22:00–05:00 → 25% on top; only the premium part is in `night`
    assert _parts(premium_pay(hourly_wage=2_000, night_hours=10)) == (0, 0, 5_000, 5_000)


def test_premium_pay_overtime_at_night_totals_150_percent_rokisoku_20_1():
    # 労基則20条1項: 時間外 + 深夜 = 50%, i.e. 150% in all
    result = premium_pay(hourly_wage=2_000, overtime_hours=10, overtime_night_hours=10)
    assert _parts(result) == (25_000, 0, 5_000, 30_000)
    assert result.total == 10 * 2_000 * Decimal("1.50")


def test_premium_pay_overtime_over_60_at_night_totals_175_percent_rokisoku_20_1():
    # 60h超 + 深夜 = 75%: the 10 hours over 60 are the night hours → 10 × 2,000 × 1.75 = 35,000
    result = premium_pay(hourly_wage=2_000, overtime_hours=70, overtime_night_hours=10)
    assert _parts(result) == (180_000, 0, 5_000, 185_000)
    assert result.total - 60 * 2_000 * Decimal("1.25") == 10 * 2_000 * Decimal("1.75")


def test_premium_pay_holiday_at_night_totals_160_percent_rokisoku_20_2():
    # 労基則20条2項: 法定休日 + 深夜 = 60%, i.e. 160% in all
    result = premium_pay(hourly_wage=2_000, holiday_hours=8, holiday_night_hours=8)
    assert _parts(result) == (0, 21_600, 4_000, 25_600)
    assert result.total == 8 * 2_000 * Decimal("1.60")


def test_premium_pay_everything_together():
    result = premium_pay(
        hourly_wage=2_000,
        overtime_hours=70,
        overtime_night_hours=10,
        holiday_hours=8,
        holiday_night_hours=8,
        night_hours=5,
    )
    # night = (10 + 8 + 5) × 2,000 × 0.25 = 11,500
    assert _parts(result) == (180_000, 21_600, 11_500, 213_100)
    assert all(_is_int(v) for v in _parts(result))


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # 0.5 h × 1,001 × 1.25 = 625.625 → 626 (contract example)
        ({"overtime_hours": Decimal("0.5")}, (626, 0, 0, 626)),
        # 基発150号 (3): the monthly amount is rounded once — 10 × 1,001 × 1.25 = 12,512.5 → 12,513,
        # not 10 × round(1,251.25) = 12,510
        ({"overtime_hours": 10}, (12_513, 0, 0, 12_513)),
        # 1 h × 1,001 × 1.25 = 1,251.25 → 1,251
        ({"overtime_hours": 1}, (1_251, 0, 0, 1_251)),
        # night is one monthly amount over all night hours: 2 × 250.25 = 500.5 → 501 (per kind: 250 + 250)
        ({"overtime_hours": 1, "overtime_night_hours": 1, "night_hours": 1}, (1_251, 0, 501, 1_752)),
        ({"holiday_hours": 1, "holiday_night_hours": 1, "night_hours": 1}, (0, 1_351, 501, 1_852)),
        # total is the sum of the rounded parts: 312.8125 → 313 and 675.675 → 676 → 989
        # (rounding the exact sum 988.4875 would give 988)
        ({"overtime_hours": Decimal("0.25"), "holiday_hours": Decimal("0.5")}, (313, 676, 0, 989)),
    ],
)
def test_premium_pay_rounds_each_monthly_amount_once_kihatsu_150(kwargs, expected):
    result = premium_pay(hourly_wage=1_001, **kwargs)
    assert _parts(result) == expected
    assert all(_is_int(v) for v in _parts(result))


def test_premium_pay_zero_everything():
    assert _parts(premium_pay(hourly_wage=2_000)) == (0, 0, 0, 0)
    assert _parts(premium_pay(hourly_wage=0, overtime_hours=70, night_hours=5)) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hourly_wage": -1, "overtime_hours": 1},
        {"hourly_wage": 2_000, "overtime_hours": -1},
        {"hourly_wage": 2_000, "overtime_hours": Decimal("-0.5")},
        {"hourly_wage": 2_000, "holiday_hours": -1},
        {"hourly_wage": 2_000, "night_hours": -1},
        {"hourly_wage": 2_000, "overtime_hours": 5, "overtime_night_hours": -1},
        {"hourly_wage": 2_000, "holiday_hours": 5, "holiday_night_hours": -1},
        {"hourly_wage": 2_000, "overtime_hours": 5, "overtime_night_hours": 6},
        {"hourly_wage": 2_000, "overtime_night_hours": 1},
        {"hourly_wage": 2_000, "holiday_hours": 5, "holiday_night_hours": Decimal("5.5")},
        {"hourly_wage": 2_000, "holiday_night_hours": 1},
    ],
)
def test_premium_pay_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        premium_pay(**kwargs)


def test_premium_pay_night_hours_may_equal_their_parent_hours():
    result = premium_pay(hourly_wage=2_000, overtime_hours=5, overtime_night_hours=5)
    assert _parts(result) == (12_500, 0, 2_500, 15_000)
    result = premium_pay(hourly_wage=2_000, holiday_hours=5, holiday_night_hours=5)
    assert _parts(result) == (0, 13_500, 2_500, 16_000)


_hours = st.decimals(min_value=0, max_value=200, places=2, allow_nan=False, allow_infinity=False)
_fractions = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def _premium_inputs(draw):
    overtime = draw(_hours)
    holiday = draw(_hours)
    return {
        "hourly_wage": draw(st.integers(min_value=0, max_value=20_000)),
        "overtime_hours": overtime,
        "overtime_night_hours": (overtime * draw(_fractions)).quantize(Decimal("0.01"), rounding=ROUND_DOWN),
        "holiday_hours": holiday,
        "holiday_night_hours": (holiday * draw(_fractions)).quantize(Decimal("0.01"), rounding=ROUND_DOWN),
        "night_hours": draw(_hours),
    }


@given(_premium_inputs())
def test_premium_pay_matches_the_exact_formula_rounded_once_per_amount(kwargs):
    # 労基法37条 rates; 基発150号 (3): each monthly total rounded once, <50銭 down, ≥50銭 up
    w = Fraction(kwargs["hourly_wage"])
    ot = Fraction(kwargs["overtime_hours"])
    night = (
        Fraction(kwargs["overtime_night_hours"])
        + Fraction(kwargs["holiday_night_hours"])
        + Fraction(kwargs["night_hours"])
    )
    overtime = _half_up(min(ot, 60) * w * Fraction(5, 4) + max(ot - 60, 0) * w * Fraction(3, 2))
    holiday = _half_up(Fraction(kwargs["holiday_hours"]) * w * Fraction(27, 20))
    night_pay = _half_up(night * w * Fraction(1, 4))
    result = premium_pay(**kwargs)
    assert _parts(result) == (overtime, holiday, night_pay, overtime + holiday + night_pay)
    assert result.total == result.overtime + result.holiday + result.night


@given(
    _premium_inputs(),
    st.sampled_from(
        ["overtime_hours", "overtime_night_hours", "holiday_hours", "holiday_night_hours", "night_hours"]
    ),
    st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False),
)
def test_premium_pay_never_decreases_when_hours_increase(kwargs, field, extra):
    more = dict(kwargs)
    more[field] = kwargs[field] + extra
    # keep the night hours within their parent hours
    if field == "overtime_night_hours":
        more["overtime_hours"] = kwargs["overtime_hours"] + extra
    if field == "holiday_night_hours":
        more["holiday_hours"] = kwargs["holiday_hours"] + extra
    before, after = premium_pay(**kwargs), premium_pay(**more)
    assert after.total >= before.total
    assert after.overtime >= before.overtime
    assert after.holiday >= before.holiday
    assert after.night >= before.night


@given(
    st.integers(min_value=0, max_value=20_000),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)
def test_premium_pay_night_premium_depends_only_on_total_night_hours(wage, a, b, c):
    # 労基法37条4項: the 25% is owed on every night hour, whatever else that hour is
    spread = premium_pay(
        hourly_wage=wage,
        overtime_hours=a,
        overtime_night_hours=a,
        holiday_hours=b,
        holiday_night_hours=b,
        night_hours=c,
    )
    lumped = premium_pay(hourly_wage=wage, night_hours=a + b + c)
    assert spread.night == lumped.night


# ---------------------------------------------------------------------------------------------
# 3. overtime_limit_violations — 労基法36条4項 (限度時間), 5項 (特別条項), 6項2号・3号 (実労働の上限)
# ---------------------------------------------------------------------------------------------


def _codes(months, special_clause=True) -> set[str]:
    result = overtime_limit_violations(months=months, special_clause=special_clause)
    codes = [v.code for v in result]
    assert len(codes) == len(set(codes)), f"a code reported more than once: {codes}"
    for v in result:
        assert "36条" in v.message, v.message
    return set(codes)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ([(50, 0)], {"month_45"}),  # 36条4項: 月45時間
        ([(45, 0)], set()),
        ([(Decimal("45.01"), 0)], {"month_45"}),
        ([(40, 20)], set()),  # 法定休日労働 is not counted in the 45 h
        ([(50, 0), (10, 0)], set()),  # only the checked (last) month is reported
        ([(45, 0)] * 8, set()),  # 360 h exactly
        ([(45, 0)] * 8 + [(1, 0)], {"year_360"}),  # 361 h: 36条4項 年360時間
        ([(40, 10)] * 9, set()),  # 360 h of overtime; holiday hours not counted in the year
        ([(95, 5)], {"month_45", "month_100"}),
        ([(90, 0), (75, 0)], {"month_45", "average_80"}),
    ],
)
def test_overtime_limits_without_special_clause_rokiho_36_4(months, expected):
    assert _codes(months, special_clause=False) == expected


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ([(50, 0)], set()),  # 特別条項: 45 h may be exceeded
        ([(45, 0)] * 8 + [(1, 0)], set()),  # and 360 h too
        ([(46, 0)] * 6, set()),  # 36条5項: up to 6 months over 45 h
        ([(46, 0)] * 7, {"months_over_45"}),  # the 7th is a violation
        ([(46, 0), (10, 0)] * 5 + [(46, 0)] * 2, {"months_over_45"}),  # 7th such month, not consecutive
        ([(45, 0)] * 7, set()),  # 45 h is not "over 45"
        ([(40, 10)] * 7, set()),  # holiday hours do not count toward the 45 h
        ([(45, 0)] * 6 + [(75, 0)] * 6, set()),  # 720 h exactly, 6 months over 45
        ([(45, 0)] * 6 + [(75, 0)] * 5 + [(76, 0)], {"year_720"}),  # 721 h: 36条5項 年720時間
        ([(45, 0)] * 6 + [(80, 0)] * 6, {"year_720"}),  # 750 h
        ([(45, 0)] * 6 + [(75, 5)] * 6, set()),  # 720 h of overtime; holiday hours not counted
        ([(61, 0)] * 12, {"year_720", "months_over_45"}),  # 732 h; average 61 ≤ 80
        ([(60, 0)] * 12, {"months_over_45"}),  # 720 h exactly, but 12 months over 45
    ],
)
def test_overtime_limits_with_special_clause_rokiho_36_5(months, expected):
    assert _codes(months, special_clause=True) == expected


@pytest.mark.parametrize("special_clause", [True, False])
@pytest.mark.parametrize(
    ("months", "month_100"),
    [
        ([(95, 5)], True),  # 36条6項2号: 時間外 + 休日 must be less than 100 h
        ([(100, 0)], True),  # exactly 100 is a violation ("100時間未満")
        ([(0, 100)], True),  # holiday hours count
        ([(60, 40)], True),
        ([(Decimal("99.99"), 0)], False),
        ([(Decimal("59.99"), 40)], False),
        ([(10, 0), (100, 0)], True),
        ([(100, 0), (10, 0)], False),  # only the checked month
    ],
)
def test_monthly_actual_limit_100_hours_rokiho_36_6_2(months, month_100, special_clause):
    assert ("month_100" in _codes(months, special_clause=special_clause)) is month_100


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ([(90, 0), (75, 0)], {"average_80"}),  # 36条6項3号: (90 + 75) / 2 = 82.5
        ([(80, 0), (80, 0)], set()),  # exactly 80.0 is allowed ("80時間以下")
        ([(70, 20), (70, 5)], {"average_80"}),  # holiday hours count: (90 + 75) / 2
        ([(Decimal("80.5"), 0), (Decimal("79.5"), 0)], set()),  # 80.0
        ([(Decimal("80.01"), 0), (80, 0)], {"average_80"}),  # 80.005
        ([(80, 0), (80, 0), (Decimal("80.01"), 0)], {"average_80"}),  # 80.005 and 80.0033…
        ([(85, 0)], set()),  # a single month has no 2-month window
        ([(85, 0), (85, 0)], {"average_80"}),
        ([(81, 0)] * 6, {"average_80"}),  # every window violates; reported once
        # only the 6-month window is over 80: 500 / 6; the 5-, 4-, 3-month windows are exactly 80
        ([(100, 0), (80, 0), (80, 0), (90, 0), (80, 0), (70, 0)], {"average_80"}),
        # only the 5-month window: (95 + 80 + 80 + 80 + 70) / 5 = 81; 4-, 3-, 2-month windows ≤ 80
        ([(95, 0), (80, 0), (80, 0), (80, 0), (70, 0)], {"average_80"}),
        # windows longer than 6 months do not count: 7-month average (200 + 6 × 70) / 7 = 88.6
        ([(0, 200)] + [(0, 70)] * 6, set()),
        # windows longer than the list do not count
        ([(0, 99)], set()),
        ([(79, 0), (81, 0)], set()),  # 80.0
        ([(81, 0), (79, 0)], set()),
        ([(99, 0), (62, 0)], {"average_80"}),  # 80.5
        ([(99, 0), (61, 0)], set()),  # 80.0
    ],
)
def test_average_actual_limit_80_hours_rokiho_36_6_3(months, expected):
    assert _codes(months, special_clause=True) == expected


def test_average_80_is_reported_without_special_clause_too():
    # 36条6項 applies regardless of the 特別条項
    codes = _codes([(30, 50), (30, 55)], special_clause=False)
    assert codes == {"average_80"}


def test_overtime_limit_violations_rejects_an_empty_list():
    with pytest.raises(ValueError):
        overtime_limit_violations(months=[])
    with pytest.raises(ValueError):
        overtime_limit_violations(months=[], special_clause=False)


def test_overtime_limit_violation_messages_cite_article_36():
    result = overtime_limit_violations(months=[(95, 5)], special_clause=False)
    assert {v.code for v in result} == {"month_45", "month_100"}
    assert all("36条" in v.message for v in result)
    result = overtime_limit_violations(months=[(61, 0)] * 12, special_clause=True)
    assert all("36条" in v.message for v in result)


_month = st.tuples(
    st.decimals(min_value=0, max_value=120, places=1, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=40, places=1, allow_nan=False, allow_infinity=False),
)
_months = st.lists(_month, min_size=1, max_size=12)


@given(_months)
def test_special_clause_never_reports_month_45_or_year_360(months):
    assert not _codes(months, special_clause=True) & {"month_45", "year_360"}


@given(_months)
def test_no_special_clause_never_reports_the_special_clause_limits(months):
    assert not _codes(months, special_clause=False) & {"months_over_45", "year_720"}


@given(_months)
def test_actual_limits_do_not_depend_on_the_special_clause_rokiho_36_6(months):
    actual = {"month_100", "average_80"}
    assert _codes(months, special_clause=True) & actual == _codes(months, special_clause=False) & actual


@given(
    _months,
    st.data(),
    st.decimals(min_value=0, max_value=30, places=1, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.booleans(),
)
def test_more_hours_never_remove_a_violation(months, data, extra, to_holiday, special_clause):
    index = data.draw(st.integers(min_value=0, max_value=len(months) - 1))
    more = list(months)
    overtime, holiday = more[index]
    more[index] = (overtime, holiday + extra) if to_holiday else (overtime + extra, holiday)
    assert _codes(months, special_clause) <= _codes(more, special_clause)


@given(_months)
def test_month_100_matches_the_last_month_only(months):
    overtime, holiday = months[-1]
    assert ("month_100" in _codes(months)) is (overtime + holiday >= 100)


@given(_months)
def test_average_80_matches_the_windows_of_2_to_6_months(months):
    totals = [o + h for o, h in months]
    # 平均80時間以下 ⇔ sum ≤ 80 × n, for the windows of n = 2…6 months that fit in the list
    expected = any(sum(totals[-n:]) > 80 * n for n in range(2, 7) if n <= len(totals))
    assert ("average_80" in _codes(months)) is expected


# ---------------------------------------------------------------------------------------------
# 4. paid_leave_days — 労基法39条2項 (full-time), 39条3項 and 労基則24条の3 (比例付与)
# ---------------------------------------------------------------------------------------------

_STEPS = [6, 18, 30, 42, 54, 66, 78]  # 0.5年, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5年以上
_FULL = [10, 11, 12, 14, 16, 18, 20]
_PROPORTIONAL = {
    4: [7, 8, 9, 10, 12, 13, 15],
    3: [5, 6, 6, 8, 9, 10, 11],
    2: [3, 4, 4, 5, 6, 6, 7],
    1: [1, 2, 2, 2, 3, 3, 3],
}
_ANNUAL_FOR_ROW = {4: (169, 200, 216), 3: (121, 150, 168), 2: (73, 100, 120), 1: (48, 60, 72)}


@pytest.mark.parametrize(
    ("service_months", "expected"), [*zip(_STEPS, _FULL, strict=True), (120, 20), (480, 20)]
)
@pytest.mark.parametrize(
    ("weekly_days", "weekly_hours"),
    [(5, 40), (5, 20), (6, 48), (4, 30), (3, 32), (4, Decimal("37.5"))],
)
def test_paid_leave_full_time_table_rokiho_39_2(service_months, expected, weekly_days, weekly_hours):
    # 39条1項・2項: 10 days at 6 months, then 11, 12, 14, 16, 18, 20 (週5日以上 or 週30時間以上)
    result = paid_leave_days(
        service_months=service_months, weekly_days=weekly_days, weekly_hours=weekly_hours
    )
    assert result == expected
    assert _is_int(result)


@pytest.mark.parametrize(("service_months", "expected"), list(zip(_STEPS, _FULL, strict=True)))
def test_paid_leave_full_time_by_217_annual_days_rokisoku_24_3(service_months, expected):
    # 労基則24条の3第5項: 年間所定労働日数 217日以上 is full-time
    result = paid_leave_days(service_months=service_months, weekly_days=0, weekly_hours=20, annual_days=217)
    assert result == expected


@pytest.mark.parametrize(
    ("weekly_days", "column", "expected"),
    [(days, col, row[col]) for days, row in _PROPORTIONAL.items() for col in range(7)],
)
def test_paid_leave_proportional_table_by_weekly_days_rokisoku_24_3(weekly_days, column, expected):
    # 39条3項, 労基則24条の3第3項 table (週30時間未満)
    result = paid_leave_days(service_months=_STEPS[column], weekly_days=weekly_days, weekly_hours=20)
    assert result == expected
    assert _is_int(result)


@pytest.mark.parametrize(
    ("annual_days", "column", "expected"),
    [
        (annual, col, row[col])
        for days, row in _PROPORTIONAL.items()
        for annual in _ANNUAL_FOR_ROW[days]
        for col in range(7)
    ],
)
def test_paid_leave_proportional_table_by_annual_days_rokisoku_24_3(annual_days, column, expected):
    # 労基則24条の3第4項・5項: days fixed per year rather than per week choose the row by annual days
    result = paid_leave_days(
        service_months=_STEPS[column], weekly_days=0, weekly_hours=20, annual_days=annual_days
    )
    assert result == expected


@pytest.mark.parametrize(
    ("annual_days", "expected"),
    [
        (217, 10),
        (216, 7),
        (169, 7),
        (168, 5),
        (121, 5),
        (120, 3),
        (73, 3),
        (72, 1),
        (48, 1),
        (47, 0),
        (0, 0),
    ],
)
def test_paid_leave_annual_days_boundaries_rokisoku_24_3(annual_days, expected):
    result = paid_leave_days(service_months=6, weekly_days=0, weekly_hours=10, annual_days=annual_days)
    assert result == expected


@pytest.mark.parametrize(
    ("service_months", "expected"),
    [
        (0, 0),
        (5, 0),  # 39条1項: 6か月継続勤務 first
        (6, 10),
        (17, 10),
        (18, 11),
        (29, 11),
        (30, 12),
        (41, 12),
        (42, 14),
        (53, 14),
        (54, 16),
        (65, 16),
        (66, 18),
        (77, 18),
        (78, 20),
        (79, 20),
    ],
)
def test_paid_leave_service_boundaries_rokiho_39(service_months, expected):
    assert paid_leave_days(service_months=service_months, weekly_days=5, weekly_hours=40) == expected


@pytest.mark.parametrize(
    ("service_months", "expected"), [(5, 0), (6, 7), (17, 7), (18, 8), (77, 13), (78, 15)]
)
def test_paid_leave_service_boundaries_proportional(service_months, expected):
    assert paid_leave_days(service_months=service_months, weekly_days=4, weekly_hours=24) == expected


@pytest.mark.parametrize(
    ("weekly_days", "weekly_hours", "annual_days", "expected"),
    [
        (4, Decimal("29.9"), None, 7),  # 週30時間未満 and 週4日 → 比例付与
        (4, 30, None, 10),  # 週30時間 → full-time (労基則24条の3第1項)
        (4, Decimal("30.0"), None, 10),
        (5, 20, None, 10),  # 週5日 → full-time whatever the hours
        (0, 0, None, 0),
        (0, 30, None, 10),  # 30 h is full-time by itself
        (0, 20, 216, 7),
        (0, 20, 217, 10),
        (0, 30, 100, 10),  # 週30時間以上 → full-time even with few annual days
        (0, Decimal("29.9"), 100, 3),
    ],
)
def test_paid_leave_full_time_or_proportional_boundaries_rokisoku_24_3(
    weekly_days, weekly_hours, annual_days, expected
):
    result = paid_leave_days(
        service_months=6, weekly_days=weekly_days, weekly_hours=weekly_hours, annual_days=annual_days
    )
    assert result == expected


@pytest.mark.parametrize("service_months", [-1, -6])
def test_paid_leave_rejects_negative_service(service_months):
    with pytest.raises(ValueError):
        paid_leave_days(service_months=service_months, weekly_days=5, weekly_hours=40)


@given(
    st.integers(min_value=0, max_value=600),
    st.integers(min_value=0, max_value=600),
    st.integers(min_value=0, max_value=7),
    st.integers(min_value=0, max_value=60),
)
def test_paid_leave_never_decreases_with_service(a, b, weekly_days, weekly_hours):
    low, high = sorted((a, b))
    kw = {"weekly_days": weekly_days, "weekly_hours": weekly_hours}
    assert paid_leave_days(service_months=low, **kw) <= paid_leave_days(service_months=high, **kw)


@given(st.integers(min_value=0, max_value=600), st.integers(min_value=0, max_value=4))
def test_paid_leave_proportional_never_exceeds_full_time(service_months, weekly_days):
    proportional = paid_leave_days(service_months=service_months, weekly_days=weekly_days, weekly_hours=20)
    full = paid_leave_days(service_months=service_months, weekly_days=5, weekly_hours=40)
    assert proportional <= full
    if weekly_days < 4:
        more = paid_leave_days(service_months=service_months, weekly_days=weekly_days + 1, weekly_hours=20)
        assert proportional <= more
