"""退職所得 (jp-rules §17): the published worked examples (NTA No.2732 and its 別紙, a city's
住民税 example) and the edges of each rule, with the arithmetic written out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.payroll import rules
from ennoshita.payroll.rules import retirement
from ennoshita.payroll.rules.retirement import (
    retirement_income,
    retirement_income_deduction,
    service_years,
    severance,
    severance_income_tax,
    severance_resident_tax,
    severance_steps,
)


# ------------------------------------------------------------------------------ 勤続年数
@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2016, 1, 1), date(2026, 2, 28), 11),  # 10年2か月 → 11年 (施行令69条)
        (date(2016, 4, 1), date(2026, 3, 31), 10),  # exactly 10 years
        (date(2016, 4, 1), date(2026, 4, 1), 11),  # 10 years and 1 day
        (date(2026, 4, 1), date(2026, 4, 1), 1),  # one day
        (date(2025, 12, 1), date(2026, 1, 15), 1),
        (date(2000, 7, 6), date(2025, 10, 5), 26),  # 25年3か月 (土浦市の例)
        (date(2020, 2, 29), date(2021, 2, 28), 1),  # from a 29 February: one year ends on 28 February
        (date(2020, 2, 29), date(2021, 3, 1), 2),
    ],
)
def test_service_years_round_a_part_year_up(start, end, years):
    assert service_years(service_from=start, service_to=end) == years


def test_service_years_refuse_an_end_before_the_start():
    with pytest.raises(ValueError, match="service_to"):
        service_years(service_from=date(2026, 4, 2), service_to=date(2026, 4, 1))


# ------------------------------------------------------------------------------ 退職所得控除額
@pytest.mark.parametrize(
    ("years", "deduction"),
    [
        (1, 800_000),  # 40万 × 1 = 40万 < 80万 → 80万
        (2, 800_000),  # 40万 × 2 = 80万
        (3, 1_200_000),
        (11, 4_400_000),  # 40万 × 11
        (20, 8_000_000),  # 40万 × 20
        (21, 8_700_000),  # 800万 + 70万 × 1
        (30, 15_000_000),  # 800万 + 70万 × 10
        (38, 20_600_000),  # 800万 + 70万 × 18
    ],
)
def test_deduction_steps_at_twenty_years(years, deduction):
    assert retirement_income_deduction(years=years) == deduction


def test_disability_adds_one_million_after_the_minimum():
    assert retirement_income_deduction(years=1, disability=True) == 800_000 + 1_000_000
    assert retirement_income_deduction(years=25, disability=True) == 8_000_000 + 700_000 * 5 + 1_000_000


def test_deduction_refuses_zero_years():
    with pytest.raises(ValueError, match="years"):
        retirement_income_deduction(years=0)


# ------------------------------------------------------------------------------ NTA No.2732
def test_nta_2732_example_1_eight_million_after_eleven_years():
    """NTA No.2732 計算例1: 800万円, 勤続11年 → 控除 440万, 課税 (800 − 440) / 2 = 180万,
    所得税 1,800,000 × 5% × 102.1% = 91,890."""
    s = severance(amount=8_000_000, service_from=date(2015, 4, 1), service_to=date(2026, 3, 31))
    assert s.service_years == 11
    assert s.deduction == 4_400_000
    assert s.taxable_income == (8_000_000 - 4_400_000) // 2 == 1_800_000
    assert s.income_tax == int(Decimal(1_800_000) * Decimal("0.05") * Decimal("1.021")) == 91_890


def test_nta_2732_example_2_twenty_three_million_after_thirty_years():
    """NTA No.2732 計算例2: 2,300万円, 勤続30年 → 控除 1,500万, 課税 400万,
    (4,000,000 × 20% − 427,500) × 102.1% = 380,322.5 → 380,322."""
    assert retirement_income(amount=23_000_000, years=30) == 4_000_000
    assert severance_income_tax(amount=23_000_000, taxable_income=4_000_000) == 380_322
    assert (4_000_000 * Decimal("0.20") - 427_500) * Decimal("1.021") == Decimal("380322.5")


def test_nta_2732_besshi_note_seven_million():
    """別紙の注: 課税退職所得金額 700万 → (7,000,000 × 23% − 636,000) × 102.1% = 994,454."""
    assert severance_income_tax(amount=0, taxable_income=7_000_000) == 994_454


def test_twenty_years_and_twenty_million():
    """勤続20年, 2,000万円: 控除 800万, 課税 600万, (6,000,000 × 20% − 427,500) × 102.1% =
    788,722.5 → 788,722; 住民税 360,000 + 240,000."""
    s = severance(amount=20_000_000, service_from=date(2006, 4, 1), service_to=date(2026, 3, 31))
    assert (s.service_years, s.deduction, s.taxable_income) == (20, 8_000_000, 6_000_000)
    assert (6_000_000 * Decimal("0.20") - 427_500) * Decimal("1.021") == Decimal("788722.5")
    assert s.income_tax == 788_722
    assert (s.city_tax, s.prefecture_tax) == (360_000, 240_000)
    assert s.net == 20_000_000 - 788_722 - 600_000


def test_twenty_one_years_steps_to_seventy_thousand_a_year():
    s = severance(amount=20_000_000, service_from=date(2005, 4, 1), service_to=date(2026, 3, 31))
    assert (s.service_years, s.deduction) == (21, 8_700_000)
    assert s.taxable_income == (20_000_000 - 8_700_000) // 2 == 5_650_000


@pytest.mark.parametrize(
    "taxable",
    [
        1_000,
        1_950_000,
        1_951_000,
        3_300_000,
        3_301_000,
        6_950_000,
        9_000_000,
        18_000_000,
        40_000_000,
        50_000_000,
    ],
)
def test_the_brackets_of_the_quick_table(taxable):
    """Each bracket's edges against the NTA 速算表 (別紙) typed in here."""
    brackets = [
        (1_950_000, "0.05", 0),
        (3_300_000, "0.10", 97_500),
        (6_950_000, "0.20", 427_500),
        (9_000_000, "0.23", 636_000),
        (18_000_000, "0.33", 1_536_000),
        (40_000_000, "0.40", 2_796_000),
        (None, "0.45", 4_796_000),
    ]
    _upto, rate, less = next(b for b in brackets if b[0] is None or taxable <= b[0])
    expected = int((taxable * Decimal(rate) - less) * Decimal("1.021"))
    assert severance_income_tax(amount=0, taxable_income=taxable) == expected


# ------------------------------------------------------------------------------ 住民税
def test_tsuchiura_city_example():
    """土浦市の例: 1,500万円, 平成12年7月6日〜令和7年10月5日 (25年3か月 → 26年), 控除
    800万 + 70万 × 6 = 1,220万, 退職所得 (1,500万 − 1,220万) / 2 = 140万, 市民税 84,000,
    県民税 56,000."""
    s = severance(amount=15_000_000, service_from=date(2000, 7, 6), service_to=date(2025, 10, 5))
    assert (s.service_years, s.deduction, s.taxable_income) == (26, 12_200_000, 1_400_000)
    assert (s.city_tax, s.prefecture_tax) == (84_000, 56_000)


def test_resident_tax_drops_under_100_yen_on_each_part():
    """課税 1,234,000: 6% = 74,040 → 74,000; 4% = 49,360 → 49,300."""
    assert severance_resident_tax(taxable_income=1_234_000) == (74_000, 49_300)


def test_taxable_income_drops_under_1000_yen():
    """勤続6年 (控除 240万): (5,003,500 − 2,400,000) / 2 = 1,301,750 → 1,301,000."""
    assert retirement_income(amount=5_003_500, years=6) == 1_301_000


# ------------------------------------------------------------------------------ 特定役員・短期
def test_officer_of_five_years_gets_no_half():
    """役員等勤続年数5年: 1,000万 − 200万 = 800万 (1/2なし)."""
    assert retirement_income(amount=10_000_000, years=5, officer_years=5) == 8_000_000
    s = severance(
        amount=10_000_000,
        service_from=date(2021, 4, 1),
        service_to=date(2026, 3, 31),
        officer_from=date(2021, 4, 1),
    )
    assert (s.kind, s.officer_years, s.taxable_income) == ("officer", 5, 8_000_000)
    # (8,000,000 × 23% − 636,000) × 1.021 = 1,229,284
    assert s.income_tax == int((8_000_000 * Decimal("0.23") - 636_000) * Decimal("1.021")) == 1_229_284


def test_officer_of_six_years_gets_the_half():
    assert retirement_income(amount=10_000_000, years=6, officer_years=6) == (10_000_000 - 2_400_000) // 2


def test_officer_after_years_as_an_employee_is_treated_as_officer_and_says_so():
    steps = severance_steps(
        amount=30_000_000,
        service_from=date(2001, 4, 1),
        service_to=date(2026, 3, 31),
        officer_from=date(2023, 4, 1),
    )
    assert any(s.label == "注意" and "施行令71条の2" in s.rule for s in steps)
    s = severance(
        amount=30_000_000,
        service_from=date(2001, 4, 1),
        service_to=date(2026, 3, 31),
        officer_from=date(2023, 4, 1),
    )
    assert (s.service_years, s.officer_years, s.kind) == (25, 3, "officer")
    assert s.taxable_income == 30_000_000 - (8_000_000 + 700_000 * 5)


def test_short_service_up_to_three_million_keeps_the_half():
    """勤続3年, 420万: 420万 − 120万 = 300万 ≤ 300万 → 150万."""
    assert retirement_income(amount=4_200_000, years=3) == 1_500_000


def test_short_service_over_three_million():
    """勤続3年, 1,000万: 1,000万 − 120万 = 880万 > 300万 → 150万 + (1,000万 − (300万 + 120万))
    = 730万; (7,300,000 × 23% − 636,000) × 1.021 = 1,064,903."""
    s = severance(amount=10_000_000, service_from=date(2023, 4, 1), service_to=date(2026, 3, 31))
    assert s.kind == "short"
    assert s.taxable_income == 1_500_000 + (10_000_000 - (3_000_000 + 1_200_000)) == 7_300_000
    assert s.income_tax == 1_064_903
    assert (s.city_tax, s.prefecture_tax) == (438_000, 292_000)


def test_six_years_is_not_short():
    assert retirement_income(amount=10_000_000, years=6) == (10_000_000 - 2_400_000) // 2


def test_one_year_with_disability():
    """勤続1年, 障害: 控除 80万 + 100万 = 180万; 200万 − 180万 = 20万 ≤ 300万 → 10万."""
    s = severance(
        amount=2_000_000, service_from=date(2025, 4, 1), service_to=date(2026, 3, 31), disability=True
    )
    assert (s.deduction, s.taxable_income) == (1_800_000, 100_000)
    assert s.income_tax == int(100_000 * Decimal("0.05") * Decimal("1.021")) == 5_105


def test_an_amount_within_the_deduction_is_not_taxed():
    s = severance(amount=3_000_000, service_from=date(2016, 4, 1), service_to=date(2026, 3, 31))
    assert (s.taxable_income, s.income_tax, s.city_tax, s.prefecture_tax, s.net) == (0, 0, 0, 0, 3_000_000)


# ------------------------------------------------------------------------------ no 申告書
def test_without_the_declaration_20_42_percent_of_the_whole_payment():
    """申告書なし: 2,000万 × 20.42% = 4,084,000 (控除なし); 1,511,111 × 20.42% = 308,568.8662 → 308,568."""
    s = severance(
        amount=20_000_000, service_from=date(2006, 4, 1), service_to=date(2026, 3, 31), declaration=False
    )
    assert s.income_tax == 4_084_000
    assert severance_income_tax(amount=1_511_111, taxable_income=0, declaration=False) == 308_568
    # the 住民税 stays on the 課税退職所得金額 (jp-rules has no other rule for it)
    assert (s.city_tax, s.prefecture_tax) == (360_000, 240_000)


# ------------------------------------------------------------------------------ steps and arguments
def test_steps_name_each_rule():
    steps = severance_steps(amount=20_000_000, service_from=date(2006, 4, 1), service_to=date(2026, 3, 31))
    labels = [s.label for s in steps]
    assert labels[:2] == ["退職手当等の収入金額", "勤続年数"]
    assert "退職所得控除額" in labels and "課税退職所得金額" in labels
    tax = next(s for s in steps if s.label.startswith("源泉徴収税額"))
    assert "788,722円" in tax.value and "102.1%" in tax.value and "201条" in tax.rule
    assert steps[-1].label == "差引支給額" and "18,611,278円" in steps[-1].value


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"officer_from": date(2000, 1, 1)}, "officer_from"),
        ({"service_to": date(2000, 1, 1)}, "service_to"),
    ],
)
def test_bad_arguments_name_their_field(kwargs, field):
    args = {"amount": 1_000_000, "service_from": date(2006, 4, 1), "service_to": date(2026, 3, 31), **kwargs}
    with pytest.raises(ValueError, match=f"^{field}: "):
        severance(**args)


def test_officer_years_cannot_exceed_the_service():
    with pytest.raises(ValueError, match="officer_years"):
        retirement_income(amount=1, years=3, officer_years=4)


def test_the_package_exports_the_rules():
    assert rules.severance is retirement.severance
    assert rules.retirement_income_deduction(years=30) == 15_000_000


@given(
    amount=st.integers(min_value=0, max_value=500_000_000),
    years=st.integers(min_value=1, max_value=50),
    officer=st.one_of(st.none(), st.integers(min_value=1, max_value=50)),
)
def test_figures_hold_together(amount, years, officer):
    officer = None if officer is None else min(officer, years)
    deduction = retirement_income_deduction(years=years)
    income = retirement_income(amount=amount, years=years, officer_years=officer)
    assert income % 1_000 == 0 and 0 <= income <= max(amount - deduction, 0)
    tax = severance_income_tax(amount=amount, taxable_income=income)
    assert 0 <= tax <= amount * Decimal("0.46")
    city, prefecture = severance_resident_tax(taxable_income=income)
    assert city % 100 == 0 and prefecture % 100 == 0 and city + prefecture <= income // 10
