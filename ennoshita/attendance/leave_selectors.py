"""休暇 reads: the leave types, who may see which leave requests (one's own; a 所属長 their
departments'; 人事 everyone's), the lists with their filters, and the marks that the team-day and
出勤簿 screens show on a day (``leave_on_day``, ``leave_days``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.selectors.headcount import departments_headed_by

from .models import LeaveRequest, LeaveTaking, LeaveType, LeaveUnit, RequestState

LEAVE_ADMIN_ROLES = ("admin", "hr")
UNIT_ORDER: dict[str, int] = {
    LeaveUnit.FULL_DAY: 0,
    LeaveUnit.MORNING: 1,
    LeaveUnit.AFTERNOON: 2,
    LeaveUnit.HOURS: 3,
}


@dataclass(frozen=True)
class LeaveMark:
    """One employee's leave on one day, as a screen shows it."""

    request_id: int
    employee_id: int
    day: date
    type_name: str
    kind: str  # LeaveKind
    unit: str  # LeaveUnit: full, am, pm, hours
    unit_label: str  # 全日, 午前半休, 午後半休, 時間単位
    days: Decimal  # of this day: 1, 0.5 or 0 (hours)
    hours: int
    start_time: time | None
    end_time: time | None
    approved: bool  # False: waiting for approval (or returned)
    paid: bool
    planned: bool  # 計画的付与

    @property
    def label(self) -> str:
        """「年次有給休暇(午前半休)」, 「年次有給休暇 10:00〜12:00」, with 「(申請中)」 until approved."""
        if self.unit == LeaveUnit.HOURS and self.start_time and self.end_time:
            text = f"{self.type_name} {self.start_time:%H:%M}〜{self.end_time:%H:%M}"
        elif self.unit == LeaveUnit.FULL_DAY:
            text = self.type_name
        else:
            text = f"{self.type_name}({self.unit_label})"
        return text if self.approved else f"{text}(申請中)"


def leave_types(*, company: Company, active_only: bool = False) -> list[LeaveType]:
    """The company's types in display order (seeded on first use)."""
    from .services.leave import ensure_leave_types

    types = ensure_leave_types(company=company)
    return [t for t in types if t.is_active] if active_only else types


def get_leave_type(*, company: Company, leave_type_id: int) -> LeaveType:
    found = LeaveType.objects.for_company(company).filter(pk=leave_type_id).first()
    if found is None:
        raise NotFound()
    return found


def _marks(takings: QuerySet[LeaveTaking]) -> list[LeaveMark]:
    """A day's takings of one request (a day may draw on two grants) make one mark."""
    merged: dict[tuple[int, date], LeaveMark] = {}
    for t in takings.select_related("request", "leave_type").order_by("date", "request_id", "pk"):
        key = (t.request_id, t.date)
        r = t.request
        if key in merged:
            m = merged[key]
            merged[key] = LeaveMark(
                **{**m.__dict__, "days": m.days + t.days, "hours": m.hours + int(t.hours)}
            )
            continue
        merged[key] = LeaveMark(
            request_id=r.pk,
            employee_id=t.employee_id,
            day=t.date,
            type_name=t.leave_type.name,
            kind=t.leave_type.kind,
            unit=r.unit,
            unit_label=str(r.get_unit_display()),
            days=t.days,
            hours=int(t.hours),
            start_time=r.start_time,
            end_time=r.end_time,
            approved=r.state == RequestState.APPROVED,
            paid=t.leave_type.paid,
            planned=r.planned,
        )
    return list(merged.values())


def _held(company: Company) -> QuerySet[LeaveTaking]:
    return LeaveTaking.objects.for_company(company).filter(
        request__state__in=(RequestState.PENDING, RequestState.RETURNED, RequestState.APPROVED)
    )


def _rank(mark: LeaveMark) -> tuple[int, int, int]:
    return (0 if mark.approved else 1, UNIT_ORDER.get(mark.unit, 9), mark.request_id)


def leave_on_day(*, company: Company, day: date, employee_ids: list[int] | set[int]) -> dict[int, LeaveMark]:
    """For the team-day screen: each listed employee's leave on ``day`` (approved or waiting), one
    mark each — the weightiest when there are several (approved first; 全日, 午前, 午後, 時間).
    One query; no permission check (the caller already chose whom it shows)."""
    found: dict[int, LeaveMark] = {}
    for mark in _marks(_held(company).filter(date=day, employee_id__in=list(employee_ids))):
        current = found.get(mark.employee_id)
        if current is None or _rank(mark) < _rank(current):
            found[mark.employee_id] = mark
    return found


def leave_days(*, company: Company, employee_id: int, start: date, end: date) -> dict[date, list[LeaveMark]]:
    """For the 出勤簿: the employee's leave on each day of start..end that has any (approved or
    waiting), in the order approved first, 全日, 午前, 午後, 時間. One query; no permission check."""
    days: dict[date, list[LeaveMark]] = {}
    for mark in _marks(_held(company).filter(employee_id=employee_id, date__gte=start, date__lte=end)):
        days.setdefault(mark.day, []).append(mark)
    for marks in days.values():
        marks.sort(key=_rank)
    return days


def leave_days_of_many(
    *, company: Company, employee_ids: list[int], start: date, end: date
) -> dict[int, dict[date, list[LeaveMark]]]:
    """``leave_days`` for several employees in one query (the month for everyone, payroll)."""
    found: dict[int, dict[date, list[LeaveMark]]] = {}
    for mark in _marks(_held(company).filter(employee_id__in=employee_ids, date__gte=start, date__lte=end)):
        found.setdefault(mark.employee_id, {}).setdefault(mark.day, []).append(mark)
    for days in found.values():
        for marks in days.values():
            marks.sort(key=_rank)
    return found


# ------------------------------------------------------------------------------ who sees what
@dataclass(frozen=True)
class Scope:
    """What a reader may see: everyone (人事), or the employees in ``employee_ids`` (one's own and,
    for a 所属長, those placed today in the departments they head and those below)."""

    everyone: bool
    employee_ids: frozenset[int]
    own_id: int | None
    is_manager: bool

    def q(self) -> Q:
        return Q() if self.everyone else Q(employee_id__in=self.employee_ids)


def scope_of(*, company: Company, membership: Membership, today: date | None = None) -> Scope:
    today = today or timezone.localdate()
    own = people_selectors.own_employee_record(company=company, membership=membership)
    own_id = own.pk if own is not None else None
    if membership.has_any_role(*LEAVE_ADMIN_ROLES):
        return Scope(True, frozenset(), own_id, True)
    ids: set[int] = {own_id} if own_id is not None else set()
    headed = departments_headed_by(company=company, user_id=membership.user_id, as_of=today)
    if headed:
        team = people_selectors.employees_in_service(
            company=company, as_of=today, department_ids=list(headed)
        )
        ids |= {e.pk for e in team}
    return Scope(False, frozenset(ids), own_id, bool(headed))


def _base(company: Company) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.for_company(company).select_related("employee", "leave_type", "requested_by")


def get_leave_request(*, company: Company, membership: Membership, request_id: int) -> LeaveRequest:
    """One request the reader may see (NotFound otherwise, also for another company's id)."""
    scope = scope_of(company=company, membership=membership)
    found = _base(company).filter(scope.q(), pk=request_id).first()
    if found is None:
        raise NotFound()
    return found


def own_requests(*, company: Company, membership: Membership) -> QuerySet[LeaveRequest]:
    """The reader's own requests, newest first (none without an employee record)."""
    own = people_selectors.own_employee_record(company=company, membership=membership)
    return _base(company).filter(employee_id=own.pk if own is not None else -1).order_by("-start_date", "-pk")


@dataclass(frozen=True)
class ListFilters:
    state: str = ""
    leave_type_id: int | None = None
    department_id: int | None = None
    month: date | None = None
    q: str = ""


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def leave_request_list(
    *, company: Company, membership: Membership, filters: ListFilters | None = None
) -> QuerySet[LeaveRequest]:
    """休暇申請一覧: the requests the reader may see (人事 all, a 所属長 their team, anyone their
    own), filtered by state, type, department (placed there today, with the departments below),
    month (the requests touching it) and name or 社員番号 words; newest first. Fixed query count."""
    f = filters or ListFilters()
    scope = scope_of(company=company, membership=membership)
    qs = _base(company).filter(scope.q())
    if f.state:
        qs = qs.filter(state=f.state)
    if f.leave_type_id:
        qs = qs.filter(leave_type_id=f.leave_type_id)
    if f.department_id:
        ids = people_selectors.descendant_ids(company=company, department_id=f.department_id)
        placed = people_selectors.employees_in_service(
            company=company, as_of=timezone.localdate(), department_ids=ids
        )
        qs = qs.filter(employee_id__in=[e.pk for e in placed])
    if f.month:
        month = f.month.replace(day=1)
        qs = qs.filter(start_date__lte=_month_end(month), end_date__gte=month)
    for word in (f.q or "").split()[:5]:
        qs = qs.filter(
            Q(employee__family_name__icontains=word)
            | Q(employee__given_name__icontains=word)
            | Q(employee__family_name_kana__icontains=word)
            | Q(employee__given_name_kana__icontains=word)
            | Q(employee__number__icontains=word)
        )
    return qs.order_by("-start_date", "-pk")


def employee_choices(*, company: Company) -> list[tuple[int, str]]:
    """(id, 「社員番号 氏名」) of the employees in service today, for 人事's forms."""
    return [
        (e.pk, f"{e.number} {e.family_name} {e.given_name}")
        for e in people_selectors.employees_in_service(company=company, as_of=timezone.localdate())
    ]


def department_choices(*, company: Company) -> list[tuple[int, str]]:
    return [
        (d.pk, f"{'　' * depth}{d.name}") for d, depth in people_selectors.department_tree(company=company)
    ]


def balance_summary(*, company: Company, employee_id: int, as_of: date | None = None) -> list[Any]:
    """The employee's balance of each active type kept by balance (年次有給休暇 and the like):
    paid_leave_selectors.LeaveBalance rows, held days already subtracted."""
    from . import paid_leave_selectors

    day = as_of or timezone.localdate()
    return [
        paid_leave_selectors.leave_balance(
            company=company, employee_id=employee_id, leave_type_id=t.pk, as_of=day
        )
        for t in leave_types(company=company, active_only=True)
        if t.has_balance
    ]
