"""勤怠 reads: the punch screen's board (state, today, the last days) and the settings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from .models import AttendanceSettings, Punch, PunchState, WorkStatus
from .rules import punches as punch_rules

RECENT_DAYS = 7


def settings_of(*, company: Company) -> AttendanceSettings:
    """The company's settings; the defaults (not saved) until someone changes them."""
    found = AttendanceSettings.objects.for_company(company).first()
    return found if found is not None else AttendanceSettings(company=company)


@dataclass(frozen=True)
class DaySummary:
    work_date: date
    punches: list[Punch]
    first_in: datetime | None
    last_out: datetime | None
    worked_minutes: int
    break_minutes: int
    open: bool  # a shift without its 退勤
    problems: tuple[str, ...]

    @property
    def worked_label(self) -> str:
        return minutes_label(self.worked_minutes)

    @property
    def break_label(self) -> str:
        return minutes_label(self.break_minutes)


@dataclass(frozen=True)
class PunchBoard:
    employee: Employee
    status: str  # WorkStatus
    since: datetime | None
    allowed: tuple[str, ...]  # the kinds the buttons offer now
    forgotten_clock_in: datetime | None  # an old shift without its 退勤
    days: list[DaySummary]  # the last RECENT_DAYS work days with punches, newest first
    position_enabled: bool


def _status(state: PunchState | None, now: datetime) -> tuple[str, datetime | None, datetime | None]:
    """(status, since, forgotten clock-in) from the employee's last punch."""
    if state is None or not state.last_kind:
        return WorkStatus.OFF, None, None
    if state.last_kind == punch_rules.OUT:
        done_today = state.work_date == timezone.localdate(now)
        return (WorkStatus.DONE if done_today else WorkStatus.OFF), state.last_at, None
    if state.clock_in_at is not None and now - state.clock_in_at > punch_rules.FORGOTTEN_AFTER:
        return WorkStatus.OFF, None, state.clock_in_at
    if state.last_kind == punch_rules.BREAK_START:
        return WorkStatus.ON_BREAK, state.last_at, None
    return WorkStatus.WORKING, state.last_at, None


def _allowed(status: str, state: PunchState | None) -> tuple[str, ...]:
    if status in (WorkStatus.OFF, WorkStatus.DONE):
        return (punch_rules.IN,)
    assert state is not None
    return punch_rules.ALLOWED_NEXT[state.last_kind]


def summarize(work_date: date, punches: list[Punch]) -> DaySummary:
    found = punch_rules.day_intervals([(p.kind, p.at) for p in punches])
    ins = [p.at for p in punches if p.kind == punch_rules.IN]
    outs = [p.at for p in punches if p.kind == punch_rules.OUT]
    return DaySummary(
        work_date=work_date,
        punches=punches,
        first_in=ins[0] if ins else None,
        last_out=outs[-1] if outs else None,
        worked_minutes=punch_rules.worked_minutes(found.intervals),
        break_minutes=punch_rules.worked_minutes(found.breaks),
        open=found.open_since is not None,
        problems=found.problems,
    )


def punch_board(
    *, company: Company, membership: Membership, now: datetime | None = None
) -> PunchBoard | None:
    """The signed-in member's own board; None when no employee record is linked to the user."""
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is None:
        return None
    now = now or timezone.now()
    state = PunchState.objects.for_company(company).filter(employee=employee).first()
    status, since, forgotten = _status(state, now)
    recent_dates = list(
        Punch.objects.for_company(company)
        .filter(employee=employee, voided_at__isnull=True)
        .order_by("-work_date")
        .values_list("work_date", flat=True)
        .distinct()[:RECENT_DAYS]
    )
    by_day: dict[date, list[Punch]] = defaultdict(list)
    for punch in (
        Punch.objects.for_company(company)
        .filter(employee=employee, work_date__in=recent_dates, voided_at__isnull=True)
        .order_by("at", "pk")
    ):
        by_day[punch.work_date].append(punch)
    days = [summarize(d, by_day[d]) for d in sorted(by_day, reverse=True)]
    return PunchBoard(
        employee=employee,
        status=status,
        since=since,
        allowed=_allowed(status, state),
        forgotten_clock_in=forgotten,
        days=days,
        position_enabled=settings_of(company=company).position_enabled,
    )


def employee_punches(*, company: Company, employee_id: int, start: date, end: date) -> list[Punch]:
    """An employee's punches of the work days start..end, in time order."""
    return list(
        Punch.objects.for_company(company)
        .filter(employee_id=employee_id, work_date__gte=start, work_date__lte=end, voided_at__isnull=True)
        .order_by("at", "pk")
    )


def employees_with_punches(*, company: Company, start: date, end: date) -> set[int]:
    """The ids of the employees with a punch on a work day start..end (one query)."""
    return set(
        Punch.objects.for_company(company)
        .filter(work_date__gte=start, work_date__lte=end, voided_at__isnull=True)
        .order_by()  # Punch's default ordering would put "at" into the DISTINCT (a row per punch)
        .values_list("employee_id", flat=True)
        .distinct()
    )


def minutes_label(minutes: int) -> str:
    """7:30 for 450 minutes, for screens (hours may pass 24)."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}"


__all__ = [
    "RECENT_DAYS",
    "DaySummary",
    "PunchBoard",
    "employee_punches",
    "employees_with_punches",
    "punch_board",
    "settings_of",
]
