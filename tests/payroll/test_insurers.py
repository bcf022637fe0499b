"""健康保険組合 (a union with its own rates and its own split, 健康保険法160条・162条): the rules worked by
hand, an independent exact-arithmetic check of every share, a salary run whose payslip and books
carry the union's figures, and a bonus at the union's rates. 協会けんぽ stays as it was."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.attendance.models import Punch
from ennoshita.attendance.rules.workday import TOKYO
from ennoshita.attendance.services import closing as closing_services
from ennoshita.core.dates import fiscal_year_of, is_holiday
from ennoshita.ledger.models import FiscalYear, JournalEntry, JournalLine
from ennoshita.payroll.models import Payslip, PayslipLine
from ennoshita.payroll.rules import bonus_social_insurance, social_insurance
from ennoshita.payroll.rules.insurance import (
    UnionRates,
    bonus_social_insurance_steps,
    dated_tables,
    social_insurance_steps,
)
from ennoshita.payroll.services import runs as run_services
from ennoshita.payroll.services.confirm import confirm_run

from ..conftest import make_employee, make_member
from .bonus_builders import bonus_run, pay, slip_of
from .bonus_builders import person as bonus_person
from .confirm_builders import TRANSFER_SETTINGS
from .factories import make_grade, make_group, make_profile, settings_of

APRIL_2026 = date(2026, 4, 1)
AGE_35 = date(1991, 4, 10)
AGE_45 = date(1981, 5, 20)
# 健保組合: 一般 90/1000 of which the insured 40; 介護 18/1000 of which the insured 9
UNION = UnionRates(
    health_rate=Decimal(90),
    health_employee_rate=Decimal(40),
    care_rate=Decimal(18),
    care_employee_rate=Decimal(9),
    name="縁の下健康保険組合",
)
UNION_SETTINGS = {
    "health_insurer": "union",
    "union_name": "縁の下健康保険組合",
    "union_health_rate": Decimal(90),
    "union_health_employee_rate": Decimal(40),
    "union_care_rate": Decimal(18),
    "union_care_employee_rate": Decimal(9),
}


def half_down(x: Fraction) -> int:
    """50銭以下切捨て・50銭超切上げ, written apart from the module (Fraction, not Decimal)."""
    whole = math.floor(x)
    return whole + 1 if x - whole > Fraction(1, 2) else whole


# ---------------------------------------------------------------------------------------------
# the rules, by hand
# ---------------------------------------------------------------------------------------------
def test_a_union_with_its_own_unequal_split():
    p = social_insurance(standard_monthly=300_000, prefecture="東京都", birth_date=AGE_35, month=APRIL_2026, insurer=UNION)  # fmt: skip
    # 300,000 × 90/1000 = 27,000; the insured 300,000 × 40/1000 = 12,000; the employer 27,000 − 12,000
    assert (p.health, p.employer_health, p.care_applies) == (12_000, 15_000, False)
    # national, whoever the insurer: 支援金 300,000 × 0.23% = 690 → 345/345; 厚年 18.3% → 27,450 each;
    # 拠出金 0.36% → 1,080
    assert (p.child_support, p.employer_child_support) == (345, 345)
    assert (p.pension, p.employer_pension, p.employer_child_contribution) == (27_450, 27_450, 1_080)


def test_a_union_member_over_40_pays_care_at_the_unions_rates_combined():
    p = social_insurance(standard_monthly=300_000, prefecture="東京都", birth_date=AGE_45, month=APRIL_2026, insurer=UNION)  # fmt: skip
    # (90 + 18)/1000 × 300,000 = 32,400; insured (40 + 9)/1000 × 300,000 = 14,700; employer 17,700
    assert (p.health, p.employer_health, p.care_applies) == (14_700, 17_700, True)


def test_the_50_sen_rule_on_the_unions_share():
    # 110,000 × 46.05/1000 = 5,065.5 → 5,065 (50銭以下切捨て); total 110,000 × 92.1/1000 = 10,131
    # → employer 10,131 − 5,065 = 5,066
    rates = UnionRates(Decimal("92.1"), Decimal("46.05"), Decimal(16), Decimal(8))
    p = social_insurance(standard_monthly=110_000, prefecture="東京都", birth_date=AGE_35, month=APRIL_2026, insurer=rates)  # fmt: skip
    assert (p.health, p.employer_health) == (5_065, 5_066)
    # 110,000 × 45.615/1000 = 5,017.65 → 5,018 (50銭超切上げ); total 110,000 × 91.23/1000 = 10,035.3
    # → 10,035 (円未満切捨て) − 5,018 = 5,017
    odd = UnionRates(Decimal("91.23"), Decimal("45.615"), Decimal(16), Decimal(8))
    q = social_insurance(standard_monthly=110_000, prefecture="東京都", birth_date=AGE_35, month=APRIL_2026, insurer=odd)  # fmt: skip
    assert (q.health, q.employer_health) == (5_018, 5_017)


def test_a_half_and_half_union_at_kyoukai_tokyos_rate_gives_kyoukais_figures():
    # 協会けんぽ 東京 R8 9.85% + 介護 1.62% = 114.7/1000, 折半 57.35
    same = UnionRates(Decimal("98.5"), Decimal("49.25"), Decimal("16.2"), Decimal("8.1"))
    for birth in (AGE_35, AGE_45):
        for standard in (110_000, 300_000, 1_390_000):
            kyoukai = social_insurance(standard_monthly=standard, prefecture="東京都", birth_date=birth, month=APRIL_2026)  # fmt: skip
            union = social_insurance(standard_monthly=standard, prefecture="東京都", birth_date=birth, month=APRIL_2026, insurer=same)  # fmt: skip
            assert union == kyoukai


def test_none_is_kyoukai_as_before():
    kwargs = {"standard_monthly": 300_000, "prefecture": "東京都", "birth_date": AGE_45, "month": APRIL_2026}
    assert social_insurance(**kwargs, insurer=None) == social_insurance(**kwargs)  # type: ignore[arg-type]
    assert social_insurance(**kwargs).health == 17_205  # 300,000 × 11.47% ÷ 2 # type: ignore[arg-type]


def test_the_prefecture_plays_no_part_for_a_union():
    a = social_insurance(standard_monthly=300_000, prefecture="東京都", birth_date=AGE_35, month=APRIL_2026, insurer=UNION)  # fmt: skip
    b = social_insurance(standard_monthly=300_000, prefecture="佐賀県", birth_date=AGE_35, month=APRIL_2026, insurer=UNION)  # fmt: skip
    assert a == b


def test_an_employee_bearing_the_whole_premium_leaves_the_employer_nothing_not_minus_one():
    # 110,000 × 91.23/1000 = 10,035.3 for the insured alone → 10,035; the employer 0
    rates = UnionRates(Decimal("91.23"), Decimal("91.23"), Decimal(16), Decimal(8))
    p = social_insurance(standard_monthly=110_000, prefecture="東京都", birth_date=AGE_35, month=APRIL_2026, insurer=rates)  # fmt: skip
    assert (p.health, p.employer_health) == (10_035, 0)
    # 58,000 × 100.993/1000 = 5,857.594: the insured's 5,858 (50銭超切上げ) is above the premium's
    # 5,857 (円未満切捨て), and the employer's share is 0, not −1
    up = UnionRates(Decimal("100.993"), Decimal("100.993"), Decimal(16), Decimal(8))
    q = social_insurance(standard_monthly=58_000, prefecture="東京都", birth_date=AGE_35, month=APRIL_2026, insurer=up)  # fmt: skip
    assert (q.health, q.employer_health) == (5_858, 0)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (UnionRates(Decimal(40), Decimal(41), Decimal(18), Decimal(9)), "健康保険料率の被保険者負担分"),
        (UnionRates(Decimal(90), Decimal(40), Decimal(9), Decimal(10)), "介護保険料率の被保険者負担分"),
        (UnionRates(Decimal(-1), Decimal(0), Decimal(18), Decimal(9)), "insurer.health_rate"),
        (UnionRates(Decimal(90), Decimal(40), Decimal("NaN"), Decimal(9)), "insurer.care_rate"),
        (UnionRates(90.0, Decimal(40), Decimal(18), Decimal(9)), "insurer.health_rate"),  # type: ignore[arg-type]
        ("組合", "insurer:"),
    ],
)
def test_bad_union_rates_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        social_insurance(standard_monthly=300_000, prefecture="東京都", birth_date=AGE_35, month=APRIL_2026, insurer=bad)  # fmt: skip
    with pytest.raises(ValueError, match=message):
        bonus_social_insurance(bonus=300_000, prefecture="東京都", birth_date=AGE_35, month=APRIL_2026, insurer=bad)  # fmt: skip


def test_a_bonus_at_the_unions_rates():
    # 標準賞与額 500,999 → 500,000: insured 500,000 × 40/1000 = 20,000; total 45,000 → employer 25,000
    p = bonus_social_insurance(bonus=500_999, prefecture="東京都", birth_date=AGE_35, month=date(2026, 7, 10), insurer=UNION)  # fmt: skip
    assert (p.standard_bonus, p.health, p.employer_health) == (500_000, 20_000, 25_000)
    assert (p.pension, p.child_support) == (45_750, 575)  # 500,000 × 18.3% ÷ 2; × 0.23% ÷ 2
    # the 573万円 of the fiscal year: 230,000 left → (40 + 9)/1000 × 230,000 = 11,270; 108/1000 → 24,840
    q = bonus_social_insurance(
        bonus=800_000,
        prefecture="東京都",
        birth_date=AGE_45,
        month=date(2026, 7, 10),
        standard_bonus_so_far_this_fiscal_year=5_500_000,
        insurer=UNION,
    )
    assert (q.health, q.employer_health, q.care_applies) == (11_270, 24_840 - 11_270, True)


def test_the_steps_show_the_unions_rates():
    steps = social_insurance_steps(standard_monthly=300_000, prefecture="東京都", birth_date=AGE_45, month=APRIL_2026, insurer=UNION)  # fmt: skip
    text = "\n".join(f"{s.label} {s.value} {s.rule}" for s in steps)
    assert "健康保険料率(縁の下健康保険組合・介護込み) 1000分の108 = 1000分の90 + 1000分の18" in text
    assert "うち被保険者負担の率 1000分の49 = 1000分の40 + 1000分の9 健康保険法162条" in text
    assert "標準報酬月額 300,000円 × 1000分の49 = 14,700円 → 14,700円 / 17,700円" in text
    assert "kyoukai" not in text  # no 協会けんぽ table is cited
    bonus = bonus_social_insurance_steps(bonus=500_999, prefecture="東京都", birth_date=AGE_35, month=date(2026, 7, 10), insurer=UNION)  # fmt: skip
    assert any(s.value == "1000分の90" for s in bonus)


# ---------------------------------------------------------------------------------------------
# every share, checked against exact arithmetic written apart from the module
# ---------------------------------------------------------------------------------------------
HEALTH_STANDARDS = [row["standard"] for row in dated_tables("health_grades")[-1].data["rows"]]
PER_MILLE = st.integers(min_value=1, max_value=200_000).map(lambda n: Decimal(n) / 1000)


@given(
    standard=st.sampled_from(HEALTH_STANDARDS),
    health=st.tuples(PER_MILLE, PER_MILLE).map(sorted),
    care=st.tuples(PER_MILLE, PER_MILLE).map(sorted),
    over_40=st.booleans(),
)
def test_employee_plus_employer_is_the_premium_and_the_employee_share_is_exact(
    standard, health, care, over_40
):
    rates = UnionRates(health[1], health[0], care[1], care[0])
    p = social_insurance(standard_monthly=standard, prefecture="東京都", birth_date=AGE_45 if over_40 else AGE_35, month=APRIL_2026, insurer=rates)  # fmt: skip
    total_rate = Fraction(health[1]) + (Fraction(care[1]) if over_40 else 0)
    employee_rate = Fraction(health[0]) + (Fraction(care[0]) if over_40 else 0)
    premium = math.floor(standard * total_rate / 1000)  # the premium, 円未満切捨て
    assert p.health == half_down(standard * employee_rate / 1000)
    assert p.employer_health >= 0
    if p.health <= premium:
        assert p.health + p.employer_health == premium
    else:  # the insured bears (nearly) all and the 50銭 rule rounded up past the truncated total
        assert p.employer_health == 0 and standard * (total_rate - employee_rate) / 1000 < Fraction(1, 2)
    # the employer's share is 標準報酬 × (total − employee rate) but for the two roundings: the
    # premium's 切捨て (0 to −1円) and the insured's 50銭 rule (−0.5 to +0.5円)
    if p.employer_health:
        gap = p.employer_health - standard * (total_rate - employee_rate) / 1000
        assert Fraction(-3, 2) < gap <= Fraction(1, 2)


# ---------------------------------------------------------------------------------------------
# a salary run and a bonus of a union company
# ---------------------------------------------------------------------------------------------
BANK = {
    "bank_code": "0005",
    "bank_branch_code": "001",
    "bank_account_type": "1",
    "bank_account_number": "1234567",
    "bank_account_holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ",
}


def _books_cover(company, *days: date) -> None:
    for day in days:
        fy = fiscal_year_of(day, start_month=company.fiscal_year_start_month)
        if not FiscalYear.objects.filter(company=company, start=fy.start).exists():
            FiscalYear.objects.create(company=company, start=fy.start, end=fy.end)


def _punch_and_close(company, hr, people, month: date) -> None:
    """Every scheduled workday 9:00–18:00 (1 hour's break), then 勤怠締め."""
    rows = []
    day = month
    while day.month == month.month:
        if day.weekday() < 5 and not is_holiday(day):
            for e in people:
                for kind, at in (("in", 9), ("break_start", 12), ("break_end", 13), ("out", 18)):
                    rows.append(
                        Punch(
                            company=company,
                            employee=e,
                            work_date=day,
                            kind=kind,
                            at=datetime.combine(day, time(at), TOKYO),
                            source="import",
                        )
                    )
        day += timedelta(days=1)
    Punch.objects.bulk_create(rows)
    closing_services.lock_months(
        company=company, actor=hr.user, membership=hr, month=month, include_unconfirmed=True
    )


@pytest.mark.django_db
def test_a_run_of_a_union_company_puts_the_union_figures_on_the_payslip_and_in_the_books(
    company, hr, department
):
    settings_of(company, **UNION_SETTINGS, **TRANSFER_SETTINGS)
    group = make_group(company)
    taro = make_employee(company, hr, department, number="0001", birth_date=AGE_35, **BANK)
    hanako = make_employee(company, hr, department, number="0002", birth_date=AGE_45, given_name="花子", **BANK)  # fmt: skip
    for e in (taro, hanako):
        make_profile(e, hr.user, group)
        make_grade(e, 300_000, effective_from=date(2025, 9, 1))
    _punch_and_close(company, hr, (taro, hanako), date(2026, 4, 1))
    _books_cover(company, date(2026, 5, 25))
    run = run_services.create_run(
        company=company, actor=hr.user, membership=hr, pay_group=group, pay_month=date(2026, 5, 1)
    )
    slips = {s.employee_number: s for s in Payslip.objects.filter(run=run)}
    a, b = slips["0001"], slips["0002"]
    # 2026年4月分 on 300,000: taro (35) 12,000 / 15,000; hanako (45) 14,700 / 17,700 (介護込み)
    assert (a.health, a.employer_health, a.care_applies) == (12_000, 15_000, False)
    assert (b.health, b.employer_health, b.care_applies) == (14_700, 17_700, True)
    for s in (a, b):
        assert (s.child_support, s.pension, s.employer_child_support, s.employer_pension) == (345, 27_450, 345, 27_450)  # fmt: skip
        assert s.inputs["health_insurer"]["name"] == "縁の下健康保険組合"
        assert s.inputs["employer_child_contribution"] == 1_080
    lines = {x.code: (x.name, x.amount) for x in PayslipLine.objects.filter(payslip=b)}
    assert lines["health"] == ("健康保険料(介護含む)", 14_700)
    # the net: 300,000 − (14,700 + 345 + 27,450 + 1,500 雇用 5/1000) − 所得税
    assert b.social_insurance_total == 14_700 + 345 + 27_450 + 1_500

    accountant = make_member(company, "keiri-union", ["accounting"])
    run = confirm_run(company=company, actor=accountant.user, membership=accountant, run=run)
    entry = JournalEntry.objects.get(pk=run.journal_entry_id)
    welfare = sum(
        int(x.debit) for x in JournalLine.objects.filter(entry=entry, account__code="6150") if x.debit
    )
    # 法定福利費 = the employer's shares + 拠出金: (15,000 + 345 + 27,450 + 1,080) + (17,700 + 345 + 27,450 + 1,080)
    assert welfare == 43_875 + 46_575


@pytest.mark.django_db
def test_a_bonus_of_a_union_company(company, hr, department):
    settings_of(company, **UNION_SETTINGS)
    bonus_person(company, hr, department, "0001", birth_date=AGE_35)
    bonus_person(company, hr, department, "0002", birth_date=AGE_45)
    run = bonus_run(company, hr, date(2026, 12, 10))
    pay(company, hr, run, {"0001": 500_999, "0002": 800_000})
    a, b = slip_of(run, "0001"), slip_of(run, "0002")
    # 500,000 × 40/1000 = 20,000, total 45,000; 800,000 × 49/1000 = 39,200, total 86,400
    assert (a.health, a.employer_health, a.standard_bonus_health) == (20_000, 25_000, 500_000)
    assert (b.health, b.employer_health, b.care_applies) == (39_200, 47_200, True)
    assert b.inputs["health_insurer"]["health_employee_rate"] == "40.000"
