"""payroll.formula: a pay item's 計算式, read with ``ast`` and evaluated in Decimal; anything but
numbers, + − × ÷, parentheses, min/max/floor/round_half and known names is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ennoshita.payroll import formula
from ennoshita.payroll.formula import FormulaError, check, evaluate

D = Decimal


def test_the_run_figures_and_item_codes_are_names():
    # 300,000 ÷ 30 × 1.25 = 12,500 exactly
    assert evaluate("base / 30 * 1.25", {"base": D(300_000)}) == 12_500
    # 役職手当 20,000 × 0.5 + 家族手当 10,000 = 20,000
    assert evaluate("position * 0.5 + family", {"position": D(20_000), "family": D(10_000)}) == 20_000


def test_division_is_exact_and_the_result_rounds_by_the_50_sen_rule():
    # 1,000 ÷ 3 = 333.33… → 333 (under 50銭: down)
    assert evaluate("1000 / 3", {}) == 333
    # 2,000 ÷ 3 = 666.66… → 667 (50銭 and over: up)
    assert evaluate("2000 / 3", {}) == 667
    # exactly 50銭 goes up (基発150号), 49.99銭 down; the same away from zero for a negative
    assert evaluate("0.5", {}) == 1
    assert evaluate("1.4999", {}) == 1
    assert evaluate("2.5", {}) == 3
    assert evaluate("-0.5", {}) == -1
    # 0.1 × 3 is exactly 0.3 in Decimal (a float would give 0.30000000000000004): 0.3 × 10 = 3
    assert evaluate("0.1 * 3 * 10", {}) == 3


def test_functions():
    # round_half(10 ÷ 7 = 1.43) = 1; floor(2.5) = 2; min = 1; max = 5 → 1 + 2 − 1 + 5 = 7
    assert evaluate("round_half(base / 7) + floor(2.5) - min(1, 2, 3) + max(4, 5)", {"base": D(10)}) == 7
    # 時間単価 1,562.5 × 1.25 × 10h = 19,531.25 → 19,531; with round_half on the unit price first
    # (1,562.5 × 1.25 = 1,953.125 → 1,953) × 10 = 19,530
    names = {"hourly_base": D("1562.5"), "overtime_hours": D(10)}
    assert evaluate("hourly_base * 1.25 * overtime_hours", names) == 19_531
    assert evaluate("round_half(hourly_base * 1.25) * overtime_hours", names) == 19_530
    assert evaluate("floor(-1.5)", {}) == -2  # toward −∞


def test_full_width_and_japanese_operators_are_read():
    assert evaluate("１０００×２÷４", {}) == 500
    assert evaluate("（1000 − 400）", {}) == 600


def test_division_by_zero():
    assert check("base / 0", []) == ["0 で割ることはできません。"]
    with pytest.raises(FormulaError, match="0 で割る"):
        evaluate("base / absences", {"base": D(1), "absences": D(0)})


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("base.__class__", "属性は使えません"),
        ("base.__class__.__bases__", "属性は使えません"),
        ("x[0]", "[ ] は使えません"),
        ('__import__("os")', "「__import__」は使えません"),
        ("open(1)", "「open」は使えません"),
        ("base.bit_length()", "使えません"),
        ("base ** 2", "演算子「**」は使えません"),
        ("base % 2", "演算子「%」は使えません"),
        ("base // 2", "演算子「//」は使えません"),
        ("a < b", "比較や条件"),
        ("a if b else 1", "比較や条件"),
        ("'text'", "文字列は使えません"),
        ("lambda: 1", "lambda は使えません"),
        ("min", "min( … ) の形で"),
        ("min(1)", "2つ以上"),
        ("floor(1, 2)", "1つだけ"),
        ("max(*a)", "カンマで区切って"),
        ("round_half(x=1)", "カンマで区切って"),
        ("(1", "計算式として読めません"),
        ("", "計算式を入力してください"),
        ("unknown + 1", "「unknown」という項目コード"),
    ],
)
def test_anything_else_is_refused_with_a_message(expr, message):
    errors = check(expr, ["a", "b", "x"])
    assert errors and any(message in e for e in errors), errors
    with pytest.raises(FormulaError):
        evaluate(expr, {"a": D(1), "b": D(2), "x": D(3), "base": D(4)})


def test_unknown_names_at_evaluation():
    with pytest.raises(FormulaError, match="「family」という項目コード"):
        evaluate("family * 2", {})


def test_too_long_and_too_large():
    assert check("1+" * 200 + "1", []) == ["計算式は300文字以内にしてください。"]
    with pytest.raises(FormulaError, match="大きくなりすぎ"):
        evaluate("1000000 * 1000000 * 1000000", {})


def test_names_in_and_valid_codes():
    assert formula.names_in("min(a, base) + b * 2") == {"a", "b", "base"}
    assert formula.is_valid_name("position") and formula.is_valid_name("a1_b")
    assert not formula.is_valid_name("base")  # a run figure
    assert not formula.is_valid_name("min")
    assert not formula.is_valid_name("1abc") and not formula.is_valid_name("役職")
