"""The demo company's attendance: a year and a half of punches (``MONTHS`` months before this one
and this month's days) for everyone in service during them, up to the 退職日 of those who left, so
that the 出勤簿 opens on real figures and the payroll demo's 18 months of runs have their 勤怠 — overtime peaks in March and December, the demo 所属長 (user "manager") near
the 36協定 limit in the last three months, part-timers three short days a week, and the demo
employee (user "employee") clocked in this morning on a workday.

The year is written as one import (source 「CSV取込」, one audit event per employee naming how
many punches), not as a million button presses; today's punch goes through the service.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.core.audit import EventInput, record_events
from ennoshita.core.dates import is_holiday
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee, EmploymentType

from . import paid_leave_selectors, services
from .models import AttendanceProfile, LeaveRequest, Punch, PunchSource, PunchState
from .services import leave as leave_services
from .services import leave_grants, work_rules
from .services import shifts as shift_services

JST = ZoneInfo("Asia/Tokyo")
PART_TIME = ("part_time", "arbeit")
MONTHS = 18  # before this one: the payroll demo's first run (翌月払い) reads the 18th month back


def _at(day: date, hour: int, minute: int, rng: random.Random, spread: int = 0) -> datetime:
    moment = datetime.combine(day, time(hour, minute), JST)
    return moment + timedelta(seconds=rng.randrange(spread * 60)) if spread else moment


def summer_days(today: date) -> list[date]:
    """The demo's 計画的付与: the first two workdays from August 13 of the last summer passed."""
    year = today.year if today > date(today.year, 8, 20) else today.year - 1
    day, found = date(year, 8, 13), list[date]()
    while len(found) < 2:
        if day.weekday() < 5 and not is_holiday(day):
            found.append(day)
        day += timedelta(days=1)
    return found


def _own_leave_day(today: date) -> date:
    """The demo employee's approved day of 年休: a workday about three weeks ago."""
    day = today - timedelta(days=21)
    while day.weekday() >= 5 or is_holiday(day):
        day -= timedelta(days=1)
    return day


def _day(
    employee: Employee, day: date, rng: random.Random, *, near_limit: bool
) -> list[tuple[str, datetime]]:
    if employee.employment_type.code in PART_TIME:
        if day.weekday() not in (0, 2, 4):
            return []
        return [("in", _at(day, 9, 55, rng, 8)), ("out", _at(day, 15, 0, rng, 10))]
    peak = day.month in (3, 12)
    if near_limit:
        out = _at(day, 21, 15, rng, 70)  # about 3–4 hours a day over: close to 80 hours a month
    elif peak:
        out = _at(day, 19, 30, rng, 120)
    else:
        out = _at(day, 17, 55, rng, 90)
    return [
        ("in", _at(day, 8, 45, rng, 25)),
        ("break_start", _at(day, 12, 0, rng, 3)),
        ("break_end", _at(day, 12, 58, rng, 4)),
        ("out", out),
    ]


@transaction.atomic
def build_demo_attendance(company: Company, *, today: date | None = None) -> None:
    if Punch.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(20261204)
    index = today.year * 12 + today.month - 1 - MONTHS
    start = date(index // 12, index % 12 + 1, 1)
    # everyone in service today, and those who left since the start (punching up to their 退職日)
    employees = {
        e.pk: e
        for as_of in (start, today)
        for e in people_selectors.employees_in_service(company=company, as_of=as_of)
    }
    near_from = (today.replace(day=1) - timedelta(days=75)).replace(day=1)
    off = set(summer_days(today))  # on 計画的付与 (build_demo_leave), nobody punches
    rows: list[Punch] = []
    states: list[PunchState] = []
    events: list[EventInput] = []
    for employee in sorted(employees.values(), key=lambda e: e.number):
        near = employee.user is not None and employee.user.username == "manager"
        mine: list[Punch] = []
        day = max(start, employee.hire_date)
        end = min(today, employee.retire_date + timedelta(days=1)) if employee.retire_date else today
        while day < end:
            on_leave = day in off or (
                employee.user is not None
                and employee.user.username == "employee"
                and day == _own_leave_day(today)
            )
            if day.weekday() < 5 and not is_holiday(day) and not on_leave:
                for kind, at in _day(employee, day, rng, near_limit=near and day >= near_from):
                    mine.append(
                        Punch(
                            company=company,
                            employee=employee,
                            work_date=day,
                            kind=kind,
                            at=at,
                            source=PunchSource.IMPORT,
                        )
                    )
            day += timedelta(days=1)
        if not mine:
            continue
        rows += mine
        last = mine[-1]
        states.append(
            PunchState(
                company=company,
                employee=employee,
                last_kind=last.kind,
                last_at=last.at,
                work_date=last.work_date,
            )
        )
        events.append(
            EventInput(
                "import",
                instance=employee,
                object_repr=f"{employee.number} {employee.family_name} {employee.given_name}",
                extra={
                    "punches": len(mine),
                    "from": mine[0].work_date.isoformat(),
                    "to": last.work_date.isoformat(),
                },
            )
        )
    Punch.objects.bulk_create(rows, batch_size=2000)
    PunchState.objects.bulk_create(states, batch_size=1000)
    record_events(company=company, actor=None, events=events, actor_label="デモデータ(打刻の取込)")

    # the demo employee is at work this morning (a workday, after 9:00)
    now = timezone.now()
    local = timezone.localtime(now)
    if today.weekday() < 5 and not is_holiday(today) and local.hour >= 9:
        member = Membership.objects.for_company(company).filter(user__username="employee").first()
        if member is not None:
            services.record_punch(
                company=company,
                actor=member.user,
                membership=member,
                data=services.PunchInput(kind="in"),
                now=datetime.combine(today, time(8, 57), JST),
            )


def _approve_to_the_end(company: Company, request_id: int) -> None:
    """Each waiting step approved by its first assignee, as the approvers would from their inbox."""
    approval = approval_selectors.request_for(
        company=company, request_type="attendance.leave", object_id=request_id
    )
    while approval is not None and approval.status == "pending":
        user_ids = approval_selectors.open_approver_ids(approval)
        member = Membership.objects.for_company(company).filter(user_id__in=user_ids).order_by("pk").first()
        if member is None:
            return
        approval = approval_services.approve(
            company=company, actor=member.user, membership=member, request=approval
        )


@transaction.atomic
def build_demo_leave(company: Company, *, today: date | None = None) -> None:
    """Leave in the demo: 年休 granted to everyone by the law's schedule (from the year of
    punches), an expired grant carried over at go-live for the demo employee, a summer
    計画的付与 of two days for everyone whose grant allows it, the demo employee's approved day of
    年休 three weeks ago and a half day next week waiting for approval; most people have still
    not taken 5 days of this year's grant (the 年5日 list has names). Idempotent."""
    if LeaveRequest.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    hr = Membership.objects.for_company(company).filter(user__username="admin").first()
    employee_member = Membership.objects.for_company(company).filter(user__username="employee").first()
    if hr is None:
        return
    leave_services.ensure_leave_types(company=company)
    leave_grants.grant_paid_leave(company=company, as_of=today, actor=hr.user, membership=hr)
    employee = (
        Employee.objects.for_company(company).filter(user=employee_member.user).first()
        if employee_member
        else None
    )
    if employee is not None:
        first = today.replace(year=today.year - 3)
        leave_grants.add_grant(
            company=company,
            actor=hr.user,
            membership=hr,
            employee_id=employee.pk,
            granted_on=first,
            days=Decimal(3),
            note="導入時の繰越(期限切れの例)",
            migrated=True,
        )
    for day in summer_days(today):
        for person in people_selectors.employees_in_service(company=company, as_of=day):
            if not _can_plan(company, person.pk, day):
                continue
            try:  # one at a time: the service refuses all when one cannot (5 days stay their own)
                with transaction.atomic():
                    leave_services.plan_annual_leave(
                        company=company,
                        actor=hr.user,
                        membership=hr,
                        day=day,
                        employee_ids=[person.pk],
                        reason="夏季計画年休",
                    )
            except ServiceError:
                continue
    if employee is None or employee_member is None:
        return
    own = leave_services.request_leave(
        company=company,
        actor=employee_member.user,
        membership=employee_member,
        data=leave_services.LeaveInput(
            leave_type_id=_annual_id(company), unit="full", start_date=_own_leave_day(today), reason="私用"
        ),
    )
    _approve_to_the_end(company, own.pk)
    half = today + timedelta(days=7)
    while half.weekday() >= 5 or is_holiday(half):
        half += timedelta(days=1)
    leave_services.request_leave(
        company=company,
        actor=employee_member.user,
        membership=employee_member,
        data=leave_services.LeaveInput(
            leave_type_id=_annual_id(company), unit="am", start_date=half, reason="通院"
        ),
    )


def _annual_id(company: Company) -> int:
    return next(t.pk for t in leave_services.ensure_leave_types(company=company) if t.code == "annual")


def _can_plan(company: Company, employee_id: int, day: date) -> bool:
    """More than 5 days usable on the day (労基法39条6項: 5 days stay the employee's own)."""
    balance = paid_leave_selectors.leave_balance(company=company, employee_id=employee_id, as_of=day)
    return balance.remaining_days > 5


@transaction.atomic
def build_demo_work_systems(company: Company, *, today: date | None = None) -> None:
    """Working-time systems in the demo: 契約社員 work under the フレックスタイム制 (コアタイム
    11:00–15:00), the admin (部長) is a 管理監督者, part-timers have their agreed 3-day week (so
    their 年休 is granted 比例付与), and 総務部 has next month's shift table published. Runs before
    build_demo_leave; idempotent."""
    if AttendanceProfile.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    admin = Membership.objects.for_company(company).filter(user__username="admin").first()
    if admin is None:
        return
    writer = {"company": company, "actor": admin.user, "membership": admin}
    contract = EmploymentType.objects.for_company(company).filter(code="contract").first()
    if contract is not None:
        work_rules.update_work_rule(
            **writer,
            employment_type=contract,
            data=work_rules.WorkRuleInput(
                start_time=time(9, 0),
                end_time=time(18, 0),
                break_minutes=60,
                workdays=[0, 1, 2, 3, 4],
                statutory_holiday_weekday=6,
                week_start_weekday=6,
                national_holidays_off=True,
                system="flex",
                core_start=time(11, 0),
                core_end=time(15, 0),
                flex_standard_minutes=480,
            ),
        )
    boss = Employee.objects.for_company(company).filter(user=admin.user).first()
    if boss is not None:
        work_rules.update_attendance_profile(
            **writer, employee=boss, data=work_rules.ProfileInput(is_supervisor=True)
        )
    for part_timer in Employee.objects.for_company(company).filter(employment_type__code__in=PART_TIME):
        work_rules.update_attendance_profile(
            **writer,
            employee=part_timer,
            data=work_rules.ProfileInput(weekly_days=3, weekly_minutes=3 * 300),
        )
    affairs = people_selectors.departments(company=company).filter(code="230").first()
    if affairs is not None:
        next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        shift_services.build_demo_shifts(
            company=company, membership=admin, department_id=affairs.pk, month=next_month
        )
