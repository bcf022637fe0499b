"""健康診断's writes: 長時間労働者 (安衛法66条の8).

長時間労働 (jp-rules §13.3): from attendance, each month's workers whose hours beyond 40 a week
exceed 80 (安衛則52条の2) — told their hours, offered a doctor's 面接指導 on request.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import LongHoursCase
from ennoshita.affairs.rules import health as rules
from ennoshita.attendance import selectors as attendance_selectors
from ennoshita.attendance import timesheet_selectors
from ennoshita.core import crypto
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .access import HEALTH_STAFF_ROLES, require_health_access
from .base import MAX_TEXT, _need_date, _raise

LONG_FIELDS = (
    "employee",
    "month",
    "excess_minutes",
    "notified_on",
    "interview_requested_on",
    "interview_done_on",
)


@dataclass(frozen=True)
class MonthExcess:
    employee_id: int
    excess_minutes: int


def month_excess(*, company: Company, month: date) -> list[MonthExcess]:
    """Each employee's hours beyond 40 a week in ``month`` from the 出勤簿 (attendance's public
    ``timesheet_selectors.timesheets_of``: 実労働 = ``totals.worked``, 時間外・休日 included, breaks
    excluded), by ``rules.excess_minutes``. Only those who punched in the month are built."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    punched = attendance_selectors.employees_with_punches(company=company, start=first, end=last)
    if not punched:
        return []
    seen: dict[int, Any] = {}
    for as_of in (first, last):
        for e in people_selectors.employees_in_service(company=company, as_of=as_of):
            if e.pk in punched:
                seen.setdefault(e.pk, e)
    days = (last - first).days + 1
    out = []
    for sheet in timesheet_selectors.timesheets_of(
        company=company, employees=list(seen.values()), month=first
    ):
        out.append(
            MonthExcess(
                sheet.employee.pk,
                rules.excess_minutes(worked_minutes=sheet.totals.worked, calendar_days=days),
            )
        )
    return out


@dataclass(frozen=True)
class LongHoursBuild:
    month: date
    created: int
    updated: int
    removed: int


@transaction.atomic
def build_long_hours_cases(
    *,
    company: Company,
    actor: User | None,
    membership: Membership,
    month: date,
    excess: list[MonthExcess] | None = None,
) -> LongHoursBuild:
    """The month's cases over 80 hours (安衛則52条の2: computed at least monthly on a fixed date).
    Running it again updates the hours; a case that fell to 80 hours or less after a correction of
    the attendance is removed while nobody has acted on it yet."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    first = month.replace(day=1)
    if first > timezone.localdate():
        raise ServiceError(
            _("まだ始まっていない月です。"), field_errors={"month": [_("今月以前の月を選んでください。")]}
        )
    figures = excess if excess is not None else month_excess(company=company, month=first)
    over = {f.employee_id: f.excess_minutes for f in figures if rules.needs_interview_offer(f.excess_minutes)}
    cases = {
        c.employee_id: c
        for c in LongHoursCase.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(month=first)
    }
    events: list[EventInput] = []
    created = updated = removed = 0
    for employee_id, minutes in over.items():
        case = cases.get(employee_id)
        if case is None:
            case = LongHoursCase.objects.create(
                company=company, employee_id=employee_id, month=first, excess_minutes=minutes
            )
            events.append(EventInput("create", instance=case, after=snapshot(case, fields=LONG_FIELDS)))
            created += 1
        elif case.excess_minutes != minutes:
            before = snapshot(case, fields=LONG_FIELDS)
            case.excess_minutes = minutes
            case.save(update_fields=["excess_minutes"])
            events.append(
                EventInput("update", instance=case, before=before, after=snapshot(case, fields=LONG_FIELDS))
            )
            updated += 1
    for employee_id, case in cases.items():
        untouched = not (case.notified_on or case.interview_requested_on or case.interview_done_on)
        if employee_id not in over and untouched:
            events.append(EventInput("delete", instance=case, before=snapshot(case, fields=LONG_FIELDS)))
            case.delete()
            removed += 1
    record_events(company=company, actor=actor, events=events)
    return LongHoursBuild(month=first, created=created, updated=updated, removed=removed)


def _locked_case(company: Company, case: LongHoursCase) -> LongHoursCase:
    found = (
        LongHoursCase.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("employee")
        .filter(pk=case.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def record_long_hours_step(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    case: LongHoursCase,
    notified_on: date | None = None,
    requested_on: date | None = None,
    done_on: date | None = None,
    opinion: str = "",
) -> LongHoursCase:
    """本人への時間の通知 (安衛則52条の2), the worker's 申出, the 面接指導 held and the doctor's
    opinion (encrypted; needs health access)."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    case = _locked_case(company, case)
    if opinion.strip():
        require_health_access(company=company, membership=membership)
    errors: dict[str, list[str]] = {}
    if notified_on is None and requested_on is None and done_on is None and not opinion.strip():
        errors["notified_on"] = [_("記録する日付を入力してください。")]
    for name, value in (("notified_on", notified_on), ("requested_on", requested_on), ("done_on", done_on)):
        if value is not None:
            _need_date(errors, name, value)
    month_end = rules.month_end(case.month.year, case.month.month)
    if isinstance(notified_on, date) and notified_on <= month_end:
        errors["notified_on"] = [_("通知日は対象月の翌月以降にしてください。")]
    asked = requested_on or case.interview_requested_on
    if done_on is not None and asked is None:
        errors["done_on"] = [_("面接指導の申出日を先に記録してください。")]
    elif isinstance(done_on, date) and asked and done_on < asked:
        errors["done_on"] = [_("実施日は申出日以降にしてください。")]
    if len(opinion) > MAX_TEXT:
        errors["opinion"] = [_("%(n)s文字以内で入力してください。") % {"n": MAX_TEXT}]
    _raise(errors)
    before = snapshot(case, fields=LONG_FIELDS)
    case.notified_on = notified_on or case.notified_on
    case.interview_requested_on = requested_on or case.interview_requested_on
    case.interview_done_on = done_on or case.interview_done_on
    if opinion.strip():
        case.opinion_encrypted = crypto.encrypt_text(opinion.strip())
    case.save()
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=case,
        before=before,
        after=snapshot(case, fields=LONG_FIELDS),
        extra={"encrypted": ["opinion"]} if opinion.strip() else None,
    )
    return case
