"""シフトの法定チェック (pure functions, no database).

- 休憩 (労基法34条1項): work over 6 hours needs at least 45 minutes' break, over 8 hours at least 60.
- 休日 (労基法35条): at least one day off every week (1項), or 4 days in every 4 weeks counted from
  the 起算日 of the 就業規則 (2項, 労基則12条の2第2項). A 休日 is a calendar day, 0:00 to 24:00, free
  of work (昭和23年4月5日基発535号): the morning after a night shift (夜勤明け) is not one.
- 1か月単位の変形労働時間制 (労基法32条の2): the planned hours of each 変形期間 may not exceed
  40 hours × the period's calendar days ÷ 7 (法定労働時間の総枠, 昭和63年1月1日基発1号: 177.1h for
  31 days, 171.4h for 30, 165.7h for 29, 160.0h for 28). The period runs from the 起算日 the 就業規則
  names (1–28) to the day before the next month's, so a month's table may overlap two periods,
  each checked whole (its days in the other month included).
- 通常の労働時間制 (労基法32条): planned days over 8 hours, or weeks over 40, would be 時間外労働 if
  worked (allowed only under a 36協定 and paid at 125%, 37条1項).
- 勤務間インターバル (労働時間等設定改善法2条1項, 努力義務): a short rest between the end of one
  shift and the start of the next is worth a warning (11 hours is the usual aim).

A shift that crosses midnight belongs to the day it starts (its times are on that day and the next).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from itertools import pairwise

from .workday import DAILY_LIMIT, TOKYO, WEEKLY_LIMIT

DAY = 24 * 60
REST_CODE = "休"  # the cell of a rest day in the table


def span_minutes(start: time, end: time) -> int:
    """Minutes from ``start`` to ``end``; an end at or before the start is on the next day (a
    24-hour 当直 9:00–9:00 spans 1,440 minutes)."""
    a = start.hour * 60 + start.minute
    b = end.hour * 60 + end.minute
    return b - a if b > a else b + DAY - a


def required_break_minutes(work_minutes: int) -> int:
    """労基法34条1項: over 6 hours of work at least 45 minutes, over 8 hours at least 60."""
    if work_minutes > 8 * 60:
        return 60
    if work_minutes > 6 * 60:
        return 45
    return 0


def break_refusal(*, start: time, end: time, break_minutes: int) -> str | None:
    """Why a pattern's break is unlawful, or None. Work = span − break."""
    span = span_minutes(start, end)
    if break_minutes < 0 or break_minutes >= span:
        return "休憩が勤務の長さ以上になっています。"
    work = span - break_minutes
    needed = required_break_minutes(work)
    if break_minutes < needed:
        return (
            f"労働時間{_hm(work)}には{needed}分以上の休憩が必要です"
            "(労基法34条1項: 6時間を超える場合は45分、8時間を超える場合は60分)。"
        )
    return None


def shift_times(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """The shift of ``day`` as aware datetimes in Asia/Tokyo; it may end on the next day."""
    start_at = datetime.combine(day, start, tzinfo=TOKYO)
    return start_at, start_at + timedelta(minutes=span_minutes(start, end))


def variable_period_limit_minutes(days: int) -> Decimal:
    """労基法32条の2: 40時間 × 暦日数 ÷ 7, in minutes (exact)."""
    if days < 1:
        raise ValueError("days: 変形期間の暦日数は1日以上です。")
    return Decimal(WEEKLY_LIMIT * days) / Decimal(7)


def variable_period_limit_hours(days: int) -> Decimal:
    """The same in hours to one decimal place, cut down (177.1 for 31 days, 171.4 for 30, 160.0 for 28)."""
    return (variable_period_limit_minutes(days) / 60).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def variable_period_of(*, start_day: int, day: date) -> tuple[date, date]:
    """The 変形期間 holding ``day`` (労基法32条の2): from the 起算日 ``start_day`` (1–28) of a month to
    the day before the next month's — 16 gives 11/16〜12/15, 1 the calendar month. The same periods
    as the 出勤簿's (``timesheet_selectors.variable_period``)."""
    if isinstance(start_day, bool) or not isinstance(start_day, int) or not 1 <= start_day <= 28:
        raise ValueError("start_day: 変形期間の起算日は1日から28日の間です。")
    if day.day >= start_day:
        first = day.replace(day=start_day)
    else:
        first = (day.replace(day=1) - timedelta(days=1)).replace(day=start_day)
    following = (first.replace(day=1) + timedelta(days=32)).replace(day=start_day)
    return first, following - timedelta(days=1)


def variable_periods(*, start_day: int, start: date, end: date) -> list[tuple[date, date]]:
    """The 変形期間 (from the 起算日 ``start_day``) overlapping start..end, in order: one for a
    calendar month under 起算日 1, two under any other."""
    out = [variable_period_of(start_day=start_day, day=start)]
    while out[-1][1] < end:
        out.append(variable_period_of(start_day=start_day, day=out[-1][1] + timedelta(days=1)))
    return out


@dataclass(frozen=True)
class PlannedDay:
    """One employee's planned day: a working shift (start, end, break) or a rest day."""

    start_at: datetime | None = None
    end_at: datetime | None = None
    break_minutes: int = 0

    @property
    def is_work(self) -> bool:
        return self.start_at is not None and self.end_at is not None

    @property
    def work_minutes(self) -> int:
        if self.start_at is None or self.end_at is None:
            return 0
        return max(int((self.end_at - self.start_at).total_seconds() // 60) - self.break_minutes, 0)


@dataclass(frozen=True)
class ShiftWarning:
    """A warning on a planned month (never a refusal): ``code`` among weekly_rest, four_week_rest,
    period_limit, daily_over, weekly_over, short_rest; ``day`` the first day concerned."""

    code: str
    day: date
    message: str


def _hm(minutes: int | Decimal) -> str:
    m = int(minutes)
    return f"{m // 60}時間{m % 60:02d}分"


def _md(d: date) -> str:
    return f"{d.month}/{d.day}"


def _worked_days(plan: Mapping[date, PlannedDay]) -> set[date]:
    """Calendar days touched by work: the start day of each shift, and every later day it runs
    into (a shift ending exactly at 0:00 does not touch the next day)."""
    touched: set[date] = set()
    for day, p in plan.items():
        if p.start_at is None or p.end_at is None:
            continue
        touched.add(day)
        end_local = p.end_at.astimezone(TOKYO)
        last = end_local.date()
        if end_local.time() == time(0):
            last -= timedelta(days=1)
        d = day + timedelta(days=1)
        while d <= last:
            touched.add(d)
            d += timedelta(days=1)
    return touched


def _weeks(start: date, end: date, week_start_weekday: int) -> list[tuple[date, date]]:
    """The calendar weeks (from ``week_start_weekday``) that overlap start..end."""
    first = start - timedelta(days=(start.weekday() - week_start_weekday) % 7)
    out = []
    while first <= end:
        out.append((first, first + timedelta(days=6)))
        first += timedelta(days=7)
    return out


def rest_day_warnings(
    *,
    plan: Mapping[date, PlannedDay],
    start: date,
    end: date,
    week_start_weekday: int = 6,
    four_weeks_from: date | None = None,
    known_from: date | None = None,
    known_to: date | None = None,
) -> list[ShiftWarning]:
    """Weeks (or 4-week periods when ``four_weeks_from`` is given) overlapping start..end without
    enough 休日. Days of ``plan`` outside ``known_from..known_to`` (default start..end) are not
    known, so a period reaching beyond them is checked only when it is short of rest days even if
    every unknown day were a rest day."""
    known_from = known_from or start
    known_to = known_to or end
    worked = _worked_days(plan)
    out: list[ShiftWarning] = []

    def rest_days(a: date, b: date) -> tuple[int, int]:
        rest = unknown = 0
        d = a
        while d <= b:
            if not known_from <= d <= known_to:
                unknown += 1
            elif d not in worked:
                rest += 1
            d += timedelta(days=1)
        return rest, unknown

    if four_weeks_from is None:
        for a, b in _weeks(start, end, week_start_weekday):
            rest, unknown = rest_days(a, b)
            if rest + unknown < 1:
                out.append(
                    ShiftWarning(
                        "weekly_rest",
                        a,
                        f"{_md(a)}〜{_md(b)}の週に休日がありません"
                        "(労基法35条1項: 毎週少なくとも1回の休日。暦日の0時から24時までの休み)。",
                    )
                )
        return out
    offset = (start - four_weeks_from).days // 28
    a = four_weeks_from + timedelta(days=28 * offset)
    while a <= end:
        b = a + timedelta(days=27)
        rest, unknown = rest_days(a, b)
        if rest + unknown < 4:
            out.append(
                ShiftWarning(
                    "four_week_rest",
                    a,
                    f"{_md(a)}〜{_md(b)}の4週間の休日が{rest}日です"
                    "(労基法35条2項: 4週間を通じ4日以上の休日)。",
                )
            )
        a = b + timedelta(days=1)
    return out


def variable_period_warnings(
    *, plan: Mapping[date, PlannedDay], start: date, end: date
) -> list[ShiftWarning]:
    """1か月単位の変形労働時間制 (労基法32条の2): the planned hours of the period start..end over its
    法定労働時間の総枠, 40h × 暦日数 ÷ 7 (昭和63年1月1日基発1号). A day of the period absent from
    ``plan`` counts as nothing planned: a period is warned only when what is known already exceeds
    the frame. The warning is on the period's first day (maybe in the month before)."""
    days = (end - start).days + 1
    planned = sum(p.work_minutes for d, p in plan.items() if start <= d <= end)
    limit = variable_period_limit_minutes(days)
    if planned * 7 > WEEKLY_LIMIT * days:  # planned > 2,400 × days ÷ 7, exactly
        # the plan's hours rounded up and the frame's down: an excess never reads as equal
        hours = (Decimal(planned) / 60).quantize(Decimal("0.1"), rounding=ROUND_UP)
        return [
            ShiftWarning(
                "period_limit",
                start,
                f"{_md(start)}〜{_md(end)}の変形期間: 計画 {hours}時間 > 上限 "
                f"{variable_period_limit_hours(days)}時間(法定労働時間の総枠 40時間×{days}日÷7 = "
                f"{_hm(limit)}。労基法32条の2、昭和63年1月1日基発1号)。",
            )
        ]
    return []


def standard_hours_warnings(
    *, plan: Mapping[date, PlannedDay], start: date, end: date, week_start_weekday: int = 6
) -> list[ShiftWarning]:
    """通常の労働時間制: planned days over 8 hours and whole weeks (inside start..end) over 40."""
    out: list[ShiftWarning] = []
    for d in sorted(plan):
        if start <= d <= end and plan[d].work_minutes > DAILY_LIMIT:
            out.append(
                ShiftWarning(
                    "daily_over",
                    d,
                    f"{_md(d)}の計画 {_hm(plan[d].work_minutes)}が1日8時間を超えます"
                    "(労基法32条2項。働けば超えた分は時間外労働)。",
                )
            )
    for a, b in _weeks(start, end, week_start_weekday):
        total = sum(p.work_minutes for d, p in plan.items() if a <= d <= b)
        if total > WEEKLY_LIMIT:
            out.append(
                ShiftWarning(
                    "weekly_over",
                    a,
                    f"{_md(a)}〜{_md(b)}の週の計画 {_hm(total)}が40時間を超えます"
                    "(労基法32条1項。働けば超えた分は時間外労働)。",
                )
            )
    return out


def short_rest_warnings(
    *, plan: Mapping[date, PlannedDay], start: date, end: date, min_rest_minutes: int
) -> list[ShiftWarning]:
    """Rest between the end of a shift and the start of the next shorter than ``min_rest_minutes``
    (勤務間インターバル, 労働時間等設定改善法2条1項: an employer's duty to try)."""
    out: list[ShiftWarning] = []
    shifts = sorted(
        ((d, p) for d, p in plan.items() if p.start_at is not None and p.end_at is not None),
        key=lambda x: x[0],
    )
    for (_d1, first), (d2, second) in pairwise(shifts):
        if not start <= d2 <= end or first.end_at is None or second.start_at is None:
            continue
        rest = int((second.start_at - first.end_at).total_seconds() // 60)
        if rest < min_rest_minutes:
            out.append(
                ShiftWarning(
                    "short_rest",
                    d2,
                    f"{_md(d2)}の勤務の前の休息が{_hm(max(rest, 0))}です"
                    f"(勤務間インターバル{_hm(min_rest_minutes)}未満。労働時間等設定改善法2条1項)。",
                )
            )
    return out


def month_warnings(
    *,
    plan: Mapping[date, PlannedDay],
    start: date,
    end: date,
    variable: bool,
    period_start_day: int = 1,
    week_start_weekday: int = 6,
    four_weeks_from: date | None = None,
    min_rest_minutes: int = 11 * 60,
    known_from: date | None = None,
    known_to: date | None = None,
) -> list[ShiftWarning]:
    """Every warning of one employee's planned start..end, in date order. Under the 変形労働時間制
    (``variable``) each 変形期間 overlapping start..end (from the 起算日 ``period_start_day``) is
    checked whole: ``plan`` should hold its days outside start..end too."""
    found = rest_day_warnings(
        plan=plan,
        start=start,
        end=end,
        week_start_weekday=week_start_weekday,
        four_weeks_from=four_weeks_from,
        known_from=known_from,
        known_to=known_to,
    )
    if variable:
        for a, b in variable_periods(start_day=period_start_day, start=start, end=end):
            found += variable_period_warnings(plan=plan, start=a, end=b)
    else:
        found += standard_hours_warnings(
            plan=plan, start=start, end=end, week_start_weekday=week_start_weekday
        )
    if min_rest_minutes > 0:
        found += short_rest_warnings(plan=plan, start=start, end=end, min_rest_minutes=min_rest_minutes)
    return sorted(found, key=lambda w: (w.day, w.code))


def days_of_month(month: date) -> list[date]:
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


def weekly_rotation(codes: Sequence[str], days: Sequence[date], *, offset: int = 0) -> dict[date, str]:
    """A 7-day rotation (one code per weekday from the first day given, "" for an empty cell)
    repeated over ``days``, shifted by ``offset`` days (rotating days off between employees)."""
    if not codes:
        return {}
    n = len(codes)
    return {d: codes[(i + offset) % n] for i, d in enumerate(days)}
