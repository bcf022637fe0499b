"""A week's worked minutes by kind: 所定内, 法定内残業, 時間外 (労基法32条), 法定休日 (35条), 深夜
(37条4項) — exact to the minute (jp-rules §4.1).

Pure and fast: each interval is cut into segments at the 22:00/05:00 boundaries and at the points
where the day's or the week's count reaches a threshold, never walked minute by minute.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")
DAILY_LIMIT = 8 * 60  # 労基法32条2項: 8 hours a day
WEEKLY_LIMIT = 40 * 60  # 労基法32条1項: 40 hours a week
NIGHT_START = time(22)  # 労基法37条4項: 午後10時から午前5時まで
NIGHT_END = time(5)
KINDS = ("workday", "scheduled_holiday", "statutory_holiday")

_MINUTE = timedelta(minutes=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class WorkDay:
    """One day of the week as worked. ``intervals`` are the worked time with the breaks already
    taken out; a shift that crosses midnight stays wholly on the day it started. ``kind`` is
    "workday", "scheduled_holiday" (所定休日) or "statutory_holiday" (法定休日, 労基法35条)."""

    work_date: date
    intervals: tuple[tuple[datetime, datetime], ...]
    scheduled_minutes: int = 0  # 所定労働時間 of the day (0 on a rest day)
    kind: str = "workday"


@dataclass(frozen=True)
class DayMinutes:
    """A day's minutes by kind. ``worked`` = scheduled + legal_overtime + overtime + holiday + exempt;
    ``night`` counts every night minute, whatever its kind, and overtime_night ⊂ overtime,
    holiday_night ⊂ holiday are the parts of it with the higher night rates."""

    work_date: date
    worked: int  # 実労働
    scheduled: int  # 所定内
    legal_overtime: int  # 法定内残業: beyond 所定 but within 8h/day and 40h/week (no 割増 required)
    overtime_daily: int  # 時間外 because the day passed 8 hours
    overtime_weekly: int  # 時間外 because the week passed 40 hours (not already daily overtime)
    overtime: int  # overtime_daily + overtime_weekly
    night: int  # every worked minute between 22:00 and 05:00 (Asia/Tokyo)
    overtime_night: int  # night minutes that are 時間外
    holiday: int  # minutes worked on a statutory_holiday day (法定休日労働)
    holiday_night: int  # night minutes of those
    scheduled_holiday: int  # minutes worked on a scheduled_holiday day (所定休日労働), 法定休日 minutes aside
    # 時間外 found on the period's total: 変形 (40h × 暦日数 ÷ 7 over the 変形期間, 32条の2) and
    # フレックス (the 清算期間's 総枠, 32条の3); included in ``overtime``
    overtime_period: int = 0
    # 管理監督者 (41条2号): minutes that would be 時間外 or 法定休日労働 but to which 32・35・37条 do
    # not apply (深夜 still does). worked = scheduled + legal_overtime + overtime + holiday + exempt
    exempt: int = 0


def exempt_supervisor(minutes: DayMinutes) -> DayMinutes:
    """A 管理監督者's day (労基法41条2号): 時間外 and 法定休日労働 are not counted as such (no
    premium), they become ``exempt``; 実労働 is kept, and 深夜 stays counted with its 25%
    (昭和63年3月14日基発150号; 最高裁平成21年12月18日判決 ことぶき事件)."""
    return replace(
        minutes,
        overtime_daily=0,
        overtime_weekly=0,
        overtime_period=0,
        overtime=0,
        overtime_night=0,
        holiday=0,
        holiday_night=0,
        exempt=minutes.exempt + minutes.overtime + minutes.holiday,
    )


def statutory_holiday_of_week(*, rest_days: Sequence[date], worked_days: Collection[date]) -> date | None:
    """The 法定休日 of one week when the work rule does not fix its weekday (労基法35条 asks for one
    day off a week, not for a named day): the first rest day of the week not worked — the day off
    the law asks for was given — else, every rest day having been worked, the last of them
    (厚生労働省「改正労働基準法に係る質疑応答」平成21年10月5日: 法定休日が特定されていない場合、暦週
    の日曜日と土曜日の両方に労働したときは、後順に位置する土曜日の労働が法定休日労働). None for a
    week without a rest day (no day of it is 法定休日労働; 4週4日 is the employer's matter).

    ``rest_days`` are the week's days that are not workdays (所定休日, whatever their weekday);
    ``worked_days`` the days with worked time."""
    ordered = sorted(rest_days)
    if not ordered:
        return None
    for day in ordered:
        if day not in worked_days:
            return day
    return ordered[-1]


def split_week(
    *,
    days: Sequence[WorkDay],
    daily_limit: int = DAILY_LIMIT,
    weekly_limit: int = WEEKLY_LIMIT,
    statutory_holidays: Collection[date] = (),
) -> list[DayMinutes]:
    """The worked minutes of one week, day by day, in the order of ``days``.

    ``days`` are days of one week (the caller chooses its first day), each date once and in
    chronological order, all within 7 days of the first; fewer than 7 days may be given. The week's minutes are walked in
    time order:

    - a minute on a ``statutory_holiday`` is 法定休日労働 (``holiday``) and counts toward neither the
      day's 8 hours nor the week's 40: 休日労働 is not 時間外 (労基法35条, 37条1項);
    - any other minute, in this order: 時間外 by the day (``overtime_daily``) once the day has
      ``daily_limit`` minutes before it (32条2項); else 時間外 by the week (``overtime_weekly``) once
      the week has ``weekly_limit`` counted minutes before it (32条1項), counting only minutes that
      were not already daily 時間外 so that no minute is 時間外 twice (昭和63年1月1日基発1号); else
      法定内残業 (``legal_overtime``) once the day has ``scheduled_minutes`` before it; else 所定内;
    - a minute between 22:00 and 05:00 Tokyo time is 深夜 (``night``, 37条4項) whatever its kind,
      and also ``overtime_night`` or ``holiday_night`` when it is 時間外 or 法定休日労働.

    A 所定休日 (``scheduled_holiday``) is classified like a workday — its hours that push the week
    past 40 are 時間外 — and its minutes are also reported in ``scheduled_holiday``. The
    ``scheduled_minutes`` of a statutory_holiday are not used.

    The 法定休日 is a calendar day, 0:00 to 24:00 (昭和23年4月5日基発535号), and 法定休日労働 is
    the work inside it whichever day the shift started (平成6年5月31日基発331号): a shift from the
    day before is 休日労働 from midnight; a shift from the 法定休日 into the next day is 休日労働 up
    to midnight only, and its minutes after midnight count toward the 8 hours of the day it
    started and toward its week like any others. ``statutory_holidays`` names the 法定休日 dates
    beyond ``days`` (the next week's first day when it is one); the statutory_holiday days in
    ``days`` are included.

    Intervals are timezone-aware, in whole minutes, each start before its end, in time order without
    overlap across the whole week, starting on or after the work_date's 00:00 Tokyo time and ending
    by 00:00 two days later. Anything else raises ValueError."""
    _check_limit(daily_limit, "daily_limit")
    _check_limit(weekly_limit, "weekly_limit")
    holidays = set(statutory_holidays) | {d.work_date for d in days if d.kind == "statutory_holiday"}
    segments = _validated_segments(days, holidays)

    result: list[DayMinutes] = []
    week_counted = 0  # the week's minutes toward 40 hours: non-holiday minutes that are not daily 時間外
    for day, day_segments in zip(days, segments, strict=True):
        worked = scheduled = legal = over_daily = over_weekly = night = over_night = 0
        holiday = holiday_night = 0
        counted = 0  # the day's worked minutes toward its 8 hours (法定休日 minutes are not)
        for length, is_night, on_holiday in day_segments:
            worked += length
            night += length if is_night else 0
            if on_holiday:
                holiday += length
                holiday_night += length if is_night else 0
                continue
            day_count = counted  # the day's counted minutes before the current chunk
            counted += length
            left = length
            while left:
                if day_count >= daily_limit:
                    chunk = left
                    over_daily += chunk
                    over_night += chunk if is_night else 0
                    # daily 時間外 is not counted toward the week (基発1号)
                elif week_counted >= weekly_limit:
                    chunk = min(left, daily_limit - day_count)
                    over_weekly += chunk
                    over_night += chunk if is_night else 0
                    week_counted += chunk
                else:
                    chunk = min(left, daily_limit - day_count, weekly_limit - week_counted)
                    if day_count < day.scheduled_minutes:
                        chunk = min(chunk, day.scheduled_minutes - day_count)
                        scheduled += chunk
                    else:
                        legal += chunk
                    week_counted += chunk
                day_count += chunk
                left -= chunk
        result.append(
            DayMinutes(
                work_date=day.work_date,
                worked=worked,
                scheduled=scheduled,
                legal_overtime=legal,
                overtime_daily=over_daily,
                overtime_weekly=over_weekly,
                overtime=over_daily + over_weekly,
                night=night,
                overtime_night=over_night,
                holiday=holiday,
                holiday_night=holiday_night,
                scheduled_holiday=worked - holiday if day.kind == "scheduled_holiday" else 0,
            )
        )
    return result


def _check_limit(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: 分数を整数で入れてください。")
    if value < 0:
        raise ValueError(f"{name}: 0分以上で入れてください。")


def _validated_segments(days: Sequence[WorkDay], holidays: set[date]) -> list[list[tuple[int, bool, bool]]]:
    """Each day's intervals checked and cut at the night boundaries and at midnight, as
    (minutes, is_night, is 法定休日労働)."""
    segments: list[list[tuple[int, bool, bool]]] = []
    previous_date: date | None = None
    previous_end: int | None = None  # minutes since the epoch, across the whole week
    for i, day in enumerate(days):
        name = f"days[{i}]"
        if day.kind not in KINDS:
            raise ValueError(
                f"{name}.kind: workday、scheduled_holiday、statutory_holiday のいずれかで入れてください。"
            )
        minutes = day.scheduled_minutes
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise ValueError(f"{name}.scheduled_minutes: 所定労働時間を分の整数で入れてください。")
        if not 0 <= minutes <= 24 * 60:
            raise ValueError(f"{name}.scheduled_minutes: 所定労働時間は0分から1440分の間で入れてください。")
        if previous_date is not None and day.work_date <= previous_date:
            raise ValueError(f"{name}.work_date: 日付の古い順に、同じ日を重ねずに入れてください。")
        if day.work_date - days[0].work_date >= timedelta(days=7):
            raise ValueError(f"{name}.work_date: 1週間(7日)の中の日だけを入れてください。")
        previous_date = day.work_date

        day_start = _minutes(datetime.combine(day.work_date, time(), tzinfo=TOKYO))
        day_limit = _minutes(datetime.combine(day.work_date + timedelta(days=2), time(), tzinfo=TOKYO))
        midnight = _minutes(datetime.combine(day.work_date + timedelta(days=1), time(), tzinfo=TOKYO))
        own_holiday = day.kind == "statutory_holiday"
        next_holiday = day.work_date + timedelta(days=1) in holidays
        day_segments: list[tuple[int, bool, bool]] = []
        for j, (start, end) in enumerate(day.intervals):
            where = f"{name}.intervals[{j}]"
            for moment in (start, end):
                if moment.tzinfo is None or moment.utcoffset() is None:
                    raise ValueError(f"{where}: タイムゾーン付きの日時で入れてください。")
                if moment.second or moment.microsecond:
                    raise ValueError(f"{where}: 勤務時間は分単位で入れてください(秒は使えません)。")
            # Subtract in UTC: two datetimes sharing a tzinfo subtract by wall clock, which a
            # daylight-saving zone would get wrong.
            begin, finish = _minutes(start), _minutes(end)
            if begin >= finish:
                raise ValueError(f"{where}: 終了は開始より後の時刻で入れてください。")
            if begin < day_start or finish > day_limit:
                raise ValueError(
                    f"{where}: 勤務はその日の0時以降に始まり、翌日の24時までに終わるように入れてください。"
                )
            if previous_end is not None and begin < previous_end:
                raise ValueError(f"{where}: 勤務時間が重なっています(または時刻の順になっていません)。")
            previous_end = finish
            cursor = begin
            for length, is_night in _night_split(begin, finish, start):
                before = max(0, min(length, midnight - cursor))  # the part before midnight
                if before:
                    day_segments.append((before, is_night, own_holiday))
                if length - before:
                    day_segments.append((length - before, is_night, next_holiday))
                cursor += length
        segments.append(day_segments)
    return segments


def _minutes(moment: datetime) -> int:
    """Whole minutes since the epoch (UTC)."""
    return (moment.astimezone(UTC) - _EPOCH) // _MINUTE


def _night_split(begin: int, finish: int, start: datetime) -> list[tuple[int, bool]]:
    """[begin, finish) as consecutive (minutes, is_night) pieces, night being 22:00–05:00 Tokyo."""
    pieces: list[tuple[int, bool]] = []
    cursor = begin
    local_date = start.astimezone(TOKYO).date() - timedelta(days=1)  # its 22:00 may cover the start
    while cursor < finish:
        night_from = _minutes(datetime.combine(local_date, NIGHT_START, tzinfo=TOKYO))
        night_to = _minutes(datetime.combine(local_date + timedelta(days=1), NIGHT_END, tzinfo=TOKYO))
        if cursor < night_from:
            stop = min(finish, night_from)
            pieces.append((stop - cursor, False))
            cursor = stop
        if cursor < finish and cursor < night_to:
            stop = min(finish, night_to)
            pieces.append((stop - cursor, True))
            cursor = stop
        local_date += timedelta(days=1)
    return pieces
