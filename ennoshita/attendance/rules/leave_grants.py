"""年次有給休暇: when it is granted, how long it lasts, the 8割 test, which grant a day is drawn from,
and the 年5日取得義務 (pure functions, no database; jp-rules §4.3, docs/domains/attendance.md).

Sources: 労基法39条 (1項 6か月・8割, 2項 the yearly steps, 3項 比例付与, 4項 時間単位年休, 7項・8項
the 5 days), 115条 (2 years), 労基則24条の3 (比例付与), 24条の4 (時間単位), 24条の5 (前倒し and
the 5 days), 24条の7 (管理簿); 平6.1.4基発1号 (斉一的取扱い・分割付与: the shortened 8割 period is
deemed attended); 平21.5.29基発0529001号 (時間単位: a day is the 所定労働時間 rounded up to hours);
平30.9.7基発0907第1号 (the 5 days).

Amounts: a balance is kept in **units of half an hour** so that days, half days and hours of any
length of day add up exactly: a day is ``2 × hours_per_day`` units, a half day ``hours_per_day``
units, an hour 2 units.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from .paid_leave import SERVICE_STEPS

ANNUAL_EXPIRY_MONTHS = 24  # 労基法115条: the claim lapses 2 years after it can be exercised
LEGAL_FIRST_GRANT_MONTHS = 6  # 労基法39条1項: after 6 months of continuous service
ATTENDANCE_THRESHOLD = Decimal("0.8")  # 39条1項・2項: 全労働日の8割以上出勤
FIVE_DAY_GRANT_MIN = Decimal(10)  # 39条7項: workers granted 10 days or more
FIVE_DAYS = Decimal(5)
HOURLY_DAYS_MAX = 5  # 39条4項2号: 時間単位年休 up to 5 days a year
NO_EXPIRY = date(9999, 12, 31)


# ---------------------------------------------------------------------------------------------
# dates


def months_after(start: date, months: int) -> date:
    """The day a period of ``months`` months counted from ``start`` (its first day included) is
    over: the same day of the month ``months`` later, or — when that month has no such day — the
    first day of the month after (民法143条2項: the period then ends on the last day of the month).
    So a worker hired on 2024-04-01 completes 6 months on 2024-09-30 and is granted on 2024-10-01;
    hired on 2024-08-31, completes them on 2025-02-28 and is granted on 2025-03-01."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day)
    return date(year, month, last) + timedelta(days=1)


def expiry_date(granted_on: date, months: int | None = ANNUAL_EXPIRY_MONTHS) -> date:
    """The last day a grant can be used: the day before the anniversary (労基法115条: 2 years, so
    a grant of 2024-10-01 is usable through 2026-09-30 and gone on 2026-10-01). None: no expiry."""
    if months is None:
        return NO_EXPIRY
    return months_after(granted_on, months) - timedelta(days=1)


def months_spanned(start: date, end: date) -> int:
    """Months from ``start`` to ``end`` (both included), a part of a month counting as a whole one
    (平30.9.7基発0907第1号 on the 比例按分 of 則24条の5第2項)."""
    months = 0
    while months_after(start, months) <= end:
        months += 1
    return months


# ---------------------------------------------------------------------------------------------
# the schedule


@dataclass(frozen=True)
class GrantDue:
    """One grant the law (or the company's earlier date) calls for.

    ``service_months`` is the column of the grant tables it takes (6, 18, 30 … 78, then 90, 102 …
    for the later years — every value ≥ 78 is the last column), so a grant is identified by it.
    ``period_start``..``period_end`` is the 8割 period actually passed; ``deemed_until`` (when set)
    ends the part of the legal period cut off by the earlier date, which counts as attended."""

    granted_on: date
    service_months: int
    period_start: date
    period_end: date
    deemed_until: date | None
    expires_on: date


def _due(granted_on: date, step: int, start: date, legal_end: date) -> GrantDue:
    end = granted_on - timedelta(days=1)
    return GrantDue(
        granted_on=granted_on,
        service_months=SERVICE_STEPS[0] + 12 * step,
        period_start=start,
        period_end=end,
        deemed_until=legal_end if legal_end > end else None,
        expires_on=expiry_date(granted_on),
    )


def next_reference_date(after: date, month: int, day: int) -> date:
    """The first company 基準日 (month/day; a 29 February in other years is 1 March) after ``after``."""
    for year in (after.year, after.year + 1):
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, day) if day <= last else date(year, month, last) + timedelta(days=1)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def grant_dates(
    *,
    hire_date: date,
    until: date,
    reference_month: int | None = None,
    reference_day: int = 1,
    first_grant_months: int = LEGAL_FIRST_GRANT_MONTHS,
) -> list[GrantDue]:
    """Every grant due from hire to ``until`` (included), oldest first.

    - Each employee's own dates (``reference_month`` None): the first grant ``first_grant_months``
      after hire (6 by 39条1項; earlier if the company grants earlier), then every year from it
      (39条2項).
    - A company 基準日 (斉一的取扱い with 前倒し付与, 平6.1.4基発1号): the first grant as above, then
      on the first 基準日 after it and every year on the 基準日, each with the days of the next
      step of the table. No grant comes later, and none is smaller, than the law's: the k-th grant
      is at most k−1 years after the first, which is at most 6 months after hire.
    - The 8割 period of a grant runs from hire (the first) or from the previous grant; where it is
      shorter than the law's (6 months, then a year), the cut-off part counts as attended
      (平6.1.4基発1号: 短縮された期間は全期間出勤したものとみなす)."""
    if not 0 <= first_grant_months <= LEGAL_FIRST_GRANT_MONTHS:
        raise ValueError("first_grant_months: 初回付与は入社から0〜6か月で指定してください。")
    first = months_after(hire_date, first_grant_months)
    legal_first_end = months_after(hire_date, LEGAL_FIRST_GRANT_MONTHS) - timedelta(days=1)
    dues: list[GrantDue] = []
    if first > until:
        return dues
    dues.append(_due(first, 0, hire_date, legal_first_end))
    previous = first
    step = 1
    while True:
        if reference_month is None:
            following = months_after(first, 12 * step)
        else:
            following = next_reference_date(previous, reference_month, reference_day)
        if following > until:
            return dues
        legal_end = months_after(previous, 12) - timedelta(days=1)
        dues.append(_due(following, step, previous, legal_end))
        previous = following
        step += 1


# ---------------------------------------------------------------------------------------------
# the 8割 test


def attendance_rate(*, attended_days: int, working_days: int, deemed_days: int = 0) -> Decimal:
    """出勤率 = 出勤日 ÷ 全労働日 (39条1項), the deemed days (cut-off period) added to both. Shown
    to 4 places, rounded down; the test itself (``meets_attendance_test``) is exact. No working
    day at all (every day excluded) is 100 %: there was nothing to miss."""
    if min(attended_days, working_days, deemed_days) < 0 or attended_days > working_days:
        raise ValueError("attended_days: 出勤日は0以上で、全労働日以下にしてください。")
    total = working_days + deemed_days
    if total == 0:
        return Decimal(1)
    rate = Decimal(attended_days + deemed_days) / Decimal(total)
    return rate.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)


def meets_attendance_test(*, attended_days: int, working_days: int, deemed_days: int = 0) -> bool:
    """全労働日の8割以上出勤したか: exactly 80 % passes (「8割以上」), in integers (5 × 出勤 ≥ 4 × 全労働日)."""
    attendance_rate(attended_days=attended_days, working_days=working_days, deemed_days=deemed_days)
    return 5 * (attended_days + deemed_days) >= 4 * (working_days + deemed_days)


@dataclass(frozen=True)
class AttendanceCount:
    working_days: int  # 全労働日
    attended_days: int  # 出勤日 (leave counted as attended included)


def count_attendance(
    *,
    workdays: Iterable[date],
    worked: set[date],
    counted_leave: set[date],
    excluded: set[date] = frozenset(),  # type: ignore[assignment]
) -> AttendanceCount:
    """全労働日 and 出勤日 over the period's scheduled workdays (昭63.3.14基発150号, 平25.7.10基発0710第3号):
    days off by the company's reason (休業, 代休・振替 given by the company) are not 全労働日;
    a day worked or on leave that counts as attended (年休 itself, 産前産後・育児・介護休業,
    業務上の傷病 — 39条10項) is 出勤. Work on a rest day is neither (it is not a 労働日)."""
    working = attended = 0
    for day in workdays:
        if day in excluded:
            continue
        working += 1
        if day in worked or day in counted_leave:
            attended += 1
    return AttendanceCount(working_days=working, attended_days=attended)


# ---------------------------------------------------------------------------------------------
# amounts: days, half days and hours in half-hour units


def hours_per_day(scheduled_minutes: int) -> int:
    """時間単位年休の1日の時間数: the 所定労働時間 of a day rounded **up** to whole hours
    (労基則24条の4, 平21.5.29基発0529001号: 7時間30分 → 8時間). At least 1."""
    return max(-(-scheduled_minutes // 60), 1)


def to_units(*, days: Decimal | int, hours: Decimal | int, hours_per_day: int) -> int:
    """Days (in half days) and hours (in half hours) as half-hour units."""
    value = Decimal(days) * 2 * hours_per_day + Decimal(hours) * 2
    if value != value.to_integral_value():
        raise ValueError("days: 日数は0.5日単位、時間数は0.5時間単位で指定してください。")
    return int(value)


def from_units(units: int, hours_per_day: int) -> tuple[Decimal, Decimal]:
    """Units as (days, hours) the way a person reads a balance: whole days and the hours left
    (10日 − 1時間 = 9日と7時間), except that exactly half a day left is shown as 0.5日."""
    sign = -1 if units < 0 else 1
    units = abs(units)
    day = 2 * hours_per_day
    days = Decimal(units // day)
    rest = units % day
    if rest == hours_per_day:
        days += Decimal("0.5")
        rest = 0
    return sign * days, sign * Decimal(rest) / 2


@dataclass(frozen=True)
class Lot:
    """What is left of one grant: usable from ``granted_on`` through ``expires_on``."""

    key: Hashable
    granted_on: date
    expires_on: date
    units: int

    def valid_on(self, day: date) -> bool:
        return self.granted_on <= day <= self.expires_on


@dataclass(frozen=True)
class Draw:
    key: Hashable
    units: int


class InsufficientBalance(ValueError):
    def __init__(self, available: int) -> None:
        super().__init__("insufficient balance")
        self.available = available


def available_on(lots: Iterable[Lot], day: date) -> int:
    return sum(lot.units for lot in lots if lot.valid_on(day) and lot.units > 0)


def draw(*, lots: Sequence[Lot], day: date, units: int) -> list[Draw]:
    """Take ``units`` for ``day`` from the grants valid that day, the oldest first (the one granted
    first, then the one expiring first), splitting across grants where one runs out. Raises
    InsufficientBalance (with what was available) when the valid grants do not hold enough; a
    grant past its expiry or not yet granted on ``day`` is never touched."""
    if units < 0:
        raise ValueError("units: 0以上で指定してください。")
    usable = sorted(
        (lot for lot in lots if lot.valid_on(day) and lot.units > 0),
        key=lambda lot: (lot.granted_on, lot.expires_on, str(lot.key)),
    )
    available = sum(lot.units for lot in usable)
    if available < units:
        raise InsufficientBalance(available)
    draws: list[Draw] = []
    need = units
    for lot in usable:
        if need == 0:
            break
        take = min(lot.units, need)
        draws.append(Draw(lot.key, take))
        need -= take
    return draws


def apply_draws(lots: Sequence[Lot], draws: Iterable[Draw]) -> list[Lot]:
    taken: dict[Hashable, int] = {}
    for item in draws:
        taken[item.key] = taken.get(item.key, 0) + item.units
    return [Lot(lot.key, lot.granted_on, lot.expires_on, lot.units - taken.get(lot.key, 0)) for lot in lots]


def hourly_year(grant_days: Iterable[date], day: date) -> tuple[date, date] | None:
    """The year of 時間単位年休 holding ``day`` (39条4項 counts 5 days a year; we count them per
    grant year, from the latest grant on or before the day for one year). None before any grant."""
    starts = [g for g in grant_days if g <= day]
    if not starts:
        return None
    start = max(starts)
    return start, months_after(start, 12) - timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# 年5日取得義務


@dataclass(frozen=True)
class FiveDayPeriod:
    """Days that must be taken from ``start`` through ``deadline`` (39条7項). ``grant_dates``: the
    grants of 10 days or more it covers (two when 則24条の5第2項 joined overlapping years)."""

    start: date
    deadline: date
    required: Decimal
    grant_dates: tuple[date, ...]


def _round_up_half(value: Decimal) -> Decimal:
    return (value * 2).to_integral_value(rounding=ROUND_CEILING) / 2


def five_day_periods(grants: Iterable[tuple[date, Decimal]]) -> list[FiveDayPeriod]:
    """The periods of the 年5日取得義務 from an employee's grants (date, days).

    Only grants of 10 days or more oblige (39条7項; a 前倒し grant of 10 days starts its year on its
    own date, 則24条の5第1項). Each year from such a grant must hold 5 days; where the next such
    grant comes before that year ends (前倒し to a company 基準日), the two years are joined into
    one period from the first grant to a year after the second, and the days due are
    5 × months ÷ 12 (則24条の5第2項, 比例按分; a part of a month counts as a month), rounded up to
    the half day — the half day being the smallest unit that counts (平30.9.7基発0907第1号)."""
    dates = sorted(d for d, days in grants if Decimal(days) >= FIVE_DAY_GRANT_MIN)
    periods: list[FiveDayPeriod] = []
    for granted_on in dates:
        end = months_after(granted_on, 12) - timedelta(days=1)
        if periods and granted_on <= periods[-1].deadline:
            joined = periods.pop()
            months = months_spanned(joined.start, end)
            periods.append(
                FiveDayPeriod(
                    start=joined.start,
                    deadline=end,
                    required=_round_up_half(FIVE_DAYS * months / 12),
                    grant_dates=(*joined.grant_dates, granted_on),
                )
            )
        else:
            periods.append(FiveDayPeriod(granted_on, end, FIVE_DAYS, (granted_on,)))
    return periods


def day_count_for_five_days(unit: str) -> Decimal:
    """How much one date of leave counts toward the 5 days (39条8項, 平30.9.7基発0907第1号): a day 1,
    a half day 0.5, hours nothing (時間単位年休 does not count)."""
    return {"full": Decimal(1), "am": Decimal("0.5"), "pm": Decimal("0.5")}.get(unit, Decimal(0))
