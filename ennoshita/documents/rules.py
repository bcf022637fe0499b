"""電子帳簿保存法 rules as pure functions (jp-rules.md §7)."""

from __future__ import annotations

import calendar
from datetime import date

from ennoshita.core.dates import fiscal_year_of

# 法人: 7 years from the day after the filing deadline (法人税法施行規則59条, 電帳法7条); 10 years for
# fiscal years with a 欠損金 (繰越控除 10 years for years from 2018-04-01).
DEFAULT_RETENTION_YEARS = 7
# 確定申告の期限: 2 months after the fiscal year's end (法人税法74条1項); the 1-month extension
# (75条の2) can be configured per company by passing filing_months=3.
DEFAULT_FILING_MONTHS = 2


def _month_end(year: int, month: int) -> date:
    """The last day of a month; ``month`` may run past 12 (13 = January of the next year)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def retention_until(
    *,
    transaction_date: date,
    fiscal_year_start_month: int,
    years: int = DEFAULT_RETENTION_YEARS,
    filing_months: int = DEFAULT_FILING_MONTHS,
) -> date:
    """The last day a 電子取引 record must be kept.

    The period runs from the day after the filing deadline of the fiscal year the transaction
    falls in, for ``years`` years: a transaction on 2026-06-10 in a company whose year starts in
    April (year end 2027-03-31, deadline 2027-05-31) is kept until 2034-05-31.
    """
    if years < 1:
        raise ValueError("years must be at least 1")
    fy = fiscal_year_of(transaction_date, start_month=fiscal_year_start_month)
    # A fiscal year ends on a month end, so the deadline is a month end, and so is the last day.
    deadline = _month_end(fy.end.year, fy.end.month + filing_months)
    return _month_end(deadline.year + years, deadline.month)
