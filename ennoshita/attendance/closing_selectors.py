"""勤怠締め reads: whether an employee's month is closed (locked by 人事), one month's close state
with what the reader may do, and 人事's board of every employee of a month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ennoshita.core.dates import parse_month
from ennoshita.core.models import Company, Membership, User
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from .models import OPEN_STATES, CloseAction, MonthClose, MonthCloseEvent, Punch, PunchCorrection
from .rules import punches as punch_rules

CLOSE_ROLES = ("admin", "hr")  # 人事 and admins lock and reopen; the employee confirms
BOARD_STATUSES = ("unconfirmed", "confirmed", "locked", "open")


def month_is_locked(*, company: Company, employee_id: int, day: date) -> bool:
    """True when the month of ``day`` is closed for the employee: nothing of it may be written."""
    return (
        MonthClose.objects.for_company(company)
        .filter(employee_id=employee_id, month=day.replace(day=1), locked_at__isnull=False)
        .exists()
    )


def locked_months(
    *, company: Company, employee_ids: set[int], start: date, end: date
) -> set[tuple[int, date]]:
    """(employee id, first day of month) of every closed month touching start..end."""
    return set(
        MonthClose.objects.for_company(company)
        .filter(
            employee_id__in=employee_ids,
            month__gte=start.replace(day=1),
            month__lte=end.replace(day=1),
            locked_at__isnull=False,
        )
        .values_list("employee_id", "month")
    )


def parse_month_param(text: str) -> date | None:
    """ "2026-11" from a query string → 2026-11-01 (None when it is not a month)."""
    return parse_month(text[:20]) if text else None


def last_month(today: date | None = None) -> date:
    """The month a close usually concerns: the one before today's."""
    return ((today or timezone.localdate()).replace(day=1) - timedelta(days=1)).replace(day=1)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def month_has_ended(month: date, today: date | None = None) -> bool:
    """本人確認 and 締め wait until the month is over (its last day has passed)."""
    return (today or timezone.localdate()) > month_end(month)


def in_service_during(employee: Employee, month: date) -> bool:
    return employee.hire_date <= month_end(month) and (
        employee.retire_date is None or employee.retire_date >= month
    )


@dataclass(frozen=True)
class CloseEventRow:
    action: str
    label: str
    reason: str
    without_confirmation: bool
    actor: User
    at: datetime


@dataclass(frozen=True)
class MonthCloseState:
    """One employee's month: confirmed (本人確認) and locked (締め) by whom and when, every step, and
    what ``membership`` (when given) may do now. The partial ``attendance/closing/_month_panel.html``
    renders it as ``close_state``."""

    employee_id: int
    month: date
    month_ended: bool
    confirmed_at: datetime | None
    confirmed_by: User | None
    locked_at: datetime | None
    locked_by: User | None
    history: tuple[CloseEventRow, ...]
    is_own: bool = False
    can_confirm: bool = False
    can_unconfirm: bool = False
    can_lock: bool = False
    can_reopen: bool = False

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def locked_without_confirmation(self) -> bool:
        """The current lock was made before the employee confirmed the month."""
        locks = [e for e in self.history if e.action == CloseAction.LOCK]
        return self.locked and bool(locks) and locks[-1].without_confirmation


def _history(close: MonthClose | None) -> tuple[CloseEventRow, ...]:
    if close is None:
        return ()
    labels = dict(CloseAction.choices)
    events = MonthCloseEvent.objects.filter(close=close).select_related("actor").order_by("at", "pk")
    return tuple(
        CloseEventRow(
            e.action, str(labels.get(e.action, e.action)), e.reason, e.without_confirmation, e.actor, e.at
        )
        for e in events
    )


def month_close_state(
    *,
    company: Company,
    employee_id: int,
    month: date,
    membership: Membership | None = None,
    today: date | None = None,
) -> MonthCloseState:
    """The close state of ``employee_id``'s month (no permission check on reading: callers show it
    only where the reader may see the 出勤簿). ``membership`` fills the can_* flags."""
    month = month.replace(day=1)
    close = (
        MonthClose.objects.for_company(company)
        .filter(employee_id=employee_id, month=month)
        .select_related("confirmed_by", "locked_by")
        .first()
    )
    ended = month_has_ended(month, today)
    confirmed = close is not None and close.confirmed_at is not None
    locked = close is not None and close.locked_at is not None
    is_own = is_hr = False
    if membership is not None:
        own = people_selectors.own_employee_record(company=company, membership=membership)
        is_own = own is not None and own.pk == employee_id
        is_hr = membership.has_any_role(*CLOSE_ROLES)
    return MonthCloseState(
        employee_id=employee_id,
        month=month,
        month_ended=ended,
        confirmed_at=close.confirmed_at if close else None,
        confirmed_by=close.confirmed_by if close else None,
        locked_at=close.locked_at if close else None,
        locked_by=close.locked_by if close else None,
        history=_history(close),
        is_own=is_own,
        can_confirm=is_own and ended and not confirmed and not locked,
        can_unconfirm=is_own and confirmed and not locked,
        can_lock=is_hr and ended and not locked,
        can_reopen=is_hr and locked,
    )


# ------------------------------------------------------------------------------ 人事's board
@dataclass(frozen=True)
class CloseRow:
    employee: Employee
    department: str
    confirmed_at: datetime | None
    locked_at: datetime | None
    without_confirmation: bool
    open_days: int  # days with a 出勤 but no 退勤
    problem_days: int  # days whose punches do not follow 出勤 → 休憩 → 退勤
    pending_corrections: int  # 打刻修正申請 承認待ち or 差し戻し of the month

    @property
    def has_problems(self) -> bool:
        return bool(self.open_days or self.problem_days or self.pending_corrections)


def month_employees(
    *, company: Company, membership: Membership, month: date, q: str = ""
) -> QuerySet[Employee]:
    """Employees in service at any time of the month (hired by its end, not retired before it)."""
    month = month.replace(day=1)
    qs: Any = people_selectors.employee_list(
        company=company, membership=membership, q=q, status="all", as_of=month_end(month)
    )
    return qs.filter(
        Q(hire_date__lte=month_end(month)) & (Q(retire_date__isnull=True) | Q(retire_date__gte=month))
    )


def close_board_queryset(
    *, company: Company, membership: Membership, month: date, q: str = "", status: str = ""
) -> QuerySet[Employee]:
    """The board's employees, filtered by close status (unconfirmed, confirmed, locked, open = not locked)."""
    month = month.replace(day=1)
    qs: Any = month_employees(company=company, membership=membership, month=month, q=q)
    closes = MonthClose.objects.filter(company=company, employee=OuterRef("pk"), month=month)
    if status == "unconfirmed":
        qs = qs.exclude(Exists(closes.filter(confirmed_at__isnull=False))).exclude(
            Exists(closes.filter(locked_at__isnull=False))
        )
    elif status == "confirmed":
        qs = qs.filter(Exists(closes.filter(confirmed_at__isnull=False))).exclude(
            Exists(closes.filter(locked_at__isnull=False))
        )
    elif status == "locked":
        qs = qs.filter(Exists(closes.filter(locked_at__isnull=False)))
    elif status == "open":
        qs = qs.exclude(Exists(closes.filter(locked_at__isnull=False)))
    return qs


def close_rows(*, company: Company, month: date, employees: list[Employee]) -> list[CloseRow]:
    """Each employee's close state and the month's open problems, in a fixed number of queries:
    the punches of the month give each day's problems and days without 退勤 (rules/punches.py
    ``day_intervals``, as the 出勤簿 shows them); open 打刻修正申請 are counted too."""
    month = month.replace(day=1)
    last = month_end(month)
    ids = [e.pk for e in employees]
    closes = {
        c.employee_id: c
        for c in MonthClose.objects.for_company(company).filter(employee_id__in=ids, month=month)
    }
    latest_lock = _latest_lock_flags(company, [c.pk for c in closes.values() if c.locked_at])
    by_day: dict[tuple[int, date], list[tuple[str, datetime]]] = defaultdict(list)
    for employee_id, work_date, kind, at in (
        Punch.objects.for_company(company)
        .filter(employee_id__in=ids, work_date__gte=month, work_date__lte=last, voided_at__isnull=True)
        .order_by("at", "pk")
        .values_list("employee_id", "work_date", "kind", "at")
    ):
        by_day[(employee_id, work_date)].append((kind, at))
    open_days: dict[int, int] = defaultdict(int)
    problem_days: dict[int, int] = defaultdict(int)
    for (employee_id, _day), punches in by_day.items():
        found = punch_rules.day_intervals(punches)
        if found.open_since is not None:
            open_days[employee_id] += 1
        if found.problems:
            problem_days[employee_id] += 1
    pending: dict[int, int] = defaultdict(int)
    for employee_id in (
        PunchCorrection.objects.for_company(company)
        .filter(employee_id__in=ids, work_date__gte=month, work_date__lte=last, state__in=OPEN_STATES)
        .values_list("employee_id", flat=True)
    ):
        pending[employee_id] += 1
    rows = []
    for e in employees:
        close = closes.get(e.pk)
        rows.append(
            CloseRow(
                employee=e,
                department=getattr(e, "dept_name", None) or "",
                confirmed_at=close.confirmed_at if close else None,
                locked_at=close.locked_at if close else None,
                without_confirmation=bool(close and close.locked_at and latest_lock.get(close.pk)),
                open_days=open_days[e.pk],
                problem_days=problem_days[e.pk],
                pending_corrections=pending[e.pk],
            )
        )
    return rows


def _latest_lock_flags(company: Company, close_ids: list[int]) -> dict[int, bool]:
    """close id → whether its latest 締め was made without the employee's confirmation."""
    out: dict[int, bool] = {}
    for close_id, without in (
        MonthCloseEvent.objects.for_company(company)
        .filter(close_id__in=close_ids, action=CloseAction.LOCK)
        .order_by("-at", "-pk")
        .values_list("close_id", "without_confirmation")
    ):
        out.setdefault(close_id, without)
    return out


@dataclass(frozen=True)
class BoardCounts:
    total: int
    confirmed: int
    locked: int


def board_counts(*, company: Company, membership: Membership, month: date) -> BoardCounts:
    month = month.replace(day=1)
    ids = month_employees(company=company, membership=membership, month=month).values("pk")
    closes = MonthClose.objects.for_company(company).filter(month=month, employee_id__in=ids)
    return BoardCounts(
        total=month_employees(company=company, membership=membership, month=month).count(),
        confirmed=closes.filter(confirmed_at__isnull=False).count(),
        locked=closes.filter(locked_at__isnull=False).count(),
    )
