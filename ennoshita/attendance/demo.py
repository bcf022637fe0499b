"""The demo company's attendance: a year of punches for everyone in service, so that the 出勤簿
opens on real figures — overtime peaks in March and December, the demo 所属長 (user "manager") near
the 36協定 limit in the last three months, part-timers three short days a week, and the demo
employee (user "employee") clocked in this morning on a workday.

The year is written as one import (source 「CSV取込」, one audit event per employee naming how
many punches), not as a million button presses; today's punch goes through the service.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ennoshita.core.audit import EventInput, record_events
from ennoshita.core.dates import is_holiday
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from . import services
from .models import Punch, PunchSource, PunchState

JST = ZoneInfo("Asia/Tokyo")
PART_TIME = ("part_time", "arbeit")


def _at(day: date, hour: int, minute: int, rng: random.Random, spread: int = 0) -> datetime:
    moment = datetime.combine(day, time(hour, minute), JST)
    return moment + timedelta(seconds=rng.randrange(spread * 60)) if spread else moment


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
    start = (today.replace(day=1) - timedelta(days=366)).replace(day=1)
    employees = people_selectors.employees_in_service(company=company, as_of=today)
    near_from = (today.replace(day=1) - timedelta(days=75)).replace(day=1)
    rows: list[Punch] = []
    states: list[PunchState] = []
    events: list[EventInput] = []
    for employee in employees:
        near = employee.user is not None and employee.user.username == "manager"
        mine: list[Punch] = []
        day = max(start, employee.hire_date)
        while day < today:
            if day.weekday() < 5 and not is_holiday(day):
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
