"""登記・機関 rules (jp-rules §15): terms (332条・336条), the 2-week 登記 deadline (915条), minutes
kept 10 years (318条・371条), the 基準日's 3 months (124条2項), 休眠会社 (472条) — cell by cell."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.legal.models import OfficerPosition
from ennoshita.legal.rules.registry import (
    AUDITOR_POSITIONS,
    DIRECTOR_POSITIONS,
    dormant_company_risk,
    filing_deadline,
    max_term_years,
    min_term_years,
    minutes_keep_until,
    next_agm_on,
    record_date_limit,
    term_end_on,
    year_end_month,
)


def test_positions_are_the_model_choices():
    assert set(DIRECTOR_POSITIONS) | set(AUDITOR_POSITIONS) == set(OfficerPosition.values)


@pytest.mark.parametrize(("start", "end"), [(4, 3), (1, 12), (10, 9), (12, 11), (2, 1)])
def test_year_end_month(start, end):
    assert year_end_month(start) == end


@pytest.mark.parametrize(
    ("elected", "years", "fy_start", "agm", "expected"),
    [
        # the worked example: FY April–March, AGM 3 months after → end of June 2026
        (date(2024, 6, 27), 2, 4, 3, date(2026, 6, 30)),
        (date(2024, 6, 27), 1, 4, 3, date(2025, 6, 30)),
        (date(2024, 6, 27), 10, 4, 3, date(2034, 6, 30)),
        (date(2024, 6, 27), 4, 4, 3, date(2028, 6, 30)),
        (date(2024, 6, 27), 2, 4, 2, date(2026, 5, 31)),  # AGM 2 months after
        # elected at an EGM after the AGM: the same year end is the last one within 2 years
        (date(2024, 8, 1), 2, 4, 3, date(2026, 6, 30)),
        # elected before the year end
        (date(2024, 3, 15), 2, 4, 3, date(2025, 6, 30)),
        # the year ends exactly on the 2-year day: it counts (elected on a year end)
        (date(2024, 3, 31), 2, 4, 3, date(2026, 6, 30)),
        (date(2024, 3, 30), 2, 4, 3, date(2025, 6, 30)),
        # fiscal year starting January (calendar year), AGM in March
        (date(2024, 3, 28), 2, 1, 3, date(2026, 3, 31)),
        (date(2024, 3, 28), 1, 1, 3, date(2025, 3, 31)),
        (date(2024, 12, 31), 2, 1, 3, date(2027, 3, 31)),  # the year ending on the 2-year day
        (date(2024, 12, 30), 2, 1, 3, date(2026, 3, 31)),
        # year end in February, leap years: 2024-02-29 elected → within 2 years = by 2026-02-28
        (date(2024, 2, 29), 2, 3, 3, date(2026, 5, 31)),
        # 2022-02-28 is a month end: 2 years later the period runs to 2024-02-29 (the year end)
        (date(2022, 2, 28), 2, 3, 3, date(2024, 5, 31)),
        (date(2022, 2, 27), 2, 3, 3, date(2023, 5, 31)),
        # year end in September, AGM in December (month end of a 31-day month)
        (date(2025, 12, 20), 2, 10, 3, date(2027, 12, 31)),
    ],
)
def test_term_end_on(elected, years, fy_start, agm, expected):
    assert (
        term_end_on(
            elected_on=elected,
            term_years=years,
            fiscal_year_start_month=fy_start,
            agm_months_after_year_end=agm,
        )
        == expected
    )


def test_term_end_refuses_impossible_input():
    with pytest.raises(ValueError):
        term_end_on(
            elected_on=date(2024, 6, 1), term_years=11, fiscal_year_start_month=4, agm_months_after_year_end=3
        )
    with pytest.raises(ValueError):
        term_end_on(
            elected_on=date(2024, 6, 1), term_years=2, fiscal_year_start_month=13, agm_months_after_year_end=3
        )


@pytest.mark.parametrize(
    ("today", "fy_start", "agm", "expected"),
    [
        (date(2026, 12, 4), 4, 3, date(2027, 6, 30)),
        (date(2026, 6, 30), 4, 3, date(2026, 6, 30)),
        (date(2026, 7, 1), 4, 3, date(2027, 6, 30)),
        (date(2026, 2, 1), 1, 3, date(2026, 3, 31)),
        (date(2026, 4, 1), 1, 3, date(2027, 3, 31)),
    ],
)
def test_next_agm_on(today, fy_start, agm, expected):
    assert (
        next_agm_on(today=today, fiscal_year_start_month=fy_start, agm_months_after_year_end=agm) == expected
    )


@pytest.mark.parametrize(
    ("position", "public", "expected"),
    [
        ("director", True, 2),
        ("director", False, 10),
        ("representative_director", True, 2),
        ("outside_director", False, 10),
        ("accounting_advisor", True, 2),  # 334条1項 applies 332条
        ("accounting_advisor", False, 10),
        ("auditor", True, 4),
        ("auditor", False, 10),
        ("outside_auditor", True, 4),
    ],
)
def test_max_term_years(position, public, expected):
    assert max_term_years(position=position, is_public_company=public) == expected


def test_min_term_years_auditors_cannot_be_shortened():
    assert min_term_years(position="director") == 1
    assert min_term_years(position="auditor") == 4
    with pytest.raises(ValueError):
        max_term_years(position="chair", is_public_company=False)


@pytest.mark.parametrize(
    ("effective", "deadline"),
    [
        (date(2026, 6, 26), date(2026, 7, 10)),  # 初日不算入: +14 days
        (date(2026, 12, 25), date(2027, 1, 8)),  # across the year
        (date(2028, 2, 20), date(2028, 3, 5)),  # leap February
        (date(2027, 2, 20), date(2027, 3, 6)),
        (date(2026, 1, 31), date(2026, 2, 14)),
    ],
)
def test_filing_deadline(effective, deadline):
    assert filing_deadline(effective_on=effective) == deadline


@pytest.mark.parametrize(
    ("held", "until"),
    [
        (date(2026, 6, 26), date(2036, 6, 26)),
        (date(2028, 2, 29), date(2038, 2, 28)),  # 2/29 → 2/28
        (date(2026, 2, 28), date(2036, 2, 29)),  # a month's last day → that month's last day
        (date(2025, 12, 31), date(2035, 12, 31)),
        (date(2026, 4, 30), date(2036, 4, 30)),
    ],
)
def test_minutes_keep_until(held, until):
    assert minutes_keep_until(held_on=held) == until


@pytest.mark.parametrize(
    ("record", "limit"),
    [
        (date(2026, 3, 31), date(2026, 6, 30)),  # the usual year-end 基準日
        (date(2026, 12, 31), date(2027, 3, 31)),
        (date(2026, 9, 30), date(2026, 12, 31)),  # month end → month end
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2027, 11, 30), date(2028, 2, 29)),  # leap year
        (date(2026, 2, 28), date(2026, 5, 31)),
        (date(2026, 3, 15), date(2026, 6, 15)),
        (date(2026, 11, 29), date(2027, 2, 28)),  # 2/29 missing → the month's last day
        (date(2026, 1, 31), date(2026, 4, 30)),
    ],
)
def test_record_date_limit(record, limit):
    assert record_date_limit(record_date=record) == limit


def test_dormant_company_risk():
    risk = dormant_company_risk(last_registered_on=date(2014, 10, 1), today=date(2026, 9, 30))
    assert risk.reaches_on == date(2026, 10, 1) and not risk.at_risk and risk.days_left == 1
    risk = dormant_company_risk(last_registered_on=date(2014, 10, 1), today=date(2026, 10, 1))
    assert not risk.at_risk and risk.days_left == 0  # the 12 years' last day: not yet 「経過」
    risk = dormant_company_risk(last_registered_on=date(2014, 10, 1), today=date(2026, 10, 2))
    assert risk.at_risk and risk.days_left == -1
    # from a month's last day to a month's last day
    risk = dormant_company_risk(last_registered_on=date(2016, 2, 29), today=date(2028, 2, 29))
    assert risk.reaches_on == date(2028, 2, 29) and not risk.at_risk
