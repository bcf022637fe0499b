"""Contract term dates: notice deadlines, renewed terms and term lengths (民法140条–143条)."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.legal.models import NoticeUnit
from ennoshita.legal.rules.terms import UNITS, notice_deadline, renewed_end, term_months


def test_units_are_the_model_choices():
    assert set(UNITS) == set(NoticeUnit.values)


@pytest.mark.parametrize(
    ("end_on", "period", "expected"),
    [
        (date(2027, 3, 31), 3, date(2026, 12, 31)),
        (date(2027, 3, 31), 1, date(2027, 2, 28)),
        (date(2028, 3, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 5, 31), 3, date(2027, 2, 28)),
        (date(2028, 5, 31), 3, date(2028, 2, 29)),  # leap year
        (date(2027, 4, 30), 2, date(2027, 2, 28)),
        (date(2027, 6, 30), 1, date(2027, 5, 31)),  # month end → month end, not 05-30
        (date(2027, 2, 28), 1, date(2027, 1, 31)),
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
        (date(2028, 2, 28), 12, date(2027, 2, 28)),  # not a month end in 2028: same day
        (date(2027, 2, 28), 12, date(2026, 2, 28)),
        (date(2026, 10, 14), 1, date(2026, 9, 14)),
        (date(2027, 3, 30), 1, date(2027, 2, 28)),  # 02-30 does not exist
        (date(2028, 3, 30), 1, date(2028, 2, 29)),
        (date(2027, 1, 15), 2, date(2026, 11, 15)),  # across the year
        (date(2027, 3, 31), 0, date(2027, 3, 31)),
    ],
)
def test_notice_deadline_in_months(end_on, period, expected):
    assert notice_deadline(end_on=end_on, period=period, unit="months") == expected


@pytest.mark.parametrize(
    ("end_on", "period", "expected"),
    [
        (date(2027, 3, 31), 30, date(2027, 3, 1)),
        (date(2027, 3, 31), 90, date(2026, 12, 31)),
        (date(2028, 3, 1), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 3, 1), 1, date(2027, 2, 28)),
        (date(2027, 1, 10), 10, date(2026, 12, 31)),
        (date(2027, 3, 31), 0, date(2027, 3, 31)),
    ],
)
def test_notice_deadline_in_days(end_on, period, expected):
    assert notice_deadline(end_on=end_on, period=period, unit="days") == expected


@pytest.mark.parametrize(
    "kw",
    [
        {"period": 1, "unit": "weeks"},
        {"period": 1, "unit": ""},
        {"period": -1, "unit": "months"},
        {"period": -1, "unit": "days"},
    ],
)
def test_notice_deadline_rejects(kw):
    with pytest.raises(ValueError):
        notice_deadline(end_on=date(2027, 3, 31), **kw)


@pytest.mark.parametrize(
    ("end_on", "months", "expected"),
    [
        (date(2027, 3, 31), 12, date(2028, 3, 31)),
        (date(2027, 2, 28), 12, date(2028, 2, 29)),  # into a leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # out of a leap year
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 4, 30), 1, date(2027, 5, 31)),
        (date(2027, 6, 30), 6, date(2027, 12, 31)),
        (date(2026, 10, 14), 6, date(2027, 4, 14)),
        (date(2027, 1, 30), 1, date(2027, 2, 28)),  # the new term starts 01-31: no 02-31
        (date(2028, 1, 29), 1, date(2028, 2, 29)),  # starts 01-30: no 02-30 → month end
        (date(2028, 1, 28), 1, date(2028, 2, 28)),  # starts 01-29: 02-29 exists → day before
        (date(2027, 12, 31), 3, date(2028, 3, 31)),
        (date(2027, 11, 15), 3, date(2028, 2, 15)),
    ],
)
def test_renewed_end(end_on, months, expected):
    assert renewed_end(end_on=end_on, months=months) == expected


@pytest.mark.parametrize("months", [0, -1])
def test_renewed_end_needs_at_least_a_month(months):
    with pytest.raises(ValueError):
        renewed_end(end_on=date(2027, 3, 31), months=months)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "expected"),
    [
        (date(2026, 4, 1), date(2027, 3, 31), 12),
        (date(2026, 4, 15), date(2026, 10, 14), 6),
        (date(2026, 4, 1), date(2026, 4, 30), 1),
        (date(2026, 4, 1), date(2029, 3, 31), 36),
        (date(2027, 3, 1), date(2028, 2, 29), 12),  # leap year
        (date(2028, 3, 1), date(2029, 2, 28), 12),
        (date(2027, 1, 31), date(2027, 2, 28), 1),  # no 02-31: the month's last day
        (date(2028, 1, 31), date(2028, 2, 29), 1),
        (date(2026, 10, 15), date(2027, 4, 14), 6),  # across the year
        (date(2026, 4, 1), date(2027, 3, 30), None),
        (date(2026, 4, 1), date(2027, 4, 1), None),
        (date(2026, 4, 15), date(2026, 10, 15), None),
        (date(2026, 4, 1), date(2026, 4, 29), None),
        (date(2026, 4, 1), date(2026, 4, 1), None),  # one day
        (date(2027, 3, 31), date(2026, 4, 1), None),  # ends before it starts
        (date(2028, 2, 29), date(2028, 2, 28), None),
    ],
)
def test_term_months(starts_on, ends_on, expected):
    assert term_months(starts_on=starts_on, ends_on=ends_on) == expected


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "months", "next_end"),
    [
        (date(2026, 4, 1), date(2027, 3, 31), 12, date(2028, 3, 31)),
        (date(2026, 4, 15), date(2026, 10, 14), 6, date(2027, 4, 14)),
        (date(2027, 3, 1), date(2028, 2, 29), 12, date(2029, 2, 28)),
    ],
)
def test_a_whole_month_term_renews_for_the_same_length(starts_on, ends_on, months, next_end):
    # the renewal length when the contract states none
    assert term_months(starts_on=starts_on, ends_on=ends_on) == months
    assert renewed_end(end_on=ends_on, months=months) == next_end
