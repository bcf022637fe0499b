"""支払条件 → 支払期日 (rules.due_date_for): 締め日, 月末, 翌月・翌々月, February and leap years."""

from __future__ import annotations

from datetime import date

import pytest

from ennoshita.purchasing.rules import check_terms, due_date_for, terms_label


def due(day, closing, offset, pay):
    return due_date_for(bill_date=day, closing_day=closing, payment_month_offset=offset, payment_day=pay)


@pytest.mark.parametrize(
    ("bill_date", "terms", "expected"),
    [
        # 月末締め翌月末払い
        (date(2026, 1, 15), (31, 1, 31), date(2026, 2, 28)),
        (date(2026, 1, 31), (31, 1, 31), date(2026, 2, 28)),
        (date(2027, 12, 31), (31, 1, 31), date(2028, 1, 31)),
        (date(2028, 1, 10), (31, 1, 31), date(2028, 2, 29)),  # leap year: 2/29
        (date(2028, 2, 29), (31, 1, 31), date(2028, 3, 31)),  # the month end of a leap February closes it
        (date(2026, 2, 28), (31, 1, 31), date(2026, 3, 31)),
        # 20日締め翌月10日払い: the 20th is in, the 21st goes to the next period
        (date(2026, 3, 20), (20, 1, 10), date(2026, 4, 10)),
        (date(2026, 3, 21), (20, 1, 10), date(2026, 5, 10)),
        (date(2026, 12, 25), (20, 1, 10), date(2027, 2, 10)),  # across the year
        # 25日締め翌々月5日払い
        (date(2026, 11, 25), (25, 2, 5), date(2027, 1, 5)),
        (date(2026, 11, 26), (25, 2, 5), date(2027, 2, 5)),
        # 30日払い in February is its last day; 29日締め in a 28-day February is the month end
        (date(2026, 1, 5), (31, 1, 30), date(2026, 2, 28)),
        (date(2028, 1, 5), (31, 1, 30), date(2028, 2, 29)),
        (date(2026, 2, 28), (29, 1, 31), date(2026, 3, 31)),
        (date(2026, 3, 30), (29, 0, 31), date(2026, 4, 30)),  # after 29th → April, 当月 → 4/30
        # 当月払い: 15日締め当月末払い
        (date(2026, 6, 15), (15, 0, 31), date(2026, 6, 30)),
        (date(2026, 6, 16), (15, 0, 31), date(2026, 7, 31)),
        # six months ahead
        (date(2026, 9, 30), (31, 6, 31), date(2027, 3, 31)),
        # a Sunday is kept (2026-05-31): the date is not moved off holidays
        (date(2026, 4, 10), (31, 1, 31), date(2026, 5, 31)),
    ],
)
def test_due_date_for(bill_date, terms, expected):
    assert due(bill_date, *terms) == expected


@pytest.mark.parametrize(
    ("terms", "wrong"),
    [
        ((0, 1, 31), ["closing_day"]),
        ((32, 1, 31), ["closing_day"]),
        ((31, 7, 31), ["payment_month_offset"]),
        ((31, -1, 31), ["payment_month_offset"]),
        ((31, 1, 0), ["payment_day"]),
        ((20, 0, 10), ["payment_day"]),  # 当月払い before the closing day
        ((20, 0, 20), []),
        ((31, 0, 31), []),
    ],
)
def test_check_terms(terms, wrong):
    closing, offset, pay = terms
    assert check_terms(closing_day=closing, payment_month_offset=offset, payment_day=pay) == wrong


def test_invalid_terms_raise():
    with pytest.raises(ValueError):
        due(date(2026, 1, 1), 20, 0, 10)


def test_terms_label():
    assert terms_label(closing_day=31, payment_month_offset=1, payment_day=31) == "月末締め翌月末払い"
    assert terms_label(closing_day=20, payment_month_offset=2, payment_day=10) == "20日締め翌々月10日払い"
    assert terms_label(closing_day=15, payment_month_offset=0, payment_day=25) == "15日締め当月25日払い"
