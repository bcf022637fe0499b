"""定時決定 and 随時改定 (payroll.rules.revision), worked by hand against jp-rules §2.2's grade table
(健康保険 grade: 報酬月額 以上 … 未満 → 標準報酬月額)."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.payroll.rules import Grade
from ennoshita.payroll.rules.revision import (
    EXCLUDED_ACQUIRED,
    EXCLUDED_INTERIM,
    EXCLUDED_NOT_INSURED,
    MonthPay,
    annual_determination,
    annual_exclusion,
    fixed_pay_change,
    interim_revision,
)


def pay(
    month: int, remuneration: int, days: int = 20, key: str = "A", fixed: int = 300_000, year: int = 2026
):
    return MonthPay(
        month=date(year, month, 1),
        remuneration=remuneration,
        base_days=days,
        fixed_pay_key=key,
        fixed_pay=fixed,
    )


# --- 定時決定 -------------------------------------------------------------------------------------


def test_annual_three_month_average():
    # 300,000 + 310,000 + 321,000 = 931,000; ÷ 3 = 310,333.33… → 310,333 (円未満切捨て)
    # 310,000 ≤ 310,333 < 330,000 → 健保23級 320,000, 厚年20級 320,000; from 2026-09-01.
    months = [pay(3, 999_999), pay(4, 300_000), pay(5, 310_000), pay(6, 321_000), pay(7, 999_999)]
    d = annual_determination(months=months, year=2026)
    assert d is not None
    assert [m.month.month for m in d.months] == [4, 5, 6] and len(d.counted) == 3
    assert (d.total, d.average, d.min_base_days) == (931_000, 310_333, 17)
    assert d.grade == Grade(
        health_grade=23, health_standard=320_000, pension_grade=20, pension_standard=320_000
    )
    assert d.applies_from == date(2026, 9, 1)


def test_annual_leaves_out_a_month_under_17_days():
    # May has 16 days: left out. (300,000 + 311,001) ÷ 2 = 305,500.5 → 305,500
    # 290,000 ≤ 305,500 < 310,000 → 健保22級 300,000, 厚年19級.
    months = [pay(4, 300_000, days=20), pay(5, 500_000, days=16), pay(6, 311_001, days=17)]
    d = annual_determination(months=months, year=2026)
    assert d is not None
    assert [m.month.month for m in d.counted] == [4, 6]
    assert (d.total, d.average) == (611_001, 305_500)
    assert (d.grade.health_grade, d.grade.health_standard, d.grade.pension_grade) == (22, 300_000, 19)


def test_annual_part_time_counts_15_days_when_none_reach_17():
    # 16, 15, 14 days: none reaches 17. A part-timer: April and May (≥ 15) count:
    # (100,000 + 110,000) ÷ 2 = 105,000; 101,000 ≤ 105,000 < 107,000 → 健保6級 104,000, 厚年3級.
    months = [pay(4, 100_000, days=16), pay(5, 110_000, days=15), pay(6, 120_000, days=14)]
    d = annual_determination(months=months, year=2026, part_time=True)
    assert d is not None
    assert (d.min_base_days, d.average, d.grade.health_grade, d.grade.pension_grade) == (15, 105_000, 6, 3)
    # Not a part-timer: no month counts.
    assert annual_determination(months=months, year=2026) is None


def test_annual_part_time_still_uses_17_when_one_month_reaches_it():
    # June has 17 days, so only June counts (the 15-day rule is for when none reaches 17).
    months = [pay(4, 100_000, days=16), pay(5, 110_000, days=15), pay(6, 120_000, days=17)]
    d = annual_determination(months=months, year=2026, part_time=True)
    assert d is not None and (d.min_base_days, d.average) == (17, 120_000)


def test_annual_none_when_no_month_counts():
    assert (
        annual_determination(months=[pay(4, 300_000, days=10), pay(5, 300_000, days=16)], year=2026) is None
    )
    assert annual_determination(months=[pay(7, 300_000)], year=2026) is None
    assert annual_determination(months=[], year=2026) is None


def test_annual_refuses_the_same_month_twice():
    with pytest.raises(ValueError):
        annual_determination(months=[pay(4, 1), pay(4, 2)], year=2026)


# --- 随時改定 -------------------------------------------------------------------------------------


def raised(
    current_rem: tuple[int, int, int],
    *,
    fixed_after: int = 320_000,
    days: tuple[int, int, int] = (20, 20, 20),
):
    """Fixed pay 300,000 (key A) in February and March, from April key B at ``fixed_after``."""
    return [
        pay(2, 300_000),
        pay(3, 300_000),
        pay(4, current_rem[0], days=days[0], key="B", fixed=fixed_after),
        pay(5, current_rem[1], days=days[1], key="B", fixed=fixed_after),
        pay(6, current_rem[2], days=days[2], key="B", fixed=fixed_after),
    ]


def test_interim_two_grade_rise_is_a_revision():
    # Fixed pay 300,000 → 320,000 in April. April–June 330,000 + 335,000 + 340,000 = 1,005,000;
    # ÷ 3 = 335,000; 330,000 ≤ 335,000 < 350,000 → 健保24級 340,000. Current 22級: +2 → revision
    # from the fourth month, 2026-07.
    r = interim_revision(months=raised((330_000, 335_000, 340_000)), current_health_grade=22)
    assert r is not None
    assert r.changed_month == date(2026, 4, 1) and [m.month.month for m in r.months] == [4, 5, 6]
    assert (r.total, r.average, r.grade.health_grade, r.grade.health_standard) == (
        1_005_000,
        335_000,
        24,
        340_000,
    )
    assert (r.grade.pension_grade, r.current_health_grade, r.grade_change) == (21, 22, 2)
    assert r.fixed_pay_change == 20_000 and r.applies_from == date(2026, 7, 1)


def test_interim_average_is_truncated():
    # 333,333 + 333,334 + 333,334 = 1,000,001; ÷ 3 = 333,333.67 → 333,333 → 健保24級.
    r = interim_revision(months=raised((333_333, 333_334, 333_334)), current_health_grade=21)
    assert r is not None and (r.average, r.grade.health_grade, r.grade_change) == (333_333, 24, 3)


def test_interim_one_grade_rise_is_none():
    # Same 335,000 → 24級; current 23級: only +1.
    assert interim_revision(months=raised((330_000, 335_000, 340_000)), current_health_grade=23) is None


def test_interim_direction_mismatch_is_none():
    # Fixed pay falls 300,000 → 280,000 (commute cut) but overtime lifts the pay to 335,000 (24級),
    # 2 grades above the current 22級: a rise against a fall of fixed pay is no 随時改定.
    months = raised((330_000, 335_000, 340_000), fixed_after=280_000)
    assert interim_revision(months=months, current_health_grade=22) is None


def test_interim_two_grade_fall_with_a_pay_cut_is_a_revision():
    # Fixed pay 300,000 → 260,000: 260,000 × 3 ÷ 3 = 260,000 → 健保20級 (250,000–270,000); current 22級: −2.
    r = interim_revision(
        months=raised((260_000, 260_000, 260_000), fixed_after=260_000), current_health_grade=22
    )
    assert r is not None and (r.grade.health_grade, r.grade_change, r.fixed_pay_change) == (20, -2, -40_000)


def test_interim_needs_17_days_in_each_of_the_three_months():
    # May has 16 days: no 随時改定 from the April change.
    months = raised((330_000, 335_000, 340_000), days=(20, 16, 20))
    assert interim_revision(months=months, current_health_grade=20) is None


def test_interim_needs_all_three_months_and_a_change():
    months = raised((330_000, 335_000, 340_000))[:-1]  # June not paid yet
    assert interim_revision(months=months, current_health_grade=20) is None
    assert interim_revision(months=[pay(m, 400_000) for m in (1, 2, 3, 4)], current_health_grade=20) is None
    assert fixed_pay_change(raised((1, 1, 1))) == date(2026, 4, 1)


def test_interim_change_needs_the_month_before():
    # A gap (no March) is not a change: April is compared with nothing.
    months = [pay(2, 300_000), *raised((330_000, 335_000, 340_000))[2:]]
    assert fixed_pay_change(months) is None


# --- 随時改定 at the ends of the table (上限・下限の特例: a 1-grade change counts) -------------------


def test_interim_bottom_rise_from_a_first_grade_under_53000_is_a_revision():
    # 1級 58,000 decided on 50,000 (< 53,000): a rise to 65,000 × 3 → 2級 68,000 (63,000–73,000).
    # 1 grade on the table, 2 counting "under 53,000" as the grade below 1級 → revision from July.
    months = raised((65_000, 65_000, 65_000))
    r = interim_revision(months=months, current_health_grade=1, current_remuneration=50_000)
    assert r is not None and r.special_case
    assert (r.grade.health_grade, r.grade.health_standard, r.grade_change) == (2, 68_000, 1)
    assert (r.grade.pension_grade, r.grade.pension_standard) == (1, 88_000)
    assert r.applies_from == date(2026, 7, 1)
    # Decided on 55,000 (53,000 or more): only 1 grade → none; unknown 報酬月額 → none.
    assert interim_revision(months=months, current_health_grade=1, current_remuneration=55_000) is None
    assert interim_revision(months=months, current_health_grade=1) is None


def test_interim_bottom_fall_to_under_53000_is_a_revision():
    # 2級 68,000 → a cut to 50,000 × 3: 1級 (under 63,000) and under 53,000 → −2 counted → revision.
    cut = raised((50_000, 50_000, 50_000), fixed_after=260_000)
    r = interim_revision(months=cut, current_health_grade=2, current_remuneration=68_000)
    assert r is not None and r.special_case and (r.grade.health_grade, r.grade_change) == (1, -1)
    # 55,000: 1級 but not under 53,000 → −1 → none.
    cut = raised((55_000, 55_000, 55_000), fixed_after=260_000)
    assert interim_revision(months=cut, current_health_grade=2, current_remuneration=68_000) is None


def test_interim_top_rise_to_1415000_or_more_is_a_revision():
    # 49級 1,330,000 → 1,420,000 × 3: 50級 1,390,000 (1,355,000 or more) and ≥ 1,415,000 → +2 counted.
    months = raised((1_420_000, 1_420_000, 1_420_000))
    r = interim_revision(months=months, current_health_grade=49, current_remuneration=1_330_000)
    assert r is not None and r.special_case
    assert (r.grade.health_grade, r.grade.health_standard, r.grade.pension_grade) == (50, 1_390_000, 32)
    # 1,400,000: 50級 but under 1,415,000 → +1 → none.
    months = raised((1_400_000, 1_400_000, 1_400_000))
    assert interim_revision(months=months, current_health_grade=49, current_remuneration=1_330_000) is None


def test_interim_top_fall_from_1415000_or_more_is_a_revision():
    # 50級 decided on 1,450,000 (≥ 1,415,000) → a cut to 1,300,000 × 3: 49級 (1,295,000–1,355,000).
    cut = raised((1_300_000, 1_300_000, 1_300_000), fixed_after=260_000)
    r = interim_revision(months=cut, current_health_grade=50, current_remuneration=1_450_000)
    assert (
        r is not None
        and r.special_case
        and (r.grade.health_grade, r.grade.health_standard) == (49, 1_330_000)
    )
    # Decided on 1,400,000: −1 → none.
    assert interim_revision(months=cut, current_health_grade=50, current_remuneration=1_400_000) is None


def test_interim_mid_table_is_unchanged_by_the_special_case():
    # 22級 → 24級 stays a plain 2-grade revision, not a special case.
    r = interim_revision(
        months=raised((330_000, 335_000, 340_000)), current_health_grade=22, current_remuneration=300_000
    )
    assert r is not None and not r.special_case and r.grade_change == 2


# --- who gets no 定時決定 (健康保険法41条3項) ------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, None),
        ({"acquired_on": date(2026, 5, 31)}, None),
        ({"acquired_on": date(2026, 6, 1)}, EXCLUDED_ACQUIRED),
        ({"acquired_on": date(2026, 7, 1)}, EXCLUDED_ACQUIRED),
        ({"acquired_on": date(2026, 7, 2)}, EXCLUDED_NOT_INSURED),
        ({"lost_on": date(2026, 7, 1)}, EXCLUDED_NOT_INSURED),  # left on 30 June
        ({"lost_on": date(2026, 7, 2)}, None),  # left on 1 July: insured that day
        ({"insured": False}, EXCLUDED_NOT_INSURED),
        ({"interim_applies": [date(2026, 7, 1)]}, EXCLUDED_INTERIM),
        ({"interim_applies": [date(2026, 9, 1)]}, EXCLUDED_INTERIM),
        ({"interim_applies": [date(2026, 6, 1), date(2026, 10, 1)]}, None),
        ({"interim_applies": [date(2025, 8, 1)]}, None),
    ],
)
def test_annual_exclusion(kwargs, expected):
    assert annual_exclusion(year=2026, **kwargs) == expected
