"""The dates of a run (pure: no database): 支給月 → 勤怠の対象月, 締め日, 賃金計算期間 and 支給日
moved off bank holidays (docs/domains/payroll.md, runs)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from ennoshita.core.dates import is_business_day

from .calculation_deductions import month_add

__all__ = ["RunDates", "bank_holidays", "previous_bank_day", "run_dates"]


class RunDates:
    """The dates a run uses (shown on the new-run screen before it is created)."""

    def __init__(self, group: Any, pay_month: date) -> None:
        self.pay_month = pay_month.replace(day=1)
        # 支給月 − 0 (当月払い) or 1 (翌月払い) months: the month of attendance it pays
        self.attendance_month = month_add(self.pay_month, -group.pay_month_offset)
        self.closing_date = _day_in(self.attendance_month, group.closing_day)
        # 賃金計算期間: the day after the previous closing date up to this one
        self.period_start = _day_in(month_add(self.attendance_month, -1), group.closing_day) + timedelta(
            days=1
        )
        self.scheduled_pay_date = _day_in(self.pay_month, group.pay_day)
        self.pay_date = previous_bank_day(self.scheduled_pay_date)

    @property
    def moved(self) -> bool:
        return self.pay_date != self.scheduled_pay_date


def run_dates(*, pay_group: Any, pay_month: date) -> RunDates:
    return RunDates(pay_group, pay_month)


def _day_in(month: date, day: int) -> date:
    """``day`` of ``month``; 0 or a day past the month's end → its last day (月末)."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=last if day == 0 or day > last else day)


def bank_holidays(day: date) -> frozenset[date]:
    """12月31日〜1月3日: banks are closed (銀行法15条1項, 銀行法施行令5条1項3号), besides Saturdays,
    Sundays and 国民の祝日 that core.dates.is_business_day already knows."""
    year = day.year if day.month == 12 else day.year - 1
    return frozenset({date(year, 12, 31), date(year + 1, 1, 1), date(year + 1, 1, 2), date(year + 1, 1, 3)})


def previous_bank_day(day: date) -> date:
    """A pay day on a bank holiday moves to the bank business day before it (the usual 賃金規程
    rule: 労基法24条2項 wants a fixed day; paying earlier keeps it)."""
    while not is_business_day(day, extra_closed=bank_holidays(day)):
        day -= timedelta(days=1)
    return day
