"""福利厚生の規程 (pure): 勤続月数 by the calendar, the 年度 of a date, eligibility, limits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.affairs.rules import welfare as rules


@pytest.mark.parametrize(
    ("hire", "on", "months"),
    [
        (date(2024, 4, 1), date(2024, 4, 30), 0),
        (date(2024, 4, 1), date(2024, 5, 1), 1),  # 民法143条: 4/1 からの1か月は 4/30 に満了
        (date(2024, 4, 1), date(2024, 9, 30), 5),
        (date(2024, 4, 1), date(2024, 10, 1), 6),
        (date(2024, 1, 31), date(2024, 2, 28), 0),
        (date(2024, 1, 31), date(2024, 2, 29), 1),  # 応当日のない月は末日 (民法143条2項)
        (date(2023, 1, 31), date(2023, 2, 28), 1),
        (date(2024, 4, 1), date(2024, 3, 1), 0),  # before the hire date
        (date(2020, 4, 1), date(2026, 4, 1), 72),
    ],
)
def test_service_months_follow_the_calendar(hire, on, months):
    assert rules.service_months(hire_date=hire, on=on) == months


@pytest.mark.parametrize(
    ("day", "start", "year"),
    [
        (date(2027, 3, 31), 4, 2026),
        (date(2026, 4, 1), 4, 2026),
        (date(2026, 12, 31), 1, 2026),
        (date(2026, 9, 30), 10, 2025),
        (date(2026, 10, 1), 10, 2026),
    ],
)
def test_the_fiscal_year_of_a_date(day, start, year):
    assert rules.fiscal_year(day, start_month=start) == year


def test_fiscal_year_bounds():
    assert rules.fiscal_year_bounds(2026, start_month=4) == (date(2026, 4, 1), date(2027, 3, 31))
    assert rules.fiscal_year_bounds(2026, start_month=1) == (date(2026, 1, 1), date(2026, 12, 31))


def eligibility(**kw):
    args = {
        "employment_type_code": "regular",
        "eligible_codes": ["regular", "contract"],
        "hire_date": date(2024, 4, 1),
        "retire_date": None,
        "min_service_months": 6,
        "on": date(2024, 10, 1),
    }
    args.update(kw)
    return rules.eligibility_problems(**args)


def test_eligibility():
    assert eligibility() == []
    assert eligibility(eligible_codes=[]) == []  # every employment type
    assert eligibility(employment_type_code="part_time") == [
        "この制度は、あなたの雇用形態では利用できません。"
    ]
    assert eligibility(on=date(2024, 9, 30)) == ["勤続6か月以上で利用できます(利用日の勤続は5か月です)。"]
    assert eligibility(on=date(2024, 3, 31)) == ["利用日に在籍していません。"]
    assert eligibility(retire_date=date(2024, 9, 30)) == ["利用日に在籍していません。"]
    assert len(eligibility(employment_type_code="part_time", on=date(2024, 5, 1))) == 2


def test_remaining_never_goes_below_zero():
    left = rules.remaining(
        amount_limit=Decimal(100000), count_limit=2, used_amount=Decimal(30000), used_count=1
    )
    assert left == rules.Remaining(Decimal(70000), 1)
    assert rules.remaining(
        amount_limit=Decimal(100), count_limit=None, used_amount=Decimal(150), used_count=9
    ) == rules.Remaining(Decimal(0), None)
    assert rules.remaining(amount_limit=None, count_limit=None, used_amount=Decimal(5), used_count=1) == (
        rules.Remaining(None, None)
    )


def test_limit_problems():
    fits = {"amount_limit": Decimal(100000), "count_limit": 2, "used_amount": Decimal(60000), "used_count": 1}
    assert rules.limit_problems(**fits, amount=Decimal(40000)) == {}
    over = rules.limit_problems(**fits, amount=Decimal(40001))
    assert over == {
        "amount": "この年度の上限額を超えます。残りは40,000円です(上限100,000円、承認待ちの申請を含みます)。"
    }
    full = rules.limit_problems(**{**fits, "used_count": 2}, amount=Decimal(1))
    assert list(full) == ["used_on"]
    assert "2回" in full["used_on"]
    assert (
        rules.limit_problems(
            amount_limit=None, count_limit=None, used_amount=Decimal(10**9), used_count=99, amount=Decimal(1)
        )
        == {}
    )
