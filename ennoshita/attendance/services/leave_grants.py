"""年次有給休暇 writes: holding, confirming and releasing the days of a leave request against the
employee's grants (oldest first, never past expiry, never below zero), the automatic grants with the
8割 test, 人事's manual grants and corrections, the company's policy, and the 年5日 warnings.

Rules: rules/leave_grants.py (with their sources); reads: paid_leave_selectors.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.attendance import paid_leave_selectors as selectors
from ennoshita.attendance.models import (
    GrantSource,
    LeaveGrant,
    LeaveKind,
    LeavePolicy,
    LeaveRequest,
    LeaveTaking,
    LeaveType,
    LeaveUnit,
    Punch,
)
from ennoshita.attendance.rules import leave_grants as rules
from ennoshita.attendance.rules.paid_leave import paid_leave_days
from ennoshita.attendance.timesheet_selectors import day_kind, work_rule_of
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

ADMIN_ROLES = ("admin", "hr")
JOB_LABEL = "grant_paid_leave"
WARN_JOB_LABEL = "paid_leave_five_day_warnings"
WARN_EVERY_DAYS = 7  # a grant's 5-day warning is mailed at most once a week
GRANT_FIELDS = ("employee", "leave_type", "granted_on", "expires_on", "days", "source", "note")
# days of these kinds are not 労働日 at all (the company gave the day off): out of 全労働日
EXCLUDED_KINDS = (LeaveKind.COMPENSATORY, LeaveKind.SUBSTITUTE)


@dataclass(frozen=True)
class LeavePart:
    """One date of a leave request: whole or half days (``days``) and/or hours of 時間単位年休."""

    date: date
    days: Decimal
    hours: int


def _refuse(message: str, code: str = "validation", field: str = "__all__") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _check_request(company: Company, request: LeaveRequest) -> None:
    if request.company_id != company.pk:
        raise NotFound()


def _locked_grants(company: Company, employee_id: int, leave_type_id: int) -> list[LeaveGrant]:
    return list(
        LeaveGrant.objects.for_company(company)
        .select_for_update()
        .filter(employee_id=employee_id, leave_type_id=leave_type_id)
        .order_by("granted_on", "expires_on", "pk")
    )


def _check_parts(parts: Sequence[LeavePart]) -> None:
    if not parts:
        raise _refuse(_("休暇の日がありません。"), field="start_date")
    for part in parts:
        if part.days < 0 or part.hours < 0 or (part.days == 0 and part.hours == 0):
            raise _refuse(_("休暇の日数または時間数が正しくありません。"), field="days")
        if part.days * 2 != int(part.days * 2):
            raise _refuse(_("日数は0.5日単位で指定してください。"), field="days")


def _hourly_cap_check(
    *,
    company: Company,
    request: LeaveRequest,
    parts: Sequence[LeavePart],
    grants: list[LeaveGrant],
    hpd: int,
) -> None:
    """時間単位年休 up to the agreed days a year × the hours of a day (労基法39条4項, 則24条の4),
    counted per grant year (from the latest grant on or before the date, for a year)."""
    hourly = [p for p in parts if p.hours]
    if not hourly or request.leave_type.kind != LeaveKind.ANNUAL:
        return
    policy = selectors.policy_of(company=company)
    cap = policy.hourly_days_per_year * hpd
    if cap == 0:
        raise _refuse(
            _("時間単位の年次有給休暇は労使協定で定められていないため取得できません。"),
            code="hourly_cap",
            field="hours",
        )
    starts = [g.granted_on for g in grants if g.days > 0]
    wanted: dict[tuple[date, date], int] = defaultdict(int)
    for part in hourly:
        year = rules.hourly_year(starts, part.date)
        if year is None:
            continue  # no grant yet: the balance check refuses it
        wanted[year] += part.hours
    for (start, end), hours in wanted.items():
        rows = (
            LeaveTaking.objects.for_company(company)
            .filter(
                employee_id=request.employee_id,
                leave_type_id=request.leave_type_id,
                request__unit=LeaveUnit.HOURS,
                date__gte=start,
                date__lte=end,
            )
            .exclude(request_id=request.pk)
            .aggregate(d=Sum("days"), h=Sum("hours"))
        )
        taken = (rows["d"] or 0) * hpd + (rows["h"] or 0)
        if taken + hours > cap:
            left = max(Decimal(cap) - Decimal(taken), Decimal(0))
            raise _refuse(
                _(
                    "時間単位の年次有給休暇は%(start)s〜%(end)sの1年で%(cap)d時間(%(days)d日分)までです。"
                    "この期間に取得できるのは残り%(left)s時間です(労基法39条4項)。"
                )
                % {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "cap": cap,
                    "days": policy.hourly_days_per_year,
                    "left": f"{left.normalize():f}",
                },
                code="hourly_cap",
                field="hours",
            )


@transaction.atomic
def hold_leave(*, company: Company, request: LeaveRequest, parts: Sequence[LeavePart]) -> list[LeaveTaking]:
    """Write the request's LeaveTaking rows (not yet approved), each date drawn from the
    employee's grants of the request's type valid on that date, the oldest first (a day may be
    split over two grants). Holding again replaces the request's earlier rows. Types without a
    balance get rows without a grant.

    Refused with ServiceError, nothing written: code ``insufficient_balance`` when the grants valid
    on a date do not hold enough (the message says what is left), ``hourly_cap`` for 時間単位年休
    over the agreed days a year. The employee's grants are locked (SELECT … FOR UPDATE), so two
    requests at once cannot spend the same days: the second waits and then sees the first's rows."""
    _check_request(company, request)
    _check_parts(parts)
    leave_type = request.leave_type
    ordered = sorted(parts, key=lambda p: p.date)
    if not leave_type.has_balance:
        LeaveTaking.objects.for_company(company).filter(request=request).delete()
        rows = [
            LeaveTaking(
                company=company,
                request=request,
                employee_id=request.employee_id,
                leave_type=leave_type,
                grant=None,
                date=p.date,
                days=p.days,
                hours=Decimal(p.hours),
            )
            for p in ordered
        ]
        return LeaveTaking.objects.bulk_create(rows)

    grants = _locked_grants(company, request.employee_id, leave_type.pk)
    hpd = selectors.hours_per_day_of(company=company, employee_id=request.employee_id)
    _hourly_cap_check(company=company, request=request, parts=ordered, grants=grants, hpd=hpd)
    used_qs = (
        LeaveTaking.objects.for_company(company)
        .filter(grant_id__in=[g.pk for g in grants])
        .exclude(request_id=request.pk)
        .values("grant_id")
        .annotate(d=Sum("days"), h=Sum("hours"))
    )
    used = {
        r["grant_id"]: rules.to_units(days=r["d"] or 0, hours=r["h"] or 0, hours_per_day=hpd) for r in used_qs
    }
    lots = [
        rules.Lot(
            g.pk,
            g.granted_on,
            g.expires_on,
            rules.to_units(days=g.days, hours=0, hours_per_day=hpd) - used.get(g.pk, 0),
        )
        for g in grants
    ]
    by_id = {g.pk: g for g in grants}
    rows = []
    for part in ordered:
        need = rules.to_units(days=part.days, hours=part.hours, hours_per_day=hpd)
        try:
            draws = rules.draw(lots=lots, day=part.date, units=need)
        except rules.InsufficientBalance as short:
            days, hours = rules.from_units(short.available, hpd)
            raise _refuse(
                _("%(date)s に使える%(type)sが足りません(残り%(left)s)。")
                % {
                    "date": part.date.isoformat(),
                    "type": leave_type.name,
                    "left": selectors.days_hours_label(days, hours),
                },
                code="insufficient_balance",
                field="days",
            ) from None
        lots = rules.apply_draws(lots, draws)
        for item in draws:
            days, hours = rules.from_units(item.units, hpd)
            rows.append(
                LeaveTaking(
                    company=company,
                    request=request,
                    employee_id=request.employee_id,
                    leave_type=leave_type,
                    grant=by_id[item.key],  # type: ignore[index]
                    date=part.date,
                    days=days,
                    hours=hours,
                )
            )
    LeaveTaking.objects.for_company(company).filter(request=request).delete()
    return LeaveTaking.objects.bulk_create(rows)


@transaction.atomic
def confirm_leave(*, company: Company, request: LeaveRequest) -> int:
    """The request was approved: its held days become taken. Returns the rows confirmed."""
    _check_request(company, request)
    return LeaveTaking.objects.for_company(company).filter(request=request).update(approved=True)


@transaction.atomic
def release_leave(*, company: Company, request: LeaveRequest) -> int:
    """The request was rejected, withdrawn or cancelled: its days go back to their grants."""
    _check_request(company, request)
    deleted, _detail = LeaveTaking.objects.for_company(company).filter(request=request).delete()
    return deleted


# ---------------------------------------------------------------------------------------------
# the 年次有給休暇 type


def ensure_annual_type(*, company: Company) -> LeaveType:
    """The company's 年次有給休暇 type, created with the law's settings when it has none."""
    found = selectors.annual_leave_type(company=company)
    if found is not None:
        return found
    leave_type, _created = LeaveType.objects.get_or_create(
        company=company,
        code="annual",
        defaults={
            "name": "年次有給休暇",
            "kind": LeaveKind.ANNUAL,
            "paid": True,
            "has_balance": True,
            "allow_half_day": True,
            "allow_hourly": True,
            "counts_as_attended": True,
            "expiry_months": rules.ANNUAL_EXPIRY_MONTHS,
        },
    )
    return leave_type


# ---------------------------------------------------------------------------------------------
# automatic grants


@dataclass(frozen=True)
class GrantRunResult:
    granted: int  # grants written (with days)
    not_qualified: int  # grants written with 0 days (出勤率 under 80 %)
    employees: int  # employees looked at


def _attendance_for(
    company: Company, employee: Employee, due: rules.GrantDue, records_from: date | None
) -> tuple[int, int, int]:
    """(出勤日, 全労働日, みなし出勤の日) for the grant's 8割 period (no permission check)."""
    rule = work_rule_of(company=company)
    start = max(due.period_start, employee.hire_date)
    end = due.period_end
    workdays = []
    deemed = 0
    day = start
    while day <= end:
        if day_kind(rule, day) == "workday":
            if records_from is not None and day < records_from:
                deemed += 1  # before the company recorded attendance here: no record of absence
            else:
                workdays.append(day)
        day += timedelta(days=1)
    if due.deemed_until is not None:
        day = due.granted_on
        while day <= due.deemed_until:
            if day_kind(rule, day) == "workday":
                deemed += 1  # 平6.1.4基発1号: the cut-off period counts as attended
            day += timedelta(days=1)
    if not workdays:
        return 0, 0, deemed
    first, last = workdays[0], workdays[-1]
    worked = set(
        Punch.objects.for_company(company)
        .filter(employee=employee, work_date__gte=first, work_date__lte=last, voided_at__isnull=True)
        .values_list("work_date", flat=True)
    )
    leave_rows = (
        LeaveTaking.objects.for_company(company)
        .filter(employee=employee, date__gte=first, date__lte=last, approved=True)
        .values_list("date", "leave_type__kind", "leave_type__counts_as_attended")
    )
    counted: set[date] = set()
    excluded: set[date] = set()
    for day, kind, counts in leave_rows:
        if kind in EXCLUDED_KINDS:
            excluded.add(day)
        elif counts or kind == LeaveKind.ANNUAL:
            counted.add(day)
    result = rules.count_attendance(
        workdays=workdays, worked=worked, counted_leave=counted, excluded=excluded - worked
    )
    return result.attended_days, result.working_days, deemed


def _grant_for_due(
    company: Company,
    employee: Employee,
    due: rules.GrantDue,
    week: selectors.WorkWeek,
    leave_type: LeaveType,
    records_from: date | None,
) -> LeaveGrant:
    attended, working, deemed = _attendance_for(company, employee, due, records_from)
    rate = rules.attendance_rate(attended_days=attended, working_days=working, deemed_days=deemed)
    qualifies = rules.meets_attendance_test(attended_days=attended, working_days=working, deemed_days=deemed)
    days = 0
    if qualifies:
        days = paid_leave_days(
            service_months=due.service_months,
            weekly_days=min(week.weekly_days, 7),
            weekly_hours=week.weekly_hours,
            annual_days=week.annual_days,
        )
    note = "" if qualifies else _("出勤率が8割未満のため付与なし(労基法39条)")
    return LeaveGrant(
        company=company,
        employee=employee,
        leave_type=leave_type,
        granted_on=due.granted_on,
        expires_on=due.expires_on,
        days=Decimal(days),
        source=GrantSource.AUTOMATIC,
        service_months=due.service_months,
        attendance_rate=rate,
        note=note,
    )


def dues_of(*, policy: LeavePolicy, hire_date: date, until: date) -> list[rules.GrantDue]:
    return rules.grant_dates(
        hire_date=hire_date,
        until=until,
        reference_month=policy.reference_month if policy.uses_reference_date else None,
        reference_day=policy.reference_day,
        first_grant_months=policy.first_grant_months,
    )


@transaction.atomic
def grant_paid_leave(
    *, company: Company, as_of: date, actor: User | None = None, membership: Membership | None = None
) -> GrantRunResult:
    """Grant every 年次有給休暇 due on or before ``as_of`` to each employee in service on that date
    and not granted yet (safe to repeat: a due grant already written — by date or by its step of
    the table — is skipped). Only grants still usable on ``as_of`` and, when the policy sets the
    date the company began recording attendance, from that date. Each grant records the step of
    the table (勤続月数) and the 出勤率; below 80 % it is written with 0 days so that the decision
    is kept. 比例付与 from the employee's week (attendance profile, else the work rule).

    Run daily by the worker and by ``manage.py grant_paid_leave``; a member running it must be
    人事 or an admin."""
    if membership is not None:
        require_role(membership, *ADMIN_ROLES)
    policy = selectors.policy_of(company=company)
    leave_type = ensure_annual_type(company=company)
    employees = list(
        Employee.objects.for_company(company)
        .filter(hire_date__lte=as_of)
        .filter(Q(retire_date__isnull=True) | Q(retire_date__gte=as_of))
        .order_by("number")
    )
    ids = [e.pk for e in employees]
    existing: dict[int, list[tuple[date, int | None]]] = defaultdict(list)
    for employee_id, granted_on, months in (
        LeaveGrant.objects.for_company(company)
        .filter(employee_id__in=ids, leave_type=leave_type)
        .values_list("employee_id", "granted_on", "service_months")
    ):
        existing[employee_id].append((granted_on, months))
    weeks = selectors.work_weeks(company=company, employee_ids=ids)
    # days before the company's records began count as attended: the policy's date, else the first
    # punch recorded here (a company with no punch yet has no record of any absence)
    records_start = policy.records_from
    if records_start is None:
        first = (
            Punch.objects.for_company(company).filter(voided_at__isnull=True).order_by("work_date").first()
        )
        records_start = first.work_date if first is not None else as_of + timedelta(days=1)
    oldest_usable = rules.months_after(as_of, -rules.ANNUAL_EXPIRY_MONTHS) + timedelta(days=1)
    created: list[LeaveGrant] = []
    for employee in employees:
        have = existing.get(employee.pk, [])
        have_dates = {d for d, _m in have}
        have_steps = {m for _d, m in have if m is not None}
        for due in dues_of(policy=policy, hire_date=employee.hire_date, until=as_of):
            if due.expires_on < as_of or due.granted_on < oldest_usable:
                continue
            if policy.records_from is not None and due.granted_on < policy.records_from:
                continue
            if due.granted_on in have_dates or due.service_months in have_steps:
                continue
            created.append(
                _grant_for_due(company, employee, due, weeks[employee.pk], leave_type, records_start)
            )
    LeaveGrant.objects.bulk_create(created)
    events = [
        EventInput(
            "attendance.leave_granted",
            instance=g,
            after=snapshot(g, (*GRANT_FIELDS, "service_months", "attendance_rate")),
        )
        for g in created
    ]
    record_events(company=company, actor=actor, events=events, actor_label="" if actor else JOB_LABEL)
    zero = sum(1 for g in created if g.days == 0)
    return GrantRunResult(granted=len(created) - zero, not_qualified=zero, employees=len(employees))


# ---------------------------------------------------------------------------------------------
# 人事's manual grants and corrections


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise _refuse(_("理由(メモ)を入力してください。"), field="note")
    if len(note) > 200:
        raise _refuse(_("メモは200文字以内で入力してください。"), field="note")
    return note


def _clean_days(days: Decimal) -> Decimal:
    try:
        value = Decimal(days)
    except (ArithmeticError, TypeError, ValueError):
        raise _refuse(_("日数を数字で入力してください。"), field="days") from None
    if value < 0 or value > 40 or value * 2 != int(value * 2):
        raise _refuse(_("日数は0〜40日の0.5日単位で入力してください。"), field="days")
    return value


@transaction.atomic
def add_grant(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee_id: int,
    granted_on: date,
    days: Decimal,
    note: str,
    leave_type_id: int | None = None,
    expires_on: date | None = None,
    migrated: bool = False,
) -> LeaveGrant:
    """人事 grants days by hand (e.g. the balance carried over at go-live, source 移行), with a
    reason. The expiry defaults to the type's (2 years for 年休, 労基法115条)."""
    require_role(membership, *ADMIN_ROLES)
    employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if employee is None:
        raise NotFound()
    if leave_type_id is None:
        leave_type = ensure_annual_type(company=company)
    else:
        found = LeaveType.objects.for_company(company).filter(pk=leave_type_id, has_balance=True).first()
        if found is None:
            raise NotFound()
        leave_type = found
    value = _clean_days(days)
    text = _clean_note(note)
    if expires_on is None:
        months = (
            rules.ANNUAL_EXPIRY_MONTHS if leave_type.kind == LeaveKind.ANNUAL else leave_type.expiry_months
        )
        expires_on = rules.expiry_date(granted_on, months)
    if expires_on < granted_on:
        raise _refuse(_("有効期限は付与日以降の日付にしてください。"), field="expires_on")
    if leave_type.kind == LeaveKind.ANNUAL and expires_on > rules.expiry_date(granted_on):
        raise _refuse(_("年次有給休暇の有効期限は付与日から2年までです(労基法115条)。"), field="expires_on")
    grant = LeaveGrant(
        company=company,
        employee=employee,
        leave_type=leave_type,
        granted_on=granted_on,
        expires_on=expires_on,
        days=value,
        source=GrantSource.MIGRATED if migrated else GrantSource.MANUAL,
        note=text,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError:
        raise _refuse(
            _("この社員には%(date)s付けの付与がすでにあります。その付与を修正してください。")
            % {"date": granted_on.isoformat()},
            field="granted_on",
        ) from None
    record_event(
        company=company,
        actor=actor,
        action="attendance.leave_granted",
        instance=grant,
        after=snapshot(grant, GRANT_FIELDS),
    )
    return grant


@transaction.atomic
def adjust_grant(
    *, company: Company, actor: User, membership: Membership, grant_id: int, days: Decimal, note: str
) -> LeaveGrant:
    """人事 corrects the days of a grant, with a reason; never below what was already drawn from it
    (taken or held by a request)."""
    require_role(membership, *ADMIN_ROLES)
    grant = LeaveGrant.objects.for_company(company).select_for_update().filter(pk=grant_id).first()
    if grant is None:
        raise NotFound()
    value = _clean_days(days)
    text = _clean_note(note)
    hpd = selectors.hours_per_day_of(company=company, employee_id=grant.employee_id)
    used = selectors.used_by_grant(company=company, grant_ids=[grant.pk]).get(grant.pk, (0, 0))
    used_units = rules.to_units(days=used[0], hours=used[1], hours_per_day=hpd)
    if rules.to_units(days=value, hours=0, hours_per_day=hpd) < used_units:
        d, h = rules.from_units(used_units, hpd)
        raise _refuse(
            _("この付与からはすでに%(used)s使われています(申請中を含む)。それより少なくはできません。")
            % {"used": selectors.days_hours_label(d, h)},
            field="days",
        )
    before = snapshot(grant, GRANT_FIELDS)
    grant.days = value
    grant.note = text
    grant.save(update_fields=["days", "note"])
    record_event(
        company=company,
        actor=actor,
        action="attendance.leave_grant_adjusted",
        instance=grant,
        before=before,
        after=snapshot(grant, GRANT_FIELDS),
    )
    return grant


# ---------------------------------------------------------------------------------------------
# the policy


POLICY_FIELDS = (
    "uses_reference_date",
    "reference_month",
    "reference_day",
    "first_grant_months",
    "hourly_days_per_year",
    "warn_five_days_before_months",
    "records_from",
)


@dataclass(frozen=True)
class PolicyInput:
    uses_reference_date: bool
    reference_month: int
    reference_day: int
    first_grant_months: int
    hourly_days_per_year: int
    warn_five_days_before_months: int
    records_from: date | None = None


@transaction.atomic
def update_policy(*, company: Company, actor: User, membership: Membership, data: PolicyInput) -> LeavePolicy:
    """人事 sets how 年休 is granted. Refused: a 基準日 that is no date, a first grant later than 6
    months (39条1項), 時間単位年休 over 5 days (39条4項), a warning lead of 0 or over 11 months."""
    require_role(membership, *ADMIN_ROLES)
    errors: dict[str, list[str]] = {}
    if not 1 <= data.reference_month <= 12:
        errors["reference_month"] = [_("月は1〜12で入力してください。")]
    elif not 1 <= data.reference_day <= 31 or (
        data.reference_day > [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][data.reference_month - 1]
    ):
        errors["reference_day"] = [_("その月にない日です。")]
    if not 0 <= data.first_grant_months <= rules.LEGAL_FIRST_GRANT_MONTHS:
        errors["first_grant_months"] = [_("初回の付与は入社から6か月以内です(労基法39条1項)。")]
    if not 0 <= data.hourly_days_per_year <= rules.HOURLY_DAYS_MAX:
        errors["hourly_days_per_year"] = [_("時間単位で取得できるのは年5日までです(労基法39条4項)。")]
    if not 1 <= data.warn_five_days_before_months <= 11:
        errors["warn_five_days_before_months"] = [_("1〜11か月で入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    policy = LeavePolicy.objects.for_company(company).select_for_update().first()
    if policy is None:
        policy = LeavePolicy(company=company)
    before = snapshot(policy, POLICY_FIELDS) if policy.pk else None
    for field in POLICY_FIELDS:
        setattr(policy, field, getattr(data, field))
    policy.save()
    record_event(
        company=company,
        actor=actor,
        action="attendance.leave_policy_updated",
        instance=policy,
        before=before,
        after=snapshot(policy, POLICY_FIELDS),
    )
    return policy


# ---------------------------------------------------------------------------------------------
# 年5日 warnings


def _mail(company: Company, to: list[str], subject: str, body: str) -> None:
    if not to:
        return
    EmailMessage(subject=subject, body=body, from_email=django_settings.DEFAULT_FROM_EMAIL, to=to).send(
        fail_silently=True
    )


@transaction.atomic
def send_five_day_warnings(*, company: Company, as_of: date) -> int:
    """Mail each employee whose 年5日 deadline is within the policy's months and who is still short
    (taken and approved days counted), and their 所属長; at most once a week per grant (the
    grant's ``warned_on``). Returns how many employees were warned. Mails go after commit."""
    policy = selectors.policy_of(company=company)
    horizon = rules.months_after(as_of, policy.warn_five_days_before_months)
    duties = [
        d
        for d in selectors.five_day_duties(company=company, as_of=as_of)
        if d.deadline < horizon
        and (d.warned_on is None or d.warned_on <= as_of - timedelta(days=WARN_EVERY_DAYS))
    ]
    if not duties:
        return 0
    employees = {
        e.pk: e
        for e in Employee.objects.for_company(company)
        .select_related("user")
        .filter(pk__in=[d.employee_id for d in duties])
    }
    url = reverse("attendance:my_paid_leave")
    mails: list[tuple[list[str], str, str]] = []
    events: list[EventInput] = []
    for duty in duties:
        employee = employees[duty.employee_id]
        subject = _("[%(company)s] 年次有給休暇をあと%(days)s日取得してください(期限 %(deadline)s)") % {
            "company": company.name,
            "days": f"{duty.still_needed.normalize():f}",
            "deadline": duty.deadline.isoformat(),
        }
        body = _(
            "%(name)s さん\n\n年次有給休暇は、10日以上付与された日から1年以内に5日以上取得することが"
            "法律で定められています(労働基準法39条7項)。\n\n期間: %(start)s〜%(deadline)s\n"
            "取得が必要な日数: %(required)s日\n取得済み・承認済み: %(done)s日\n残り: %(left)s日\n\n"
            "所属長と相談のうえ、休暇申請をしてください。\n%(url)s\n"
        ) % {
            "name": duty.name,
            "start": duty.start.isoformat(),
            "deadline": duty.deadline.isoformat(),
            "required": f"{duty.required.normalize():f}",
            "done": f"{(duty.taken + duty.scheduled).normalize():f}",
            "left": f"{duty.still_needed.normalize():f}",
            "url": url,
        }
        to = []
        if employee.user is not None and employee.user.email:
            to.append(employee.user.email)
        elif employee.email:
            to.append(employee.email)
        placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=as_of)
        department = placement.department if placement else None
        head = people_selectors.department_head_user(company=company, department=department, as_of=as_of)
        if head is not None and head.email and head.email not in to:
            to.append(head.email)
        mails.append((to, subject, body))
        events.append(
            EventInput(
                "attendance.five_day_warned",
                object_type="people.employee",
                object_id=str(employee.pk),
                object_repr=duty.name,
                extra={"deadline": duty.deadline, "still_needed": duty.still_needed, "to": to},
            )
        )
        LeaveGrant.objects.for_company(company).filter(pk__in=duty.grant_ids).update(warned_on=as_of)
    record_events(company=company, actor=None, events=events, actor_label=WARN_JOB_LABEL)
    for to, subject, body in mails:
        transaction.on_commit(partial(_mail, company, to, subject, body))
    return len(duties)


def run_daily(*, as_of: date | None = None) -> str:
    """The daily job: grants, then the 年5日 warnings, for every company."""
    day = as_of or timezone.localdate()
    granted = warned = 0
    for company in Company.objects.order_by("pk"):
        result = grant_paid_leave(company=company, as_of=day)
        granted += result.granted
        warned += send_five_day_warnings(company=company, as_of=day)
    return f"{granted} grant(s), {warned} five-day warning(s)"


__all__: list[Any] = [
    "GrantRunResult",
    "LeavePart",
    "PolicyInput",
    "add_grant",
    "adjust_grant",
    "confirm_leave",
    "grant_paid_leave",
    "hold_leave",
    "release_leave",
    "send_five_day_warnings",
    "update_policy",
]
