"""Writing ストレスチェック (安衛法66条の10), 長時間労働者 (安衛法66条の8) and the daily reminders.

ストレスチェック (jp-rules §13.2): the company tracks participation. The 実施者 tells each worker the
result directly; the company may receive an individual result only with the worker's consent given
**after** that notice (安衛法66条の10第2項, 安衛則52条の10第2項 per jp-rules §13.2; consent before or at the test, or by opt-out, is not valid). The
services refuse it and the database constraints back them. A worker's 申出 for a 面接指導 counts as
consent to pass the result on (66条の10第3項).

長時間労働 (jp-rules §13.3): from attendance, each month's workers whose hours beyond 40 a week
exceed 80 (安衛則52条の2) — told their hours, offered a doctor's 面接指導 on request.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import (
    Checkup,
    CheckupStatus,
    HealthAccessGrant,
    LongHoursCase,
    StressCheck,
    StressCheckStatus,
)
from ennoshita.affairs.rules import health as rules
from ennoshita.attendance import selectors as attendance_selectors
from ennoshita.attendance import timesheet_selectors
from ennoshita.core import crypto
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.dates import fiscal_year as fiscal_year_of
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .health import HEALTH_STAFF_ROLES, MAX_TEXT, has_health_access, is_health_staff, require_health_access

STRESS_FIELDS = (
    "employee",
    "fiscal_year",
    "status",
    "taken_on",
    "notified_on",
    "consent_on",
    "interview_requested_on",
    "interview_done_on",
)
LONG_FIELDS = (
    "employee",
    "month",
    "excess_minutes",
    "notified_on",
    "interview_requested_on",
    "interview_done_on",
)
JOB_LABEL = "健康診断の催促(自動)"


def _errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _need_date(errors: dict[str, list[str]], name: str, value: Any) -> None:
    if not isinstance(value, date):
        errors[name] = [_("日付を入力してください。")]
    elif value > timezone.localdate():
        errors[name] = [_("未来の日付は入力できません。")]


# ------------------------------------------------------------------------------ ストレスチェック


@transaction.atomic
def invite_stress_checks(
    *,
    company: Company,
    actor: User | None,
    membership: Membership,
    fiscal_year: int,
    as_of: date | None = None,
) -> int:
    """One row per employee in service on ``as_of`` (default: today, or the year's first day when
    the year has not begun) for the year's check; those already invited are left as they are."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    if not 2000 <= fiscal_year <= 2100:
        raise ServiceError(
            _("年度が正しくありません。"), field_errors={"fiscal_year": [_("年度を選んでください。")]}
        )
    fy = fiscal_year_of(fiscal_year, start_month=company.fiscal_year_start_month)
    day = as_of or min(max(timezone.localdate(), fy.start), fy.end)
    have = set(
        StressCheck.objects.for_company(company)
        .filter(fiscal_year=fiscal_year)
        .values_list("employee_id", flat=True)
    )
    rows = [
        StressCheck(company=company, employee=e, fiscal_year=fiscal_year)
        for e in people_selectors.employees_in_service(company=company, as_of=day)
        if e.pk not in have
    ]
    created = StressCheck.objects.bulk_create(rows, batch_size=500)
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "create",
                instance=c,
                object_repr=f"{c.employee} {fiscal_year}",
                after=snapshot(c, fields=STRESS_FIELDS),
            )
            for c in created
        ],
    )
    return len(created)


def _locked_check(company: Company, check: StressCheck) -> StressCheck:
    found = (
        StressCheck.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("employee")
        .filter(pk=check.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _save_check(
    company: Company,
    actor: User | None,
    check: StressCheck,
    before: dict[str, Any],
    action: str,
    **extra: Any,
) -> StressCheck:
    check.save()
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=check,
        object_repr=f"{check.employee} {check.fiscal_year}",
        before=before,
        after=snapshot(check, fields=STRESS_FIELDS),
        extra=extra or None,
    )
    return check


def _own_or_staff(membership: Membership, employee: Any) -> None:
    if not is_health_staff(membership) and employee.user_id != membership.user_id:
        raise PermissionDeniedError()


@transaction.atomic
def record_stress_participation(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    check: StressCheck,
    status: str,
    taken_on: date | None = None,
) -> StressCheck:
    """受検済み (with the date) or 受検しない (受検は労働者の義務ではない), or back to 未受検."""
    check = _locked_check(company, check)
    _own_or_staff(membership, check.employee)
    errors: dict[str, list[str]] = {}
    if status not in StressCheckStatus.values:
        errors["status"] = [_("受検状況を選んでください。")]
    elif status == StressCheckStatus.TAKEN:
        _need_date(errors, "taken_on", taken_on)
    if check.notified_on is not None and status != StressCheckStatus.TAKEN:
        errors["status"] = [_("結果を本人に通知した後は受検状況を変えられません。")]
    _errors(errors)
    before = snapshot(check, fields=STRESS_FIELDS)
    check.status = status
    check.taken_on = taken_on if status == StressCheckStatus.TAKEN else None
    return _save_check(company, actor, check, before, "update")


@transaction.atomic
def record_stress_notice(
    *, company: Company, actor: User, membership: Membership, check: StressCheck, notified_on: date | None
) -> StressCheck:
    """実施者が本人に結果を通知した日 (安衛法66条の10第2項)."""
    require_role(membership, *HEALTH_STAFF_ROLES)
    check = _locked_check(company, check)
    errors: dict[str, list[str]] = {}
    if check.status != StressCheckStatus.TAKEN:
        errors["notified_on"] = [_("受検済みのストレスチェックにだけ通知日を記録できます。")]
    else:
        _need_date(errors, "notified_on", notified_on)
        if isinstance(notified_on, date) and check.taken_on and notified_on < check.taken_on:
            errors["notified_on"] = [_("通知日は受検日以降の日付にしてください。")]
        if isinstance(notified_on, date) and check.consent_on and check.consent_on < notified_on:
            errors["notified_on"] = [_("同意日より後の通知日にはできません。")]
    _errors(errors)
    before = snapshot(check, fields=STRESS_FIELDS)
    check.notified_on = notified_on
    return _save_check(company, actor, check, before, "update")


@transaction.atomic
def record_stress_consent(
    *, company: Company, actor: User, membership: Membership, check: StressCheck, consent_on: date | None
) -> StressCheck:
    """本人の同意 to give the company the individual result: only on or after the day the worker was
    told the result (安衛法66条の10第2項; jp-rules §13.2). Given by the worker, or recorded by a member with health
    access from the worker's written consent."""
    check = _locked_check(company, check)
    own = check.employee.user_id == membership.user_id
    if not own and not has_health_access(company=company, membership=membership):
        raise PermissionDeniedError()
    errors: dict[str, list[str]] = {}
    if check.notified_on is None:
        errors["consent_on"] = [
            _(
                "結果の通知前の同意は無効です(安衛法66条の10第2項)。本人に結果が通知された後に同意を記録してください。"
            )
        ]
    else:
        _need_date(errors, "consent_on", consent_on)
        if isinstance(consent_on, date) and consent_on < check.notified_on:
            errors["consent_on"] = [
                _("同意日は結果の通知日(%(d)s)以降にしてください。通知前の同意は無効です。")
                % {"d": check.notified_on.isoformat()}
            ]
    _errors(errors)
    before = snapshot(check, fields=STRESS_FIELDS)
    check.consent_on = consent_on
    return _save_check(company, actor, check, before, "health.consent")


@transaction.atomic
def store_stress_result(
    *, company: Company, actor: User, membership: Membership, check: StressCheck, result: str
) -> StressCheck:
    """The individual result, encrypted; only with the worker's consent and by a member with health
    access."""
    require_health_access(company=company, membership=membership)
    check = _locked_check(company, check)
    if check.consent_on is None:
        raise ServiceError(
            _("本人の同意がないため、個人の結果は会社に保存できません(安衛法66条の10第2項)。"),
            code="no_consent",
            field_errors={"result": [_("本人の同意(結果の通知後)が必要です。")]},
        )
    text = (result or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise ServiceError(
            _("入力内容に誤りがあります。"),
            code="validation",
            field_errors={"result": [_("結果を%(n)s文字以内で入力してください。") % {"n": MAX_TEXT}]},
        )
    before = snapshot(check, fields=STRESS_FIELDS)
    check.result_encrypted = crypto.encrypt_text(text)
    return _save_check(company, actor, check, before, "health.result", encrypted=["result"])


@transaction.atomic
def view_stress_result(*, company: Company, actor: User, membership: Membership, check: StressCheck) -> str:
    require_health_access(company=company, membership=membership)
    if check.company_id != company.pk:
        raise NotFound()
    if check.consent_on is None or not check.result_encrypted:
        raise ServiceError(_("本人の同意を得た結果はありません。"), code="no_consent")
    text = crypto.decrypt_text(check.result_encrypted)
    record_event(
        company=company,
        actor=actor,
        action="health.viewed",
        instance=check,
        object_repr=f"{check.employee} {check.fiscal_year}",
        extra={"viewed": ["result"]},
    )
    return text


@transaction.atomic
def record_stress_interview(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    check: StressCheck,
    requested_on: date | None = None,
    done_on: date | None = None,
) -> StressCheck:
    """高ストレス者の面接指導: the worker's 申出 (after the notice) and the day it was held."""
    check = _locked_check(company, check)
    _own_or_staff(membership, check.employee)
    if not is_health_staff(membership) and done_on is not None:
        raise PermissionDeniedError()
    errors: dict[str, list[str]] = {}
    if requested_on is None and done_on is None:
        errors["requested_on"] = [_("申出日か実施日を入力してください。")]
    if requested_on is not None:
        _need_date(errors, "requested_on", requested_on)
        if check.notified_on is None:
            errors["requested_on"] = [_("面接指導の申出は、結果の通知の後に記録できます。")]
        elif isinstance(requested_on, date) and requested_on < check.notified_on:
            errors["requested_on"] = [_("申出日は結果の通知日以降にしてください。")]
    if done_on is not None:
        _need_date(errors, "done_on", done_on)
        first = requested_on or check.interview_requested_on
        if first is None:
            errors["done_on"] = [_("面接指導の申出日を先に記録してください。")]
        elif isinstance(done_on, date) and done_on < first:
            errors["done_on"] = [_("実施日は申出日以降にしてください。")]
    _errors(errors)
    before = snapshot(check, fields=STRESS_FIELDS)
    if requested_on is not None:
        check.interview_requested_on = requested_on
    if done_on is not None:
        check.interview_done_on = done_on
    return _save_check(company, actor, check, before, "update")


# ------------------------------------------------------------------------------ 長時間労働


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
    _errors(errors)
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


# ------------------------------------------------------------------------------ reminders


def _granted_users(company: Company, today: date) -> list[User]:
    grants = (
        HealthAccessGrant.objects.for_company(company)
        .filter(revoked_at__isnull=True, membership__is_active=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("membership__user")
    )
    return [g.membership.user for g in grants if g.membership.has_any_role("admin", "hr")]


@transaction.atomic
def send_health_reminders(*, company: Company, today: date | None = None) -> int:
    """Daily: each employee whose checkup is due within 14 days or overdue (once in 7 days per
    checkup, ``last_reminded_on``), and each member with health access about opinions due within 14
    days or overdue (once a day). Safe to repeat: a second run the same day sends nothing."""
    today = today or timezone.localdate()
    sent = 0
    due = (
        Checkup.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(
            status__in=(CheckupStatus.PLANNED, CheckupStatus.BOOKED),
            due_on__lte=today + timedelta(days=rules.REMIND_WITHIN_DAYS),
        )
        .filter(
            Q(last_reminded_on__isnull=True)
            | Q(last_reminded_on__lte=today - timedelta(days=rules.REMIND_EVERY_DAYS))
        )
        .select_related("employee__user")
    )
    events: list[EventInput] = []
    url = reverse("affairs:health_my_checkups")
    for c in due:
        user = c.employee.user
        if user is not None:
            late = rules.is_overdue(c.due_on, today)
            text = (
                _("%(k)sの受診期限(%(d)s)を過ぎています。受診してください。")
                if late
                else _("%(k)sの受診期限は%(d)sです。予約・受診をお願いします。")
            ) % {"k": c.get_kind_display(), "d": c.due_on.isoformat()}
            notify(
                company=company,
                user=user,
                kind="affairs.health.checkup_due",
                text=text,
                url=url,
                object_type="affairs.checkup",
                object_id=c.pk,
            )
            sent += 1
        before = snapshot(c, fields=("last_reminded_on",))
        c.last_reminded_on = today
        c.save(update_fields=["last_reminded_on"])
        events.append(
            EventInput("remind", instance=c, before=before, after=snapshot(c, fields=("last_reminded_on",)))
        )
    record_events(company=company, actor=None, events=events, actor_label=JOB_LABEL)
    opinions = Checkup.objects.for_company(company).filter(
        status=CheckupStatus.DONE,
        has_findings=True,
        opinion_on__isnull=True,
        opinion_due_on__lte=today + timedelta(days=rules.REMIND_WITHIN_DAYS),
    )
    count = opinions.count()
    if count:
        from ennoshita.core.models import Notification

        text = _(
            "医師の意見聴取の期限が近い(または過ぎた)健康診断が%(n)s件あります(安衛則51条の2: 受診から3か月以内)。"
        ) % {"n": count}
        for user in _granted_users(company, today):
            already = Notification.objects.for_company(company).filter(
                user=user, kind="affairs.health.opinion_due", created_at__date=today
            )
            if already.exists():
                continue
            notify(
                company=company,
                user=user,
                kind="affairs.health.opinion_due",
                text=text,
                url=reverse("affairs:health_opinions"),
            )
            sent += 1
    return sent
