"""フレックスタイム制 (労基法32条の3, 清算期間 1か月): the month's minutes by kind.

The worker chooses when to start and end, so there is no 時間外 by the day or the week; 時間外 is
what the month's 実労働 exceeds the 法定労働時間の総枠 (40 h × 暦日数 ÷ 7: 177.1 h for 31 days,
171.4 h for 30, 165.7 h for 29, 160.0 h for 28; 昭和63年1月1日基発1号, 平成30年9月7日基発0907第1号).
法定休日労働 (35条) is counted apart and is not part of the total; 深夜 (37条4項) is counted as
usual. Minutes up to the 所定総労働時間 (the agreement's total for the month: the workdays × the
標準となる1日の労働時間) are 所定内, the next ones up to the legal total 法定内残業 (no premium
required), the rest 時間外 — taken in time order, so that the minutes beyond the total are the
month's last ones (which fixes which of them were at night). 不足 (the total not reached) is
reported by the caller.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from .variable import _check_consecutive, period_legal_total
from .workday import DayMinutes, WorkDay, _validated_segments

flex_legal_total = period_legal_total  # the same 40 h × 暦日数 ÷ 7 (32条の3第2項 refers to it)


def split_flex_month(
    *, days: Sequence[WorkDay], required_minutes: int, statutory_holidays: Collection[date] = ()
) -> list[DayMinutes]:
    """Every day of the 清算期間 (``days``: each 暦日 in order), split by kind. ``required_minutes``
    is the 所定総労働時間 still expected (less leave taken); each WorkDay's ``scheduled_minutes``
    is not used. The 時間外 is in ``overtime_period`` (and ``overtime``)."""
    _check_consecutive(days)
    if isinstance(required_minutes, bool) or not isinstance(required_minutes, int) or required_minutes < 0:
        raise ValueError("required_minutes: 所定総労働時間を0以上の分の整数で入れてください。")
    cap = flex_legal_total(len(days))
    holidays = set(statutory_holidays) | {d.work_date for d in days if d.kind == "statutory_holiday"}
    segments: list[list[tuple[int, bool, bool]]] = []
    for i in range(0, len(days), 7):
        segments += _validated_segments(days[i : i + 7], holidays)
    counted = 0  # the month's minutes toward the total (法定休日 aside)
    result: list[DayMinutes] = []
    for day, day_segments in zip(days, segments, strict=True):
        worked = scheduled = legal = over = night = over_night = holiday = holiday_night = 0
        for length, is_night, on_holiday in day_segments:
            worked += length
            night += length if is_night else 0
            if on_holiday:
                holiday += length
                holiday_night += length if is_night else 0
                continue
            left = length
            while left:
                if counted >= cap:
                    chunk = left
                    over += chunk
                    over_night += chunk if is_night else 0
                elif counted < required_minutes:
                    chunk = min(left, required_minutes - counted, cap - counted)
                    scheduled += chunk
                else:
                    chunk = min(left, cap - counted)
                    legal += chunk
                counted += chunk
                left -= chunk
        result.append(
            DayMinutes(
                work_date=day.work_date,
                worked=worked,
                scheduled=scheduled,
                legal_overtime=legal,
                overtime_daily=0,
                overtime_weekly=0,
                overtime=over,
                night=night,
                overtime_night=over_night,
                holiday=holiday,
                holiday_night=holiday_night,
                scheduled_holiday=worked - holiday if day.kind == "scheduled_holiday" else 0,
                overtime_period=over,
            )
        )
    return result
