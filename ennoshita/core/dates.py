"""Fiscal years, Japanese public holidays and 和暦 (jp-rules.md §11).

Holidays come from ``jpholiday``, which implements 国民の祝日に関する法律 (including 振替休日 and
国民の休日); the tests check it against the 内閣府 list for 2026–2027 quoted in jp-rules.md §11.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

import jpholiday

# ---------------------------------------------------------------- months
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str) -> date | None:
    """ "2026-05" → 2026-05-01; None when it is not a month (years 1900–2999)."""
    found = MONTH_RE.match((text or "").strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not (1900 <= year <= 2999 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


# ---------------------------------------------------------------- fiscal year
@dataclass(frozen=True)
class FiscalYear:
    """A company's fiscal year, named by the calendar year in which it starts (2026年度 = Apr 2026–Mar 2027)."""

    year: int
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def fiscal_year_of(day: date, *, start_month: int) -> FiscalYear:
    if not 1 <= start_month <= 12:
        raise ValueError("start_month must be 1..12")
    year = day.year if day.month >= start_month else day.year - 1
    return fiscal_year(year, start_month=start_month)


def fiscal_year(year: int, *, start_month: int) -> FiscalYear:
    start = date(year, start_month, 1)
    next_start = date(year + 1, start_month, 1)
    return FiscalYear(year=year, start=start, end=next_start - timedelta(days=1))


# ---------------------------------------------------------------- holidays
def is_holiday(day: date) -> bool:
    """国民の祝日・振替休日・国民の休日."""
    return bool(jpholiday.is_holiday(day))


def holiday_name(day: date) -> str | None:
    return jpholiday.is_holiday_name(day)


def holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    return [(d, n) for d, n in jpholiday.between(start, end)]


def is_business_day(day: date, *, extra_closed: frozenset[date] = frozenset()) -> bool:
    """Not Saturday, Sunday, a public holiday, or one of the company's own closed days."""
    return day.weekday() < 5 and not is_holiday(day) and day not in extra_closed


def next_business_day(day: date) -> date:
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date) -> date:
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


# ---------------------------------------------------------------- 和暦
@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date


# 元号を改める政令 (平成31年政令第143号) etc.; newest first.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("明治", "M", date(1868, 1, 25)),
)


def era_of(day: date) -> tuple[Era, int]:
    for era in ERAS:
        if day >= era.start:
            return era, day.year - era.start.year + 1
    raise ValueError("dates before 明治 are not supported")


def to_wareki(day: date, *, gannen: bool = True) -> str:
    """2025-04-01 → "令和7年4月1日"; the first year of an era is written 元年 on forms."""
    era, year = era_of(day)
    year_text = "元" if (year == 1 and gannen) else str(year)
    return f"{era.name}{year_text}年{day.month}月{day.day}日"


def wareki_year(day: date) -> str:
    era, year = era_of(day)
    return f"{era.name}{'元' if year == 1 else year}年"


_WAREKI_RE = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<year>元|\d{1,2})\s*[年./\-]\s*(?P<month>\d{1,2})\s*[月./\-]\s*(?P<day>\d{1,2})\s*日?$"
)


def parse_wareki(text: str) -> date:
    """Parse "令和7年4月1日", "R7.4.1", "平成元年1月8日", "Ｒ７．４．１" into a date.

    Raises ValueError when the text is not a date of that era (e.g. 平成32年 or 令和1年4月30日).
    """
    s = unicodedata.normalize("NFKC", text).strip().upper()
    m = _WAREKI_RE.match(s)
    if not m:
        raise ValueError(f"和暦の日付として読めません: {text}")
    era_key = m.group("era")
    era = next(e for e in ERAS if era_key in (e.name, e.letter))
    year = 1 if m.group("year") == "元" else int(m.group("year"))
    if year < 1:
        raise ValueError(f"和暦の年が不正です: {text}")
    day = date(era.start.year + year - 1, int(m.group("month")), int(m.group("day")))
    found, _ = era_of(day)
    if found != era:
        raise ValueError(f"{text} は{era.name}の期間外です")
    return day


def parse_date_flexible(text: str) -> date:
    """西暦 (2025-04-01, 2025/4/1, 2025年4月1日) or 和暦; full-width digits accepted."""
    s = unicodedata.normalize("NFKC", text).strip()
    m = re.match(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$", s)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return parse_wareki(s)
