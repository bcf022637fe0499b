"""健康診断・長時間労働の期限と基準 (労働安全衛生法・安衛則; jp-rules.md §13), as pure functions.

No database: the services pass the dates and figures in. Months are added the way the law counts
them (民法143条: a period in months ends on the corresponding day; a month without that day ends on
its last day), so 8月31日 + 6か月 is 2月28日 (29日 in a leap year).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# kinds (the values of models.CheckupKind; kept as text so that this module needs no model)
HIRING = "hiring"
PERIODIC = "periodic"
SPECIFIC = "specific"
OVERSEAS_BEFORE = "overseas_before"
OVERSEAS_AFTER = "overseas_after"

SPECIFIC_INTERVAL_MONTHS = 6  # 安衛則45条: 特定業務従事者は配置替えの際及び6月以内ごとに1回
OVERSEAS_MIN_MONTHS = 6  # 安衛則45条の2: 6月以上の海外派遣の前と、帰国後に国内業務に就かせるとき
OPINION_MONTHS = 3  # 安衛則51条の2第1項1号: 医師の意見は健康診断が行われた日から3月以内
KEEP_YEARS = 5  # 安衛法66条の3, 安衛則51条: 健康診断個人票は5年間保存
HIRING_OMISSION_MONTHS = 12  # 安衛則44条2項: 雇入時の健診から1年間は定期健診の相当項目を省略できる
LONG_HOURS_THRESHOLD = 80 * 60  # 安衛法66条の8, 安衛則52条の2: 週40時間を超えた時間が月80時間超
WEEKLY_MINUTES = 40 * 60  # 週40時間 (労基法32条)
REPORT_THRESHOLD = 50  # 安衛則52条: 常時50人以上の事業場は定期健康診断結果報告 (様式第6号)
REMIND_WITHIN_DAYS = 14  # 催促: 期限の14日前から
REMIND_EVERY_DAYS = 7  # 同じ健診への催促は7日に1回まで


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the last day of the month when the day is missing."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def opinion_due(examined_on: date) -> date:
    """医師の意見聴取の期限: 受診日から3か月 (安衛法66条の4, 安衛則51条の2)."""
    return add_months(examined_on, OPINION_MONTHS)


def keep_until(examined_on: date) -> date:
    """健康診断個人票の保存期限: 受診日から5年 (安衛法66条の3, 安衛則51条)."""
    return add_months(examined_on, KEEP_YEARS * 12)


def periodic_due(*, fy_start: date, fy_end: date, checkup_month: int) -> date:
    """定期健康診断 (安衛則44条: 1年以内ごとに1回) of the fiscal year: the last day of the company's
    checkup month within the year."""
    if not 1 <= checkup_month <= 12:
        raise ValueError("checkup_month: 1〜12")
    year = fy_start.year if checkup_month >= fy_start.month else fy_start.year + 1
    due = month_end(year, checkup_month)
    assert fy_start <= due <= fy_end
    return due


def specific_dues(*, fy_start: date, fy_end: date, checkup_month: int) -> list[date]:
    """特定業務従事者の健康診断 (安衛則45条: 6月以内ごとに1回, 定期健診に代わる): the checkup month and
    six months later, each at its month's end, those inside the fiscal year (two a year)."""
    first = periodic_due(fy_start=fy_start, fy_end=fy_end, checkup_month=checkup_month)
    second = month_end(*_year_month(add_months(first.replace(day=1), SPECIFIC_INTERVAL_MONTHS)))
    if second > fy_end:
        second = month_end(*_year_month(add_months(first.replace(day=1), -SPECIFIC_INTERVAL_MONTHS)))
    return sorted({first, second})


def _year_month(day: date) -> tuple[int, int]:
    return day.year, day.month


def is_long_posting(start: date, end: date) -> bool:
    """6か月以上の海外派遣 (安衛則45条の2): the return on or after the same day six months on."""
    return end >= add_months(start, OVERSEAS_MIN_MONTHS)


@dataclass(frozen=True)
class Profile:
    """What decides an employee's checkups (the services fill it from the records)."""

    hire_date: date
    retire_date: date | None = None
    specific_work: bool = False
    overseas_from: date | None = None
    overseas_until: date | None = None


def planned_checkups(
    profile: Profile, *, fy_start: date, fy_end: date, checkup_month: int
) -> list[tuple[str, date]]:
    """(kind, due date) of each checkup the employee needs in the fiscal year, by date.

    - 雇入時 (安衛則43条): due on the day of hire, when the hire falls in the year.
    - 定期 (44条): once a year at the company's month, unless the employee is not yet (or no longer)
      employed then, or was hired within the 12 months before (44条2項: the 雇入時 exam stands in).
    - 特定業務 (45条): instead of the 定期, every 6 months (the checkup month and 6 months apart).
    - 海外派遣 (45条の2): before a posting of 6 months or more (due the day of departure) and on
      return (due the day the posting ends), when that day falls in the year.
    """
    out: list[tuple[str, date]] = []

    def employed(day: date) -> bool:
        return profile.hire_date <= day and (profile.retire_date is None or day <= profile.retire_date)

    if fy_start <= profile.hire_date <= fy_end and employed(profile.hire_date):
        out.append((HIRING, profile.hire_date))
    if profile.specific_work:
        for due in specific_dues(fy_start=fy_start, fy_end=fy_end, checkup_month=checkup_month):
            if employed(due) and not _hired_recently(profile.hire_date, due):
                out.append((SPECIFIC, due))
    else:
        due = periodic_due(fy_start=fy_start, fy_end=fy_end, checkup_month=checkup_month)
        if employed(due) and not _hired_recently(profile.hire_date, due):
            out.append((PERIODIC, due))
    start, end = profile.overseas_from, profile.overseas_until
    if start and end and is_long_posting(start, end):
        if fy_start <= start <= fy_end and employed(start):
            out.append((OVERSEAS_BEFORE, start))
        if fy_start <= end <= fy_end and employed(end):
            out.append((OVERSEAS_AFTER, end))
    return sorted(out, key=lambda row: (row[1], row[0]))


def _hired_recently(hire_date: date, due: date) -> bool:
    """雇入時の健診 within the 12 months before ``due`` (安衛則44条2項)."""
    return hire_date > add_months(due, -HIRING_OMISSION_MONTHS)


def is_overdue(due_on: date, today: date) -> bool:
    return due_on < today


def should_remind(*, due_on: date, today: date, last_reminded_on: date | None) -> bool:
    """Remind from 14 days before the due date on (and when overdue), at most once in 7 days."""
    if due_on > today + timedelta(days=REMIND_WITHIN_DAYS):
        return False
    return last_reminded_on is None or last_reminded_on <= today - timedelta(days=REMIND_EVERY_DAYS)


def legal_month_minutes(calendar_days: int) -> int:
    """40時間 × 暦日数 ÷ 7 in minutes (the fraction of a minute dropped, in the worker's favour)."""
    if isinstance(calendar_days, bool) or not isinstance(calendar_days, int) or not 28 <= calendar_days <= 31:
        raise ValueError("calendar_days: 28〜31")
    return WEEKLY_MINUTES * calendar_days // 7


def excess_minutes(*, worked_minutes: int, calendar_days: int) -> int:
    """休憩時間を除き1週間当たり40時間を超えて労働させた時間 of a month (安衛則52条の2第1項): the
    month's total hours worked (時間外・休日を含む実労働) less 40 h × 暦日数 ÷ 7, never below 0
    (the MHLW formula: 1か月の総労働時間数 −(計算期間1か月の総暦日数 ÷ 7)× 40)."""
    return max(worked_minutes - legal_month_minutes(calendar_days), 0)


def needs_interview_offer(excess: int) -> bool:
    """Over 80 hours (安衛法66条の8, 安衛則52条の2): tell the worker the hours and give a
    doctor's 面接指導 on the worker's request. Exactly 80 hours is not over."""
    return excess > LONG_HOURS_THRESHOLD


def report_required(workers: int) -> bool:
    """定期健康診断結果報告 (安衛則52条, 様式第6号, 電子申請 since 2025-01-01): 常時50人以上."""
    return workers >= REPORT_THRESHOLD


def hours_text(minutes: int) -> str:
    """85:30 for 5,130 minutes."""
    return f"{minutes // 60}:{minutes % 60:02d}"
