"""労働保険 年度更新 — the rules (payroll/rules/labour_insurance.py), figures worked by hand:
千円未満切捨て of the 賃金総額 (徴収法15条1項1号), 1円未満切捨て of the premium, 一般拠出金 0.02/1000,
the 50 %–200 % estimate rule (施行規則24条1項), 延納 (施行規則27条) with the remainder in the first
installment and due dates moved off closed days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.payroll.rules import labour_insurance as li


# ------------------------------------------------------------------------------ 賃金総額 and premiums
def test_the_wage_total_drops_amounts_under_1000_yen():
    assert li.wage_base(36_000_500) == 36_000_000
    assert li.wage_base(36_000_999) == 36_000_000
    assert li.wage_base(36_001_000) == 36_001_000
    assert li.wage_base(999) == 0


def test_the_issue_example_at_fy2026_rates():
    # 36,000,500円 → 36,000,000; 労災 3/1000 → 108,000; 雇用 13.5/1000 (令和8年度 一般) → 486,000;
    # 一般拠出金 36,000,000 × 0.02/1000 = 720
    rate = li.employment_rate(year=2026)
    p = li.labour_premiums(
        workers_comp_wages=36_000_500,
        employment_wages=36_000_500,
        workers_comp_rate=Decimal(3),
        employment_rate=rate.total,
    )
    assert (p.workers_comp_base, p.employment_base) == (36_000_000, 36_000_000)
    assert (p.workers_comp, p.employment, p.total) == (108_000, 486_000, 594_000)
    assert li.general_contribution(workers_comp_wages=36_000_500) == 720


def test_separate_bases_are_figured_separately():
    # 労災 on everyone's wages, 雇用 on the insured's only
    p = li.labour_premiums(
        workers_comp_wages=36_000_500,
        employment_wages=30_000_999,
        workers_comp_rate="3",
        employment_rate="13.5",
    )
    assert not p.combined
    assert (p.workers_comp, p.employment, p.total) == (108_000, 405_000, 513_000)


def test_the_premium_drops_amounts_under_one_yen():
    # 10,129,569 → 10,129,000 × 18.5/1000 = 187,386.5 → 187,386 (1円未満切捨て)
    p = li.labour_premiums(
        workers_comp_wages=10_129_569,
        employment_wages=10_129_569,
        workers_comp_rate="3",
        employment_rate="15.5",
    )
    assert p.total == 187_386
    # 一般拠出金 10,129,000 × 0.02/1000 = 202.58 → 202
    assert li.general_contribution(workers_comp_wages=10_129_569) == 202


def test_one_base_is_figured_at_the_combined_rate_and_the_yen_goes_to_workers_comp():
    # 18,291,000円, 労災 3.5, 雇用 15.5: apart 64,018.5 → 64,018 and 283,510.5 → 283,510 = 347,528;
    # together 18,291,000 × 19/1000 = 347,529 → the 1円 goes on the 労災 part
    p = li.labour_premiums(
        workers_comp_wages=18_291_000,
        employment_wages=18_291_000,
        workers_comp_rate="3.5",
        employment_rate="15.5",
    )
    assert p.combined
    assert (p.workers_comp, p.employment, p.total) == (64_019, 283_510, 347_529)


def test_bad_amounts_are_refused():
    with pytest.raises(ValueError, match="wages"):
        li.wage_base(-1)
    with pytest.raises(ValueError, match="workers_comp_rate"):
        li.labour_premiums(
            workers_comp_wages=1, employment_wages=1, workers_comp_rate="-1", employment_rate="1"
        )


# ------------------------------------------------------------------------------ rates
def test_employment_rates_by_year_from_the_existing_data():
    r08 = li.employment_rate(year=2026)
    assert (r08.worker, r08.employer, r08.total) == (Decimal(5), Decimal("8.5"), Decimal("13.5"))
    assert "insurance_employment_r08.json" in r08.source
    assert li.employment_rate(year=2025).total == Decimal("14.5")
    assert li.employment_rate(year=2025, business="建設").total == Decimal("17.5")
    assert li.employment_rate(year=2026, business="農林水産・清酒製造").total == Decimal("15.5")
    assert li.employment_rate(year=2026, business="建設").total == Decimal("16.5")


def test_a_year_without_rates_is_refused_by_name():
    with pytest.raises(ValueError, match="令和9年度"):
        li.employment_rate(year=2027)
    with pytest.raises(ValueError, match="business"):
        li.employment_rate(year=2026, business="その他")


def test_the_workers_comp_table_has_the_common_industries():
    rates = {row.name: row.rate for row in li.workers_comp_industries()}
    assert len(rates) == 53
    assert rates["その他の各種事業"] == Decimal(3)
    assert rates["建築事業（既設建築物設備工事業を除く。）"] == Decimal("9.5")
    assert rates["食料品製造業"] == Decimal("5.5")
    assert rates["電気機械器具製造業"] == Decimal(3)
    assert rates["ビルメンテナンス業"] == Decimal(6)
    assert rates["卸売業・小売業、飲食店又は宿泊業"] == Decimal(3)
    assert rates["金融業、保険業又は不動産業"] == Decimal("2.5")
    assert max(rates.values()) == Decimal(88)


@pytest.mark.parametrize("bad", ["0", "-1", "200.01", "3.125", "abc"])
def test_a_workers_comp_rate_out_of_range_is_refused(bad):
    with pytest.raises(ValueError, match="workers_comp_rate"):
        li.check_workers_comp_rate(bad)


def test_a_workers_comp_rate_in_range_is_kept():
    assert li.check_workers_comp_rate("9.5") == Decimal("9.5")
    assert li.check_workers_comp_rate(200) == Decimal(200)


# ------------------------------------------------------------------------------ 概算: 50 % – 200 %
def test_an_estimate_within_half_to_double_uses_last_years_wages():
    for estimate in (5_000_000, 8_000_000, 20_000_000, 20_000_999):
        e = li.estimate_base(last_year_wages=10_000_000, estimate=estimate)
        assert (e.base, e.uses_estimate) == (10_000_000, False), estimate


def test_an_estimate_under_half_or_over_double_is_used():
    low = li.estimate_base(last_year_wages=10_000_000, estimate=4_999_999)
    assert (low.base, low.uses_estimate) == (4_999_000, True)  # 千円未満切捨て, then below 50 %
    high = li.estimate_base(last_year_wages=10_000_000, estimate=20_001_000)
    assert (high.base, high.uses_estimate) == (20_001_000, True)
    assert "施行規則24条1項" in high.reason


def test_no_estimate_means_last_years_wages_and_no_last_year_means_the_estimate():
    assert li.estimate_base(last_year_wages=12_345_678).base == 12_345_000
    first = li.estimate_base(last_year_wages=0, estimate=3_000_500)
    assert (first.base, first.uses_estimate) == (3_000_000, True)


# ------------------------------------------------------------------------------ 延納 and due dates
def test_installments_are_a_third_each_with_the_remainder_first():
    assert li.split_estimate(1_000_000) == [333_334, 333_333, 333_333]
    assert li.split_estimate(1_000_001) == [333_335, 333_333, 333_333]
    assert li.split_estimate(999_999) == [333_333, 333_333, 333_333]
    assert sum(li.split_estimate(1_234_567)) == 1_234_567


def test_who_may_pay_in_installments():
    assert li.installments_allowed(estimated_premium=400_000, single_insurance=False, association=False)
    assert not li.installments_allowed(estimated_premium=399_999, single_insurance=False, association=False)
    assert li.installments_allowed(estimated_premium=200_000, single_insurance=True, association=False)
    assert not li.installments_allowed(estimated_premium=199_999, single_insurance=True, association=False)
    assert li.installments_allowed(estimated_premium=10_000, single_insurance=False, association=True)


def test_due_dates_move_off_weekends_and_holidays():
    assert li.due_date(date(2026, 7, 10)) == date(2026, 7, 10)  # a Friday
    assert li.due_date(date(2026, 10, 31)) == date(2026, 11, 2)  # Saturday → Monday
    assert li.due_date(date(2027, 1, 31)) == date(2027, 2, 1)  # Sunday → Monday
    # 9-21 敬老の日, 9-22 休日, 9-23 秋分の日 (2026)
    assert li.due_date(date(2026, 9, 21)) == date(2026, 9, 24)
    assert li.due_date(date(2026, 12, 29)) == date(2027, 1, 4)  # 年末年始 (行政機関の休日)


def test_three_installments_with_their_due_dates_and_the_shortfall_first():
    s = li.settle(
        year=2026,
        confirmed_premium=600_000,
        paid_estimate=500_000,
        estimated_premium=1_000_000,
        general_contribution=720,
    )
    assert s.split and s.shortfall == 100_000 and s.surplus == 0 and s.refund == 0
    assert [(i.due, i.payable) for i in s.installments] == [
        (date(2026, 7, 10), 333_334 + 100_000 + 720),
        (date(2026, 11, 2), 333_333),
        (date(2027, 2, 1), 333_333),
    ]
    assert [i.scheduled for i in s.installments] == [date(2026, 7, 10), date(2026, 10, 31), date(2027, 1, 31)]
    assert s.total_payable == 1_000_000 + 100_000 + 720


def test_the_association_dates():
    s = li.settle(
        year=2026,
        confirmed_premium=0,
        paid_estimate=0,
        estimated_premium=30_000,
        general_contribution=0,
        association=True,
    )
    # 11-14 (土) → 11-16; 2027-02-14 (日) → 02-15
    assert [i.due for i in s.installments] == [date(2026, 7, 10), date(2026, 11, 16), date(2027, 2, 15)]
    assert [i.estimate for i in s.installments] == [10_000, 10_000, 10_000]
    # 2027: 7-10 is a Saturday
    assert li.settle(
        year=2027, confirmed_premium=0, paid_estimate=0, estimated_premium=30_000, general_contribution=0
    ).installments[0].due == date(2027, 7, 12)


def test_a_small_estimate_is_paid_at_once_and_cannot_be_split():
    s = li.settle(
        year=2026,
        confirmed_premium=71_250,
        paid_estimate=71_250,
        estimated_premium=399_999,
        general_contribution=106,
    )
    assert not s.split
    assert [(i.number, i.due, i.payable) for i in s.installments] == [(1, date(2026, 7, 10), 399_999 + 106)]
    with pytest.raises(ValueError, match="延納できません"):
        li.settle(
            year=2026,
            confirmed_premium=0,
            paid_estimate=0,
            estimated_premium=399_999,
            general_contribution=0,
            split=True,
        )


def test_a_company_may_choose_to_pay_at_once():
    s = li.settle(
        year=2026,
        confirmed_premium=0,
        paid_estimate=0,
        estimated_premium=900_000,
        general_contribution=0,
        split=False,
    )
    assert [i.payable for i in s.installments] == [900_000]


def test_a_surplus_is_credited_to_the_new_estimate_then_the_contribution_then_refunded():
    s = li.settle(
        year=2026,
        confirmed_premium=500_000,
        paid_estimate=600_000,
        estimated_premium=900_000,
        general_contribution=700,
    )
    assert s.surplus == 100_000
    assert [i.payable for i in s.installments] == [300_000 - 100_000 + 700, 300_000, 300_000]
    big = li.settle(
        year=2026,
        confirmed_premium=100_000,
        paid_estimate=1_000_000,
        estimated_premium=450_000,
        general_contribution=700,
    )
    assert [i.credited for i in big.installments] == [150_000, 150_000, 150_000]
    assert big.installments[0].contribution_credited == 700
    assert [i.payable for i in big.installments] == [0, 0, 0]
    assert big.refund == 900_000 - 450_000 - 700
