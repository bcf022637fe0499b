"""定期依頼: a request made again on a schedule, by a daily job.

Schedules: 毎月(日付指定, day 1–28), 毎月末, 毎週(曜日). "Every payroll" (毎回の給与計算) is a monthly
schedule on the 給与支給日 (e.g. the 25th) — the pay day of the company's payroll settings is a day of
the month, so a MONTHLY schedule on that day with enough lead days covers it; days 29–31 are kept
for 毎月末 so that every month has the day.

The job makes the request ``lead_days`` before ``next_due_on`` with that due date, then moves
``next_due_on`` on. The unique constraint (recurring, due_on) makes a second run, or a second
worker, make nothing twice: a request already made for that date is skipped and the schedule moves
on."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.requests import permissions
from ennoshita.requests.models import Frequency, RecurringRequest, RequestType, Team, WorkRequest

from .base import fail
from .writes import create_request

JOB_NAME = "requests.recurring"
RECURRING_FIELDS = (
    "team",
    "request_type",
    "title",
    "body",
    "frequency",
    "day",
    "lead_days",
    "next_due_on",
    "is_active",
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_month(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def first_due(frequency: str, day: int, today: date) -> date:
    """The first due date on or after ``today``."""
    if frequency == Frequency.MONTH_END:
        end = _month_end(today.year, today.month)
        return end
    if frequency == Frequency.WEEKLY:
        return today + timedelta(days=(day - today.weekday()) % 7)
    candidate = date(today.year, today.month, day)
    if candidate >= today:
        return candidate
    y, m = _next_month(today)
    return date(y, m, day)


def following_due(frequency: str, day: int, due: date) -> date:
    """The due date after ``due``."""
    if frequency == Frequency.WEEKLY:
        return due + timedelta(days=7)
    y, m = _next_month(due)
    if frequency == Frequency.MONTH_END:
        return _month_end(y, m)
    return date(y, m, day)


def _clean(
    company: Company,
    team_id: int | None,
    request_type_id: int | None,
    title: str,
    frequency: str,
    day: int,
    lead_days: int,
) -> tuple[Team, RequestType | None]:
    team = Team.objects.for_company(company).filter(pk=team_id or 0, is_active=True).first()
    if team is None:
        raise fail("team", _("依頼先のチームを選んでください。"))
    rtype = None
    if request_type_id:
        rtype = RequestType.objects.for_company(company).filter(pk=request_type_id, team=team).first()
        if rtype is None:
            raise fail("request_type", _("このチームの依頼の種類から選んでください。"))
    if not (title or "").strip():
        raise fail("title", _("件名を入力してください。"))
    if frequency not in Frequency.values:
        raise fail("frequency", _("頻度を選んでください。"))
    if frequency == Frequency.MONTHLY and not 1 <= day <= 28:
        raise fail("day", _("毎月の日付は1〜28日で指定してください(月末は「毎月末」を選んでください)。"))
    if frequency == Frequency.WEEKLY and not 0 <= day <= 6:
        raise fail("day", _("曜日を選んでください。"))
    if not 0 <= lead_days <= 60:
        raise fail("lead_days", _("何日前に依頼するかは0〜60日で入力してください。"))
    return team, rtype


@transaction.atomic
def save_recurring(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    team_id: int | None,
    request_type_id: int | None,
    title: str,
    body: str,
    frequency: str,
    day: int = 0,
    lead_days: int = 3,
    recurring: RecurringRequest | int | None = None,
    today: date | None = None,
) -> RecurringRequest:
    """Create a recurring request (the actor is its requester) or change one of one's own."""
    if not permissions.can_request(membership):
        raise PermissionDeniedError(_("外部アシスタントは依頼を作成できません。"))
    today = today or timezone.localdate()
    day = 0 if frequency == Frequency.MONTH_END else day
    team, rtype = _clean(company, team_id, request_type_id, title, frequency, day, lead_days)
    if recurring is not None:
        row = _own(company, membership, recurring)
        before = snapshot(row, fields=RECURRING_FIELDS)
    else:
        row, before = RecurringRequest(company=company, requester=actor), None
    schedule_changed = before is None or (row.frequency, row.day) != (frequency, day)
    row.team, row.request_type, row.title, row.body = team, rtype, title.strip(), (body or "").strip()
    row.frequency, row.day, row.lead_days = frequency, day, lead_days
    if schedule_changed:
        row.next_due_on = first_due(frequency, day, today)
    row.save()
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=row,
        before=before,
        after=snapshot(row, fields=RECURRING_FIELDS),
    )
    return row


def _own(company: Company, membership: Membership, recurring: RecurringRequest | int) -> RecurringRequest:
    pk = recurring if isinstance(recurring, int) else recurring.pk
    row = RecurringRequest.objects.for_company(company).select_for_update().filter(pk=pk).first()
    if (
        row is None
        or not (row.requester_id == membership.user_id or permissions.is_admin(membership))
        or permissions.is_assistant(membership)
    ):
        raise NotFound()
    return row


@transaction.atomic
def stop_recurring(
    *, company: Company, actor: User, membership: Membership, recurring: RecurringRequest | int
) -> RecurringRequest:
    row = _own(company, membership, recurring)
    if not row.is_active:
        raise fail("is_active", _("この定期依頼は既に停止しています。"))
    row.is_active = False
    row.save(update_fields=["is_active"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=row,
        before={"is_active": True},
        after={"is_active": False},
    )
    return row


def run_recurring(*, company: Company, today: date) -> int:
    """Make every request due by now (each in its own transaction). Returns how many were made."""
    made = 0
    due = RecurringRequest.objects.for_company(company).filter(is_active=True).order_by("pk")
    for row in due:
        while row.next_due_on - timedelta(days=row.lead_days) <= today:
            with transaction.atomic():
                locked_row = RecurringRequest.objects.select_for_update().get(pk=row.pk)
                if locked_row.next_due_on != row.next_due_on:
                    row = locked_row
                    continue
                if (
                    row.next_due_on >= today
                    and not WorkRequest.objects.filter(recurring=row, due_on=row.next_due_on).exists()
                ):
                    made += _make(company, row, today)
                locked_row.next_due_on = following_due(row.frequency, row.day, row.next_due_on)
                locked_row.save(update_fields=["next_due_on"])
                record_event(
                    company=company,
                    actor=None,
                    actor_label=JOB_NAME,
                    action="recurring_advance",
                    instance=locked_row,
                    before={"next_due_on": row.next_due_on},
                    after={"next_due_on": locked_row.next_due_on},
                )
                row = locked_row
    return made


def _make(company: Company, row: RecurringRequest, today: date) -> int:
    try:
        with transaction.atomic():
            create_request(
                company=company,
                actor=row.requester,
                membership=None,
                team_id=row.team_id,
                request_type_id=row.request_type_id
                if row.request_type and row.request_type.is_active
                else None,
                title=row.title,
                body=row.body or row.title,
                due_on=row.next_due_on,
                recurring=row,
                today=today,
            )
    except IntegrityError:
        return 0  # made by another run for this date
    except ServiceError:
        return 0  # the team was revoked or the type closed: nothing is made, the schedule moves on
    return 1
