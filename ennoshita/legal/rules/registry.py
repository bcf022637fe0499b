"""登記・機関 (jp-rules §15): officers' terms, the 2-week 登記 deadline, how long minutes are kept,
the 基準日's 3-month limit and the 休眠会社 threshold. Pure functions over dates, no database.

Periods are counted as 民法 counts them: the first day is not counted (民法140条) and a period in
weeks, months or years ends on the day before the day corresponding to its first counted day
(民法143条2項) — so a period counted from day D ends on the day with D's number, and on the last day
of the month when that month has no such day (a period from 2/29 ends on 2/28; one from a month's
last day ends on the last day of the target month).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

FILING_DAYS = 14  # 会社法915条1項: 二週間以内
MINUTES_KEEP_YEARS = 10  # 会社法318条2項・371条1項: 十年間
RECORD_DATE_MONTHS = 3  # 会社法124条2項: 基準日から三箇月以内
DORMANT_YEARS = 12  # 会社法472条1項: 最後の登記から十二年

# positions (the values of models.OfficerPosition): 332条 for directors, 334条1項 applies it to
# 会計参与; 336条 for auditors
DIRECTOR_POSITIONS = ("representative_director", "director", "outside_director", "accounting_advisor")
AUDITOR_POSITIONS = ("auditor", "outside_auditor")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    y, m = divmod(index, 12)
    return y, m + 1


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the month's last day when the day is missing."""
    y, m = _shift(day.year, day.month, months)
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def period_end_from(day: date, *, months: int) -> date:
    """The last day of a period of ``months`` months counted from ``day`` with the first day not
    counted (民法140条, 143条2項): the day with ``day``'s number ``months`` later; the last day of
    that month when ``day`` is a month's last day or the target month has no such day."""
    if _is_month_end(day):
        return month_end(*_shift(day.year, day.month, months))
    return add_months(day, months)


def year_end_month(fiscal_year_start_month: int) -> int:
    """The month a business year ends in (a year starting in April ends in March)."""
    if not 1 <= fiscal_year_start_month <= 12:
        raise ValueError("fiscal_year_start_month must be 1..12")
    return (fiscal_year_start_month - 2) % 12 + 1


def last_year_end_on_or_before(day: date, *, fiscal_year_start_month: int) -> date:
    """The last business-year end on or before ``day``."""
    m = year_end_month(fiscal_year_start_month)
    end = month_end(day.year, m)
    return end if end <= day else month_end(day.year - 1, m)


def expected_agm_on(*, year_end: date, agm_months_after_year_end: int) -> date:
    """The expected day of the 定時株主総会 for the business year ending ``year_end``: the last day of
    the month ``agm_months_after_year_end`` months after it (the 定款's 「毎事業年度末日の翌日から3か月
    以内」 → the last day it may be held). 会社法296条1項 itself says only 「一定の時期」."""
    if not 1 <= agm_months_after_year_end <= 12:
        raise ValueError("agm_months_after_year_end must be 1..12")
    return month_end(*_shift(year_end.year, year_end.month, agm_months_after_year_end))


def term_end_on(
    *, elected_on: date, term_years: int, fiscal_year_start_month: int, agm_months_after_year_end: int
) -> date:
    """The expected end of an officer's term (会社法332条1項 directors, 334条1項 会計参与, 336条1項
    auditors): 「選任後N年以内に終了する事業年度のうち最終のものに関する定時株主総会の終結の時まで」.

    "Within N years of the election" ends on the day with the election's number N years later
    (民法140条・143条; from a month's last day to that month's last day); the last business year ending on or before that day is taken,
    and its 定時株主総会 is expected on the last day of the month ``agm_months_after_year_end`` after
    the year end (``expected_agm_on``). The real end is the close (終結) of that meeting, whenever it
    is held: this date is what lists and alerts use until then.

    Elected 2024-06-27, 2 years, April–March, AGM 3 months after → the limit is 2026-06-27, the last
    year ending by then is 2026-03-31, and the term ends at the AGM expected by 2026-06-30.
    """
    if not 1 <= term_years <= 10:
        raise ValueError("term_years must be 1..10")
    limit = period_end_from(elected_on, months=12 * term_years)
    year_end = last_year_end_on_or_before(limit, fiscal_year_start_month=fiscal_year_start_month)
    return expected_agm_on(year_end=year_end, agm_months_after_year_end=agm_months_after_year_end)


def next_agm_on(*, today: date, fiscal_year_start_month: int, agm_months_after_year_end: int) -> date:
    """The next expected 定時株主総会 on or after ``today`` (see ``expected_agm_on``)."""
    year_end = last_year_end_on_or_before(today, fiscal_year_start_month=fiscal_year_start_month)
    agm = expected_agm_on(year_end=year_end, agm_months_after_year_end=agm_months_after_year_end)
    if agm >= today:
        return agm
    return expected_agm_on(
        year_end=month_end(year_end.year + 1, year_end.month),
        agm_months_after_year_end=agm_months_after_year_end,
    )


def max_term_years(*, position: str, is_public_company: bool) -> int:
    """The longest term the 定款 may give: directors (and 会計参与, 334条1項) 2 years (332条1項), up to
    10 in a company that is not a 公開会社 (332条2項); auditors 4 years (336条1項), up to 10 in a
    non-公開会社 (336条2項). (Directors of a 監査等委員会設置会社 / 指名委員会等設置会社 — 1 year,
    332条3項・6項 — are not modelled.)"""
    if position in DIRECTOR_POSITIONS:
        return 2 if is_public_company else 10
    if position in AUDITOR_POSITIONS:
        return 4 if is_public_company else 10
    raise ValueError(f"unknown position {position!r}")


def min_term_years(*, position: str) -> int:
    """The shortest term: a director's term may be shortened by the 定款 or a resolution (332条1項
    ただし書), an auditor's may not (336条1項 has no such proviso: 4 years at least; only a 補欠's
    may end with the predecessor's, 336条3項)."""
    if position in DIRECTOR_POSITIONS:
        return 1
    if position in AUDITOR_POSITIONS:
        return 4
    raise ValueError(f"unknown position {position!r}")


def filing_deadline(*, effective_on: date) -> date:
    """The last day to apply for the 変更登記: 2 weeks from the change (会社法915条1項), the first
    day not counted (民法140条) → ``effective_on`` + 14 days. The 起算日 is the day the change takes
    effect (an appointment: the 就任承諾日). The calendar day is returned; a deadline on a 行政機関の
    休日 is not moved here (the earlier, safe day). Missing it: 100万円以下の過料 (976条1号)."""
    return effective_on + timedelta(days=FILING_DAYS)


def minutes_keep_until(*, held_on: date) -> date:
    """The last day the minutes must be kept at the 本店: 10 years from the meeting (株主総会 318条2項,
    取締役会 371条1項; a 書面決議 from the day it is deemed made), the first day not counted → the day
    with the same month and day 10 years later (a meeting on 2/29 → 2/28; one on a month's last day
    → that month's last day, 民法143条2項: 2026-02-28 → 2036-02-29)."""
    return period_end_from(held_on, months=12 * MINUTES_KEEP_YEARS)


def record_date_limit(*, record_date: date) -> date:
    """The last day the rights fixed by a 基準日 may be exercised (the last day the shareholders'
    meeting may be held): rights 「基準日から三箇月以内に行使するものに限る」 (会社法124条2項), counted from the 基準日 with the
    first day not counted → 3 months later, a month's last day to a month's last day (3/31 → 6/30,
    9/30 → 12/31, 11/30 → 2/28)."""
    return period_end_from(record_date, months=RECORD_DATE_MONTHS)


@dataclass(frozen=True)
class DormantRisk:
    """会社法472条1項: a 株式会社 with no 登記 for 12 years may be deemed dissolved after the 官報
    notice unless it files a 「まだ事業を廃止していない旨の届出」 or any 登記 within 2 months."""

    reaches_on: date  # the last day of the 12 years (民法140条・143条: 2014-10-01 → 2026-10-01)
    at_risk: bool  # the 12 years have passed (「十二年を経過した」: from the day after ``reaches_on``)
    days_left: int  # to ``reaches_on``; negative once passed


def dormant_company_risk(*, last_registered_on: date, today: date) -> DormantRisk:
    reaches = period_end_from(last_registered_on, months=12 * DORMANT_YEARS)
    return DormantRisk(reaches_on=reaches, at_risk=today > reaches, days_left=(reaches - today).days)
