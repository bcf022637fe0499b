"""From punches to worked time: the rules of the button (pure; no database).

- The state machine of a work day: 出勤 → (休憩開始 → 休憩終了)* → 退勤.
- Worked intervals to the minute without taking a minute from the worker: a start (出勤, 休憩終了)
  is counted from the minute it falls in, an end (休憩開始, 退勤) to the end of its minute. Rounding a
  day's time down is unlawful (労基法24条・37条; 基発150号 allows rounding only the month's totals),
  so nothing here rounds against the worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# marks the messages for translation without calling Django: they stay plain strings here
from django.utils.translation import gettext_noop

IN, BREAK_START, BREAK_END, OUT = "in", "break_start", "break_end", "out"

# what may follow each last punch of a day ("" = nothing yet, or the shift is closed)
ALLOWED_NEXT: dict[str, tuple[str, ...]] = {
    "": (IN,),
    IN: (BREAK_START, OUT),
    BREAK_START: (BREAK_END,),
    BREAK_END: (BREAK_START, OUT),
    OUT: (IN,),
}

# A shift open this long is taken as a forgotten 退勤: the button offers 出勤 again and the open
# shift waits for a correction (a real shift, 24-hour rosters included, is shorter).
FORGOTTEN_AFTER = timedelta(hours=26)

MESSAGES = {
    IN: gettext_noop("出勤中です。先に退勤を打刻してください。"),
    BREAK_START: gettext_noop("勤務中ではないため休憩を始められません。"),
    BREAK_END: gettext_noop("休憩中ではありません。"),
    OUT: gettext_noop("出勤していないため退勤できません。"),
}
ON_BREAK_OUT = gettext_noop("休憩中です。休憩終了を打刻してから退勤してください。")


def refusal(*, last_kind: str, kind: str) -> str | None:
    """Why ``kind`` may not follow ``last_kind`` (a Japanese message), or None when it may."""
    if kind in ALLOWED_NEXT.get(last_kind, ()):
        return None
    if kind == OUT and last_kind == BREAK_START:
        return ON_BREAK_OUT
    return MESSAGES.get(kind, gettext_noop("この打刻はできません。"))


def floor_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def ceil_minute(moment: datetime) -> datetime:
    floored = floor_minute(moment)
    return floored if floored == moment else floored + timedelta(minutes=1)


@dataclass(frozen=True)
class DayIntervals:
    intervals: tuple[tuple[datetime, datetime], ...]  # worked, whole minutes, breaks removed
    breaks: tuple[tuple[datetime, datetime], ...]
    open_since: datetime | None  # a start without its end (still working, or a forgotten 退勤)
    problems: tuple[str, ...]  # what does not follow the state machine, in Japanese


def day_intervals(punches: Sequence[tuple[str, datetime]]) -> DayIntervals:
    """The worked intervals and breaks of one work day from its punches in time order
    (``(kind, at)``). A punch out of order is listed in ``problems`` and skipped."""
    intervals: list[tuple[datetime, datetime]] = []
    breaks: list[tuple[datetime, datetime]] = []
    problems: list[str] = []
    last = ""
    start: datetime | None = None
    break_start: datetime | None = None
    prev_end: datetime | None = None
    for kind, at in punches:
        message = refusal(last_kind=last, kind=kind)
        if message is not None:
            problems.append(f"{at:%H:%M} {message}")
            continue
        if kind in (IN, BREAK_END):
            start = floor_minute(at)
            if prev_end is not None and start < prev_end:
                start = prev_end  # a break shorter than a minute: the minute is counted once
            if kind == BREAK_END and break_start is not None:
                breaks.append((break_start, start))
                break_start = None
        else:
            end = ceil_minute(at)
            if start is not None and end > start:
                intervals.append((start, end))
                prev_end = end
            start = None
            if kind == BREAK_START:
                break_start = end
        last = kind
    return DayIntervals(tuple(intervals), tuple(breaks), start, tuple(problems))


def worked_minutes(intervals: Sequence[tuple[datetime, datetime]]) -> int:
    return sum((end - start) // timedelta(minutes=1) for start, end in intervals)
