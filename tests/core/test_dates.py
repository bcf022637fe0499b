from datetime import date

import pytest

from ennoshita.core.dates import (
    fiscal_year_of,
    is_business_day,
    is_holiday,
    next_business_day,
    parse_date_flexible,
    parse_wareki,
    to_wareki,
)

# 内閣府「国民の祝日」2026–2027, as quoted in shared/jp-rules.md §11 (休日 = 振替休日・国民の休日).
CABINET_OFFICE_2026_2027 = [
    "2026-01-01",
    "2026-01-12",
    "2026-02-11",
    "2026-02-23",
    "2026-03-20",
    "2026-04-29",
    "2026-05-03",
    "2026-05-04",
    "2026-05-05",
    "2026-05-06",
    "2026-07-20",
    "2026-08-11",
    "2026-09-21",
    "2026-09-22",
    "2026-09-23",
    "2026-10-12",
    "2026-11-03",
    "2026-11-23",
    "2027-01-01",
    "2027-01-11",
    "2027-02-11",
    "2027-02-23",
    "2027-03-21",
    "2027-03-22",
    "2027-04-29",
    "2027-05-03",
    "2027-05-04",
    "2027-05-05",
    "2027-07-19",
    "2027-08-11",
    "2027-09-20",
    "2027-09-23",
    "2027-10-11",
    "2027-11-03",
    "2027-11-23",
]


def test_holidays_match_the_cabinet_office_list_exactly():
    from ennoshita.core.dates import holidays_between

    found = [d.isoformat() for d, _ in holidays_between(date(2026, 1, 1), date(2027, 12, 31))]
    assert found == CABINET_OFFICE_2026_2027


def test_substitute_and_citizens_holidays():
    assert is_holiday(date(2026, 5, 6))  # 振替休日 (5/3 is a Sunday)
    assert is_holiday(date(2026, 9, 22))  # 国民の休日 between 敬老の日 and 秋分の日
    assert not is_holiday(date(2026, 9, 24))


def test_business_days_skip_weekends_and_holidays():
    assert not is_business_day(date(2026, 5, 2))  # Saturday
    assert next_business_day(date(2026, 5, 2)) == date(2026, 5, 7)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 4, 1), "令和7年4月1日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(2026, 11, 24), "令和8年11月24日"),
    ],
)
def test_wareki_round_trip(day, text):
    assert to_wareki(day) == text
    assert parse_wareki(text) == day


@pytest.mark.parametrize("text", ["R7.4.1", "Ｒ７．４．１", "令和７年４月１日", "r7/4/1"])
def test_wareki_input_forms(text):
    assert parse_wareki(text) == date(2025, 4, 1)


@pytest.mark.parametrize("text", ["平成32年1月1日", "令和1年4月30日", "令和8年13月1日", "きのう"])
def test_wareki_rejects_dates_outside_the_era(text):
    with pytest.raises(ValueError):
        parse_wareki(text)


def test_flexible_dates():
    assert parse_date_flexible("2025/4/1") == date(2025, 4, 1)
    assert parse_date_flexible("２０２５年４月１日") == date(2025, 4, 1)
    assert parse_date_flexible("R7.4.1") == date(2025, 4, 1)


def test_fiscal_year_by_start_month():
    fy = fiscal_year_of(date(2027, 3, 31), start_month=4)
    assert (fy.year, fy.start, fy.end) == (2026, date(2026, 4, 1), date(2027, 3, 31))
    assert fiscal_year_of(date(2026, 4, 1), start_month=4).year == 2026
    assert fiscal_year_of(date(2026, 12, 31), start_month=1).end == date(2026, 12, 31)
    assert date(2027, 2, 28) in fiscal_year_of(date(2026, 10, 1), start_month=10)
