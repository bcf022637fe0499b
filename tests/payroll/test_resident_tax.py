"""住民税 特別徴収の月割額 (ennoshita.payroll.rules.resident_tax) against jp-rules §3: annual ÷ 12 with
the 100円未満 of each installment dropped and every 端数 collected in June (地方税法20条の4の2第6項・
第8項, 321条の5第1項)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.payroll.rules.resident_tax import resident_tax_installments, resident_tax_installments_steps
from ennoshita.payroll.rules.steps import Step


@pytest.mark.parametrize(
    ("annual", "expected"),
    [
        (250_300, (21_500, 20_800)),  # jp-rules §3
        (180_300, (15_300, 15_000)),  # jp-rules §3
        (100_000, (8_700, 8_300)),
        (182_500, (15_300, 15_200)),
        (120_000, (10_000, 10_000)),  # divides evenly: no 端数
        (1_200, (100, 100)),
        (1_199, (1_199, 0)),  # the ÷ 12 installment is 0円: June takes it all
        (1_000, (1_000, 0)),
        (100, (100, 0)),
        (0, (0, 0)),
        (Decimal("250300"), (21_500, 20_800)),
    ],
)
def test_resident_tax_installments(annual, expected):
    result = resident_tax_installments(annual=annual)
    assert result == expected
    assert all(isinstance(x, int) and not isinstance(x, bool) for x in result)


@pytest.mark.parametrize("bad", [-100, 250_300.0, "250300", Decimal("250300.5"), True, None])
def test_resident_tax_refuses_bad_input(bad):
    with pytest.raises(ValueError, match=r"^annual: 0以上の整数\(円\)で入れてください。"):
        resident_tax_installments(annual=bad)


@given(annual=st.integers(min_value=0, max_value=50_000_000))
def test_property_installments_sum_to_the_annual_with_the_remainder_in_june(annual):
    june, monthly = resident_tax_installments(annual=annual)
    assert june + monthly * 11 == annual
    assert monthly % 100 == 0
    assert monthly * 12 <= annual < (monthly + 100) * 12  # the largest 100円 multiple of annual ÷ 12
    assert 0 <= june - monthly < 1_200
    assert june >= 0


@given(annual=st.integers(min_value=0, max_value=50_000_000))
def test_property_monotonic(annual):
    june, monthly = resident_tax_installments(annual=annual)
    assert monthly <= resident_tax_installments(annual=annual + 100)[1]


def test_steps():
    steps = resident_tax_installments_steps(annual=250_300)
    assert all(isinstance(s, Step) and s.rule for s in steps)
    assert steps[1].value == "250,300円 ÷ 12 → 20,800円"
    assert steps[2].value == "250,300円 − 20,800円 × 11 = 21,500円"
