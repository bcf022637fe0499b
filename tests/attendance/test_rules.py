"""attendance.rules: the roundings of 基発150号, the argument handling, and the simulator's steps
against the calculations they explain. The published figures are checked independently in
test_rules_published.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.attendance import rules
from ennoshita.attendance.rules import explain
from ennoshita.attendance.rules.rounding import to_decimal

D = Decimal


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, 0),
        (29, 0),
        (30, 60),
        (59, 60),
        (60, 60),
        (89, 60),
        (90, 120),
        (45 * 60 + 29, 45 * 60),
        (45 * 60 + 30, 46 * 60),
    ],
)
def test_a_months_minutes_round_at_thirty(minutes, expected):
    # 昭和63年3月14日基発150号: the month's total only; under 30 minutes down, 30 and over up
    assert rules.round_monthly_minutes(minutes) == expected


@pytest.mark.parametrize(
    ("amount", "expected"), [(D("1537.49"), 1537), (D("1537.5"), 1538), (D("0.4999"), 0), (D("2000"), 2000)]
)
def test_the_fifty_sen_rule(amount, expected):
    assert rules.round_half_yen(amount) == expected


def test_hours_may_be_int_decimal_or_float_without_binary_error():
    assert to_decimal(7, "h") == D(7) and to_decimal(D("7.25"), "h") == D("7.25")
    assert to_decimal(0.1, "h") == D("0.1")  # not 0.1000000000000000055…
    with pytest.raises(TypeError):
        to_decimal(True, "h")
    with pytest.raises(ValueError):
        to_decimal("seven", "h")
    with pytest.raises(ValueError):
        rules.premium_pay(hourly_wage=1000, overtime_hours=D("NaN"))


def test_a_violation_carries_the_figure_and_the_limit():
    (violation,) = rules.overtime_limit_violations(months=[(D("90"), 0), (D("75"), 0)])
    assert (violation.code, violation.hours, violation.limit) == ("average_80", D("82.5"), D(80))
    assert "82.5時間" in violation.message and "36条6項3号" in violation.message


def test_the_worst_window_is_reported_once():
    # 3 months 85 h: the 2- and 3-month averages both break 80; one violation
    found = rules.overtime_limit_violations(months=[(D(85), 0)] * 3)
    assert [v.code for v in found] == ["average_80"]


def test_steps_show_the_figures_the_calculations_return():
    steps = explain.explain_hourly_base_wage(monthly_wage=250000, annual_scheduled_hours=1950)
    assert [s.value for s in steps] == [
        "1950時間 ÷ 12 = 162.5時間",
        "250,000円 × 12 ÷ 1950時間 = 1,538.4615円",
        "1,538円",
    ]
    assert steps[-1].rule == "昭和63年3月14日基発150号"

    pay = rules.premium_pay(
        hourly_wage=1538, overtime_hours=65, overtime_night_hours=3, holiday_hours=8, night_hours=2
    )
    steps = explain.explain_premium_pay(
        hourly_wage=1538, overtime_hours=65, overtime_night_hours=3, holiday_hours=8, night_hours=2
    )
    assert steps[0].value == "60時間まで 60時間、60時間超 5時間"
    assert steps[1].value.endswith(f"→ {pay.overtime:,}円")
    assert steps[2].value == "1,538円 × 8時間 × 1.35 = 16,610.4円 → 16,610円"
    assert steps[3].value == "1,538円 × 5時間 × 0.25 = 1,922.5円 → 1,923円"  # 50銭 and over: up
    assert steps[-1].value == f"{pay.total:,}円" == "145,418円"


def test_limit_steps_list_each_average_window():
    steps = explain.explain_overtime_limits(months=[(50, 0), (90, 5), (80, 0)])
    values = {s.label: s.value for s in steps}
    assert values["直近2か月の平均(時間外+休日)"] == "87.5時間(80時間以内)"
    assert values["直近3か月の平均(時間外+休日)"] == "75時間(80時間以内)"
    assert values["月45時間を超えた月数"] == "3回(年6回まで)"
    assert values["判定"] == "上限を超えています(1件)"


def test_leave_steps_name_the_table_used():
    steps = explain.explain_paid_leave(service_months=40, weekly_days=3, weekly_hours=24)
    assert [s.value for s in steps] == ["40か月 → 2.5年", "週24時間、週3日 → 比例付与", "週3日の区分", "6日"]
    assert explain.explain_paid_leave(service_months=5, weekly_days=5, weekly_hours=40)[-1].value.endswith(
        "(付与なし)"
    )


hours = st.decimals(min_value=0, max_value=200, places=2)


@given(wage=st.integers(min_value=0, max_value=20000), overtime=hours, holiday=hours, night=hours)
def test_the_steps_total_is_the_calculations_total(wage, overtime, holiday, night):
    args = {"hourly_wage": wage, "overtime_hours": overtime, "holiday_hours": holiday, "night_hours": night}
    assert explain.explain_premium_pay(**args)[-1].value == f"{rules.premium_pay(**args).total:,}円"


def test_a_year_limit_is_reported_for_the_months_that_add_to_it():
    seven = [(D(46), 0)] * 7
    assert [v.code for v in rules.overtime_limit_violations(months=seven)] == ["months_over_45"]
    # the 8th month is under 45: it adds no month over 45 and is not reported again
    assert rules.overtime_limit_violations(months=[*seven, (D(30), 0)]) == []
    # over 360 without a 特別条項: every later month with 時間外 is beyond the year's limit
    year = [(D(45), 0)] * 8 + [(D(1), 0)]
    assert [v.code for v in rules.overtime_limit_violations(months=year, special_clause=False)] == [
        "year_360"
    ]
    assert rules.overtime_limit_violations(months=[*year, (D(0), D(8))], special_clause=False) == []
