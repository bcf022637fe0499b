"""年次有給休暇 reads: balances (days and hours left, grant by grant, with their expiry), the
年5日取得義務, and the 年次有給休暇管理簿. Selectors do not check permissions unless they take a
``membership``; the screens and the API do (docs/domains/attendance.md, 「年次有給休暇」).

A balance is counted in half-hour units (rules/leave_grants.py): a grant's units less the units of
every taking drawn from it, pending (held) or approved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, Role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee
from ennoshita.people.selectors.headcount import departments_headed_by

from .models import (
    AttendanceProfile,
    LeaveGrant,
    LeaveKind,
    LeavePolicy,
    LeaveTaking,
    LeaveType,
    LeaveUnit,
    WorkSystem,
)
from .rules import leave_grants as rules
from .timesheet_selectors import work_rule_of

HR_ROLES = (Role.ADMIN, Role.HR)
RETENTION_YEARS = 5  # 則24条の7・附則72条: the 管理簿 is kept 5 years (当分の間3年; we keep 5)


# ---------------------------------------------------------------------------------------------
# company settings and the employee's day


def policy_of(*, company: Company) -> LeavePolicy:
    """The company's 年休 policy; the law's defaults (own dates, first grant at 6 months, no
    時間単位年休) until 人事 saves one."""
    found = LeavePolicy.objects.for_company(company).first()
    return found if found is not None else LeavePolicy(company=company)


def annual_leave_type(*, company: Company) -> LeaveType | None:
    """The company's 年次有給休暇 type (kind ``annual``), None when it has none yet."""
    return (
        LeaveType.objects.for_company(company)
        .filter(kind=LeaveKind.ANNUAL)
        .order_by("-is_active", "sort_order", "pk")
        .first()
    )


@dataclass(frozen=True)
class WorkWeek:
    """What decides 比例付与 (労基法39条3項, 則24条の3) and the hours of a day of leave."""

    weekly_days: int
    weekly_hours: Decimal
    annual_days: int | None
    day_minutes: int  # 所定労働時間 of a day (the average where days differ)


def _profiles(company: Company, employee_ids: list[int]) -> dict[int, AttendanceProfile]:
    return {
        p.employee_id: p
        for p in AttendanceProfile.objects.for_company(company).filter(employee_id__in=employee_ids)
    }


def _week_of(rule_days: int, rule_minutes: int, profile: AttendanceProfile | None) -> WorkWeek:
    days = rule_days
    weekly_minutes = rule_minutes * rule_days
    annual = None
    if profile is not None:
        if profile.weekly_days is not None:
            days = profile.weekly_days
        if profile.weekly_minutes is not None:
            weekly_minutes = profile.weekly_minutes
        elif profile.weekly_days is not None:
            weekly_minutes = rule_minutes * profile.weekly_days
        annual = profile.annual_days
    day_minutes = -(-weekly_minutes // days) if days else rule_minutes
    return WorkWeek(days, Decimal(weekly_minutes) / 60, annual, day_minutes)


def work_weeks(*, company: Company, employee_ids: list[int]) -> dict[int, WorkWeek]:
    """Each employee's agreed week: their attendance profile, else the company's work rule."""
    rule = work_rule_of(company=company)
    minutes = rule.flex_standard_minutes if rule.system == WorkSystem.FLEX else rule.scheduled_minutes
    profiles = _profiles(company, employee_ids)
    return {e: _week_of(len(rule.workdays), minutes, profiles.get(e)) for e in employee_ids}


def hours_per_day_of(*, company: Company, employee_id: int) -> int:
    """Hours in a day of 時間単位年休 (所定労働時間 rounded up, 平21.5.29基発0529001号)."""
    week = work_weeks(company=company, employee_ids=[employee_id])[employee_id]
    return rules.hours_per_day(week.day_minutes)


# ---------------------------------------------------------------------------------------------
# balances


def taking_units(days: Decimal, hours: Decimal, hpd: int) -> int:
    return rules.to_units(days=days, hours=hours, hours_per_day=hpd)


def used_by_grant(
    *, company: Company, grant_ids: list[int], approved: bool | None = None
) -> dict[int, tuple]:
    """(days, hours) drawn from each grant by takings (pending and approved, or only one of them)."""
    qs = LeaveTaking.objects.for_company(company).filter(grant_id__in=grant_ids)
    if approved is not None:
        qs = qs.filter(approved=approved)
    return {
        row["grant_id"]: (row["d"] or Decimal(0), row["h"] or Decimal(0))
        for row in qs.values("grant_id").annotate(d=Sum("days"), h=Sum("hours"))
    }


@dataclass(frozen=True)
class GrantBalance:
    grant_id: int
    granted_on: date
    expires_on: date
    days: Decimal  # granted
    source: str
    source_label: str
    note: str
    service_months: int | None
    attendance_rate: Decimal | None
    used_days: Decimal  # what has been drawn, as days and hours
    used_hours: Decimal
    remaining_days: Decimal
    remaining_hours: Decimal
    remaining_units: int
    valid: bool  # usable on the balance's date
    expired: bool


@dataclass(frozen=True)
class LeaveBalance:
    """An employee's balance of one leave type on ``as_of``: what can still be requested (held
    days already subtracted), grant by grant (oldest first), and what expires next."""

    employee_id: int
    leave_type_id: int | None
    leave_type_name: str
    as_of: date
    hours_per_day: int
    remaining_days: Decimal
    remaining_hours: Decimal
    remaining_units: int
    pending_days: Decimal  # held by requests awaiting approval
    pending_hours: Decimal
    next_expiry: date | None
    next_expiry_days: Decimal
    next_expiry_hours: Decimal
    grants: tuple[GrantBalance, ...]

    @property
    def label(self) -> str:
        return days_hours_label(self.remaining_days, self.remaining_hours)


def days_hours_label(days: Decimal, hours: Decimal) -> str:
    """「9日と7時間」「9.5日」「3時間」 — a balance the way a person reads it."""

    def plain(value: Decimal) -> str:
        return f"{value.normalize():f}"

    if hours and days:
        return f"{plain(days)}日と{plain(hours)}時間"
    if hours:
        return f"{plain(hours)}時間"
    return f"{plain(days)}日"


def _grant_balance(grant: LeaveGrant, used: tuple, hpd: int, as_of: date) -> GrantBalance:
    used_units = taking_units(used[0], used[1], hpd)
    units = taking_units(grant.days, Decimal(0), hpd) - used_units
    rem_days, rem_hours = rules.from_units(units, hpd)
    used_days, used_hours = rules.from_units(used_units, hpd)
    return GrantBalance(
        grant_id=grant.pk,
        granted_on=grant.granted_on,
        expires_on=grant.expires_on,
        days=grant.days,
        source=grant.source,
        source_label=grant.get_source_display(),
        note=grant.note,
        service_months=grant.service_months,
        attendance_rate=grant.attendance_rate,
        used_days=used_days,
        used_hours=used_hours,
        remaining_days=rem_days,
        remaining_hours=rem_hours,
        remaining_units=units,
        valid=grant.granted_on <= as_of <= grant.expires_on,
        expired=grant.expires_on < as_of,
    )


def _resolve_type(company: Company, leave_type_id: int | None) -> LeaveType | None:
    if leave_type_id is None:
        return annual_leave_type(company=company)
    found = LeaveType.objects.for_company(company).filter(pk=leave_type_id).first()
    if found is None:
        raise NotFound()
    return found


def leave_balance(
    *, company: Company, employee_id: int, leave_type_id: int | None = None, as_of: date
) -> LeaveBalance:
    """The balance of ``employee_id`` (NotFound for an id of no employee of the company) in the
    leave type (the 年次有給休暇 type when None) on ``as_of``. Three queries."""
    if not Employee.objects.for_company(company).filter(pk=employee_id).exists():
        raise NotFound()
    leave_type = _resolve_type(company, leave_type_id)
    hpd = hours_per_day_of(company=company, employee_id=employee_id)
    grants: list[LeaveGrant] = []
    if leave_type is not None:
        grants = list(
            LeaveGrant.objects.for_company(company)
            .filter(employee_id=employee_id, leave_type=leave_type)
            .order_by("granted_on", "expires_on", "pk")
        )
    ids = [g.pk for g in grants]
    used = used_by_grant(company=company, grant_ids=ids)
    pending = used_by_grant(company=company, grant_ids=ids, approved=False)
    rows = tuple(_grant_balance(g, used.get(g.pk, (0, 0)), hpd, as_of) for g in grants)
    valid = [r for r in rows if r.valid]
    units = sum(r.remaining_units for r in valid)
    pending_units = sum(
        taking_units(d, h, hpd)
        for gid, (d, h) in pending.items()
        if any(r.grant_id == gid and r.valid for r in rows)
    )
    expiring = [r for r in valid if r.remaining_units > 0 and r.expires_on != rules.NO_EXPIRY]
    first = min((r.expires_on for r in expiring), default=None)
    expiring_units = sum(r.remaining_units for r in expiring if r.expires_on == first)
    days, hours = rules.from_units(units, hpd)
    p_days, p_hours = rules.from_units(pending_units, hpd)
    e_days, e_hours = rules.from_units(expiring_units, hpd)
    return LeaveBalance(
        employee_id=employee_id,
        leave_type_id=leave_type.pk if leave_type else None,
        leave_type_name=leave_type.name if leave_type else "",
        as_of=as_of,
        hours_per_day=hpd,
        remaining_days=days,
        remaining_hours=hours,
        remaining_units=units,
        pending_days=p_days,
        pending_hours=p_hours,
        next_expiry=first,
        next_expiry_days=e_days,
        next_expiry_hours=e_hours,
        grants=rows,
    )


# ---------------------------------------------------------------------------------------------
# who may read whose


def _own(company: Company, membership: Membership) -> Employee | None:
    return people_selectors.own_employee_record(company=company, membership=membership)


def readable_employee(*, company: Company, membership: Membership, employee_id: int | None) -> Employee:
    """The employee whose leave the reader may see: their own (``employee_id`` None or theirs),
    anyone for 人事 and admins, their team's for a 所属長; NotFound for an id of no employee here,
    PermissionDeniedError for a colleague outside the reader's reach."""
    own = _own(company, membership)
    if employee_id is None or (own is not None and own.pk == employee_id):
        if own is None:
            raise NotFound()
        return own
    found = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if found is None:
        raise NotFound()
    if membership.has_any_role(*HR_ROLES):
        return found
    team = team_employee_ids(company=company, membership=membership, as_of=None)
    if team is not None and found.pk in team:
        return found
    raise PermissionDeniedError()


def ledger_employee(*, company: Company, membership: Membership, employee_id: int | None) -> Employee:
    """Whose 管理簿 the reader may open: their own, anyone's for 人事 (403 for a colleague's, 404
    for an id of no employee here)."""
    employee = readable_employee(company=company, membership=membership, employee_id=employee_id)
    if employee_id is not None and not membership.has_any_role(*HR_ROLES):
        own = _own(company, membership)
        if own is None or own.pk != employee.pk:
            raise PermissionDeniedError()
    return employee


def team_employee_ids(*, company: Company, membership: Membership, as_of: date | None) -> set[int] | None:
    """None for 人事 (everyone); the employees placed in the departments a 所属長 heads (and those
    below) on ``as_of``; an empty set for anyone else."""
    from django.utils import timezone

    day = as_of or timezone.localdate()
    if membership.has_any_role(*HR_ROLES):
        return None
    dept_ids = departments_headed_by(company=company, user_id=membership.user_id, as_of=day)
    if not dept_ids:
        return set()
    members = people_selectors.employees_in_service(company=company, as_of=day, department_ids=dept_ids)
    return {e.pk for e in members}


# ---------------------------------------------------------------------------------------------
# 年5日取得義務


@dataclass(frozen=True)
class FiveDayDuty:
    employee_id: int
    number: str
    name: str
    start: date
    deadline: date
    required: Decimal
    taken: Decimal  # taken on or before the date looked at
    scheduled: Decimal  # approved for later dates inside the period
    still_needed: Decimal
    grant_ids: tuple[int, ...]
    warned_on: date | None

    @property
    def done(self) -> bool:
        return self.still_needed <= 0


def _five_day_counts(
    company: Company, employee_ids: list[int], type_id: int
) -> dict[int, dict[date, Decimal]]:
    """Per employee, per date, how much of a day of approved 年休 counts toward the 5 days."""
    out: dict[int, dict[date, Decimal]] = defaultdict(dict)
    seen: set[tuple[int, date]] = set()
    rows = (
        LeaveTaking.objects.for_company(company)
        .filter(employee_id__in=employee_ids, leave_type_id=type_id, approved=True)
        .values_list("employee_id", "request_id", "date", "request__unit")
        .order_by("date")
    )
    for employee_id, request_id, day, unit in rows:
        if (request_id, day) in seen:  # a day drawn from two grants is one day
            continue
        seen.add((request_id, day))
        counted = rules.day_count_for_five_days(unit)
        if counted:
            out[employee_id][day] = out[employee_id].get(day, Decimal(0)) + counted
    return out


def five_day_duties(
    *, company: Company, as_of: date, employee_ids: list[int] | None = None, include_done: bool = False
) -> list[FiveDayDuty]:
    """The 年5日取得義務 periods in force on ``as_of`` (as_of between start and deadline), one per
    employee and period, sorted by deadline then number. Counted: approved 年休 by day (1) or half
    day (0.5), requested or 計画的付与; hours do not count (39条7項・8項). Four queries."""
    leave_type = annual_leave_type(company=company)
    if leave_type is None:
        return []
    grants = LeaveGrant.objects.for_company(company).filter(
        leave_type=leave_type, days__gte=rules.FIVE_DAY_GRANT_MIN, granted_on__gt=as_of - timedelta(days=800)
    )
    if employee_ids is not None:
        grants = grants.filter(employee_id__in=employee_ids)
    by_employee: dict[int, list[LeaveGrant]] = defaultdict(list)
    for g in grants.order_by("granted_on"):
        by_employee[g.employee_id].append(g)
    if not by_employee:
        return []
    people = {
        e.pk: e
        for e in Employee.objects.for_company(company)
        .filter(pk__in=list(by_employee))
        .filter(Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))
    }
    counts = _five_day_counts(company, list(people), leave_type.pk)
    duties: list[FiveDayDuty] = []
    for employee_id, employee in people.items():
        own = by_employee[employee_id]
        for period in rules.five_day_periods((g.granted_on, g.days) for g in own):
            if not period.start <= as_of <= period.deadline:
                continue
            days = counts.get(employee_id, {})
            inside = {d: v for d, v in days.items() if period.start <= d <= period.deadline}
            taken = sum((v for d, v in inside.items() if d <= as_of), Decimal(0))
            scheduled = sum((v for d, v in inside.items() if d > as_of), Decimal(0))
            grant_rows = [g for g in own if g.granted_on in period.grant_dates]
            duty = FiveDayDuty(
                employee_id=employee_id,
                number=employee.number,
                name=f"{employee.family_name} {employee.given_name}",
                start=period.start,
                deadline=period.deadline,
                required=period.required,
                taken=taken,
                scheduled=scheduled,
                still_needed=max(period.required - taken - scheduled, Decimal(0)),
                grant_ids=tuple(g.pk for g in grant_rows),
                warned_on=max((g.warned_on for g in grant_rows if g.warned_on), default=None),
            )
            if include_done or not duty.done:
                duties.append(duty)
    duties.sort(key=lambda d: (d.deadline, d.number))
    return duties


def five_day_list(*, company: Company, membership: Membership, as_of: date, include_done: bool = False):
    """The 年5日 screen: everyone for 人事 and admins, the team for a 所属長 (403 for anyone else)."""
    team = team_employee_ids(company=company, membership=membership, as_of=as_of)
    if team is not None and not team:
        raise PermissionDeniedError()
    return five_day_duties(
        company=company,
        as_of=as_of,
        employee_ids=None if team is None else sorted(team),
        include_done=include_done,
    )


# ---------------------------------------------------------------------------------------------
# 年次有給休暇管理簿 (則24条の7)


@dataclass(frozen=True)
class LedgerDay:
    date: date
    unit: str
    unit_label: str
    days: Decimal  # of the request's day (1, 0.5, or 0 for hours)
    hours: Decimal  # hours of 時間単位年休
    planned: bool  # 計画的付与


@dataclass(frozen=True)
class LedgerYear:
    """One 基準日 of the 管理簿: the days granted, and each date taken in the year from it."""

    granted_on: date
    period_end: date
    days: Decimal
    source_label: str
    expires_on: date
    taken: tuple[LedgerDay, ...]
    taken_days: Decimal
    taken_hours: Decimal


@dataclass(frozen=True)
class LeaveLedger:
    employee: Employee
    years: tuple[LedgerYear, ...]
    hours_per_day: int


UNIT_LABELS = dict(LeaveUnit.choices)


def leave_ledger(
    *, company: Company, employee: Employee, year: int | None = None, today: date
) -> LeaveLedger:
    """The 管理簿 of one employee: every 基準日 within the retention (5 years), or those of one
    calendar year; each year lists the approved 年休 dates from its 基準日 to the day before the
    next 基準日 (or a year). Three queries."""
    leave_type = annual_leave_type(company=company)
    hpd = hours_per_day_of(company=company, employee_id=employee.pk)
    if leave_type is None:
        return LeaveLedger(employee, (), hpd)
    all_grants = list(
        LeaveGrant.objects.for_company(company)
        .filter(employee=employee, leave_type=leave_type, days__gt=0)
        .order_by("granted_on", "pk")
    )
    oldest = date(today.year - RETENTION_YEARS, 1, 1)
    takings = list(
        LeaveTaking.objects.for_company(company)
        .filter(employee=employee, leave_type=leave_type, approved=True, date__gte=oldest)
        .select_related("request")
        .order_by("date", "pk")
    )
    days_taken: dict[tuple[int, date], LedgerDay] = {}
    for t in takings:
        key = (t.request_id, t.date)
        unit = t.request.unit
        hours = Decimal(t.hours) + Decimal(t.days) * hpd if unit == LeaveUnit.HOURS else Decimal(0)
        before = days_taken.get(key)
        if before is not None:
            hours += before.hours
        days_taken[key] = LedgerDay(
            date=t.date,
            unit=unit,
            unit_label=str(UNIT_LABELS.get(unit, unit)),
            days=rules.day_count_for_five_days(unit),
            hours=hours,
            planned=t.request.planned,
        )
    dated = sorted(days_taken.values(), key=lambda d: d.date)
    starts = sorted({g.granted_on for g in all_grants})
    years: list[LedgerYear] = []
    for g in all_grants:
        if g.granted_on < oldest or (year is not None and g.granted_on.year != year):
            continue
        later = [s for s in starts if s > g.granted_on]
        end = rules.months_after(g.granted_on, 12) - timedelta(days=1)
        if later:
            end = min(end, later[0] - timedelta(days=1))
        inside = tuple(d for d in dated if g.granted_on <= d.date <= end)
        years.append(
            LedgerYear(
                granted_on=g.granted_on,
                period_end=end,
                days=g.days,
                source_label=g.get_source_display(),
                expires_on=g.expires_on,
                taken=inside,
                taken_days=sum((d.days for d in inside), Decimal(0)),
                taken_hours=sum((d.hours for d in inside), Decimal(0)),
            )
        )
    return LeaveLedger(employee, tuple(years), hpd)


def ledger_index(*, company: Company, membership: Membership, q: str = "") -> QuerySet[Employee]:
    """Employees whose 管理簿 the reader may open: everyone (searchable) for 人事, else oneself."""
    if not membership.has_any_role(*HR_ROLES):
        raise PermissionDeniedError()
    return people_selectors.employee_list(
        company=company, membership=membership, q=q, status="all", sort="number"
    )


def employee_grants(*, company: Company, employee_id: int | None = None, year: int | None = None):
    """Grants of the 年休 type (人事's list), newest first, with the employee."""
    qs = LeaveGrant.objects.for_company(company).select_related("employee", "leave_type")
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    if year is not None:
        qs = qs.filter(granted_on__year=year)
    return qs.order_by("-granted_on", "employee__number", "pk")


def get_grant(*, company: Company, grant_id: int) -> LeaveGrant:
    """One grant of the company (NotFound for another company's id)."""
    found = (
        LeaveGrant.objects.for_company(company)
        .select_related("employee", "leave_type")
        .filter(pk=grant_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found
