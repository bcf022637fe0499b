from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.core.money import Rounding, format_yen, quantize, round_yen, unit_price, yen


@pytest.mark.parametrize(
    ("value", "rule", "expected"),
    [
        ("100.5", Rounding.TRUNCATE, "100"),
        ("100.5", Rounding.ROUND_UP, "101"),
        ("100.4", Rounding.HALF_UP, "100"),
        ("100.5", Rounding.HALF_UP, "101"),
        # 五捨五超入: exactly .50 goes down, anything above goes up (社会保険料の被保険者負担分)
        ("100.50", Rounding.HALF_DOWN, "100"),
        ("100.51", Rounding.HALF_DOWN, "101"),
        ("-100.5", Rounding.TRUNCATE, "-100"),
        ("-100.5", Rounding.FLOOR, "-101"),
        ("-100.5", Rounding.HALF_UP, "-101"),
    ],
)
def test_round_yen_applies_the_named_rule(value, rule, expected):
    assert round_yen(Decimal(value), rule) == Decimal(expected)


def test_quantize_to_places():
    assert quantize("1.23456", Rounding.HALF_UP, 4) == Decimal("1.2346")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        round_yen(0.1, Rounding.HALF_UP)  # type: ignore[arg-type]


def test_yen_refuses_fractions_instead_of_rounding():
    with pytest.raises(ValueError):
        yen("10.5")
    assert yen("1,200") == Decimal("1200")


def test_unit_price_allows_four_places_only():
    assert unit_price("12.3456") == Decimal("12.3456")
    with pytest.raises(ValueError):
        unit_price("12.34567")


def test_format_yen():
    assert format_yen(Decimal("1234567")) == "¥1,234,567"
    assert format_yen(-500) == "-¥500"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False))
def test_truncate_never_moves_away_from_zero(d):
    r = round_yen(d, Rounding.TRUNCATE)
    assert abs(r) <= abs(d) and abs(d - r) < 1
