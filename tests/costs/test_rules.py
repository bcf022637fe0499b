"""costs.rules: the rise flag, the change against a base month, the amount per head."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.costs.rules import change, per_head, rise_flags


def test_it_flags_a_rise_above_the_threshold_with_the_rounded_down_percent():
    flags = rise_flags(monthly={"6270": [10000, 10000, 10000, 13500]}, threshold_percent=20)
    assert [(f.key, f.current, f.average, f.percent) for f in flags] == [
        ("6270", Decimal(13500), Decimal(10000), 35)
    ]


def test_exactly_the_threshold_is_not_flagged_and_one_yen_more_is():
    assert rise_flags(monthly={"a": [100000, 100000, 100000, 120000]}, threshold_percent=20) == []
    flags = rise_flags(monthly={"a": [100000, 100000, 100000, 120001]}, threshold_percent=20)
    assert [(f.key, f.percent) for f in flags] == [("a", 20)]


def test_exactly_the_threshold_with_an_average_that_is_not_whole_yen():
    # average 10/3 yen; +20% is exactly 4 yen: not flagged; 5 yen is
    assert rise_flags(monthly={"a": [3, 3, 4, 4]}, threshold_percent=20) == []
    assert [f.percent for f in rise_flags(monthly={"a": [3, 3, 4, 5]}, threshold_percent=20)] == [50]
    assert rise_flags(monthly={"a": [3, 3, 4, 5]}, threshold_percent=20)[0].average == Decimal(3)


def test_a_zero_or_negative_average_is_no_base_for_a_rise():
    assert rise_flags(monthly={"a": [0, 0, 0, 50000]}, threshold_percent=20) == []
    assert rise_flags(monthly={"a": [-9000, 3000, 3000, 50000]}, threshold_percent=20) == []


def test_negative_months_from_credits_count_in_the_average():
    # (−3,000 + 6,000 + 0) / 3 = 1,000; 5,000 is +400%
    flags = rise_flags(monthly={"6260": [-3000, 6000, 0, 5000]}, threshold_percent=20)
    assert [(f.average, f.percent) for f in flags] == [(Decimal(1000), 400)]


def test_a_negative_current_month_is_never_a_rise():
    assert rise_flags(monthly={"a": [1000, 1000, 1000, -5000]}, threshold_percent=0) == []


def test_only_the_last_three_months_before_the_selected_one_count():
    assert rise_flags(monthly={"a": [1, 100, 100, 100, 110]}, threshold_percent=20) == []


def test_too_few_months_are_not_judged_and_keys_keep_their_order():
    assert rise_flags(monthly={"a": [1, 1, 9]}, threshold_percent=20) == []
    flags = rise_flags(
        monthly={"z": [1, 1, 1, 9], "a": [1, 1, 1, 1], "m": [2, 2, 2, 9]}, threshold_percent=20
    )
    assert [f.key for f in flags] == ["z", "m"]


def test_threshold_zero_flags_any_rise_and_a_negative_threshold_is_refused():
    assert [f.key for f in rise_flags(monthly={"a": [3, 3, 3, 4]}, threshold_percent=0)] == ["a"]
    assert rise_flags(monthly={"a": [3, 3, 3, 3]}, threshold_percent=0) == []
    with pytest.raises(ValueError):
        rise_flags(monthly={"a": [3, 3, 3, 4]}, threshold_percent=-1)


def test_amounts_must_be_whole_yen():
    flags = rise_flags(
        monthly={"a": [Decimal(10), Decimal(10), Decimal(10), Decimal(20)]}, threshold_percent=20
    )
    assert flags[0].percent == 100
    with pytest.raises(ValueError):
        rise_flags(monthly={"a": [Decimal("10.5"), 10, 10, 20]}, threshold_percent=20)


@given(
    base=st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=3, max_size=3),
    current=st.integers(min_value=-(10**9), max_value=10**9),
    threshold=st.integers(min_value=0, max_value=1000),
)
def test_the_flag_matches_the_definition_in_exact_fractions(base, current, threshold):
    from fractions import Fraction

    average = Fraction(sum(base), 3)
    expected = average > 0 and Fraction(current) > average * Fraction(100 + threshold, 100)
    flags = rise_flags(monthly={"k": [*base, current]}, threshold_percent=threshold)
    assert bool(flags) == expected
    if flags:
        assert flags[0].percent == int((Fraction(current) - average) * 100 / average // 1)
        assert flags[0].percent >= threshold


def test_change_against_a_base_month():
    c = change(current=13500, base=10000)
    assert (c.base, c.amount, c.percent) == (Decimal(10000), Decimal(3500), Decimal("35.0"))
    c = change(current=9000, base=12000)
    assert (c.amount, c.percent) == (Decimal(-3000), Decimal("-25.0"))
    # one decimal place, 四捨五入: 1/3 = 33.33…% → 33.3; 2/3 → 66.7
    assert change(current=4, base=3).percent == Decimal("33.3")
    assert change(current=5, base=3).percent == Decimal("66.7")


def test_change_from_zero_has_no_percent_and_from_a_negative_base_uses_its_size():
    c = change(current=9000, base=0)
    assert (c.amount, c.percent) == (Decimal(9000), None)
    assert change(current=100, base=-100).percent == Decimal("200.0")
    assert change(current=0, base=0).percent is None


def test_per_head_rounds_half_up_and_has_no_value_without_people():
    assert per_head(amount=147500, headcount=6) == Decimal(24583)
    assert per_head(amount=18500, headcount=3) == Decimal(6167)
    assert per_head(amount=5, headcount=2) == Decimal(3)  # 2.5 → 3
    assert per_head(amount=-5, headcount=2) == Decimal(-3)
    assert per_head(amount=1000, headcount=0) is None
