"""電子帳簿保存法: the retention period runs 7 (or 10) years from the day after the filing deadline,
which is two months after the end of the fiscal year the transaction falls in (jp-rules.md §7)."""

from datetime import date

import pytest

from ennoshita.documents.rules import retention_until


@pytest.mark.parametrize(
    ("day", "start_month", "years", "expected"),
    [
        (date(2026, 6, 10), 4, 7, date(2034, 5, 31)),  # 2026年度 (Apr–Mar) → filed by 2027-05-31
        (date(2026, 3, 31), 4, 7, date(2033, 5, 31)),  # the last day of 2025年度
        (date(2026, 4, 1), 4, 7, date(2034, 5, 31)),  # the first day of 2026年度
        (date(2026, 6, 10), 1, 7, date(2034, 2, 28)),  # calendar year → filed by 2027-02-28
        (date(2027, 6, 10), 1, 7, date(2035, 2, 28)),
        (date(2031, 6, 10), 1, 7, date(2039, 2, 28)),
        (date(2026, 6, 10), 4, 10, date(2037, 5, 31)),  # 欠損金の年度: 10 years
        (date(2026, 3, 31), 10, 7, date(2033, 11, 30)),  # 期首10月: 2025年度 ends 2026-09-30
        (date(2025, 12, 15), 3, 7, date(2033, 4, 30)),  # 期首3月: year ends 2026-02-28, filed by 04-30
    ],
)
def test_retention_until(day, start_month, years, expected):
    assert retention_until(transaction_date=day, fiscal_year_start_month=start_month, years=years) == expected


def test_a_leap_february_deadline_stays_a_month_end():
    # 期首1月, year 2027 ends 2027-12-31, filed by 2028-02-29 (a leap year) → kept to 2035-02-28
    assert retention_until(transaction_date=date(2027, 5, 1), fiscal_year_start_month=1) == date(2035, 2, 28)


def test_the_filing_extension_can_be_applied():
    assert retention_until(
        transaction_date=date(2026, 6, 10), fiscal_year_start_month=4, filing_months=3
    ) == date(2034, 6, 30)


def test_years_must_be_positive():
    with pytest.raises(ValueError):
        retention_until(transaction_date=date(2026, 6, 10), fiscal_year_start_month=4, years=0)
