"""休暇: the company's leave types and the leave requests (休暇申請) by day, half day or hour,
approved by route (request type ``attendance.leave``), cancelled (取り消し) with a reason, and
計画的付与 of 年次有給休暇 (労基法39条6項) written by 人事 without a route.

A request holds its days from submission (``leave_grants.hold_leave`` writes its LeaveTaking rows),
so two requests cannot spend the same balance; the approval's end confirms them (approved) or
releases them (rejected, withdrawn), and a cancellation releases them. A returned request
(差し戻し) keeps holding its days until it is resubmitted (when it may be changed: the days are
released and held again from the new input) or withdrawn. See docs/domains/attendance.md
「休暇と休暇申請」.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.attendance.models import (
    LeaveKind,
    LeavePolicy,
    LeaveRequest,
    LeaveTaking,
    LeaveType,
    LeaveUnit,
    PunchState,
    RequestState,
    WorkRule,
)
from ennoshita.attendance.services import leave_grants
from ennoshita.attendance.services.closing import ensure_month_open, ensure_months_open
from ennoshita.attendance.services.leave_grants import LeavePart
from ennoshita.attendance.timesheet_selectors import day_kind, work_rule_of
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

REQUEST_TYPE = "attendance.leave"
LEAVE_ADMIN_ROLES = ("admin", "hr")  # 人事: every employee's requests, the types, 計画的付与
HELD_STATES = (RequestState.PENDING, RequestState.RETURNED, RequestState.APPROVED)
CANCELLABLE_STATES = HELD_STATES
PLANNED_FREE_DAYS = Decimal(5)  # 労基法39条6項: the 5 days of each grant left to the employee
MAX_RANGE_DAYS = 366

# Kinds whose days the law counts as attended in the 8割 test (労基法39条10項: 業務上の傷病,
# 育児休業, 介護休業, 産前産後; 年休 itself by 昭和22年9月13日発基17号): the flag cannot be cleared.
ATTENDED_BY_LAW = (
    LeaveKind.ANNUAL,
    LeaveKind.MATERNITY,
    LeaveKind.CHILDCARE,
    LeaveKind.FAMILY_CARE,
    LeaveKind.INJURY,
)

# What a company starts with (code = kind). Each row: code, name, kind, paid, has_balance,
# allow_half_day, allow_hourly, counts_as_attended, expiry_months.
DEFAULT_TYPES: tuple[tuple[str, str, str, bool, bool, bool, bool, bool, int | None], ...] = (
    # 労基法39条: paid, from the grants, 半日 by custom, 時間単位 only under a 労使協定 (39条4項),
    # 時効2年 (115条)
    ("annual", "年次有給休暇", LeaveKind.ANNUAL, True, True, True, True, True, 24),
    # 就業規則で定める慶弔休暇 (法定外): paid here, by the day
    ("special", "特別休暇(慶弔)", LeaveKind.SPECIAL, True, False, False, False, False, None),
    # 労基法68条: unpaid unless the rules say otherwise; may be asked by the half day or hour
    ("menstrual", "生理休暇", LeaveKind.MENSTRUAL, False, False, True, True, False, None),
    # 育児介護休業法16条の2〜16条の6: 5 (10) days a year, by the day or the hour, unpaid by default
    ("child_sick", "子の看護等休暇", LeaveKind.CHILD_SICK, False, False, True, True, False, None),
    ("care_day", "介護休暇", LeaveKind.CARE_DAY, False, False, True, True, False, None),
    # 労基法65条; 育児介護休業法5条・11条: unpaid, counted as attended (労基法39条10項)
    ("maternity", "産前産後休業", LeaveKind.MATERNITY, False, False, False, False, True, None),
    ("childcare", "育児休業", LeaveKind.CHILDCARE, False, False, False, False, True, None),
    ("family_care", "介護休業", LeaveKind.FAMILY_CARE, False, False, False, False, True, None),
    # 代休: a day off after 休日労働 (the work is paid with its premium; the day is not)
    ("compensatory", "代休", LeaveKind.COMPENSATORY, False, False, True, False, False, None),
    # 振替休日: a workday swapped beforehand with a rest day; no pay is lost
    ("substitute", "振替休日", LeaveKind.SUBSTITUTE, True, False, False, False, False, None),
    # 労基法37条3項, 労基則19条の2: paid leave in place of the 25% extra for 時間外 over 60h,
    # by the day or half day, under a 労使協定
    ("alternative", "代替休暇", LeaveKind.ALTERNATIVE, True, False, True, False, False, None),
    # 業務上の傷病による休業 (労基法76条: 休業補償), counted as attended (39条10項)
    ("injury", "業務上の傷病による休業", LeaveKind.INJURY, False, False, False, False, True, None),
)

TYPE_FIELDS = (
    "code",
    "name",
    "kind",
    "paid",
    "has_balance",
    "allow_half_day",
    "allow_hourly",
    "counts_as_attended",
    "expiry_months",
    "is_active",
    "sort_order",
)
REQUEST_FIELDS = (
    "employee",
    "leave_type",
    "start_date",
    "end_date",
    "unit",
    "start_time",
    "end_time",
    "days",
    "hours",
    "reason",
    "planned",
    "state",
    "cancel_reason",
)


def _fail(message: str, field: str = "__all__", code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


# ------------------------------------------------------------------------------ leave types
def _hourly_agreed(company: Company) -> bool:
    """時間単位年休 needs a 労使協定 (労基法39条4項), recorded as the policy's days per year."""
    policy = LeavePolicy.objects.for_company(company).first()
    return policy is not None and policy.hourly_days_per_year > 0


def ensure_leave_types(*, company: Company) -> list[LeaveType]:
    """The company's leave types, seeded with DEFAULT_TYPES on first use (a concurrent first use
    makes them once: the codes are unique per company)."""
    existing = list(LeaveType.objects.for_company(company).order_by("sort_order", "pk"))
    codes = {t.code for t in existing}
    if not codes <= {"annual"}:  # seeded already (the balance engine may make 年休 alone first)
        return existing
    hourly = _hourly_agreed(company)
    rows = [
        LeaveType(
            company=company,
            code=code,
            name=name,
            kind=kind,
            paid=paid,
            has_balance=balance,
            allow_half_day=half,
            allow_hourly=hour and (kind != LeaveKind.ANNUAL or hourly),
            counts_as_attended=attended,
            expiry_months=expiry,
            sort_order=(n + 1) * 10,
        )
        for n, (code, name, kind, paid, balance, half, hour, attended, expiry) in enumerate(DEFAULT_TYPES)
        if code not in codes
    ]
    try:
        with transaction.atomic():
            LeaveType.objects.bulk_create(rows)
            created = list(
                LeaveType.objects.for_company(company).filter(code__in=[r.code for r in rows]).order_by("pk")
            )
            record_events(
                company=company,
                actor=None,
                actor_label="attendance",
                events=[EventInput("create", t, after=snapshot(t, TYPE_FIELDS)) for t in created],
            )
    except IntegrityError:  # another first use won
        pass
    return list(LeaveType.objects.for_company(company).order_by("sort_order", "pk"))


@dataclass(frozen=True)
class LeaveTypeInput:
    name: str
    paid: bool
    allow_half_day: bool
    allow_hourly: bool
    counts_as_attended: bool
    expiry_months: int | None
    is_active: bool = True
    sort_order: int = 0
    has_balance: bool = False
    code: str = ""  # new types only
    kind: str = LeaveKind.OTHER  # new types only


def _type_in_use(leave_type: LeaveType) -> bool:
    return leave_type.requests.exists() or leave_type.grants.exists()


def _check_type(company: Company, leave_type: LeaveType, data: LeaveTypeInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("名称を入力してください。")]
    elif len(name) > 50:
        errors["name"] = [_("名称は50文字以内で入力してください。")]
    elif LeaveType.objects.for_company(company).filter(name=name).exclude(pk=leave_type.pk).exists():
        errors["name"] = [_("同じ名称の休暇の種類があります。")]
    if data.expiry_months is not None and not 1 <= data.expiry_months <= 120:
        errors["expiry_months"] = [_("有効期間は1〜120か月で入力してください(空欄は期限なし)。")]
    if leave_type.kind == LeaveKind.ANNUAL:
        if not data.paid:
            errors["paid"] = [_("年次有給休暇は有給です(労基法39条)。")]
        if data.expiry_months is not None and data.expiry_months < 24:
            errors["expiry_months"] = [_("年次有給休暇の有効期間は24か月以上にしてください(労基法115条)。")]
        if data.allow_hourly and not _hourly_agreed(company):
            errors["allow_hourly"] = [
                _(
                    "時間単位年休は労使協定が必要です(労基法39条4項)。先に付与方法で時間単位の日数を設定してください。"
                )
            ]
    if leave_type.kind in ATTENDED_BY_LAW and not data.counts_as_attended:
        errors["counts_as_attended"] = [_("この休暇は出勤率の計算で出勤とみなす決まりです(労基法39条10項)。")]
    if leave_type.kind == LeaveKind.ALTERNATIVE and data.allow_hourly:
        errors["allow_hourly"] = [_("代替休暇は1日または半日単位です(労基則19条の2)。")]
    if not -9999 <= data.sort_order <= 9999:
        errors["sort_order"] = [_("表示順は-9999〜9999で入力してください。")]
    return errors


@transaction.atomic
def create_leave_type(
    *, company: Company, actor: User, membership: Membership, data: LeaveTypeInput
) -> LeaveType:
    """人事 adds a type (a company's own 特別休暇 and the like)."""
    require_role(membership, *LEAVE_ADMIN_ROLES)
    ensure_leave_types(company=company)
    code = data.code.strip()
    leave_type = LeaveType(company=company, code=code, kind=data.kind)
    errors = _check_type(company, leave_type, data)
    if not code:
        errors["code"] = [_("コードを入力してください。")]
    elif len(code) > 20 or not code.isascii():
        errors["code"] = [_("コードは半角20文字以内で入力してください。")]
    elif LeaveType.objects.for_company(company).filter(code=code).exists():
        errors["code"] = [_("このコードは使われています。")]
    if data.kind not in LeaveKind.values:
        errors["kind"] = [_("区分を選んでください。")]
    elif data.kind == LeaveKind.ANNUAL:
        errors["kind"] = [_("年次有給休暇は会社に1つです。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    _apply(leave_type, data)
    leave_type.has_balance = data.has_balance
    leave_type.save()
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=leave_type,
        after=snapshot(leave_type, TYPE_FIELDS),
    )
    return leave_type


def _apply(leave_type: LeaveType, data: LeaveTypeInput) -> None:
    leave_type.name = data.name.strip()
    leave_type.paid = data.paid
    leave_type.allow_half_day = data.allow_half_day
    leave_type.allow_hourly = data.allow_hourly
    leave_type.counts_as_attended = data.counts_as_attended
    leave_type.expiry_months = data.expiry_months
    leave_type.is_active = data.is_active
    leave_type.sort_order = data.sort_order


@transaction.atomic
def update_leave_type(
    *, company: Company, actor: User, membership: Membership, leave_type_id: int, data: LeaveTypeInput
) -> LeaveType:
    """人事 edits a type's name and flags, or deactivates it (is_active=False: no new requests; the
    requests and grants it has stay). ``has_balance`` changes only while the type is unused."""
    require_role(membership, *LEAVE_ADMIN_ROLES)
    leave_type = LeaveType.objects.for_company(company).select_for_update().filter(pk=leave_type_id).first()
    if leave_type is None:
        raise NotFound()
    errors = _check_type(company, leave_type, data)
    if data.has_balance != leave_type.has_balance:
        if leave_type.kind == LeaveKind.ANNUAL:
            errors["has_balance"] = [_("年次有給休暇は付与日数から差し引きます。")]
        elif _type_in_use(leave_type):
            errors["has_balance"] = [_("使われている休暇の種類は、残日数の扱いを変えられません。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    before = snapshot(leave_type, TYPE_FIELDS)
    _apply(leave_type, data)
    leave_type.has_balance = data.has_balance
    leave_type.save()
    after = snapshot(leave_type, TYPE_FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="update", instance=leave_type, before=before, after=after
        )
    return leave_type


@transaction.atomic
def delete_leave_type(*, company: Company, actor: User, membership: Membership, leave_type_id: int) -> None:
    """Only a type never used (no request, no grant) is deleted; a used one is deactivated instead."""
    require_role(membership, *LEAVE_ADMIN_ROLES)
    leave_type = LeaveType.objects.for_company(company).select_for_update().filter(pk=leave_type_id).first()
    if leave_type is None:
        raise NotFound()
    if leave_type.kind == LeaveKind.ANNUAL or _type_in_use(leave_type):
        raise _fail(_("使われている休暇の種類は削除できません。無効にしてください。"), code="in_use")
    before = snapshot(leave_type, TYPE_FIELDS)
    record_event(company=company, actor=actor, action="delete", instance=leave_type, before=before)
    leave_type.delete()


# ------------------------------------------------------------------------------ requests
@dataclass(frozen=True)
class LeaveInput:
    """What a person asks for. ``unit``: full (start_date..end_date), am/pm (start_date), hours
    (start_date, start_time..end_time in whole hours)."""

    leave_type_id: int
    unit: str
    start_date: date
    end_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    reason: str = ""


@dataclass(frozen=True)
class _Checked:
    employee: Employee
    leave_type: LeaveType
    unit: str
    start_date: date
    end_date: date
    start_time: time | None
    end_time: time | None
    days: Decimal
    hours: int
    reason: str
    parts: list[LeavePart]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _in_service(employee: Employee, day: date) -> bool:
    return employee.hire_date <= day and (employee.retire_date is None or day <= employee.retire_date)


def _check_hours(rule: WorkRule, data: LeaveInput) -> tuple[int, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if data.start_time is None or data.end_time is None:
        errors["start_time" if data.start_time is None else "end_time"] = [
            _("時間単位の休暇は開始時刻と終了時刻を入力してください。")
        ]
        return 0, errors
    start, end = _minutes(data.start_time), _minutes(data.end_time)
    day_start, day_end = _minutes(rule.start_time), _minutes(rule.end_time)
    if end <= start:
        errors["end_time"] = [_("終了時刻は開始時刻より後にしてください。")]
    elif (end - start) % 60 or data.start_time.second or data.end_time.second:
        errors["end_time"] = [_("時間単位の休暇は1時間単位で申請してください。")]
    elif day_end > day_start and (start < day_start or end > day_end):
        errors["start_time"] = [
            _("時間単位の休暇は所定労働時間(%(start)s〜%(end)s)の中で申請してください。")
            % {"start": f"{rule.start_time:%H:%M}", "end": f"{rule.end_time:%H:%M}"}
        ]
    elif (end - start) >= rule.scheduled_minutes:
        errors["end_time"] = [_("1日分の時間になるときは全日で申請してください。")]
    return (end - start) // 60, errors


def _check_input(company: Company, employee: Employee, data: LeaveInput) -> _Checked:
    """Every check that needs no lock; the refusals carry their message on the field."""
    ensure_leave_types(company=company)
    leave_type = LeaveType.objects.for_company(company).filter(pk=data.leave_type_id).first()
    if leave_type is None:
        raise _fail(_("休暇の種類を選んでください。"), "leave_type")
    if not leave_type.is_active:
        raise _fail(_("「%(name)s」は現在使えない休暇の種類です。") % {"name": leave_type.name}, "leave_type")
    unit = data.unit
    if unit not in LeaveUnit.values:
        raise _fail(_("取得の単位を選んでください。"), "unit")
    if unit in (LeaveUnit.MORNING, LeaveUnit.AFTERNOON) and not leave_type.allow_half_day:
        raise _fail(_("「%(name)s」は半日単位では取得できません。") % {"name": leave_type.name}, "unit")
    if unit == LeaveUnit.HOURS:
        if not leave_type.allow_hourly:
            raise _fail(_("「%(name)s」は時間単位では取得できません。") % {"name": leave_type.name}, "unit")
        if leave_type.kind == LeaveKind.ANNUAL and not _hourly_agreed(company):
            raise _fail(_("時間単位年休の労使協定が設定されていません(労基法39条4項)。"), "unit")
    reason = (data.reason or "").strip()
    if len(reason) > 500:
        raise _fail(_("理由は500文字以内で入力してください。"), "reason")
    start = data.start_date
    end = data.end_date if unit == LeaveUnit.FULL_DAY and data.end_date is not None else start
    if end < start:
        raise _fail(_("終了日は開始日以降にしてください。"), "end_date")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise _fail(_("1回の申請は1年以内の期間にしてください。"), "end_date")
    rule = work_rule_of(company=company, employee=employee)  # the employment type's rule, else the company's
    workdays = []
    day = start
    while day <= end:
        if day_kind(rule, day) == "workday" and _in_service(employee, day):
            workdays.append(day)
        day += timedelta(days=1)
    if not workdays:
        field = "end_date" if unit == LeaveUnit.FULL_DAY and end > start else "start_date"
        raise _fail(_("選んだ期間に所定労働日がありません(休日は休暇の日数に数えません)。"), field)
    hours = 0
    start_time = end_time = None
    if unit == LeaveUnit.FULL_DAY:
        days = Decimal(len(workdays))
        parts = [LeavePart(date=d, days=Decimal(1), hours=0) for d in workdays]
    elif unit == LeaveUnit.HOURS:
        hours, errors = _check_hours(rule, data)
        if errors:
            raise ServiceError(next(iter(errors.values()))[0], code="validation", field_errors=errors)
        days = Decimal(0)
        start_time, end_time = data.start_time, data.end_time
        parts = [LeavePart(date=start, days=Decimal(0), hours=hours)]
    else:
        days = Decimal("0.5")
        parts = [LeavePart(date=start, days=Decimal("0.5"), hours=0)]
    return _Checked(employee, leave_type, unit, start, end, start_time, end_time, days, hours, reason, parts)


def _lock_employee(company: Company, employee_id: int) -> None:
    """One writer per employee at a time (overlap check and hold): the employee's attendance
    state row, the same lock the punches take."""
    PunchState.objects.get_or_create(company=company, employee_id=employee_id)
    PunchState.objects.select_for_update().filter(company=company, employee_id=employee_id).first()


def _clashes(new: _Checked, old: LeaveRequest) -> bool:
    """Whether two requests of one employee overlap on a day both cover. 午前 and 午後 of one day
    may coexist, and so may hours that do not overlap; anything else on the same day clashes."""
    if new.unit == LeaveUnit.FULL_DAY or old.unit == LeaveUnit.FULL_DAY:
        return True
    if new.unit in (LeaveUnit.MORNING, LeaveUnit.AFTERNOON):
        return old.unit == new.unit or old.unit == LeaveUnit.HOURS
    if old.unit != LeaveUnit.HOURS:
        return True
    assert new.start_time
    assert new.end_time
    assert old.start_time
    assert old.end_time
    return new.start_time < old.end_time and old.start_time < new.end_time


def _check_overlap(company: Company, checked: _Checked, exclude_id: int | None = None) -> None:
    dates = {p.date for p in checked.parts}
    others = (
        LeaveRequest.objects.for_company(company)
        .filter(
            employee=checked.employee,
            state__in=HELD_STATES,
            start_date__lte=checked.end_date,
            end_date__gte=checked.start_date,
        )
        .exclude(pk=exclude_id)
        .select_related("leave_type")
    )
    for old in others:
        hit = sorted(d for d in dates if old.start_date <= d <= old.end_date)
        if hit and _clashes(checked, old):
            message = _("%(day)s は別の休暇申請(%(type)s・%(state)s)と重なっています。") % {
                "day": f"{hit[0]:%Y-%m-%d}",
                "type": old.leave_type.name,
                "state": old.get_state_display(),
            }
            raise _fail(message, "start_date", code="overlap")


def _employee_for(company: Company, membership: Membership, employee_id: int | None) -> Employee:
    """The applicant's own record, or (人事) anyone's; NotFound for an id of no employee here."""
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if employee_id is None or (own is not None and own.pk == employee_id):
        if own is None:
            raise _fail(
                _(
                    "ログインユーザーに社員の記録が紐付いていないため、休暇を申請できません。人事に連絡してください。"
                )
            )
        return own
    if not membership.has_any_role(*LEAVE_ADMIN_ROLES):
        raise PermissionDeniedError(_("ほかの社員の休暇を申請できるのは人事だけです。"))
    found = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if found is None:
        raise NotFound()
    return found


def _name(employee: Employee) -> str:
    return f"{employee.family_name} {employee.given_name}"


def describe(leave: LeaveRequest) -> str:
    """「年次有給休暇 2026-12-07〜2026-12-08(2日)」: the request in one line."""
    when = f"{leave.start_date:%Y-%m-%d}"
    if leave.end_date != leave.start_date:
        when += f"〜{leave.end_date:%Y-%m-%d}"
    if leave.unit == LeaveUnit.HOURS and leave.start_time and leave.end_time:
        amount = f"{leave.start_time:%H:%M}〜{leave.end_time:%H:%M} {leave.hours}時間"
    elif leave.unit in (LeaveUnit.MORNING, LeaveUnit.AFTERNOON):
        amount = leave.get_unit_display()
    else:
        amount = f"{leave.days.normalize():f}日"
    return f"{leave.leave_type.name} {when}({amount})"


def _department(company: Company, employee: Employee, day: date) -> Any:
    placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=day)
    if placement is None:
        placement = people_selectors.placement_as_of(
            company=company, employee=employee, as_of=timezone.localdate()
        )
    return placement.department if placement is not None else None


def _write(leave: LeaveRequest, checked: _Checked) -> None:
    leave.leave_type = checked.leave_type
    leave.unit = checked.unit
    leave.start_date, leave.end_date = checked.start_date, checked.end_date
    leave.start_time, leave.end_time = checked.start_time, checked.end_time
    leave.days, leave.hours = checked.days, checked.hours
    leave.reason = checked.reason


@transaction.atomic
def request_leave(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    data: LeaveInput,
    employee_id: int | None = None,
) -> LeaveRequest:
    """休暇申請 by the employee (or 人事 on their behalf, ``employee_id``): checked, its days held
    from the balance, and submitted through the approval route (所属長 → 人事). Refused with a
    message and nothing written: a bad range or unit, no workday, a closed month, an overlap,
    a short balance or hourly cap (leave_grants.hold_leave), no approver on the route."""
    employee = _employee_for(company, membership, employee_id)
    checked = _check_input(company, employee, data)
    ensure_months_open(
        company=company, days={(employee.pk, p.date) for p in checked.parts}, field="start_date"
    )
    _lock_employee(company, employee.pk)
    _check_overlap(company, checked)
    leave = LeaveRequest(company=company, employee=employee, requested_by=actor, state=RequestState.PENDING)
    _write(leave, checked)
    leave.save()
    leave_grants.hold_leave(company=company, request=leave, parts=checked.parts)
    approval_services.submit_request(
        company=company,
        actor=actor,
        membership=membership,
        request_type=REQUEST_TYPE,
        object_id=leave.pk,
        object_repr=f"{_name(employee)} {describe(leave)}"[:200],
        amount=Decimal(0),
        department=_department(company, employee, checked.start_date),
        url=reverse("attendance:leave_detail", args=[leave.pk]),
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=leave,
        object_repr=describe(leave),
        after=snapshot(leave, REQUEST_FIELDS),
    )
    return leave


def _locked_request(company: Company, request_id: int) -> LeaveRequest:
    leave = (
        LeaveRequest.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("leave_type", "employee")
        .filter(pk=request_id)
        .first()
    )
    if leave is None:
        raise NotFound()
    return leave


OUTCOMES = {
    "approved": RequestState.APPROVED,
    "rejected": RequestState.REJECTED,
    "returned": RequestState.RETURNED,
    "withdrawn": RequestState.WITHDRAWN,
}


def on_leave_decided(*, company: Company, actor: User | None, request: Any, outcome: str) -> None:
    """Called by approvals inside the deciding transaction. approved → the held days are confirmed
    (refused, and the decision rolled back, when a month of the leave was closed meanwhile);
    rejected / withdrawn → released; returned → still held (see the module's docstring). A request
    cancelled while its approval waited stays cancelled whatever the approval's end."""
    target = OUTCOMES.get(outcome)
    if target is None:
        raise ServiceError(_("不明な承認結果です: %(o)s") % {"o": outcome})
    try:
        leave_id = int(request.object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    leave = _locked_request(company, leave_id)
    before = snapshot(leave, ("state",))
    if leave.state == RequestState.CANCELLED:
        record_event(
            company=company,
            actor=actor,
            action="note",
            instance=leave,
            object_repr=describe(leave),
            extra={"approval_outcome": outcome, "note": "cancelled before the approval ended"},
        )
        return
    if leave.state not in (RequestState.PENDING, RequestState.RETURNED):
        raise ServiceError(
            _("「%(state)s」の休暇申請はこの操作ができません。") % {"state": leave.get_state_display()},
            code="bad_state",
        )
    if target == RequestState.APPROVED:
        held = LeaveTaking.objects.for_company(company).filter(request=leave).values_list("date", flat=True)
        days = set(held) | {leave.start_date, leave.end_date}
        ensure_months_open(company=company, days={(leave.employee_id, d) for d in days})
        leave_grants.confirm_leave(company=company, request=leave)
    elif target in (RequestState.REJECTED, RequestState.WITHDRAWN):
        leave_grants.release_leave(company=company, request=leave)
    leave.state = target
    if target != RequestState.RETURNED:
        leave.decided_at = timezone.now()
    leave.save(update_fields=["state", "decided_at"])
    record_event(
        company=company,
        actor=actor,
        action={
            "approved": "approve",
            "rejected": "reject",
            "returned": "send_back",
            "withdrawn": "withdraw",
        }[outcome],
        instance=leave,
        object_repr=describe(leave),
        before=before,
        after=snapshot(leave, ("state",)),
    )


def _approval_of(company: Company, leave: LeaveRequest) -> Any:
    return approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=leave.pk)


@transaction.atomic
def resubmit_leave_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request_id: int,
    data: LeaveInput | None = None,
) -> LeaveRequest:
    """After 差し戻し the applicant submits again, as it was or changed (``data``): a change releases
    the held days and holds the new ones, with every check of a new request."""
    leave = _locked_request(company, request_id)
    approval = _approval_of(company, leave)
    if approval is None or approval.applicant_id != actor.pk:
        raise PermissionDeniedError(_("再申請できるのは申請者本人だけです。"))
    if leave.state != RequestState.RETURNED:
        raise _fail(_("差し戻された申請だけを再申請できます。"), code="bad_state")
    before = snapshot(leave, REQUEST_FIELDS)
    if data is not None:
        checked = _check_input(company, leave.employee, data)
        ensure_months_open(
            company=company, days={(leave.employee_id, p.date) for p in checked.parts}, field="start_date"
        )
        _lock_employee(company, leave.employee_id)
        _check_overlap(company, checked, exclude_id=leave.pk)
        leave_grants.release_leave(company=company, request=leave)
        _write(leave, checked)
        leave.state = RequestState.PENDING
        leave.save()
        leave_grants.hold_leave(company=company, request=leave, parts=checked.parts)
    else:
        leave.state = RequestState.PENDING
        leave.save(update_fields=["state"])
    approval_services.resubmit(company=company, actor=actor, membership=membership, request=approval)
    record_event(
        company=company,
        actor=actor,
        action="resubmit",
        instance=leave,
        object_repr=describe(leave),
        before=before,
        after=snapshot(leave, REQUEST_FIELDS),
    )
    return leave


def can_cancel(
    *, membership: Membership, leave: LeaveRequest, own_employee_id: int | None, today: date
) -> bool:
    """人事 any time (months still open); the employee before the first day."""
    if leave.state not in CANCELLABLE_STATES:
        return False
    if membership.has_any_role(*LEAVE_ADMIN_ROLES):
        return True
    return own_employee_id == leave.employee_id and today < leave.start_date


@transaction.atomic
def cancel_leave_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request_id: int,
    reason: str,
    today: date | None = None,
) -> LeaveRequest:
    """取り消し of a waiting, returned or approved request, with a reason: by the employee before
    its first day, by 人事 any time unless a month of it is closed. The held days are released.
    A waiting approval is withdrawn — by the applicant's own 取り下げ when they cancel, else closed
    by this module with the canceller and the reason recorded — so it leaves the approvers' lists."""
    today = today or timezone.localdate()
    leave = _locked_request(company, request_id)
    own = people_selectors.own_employee_record(company=company, membership=membership)
    is_hr = membership.has_any_role(*LEAVE_ADMIN_ROLES)
    if not is_hr and (own is None or own.pk != leave.employee_id):
        raise NotFound()
    text = (reason or "").strip()
    if not text:
        raise _fail(_("取り消しの理由を入力してください。"), "reason")
    if len(text) > 500:
        raise _fail(_("理由は500文字以内で入力してください。"), "reason")
    if leave.state not in CANCELLABLE_STATES:
        raise _fail(
            _("「%(state)s」の休暇申請は取り消せません。") % {"state": leave.get_state_display()},
            code="bad_state",
        )
    if not is_hr and today >= leave.start_date:
        raise PermissionDeniedError(_("休暇の初日以降は、人事に取り消しを依頼してください。"))
    days = set(
        LeaveTaking.objects.for_company(company).filter(request=leave).values_list("date", flat=True)
    ) | {leave.start_date, leave.end_date}
    ensure_months_open(company=company, days={(leave.employee_id, d) for d in days})
    before = snapshot(leave, REQUEST_FIELDS)
    approval = _approval_of(company, leave)
    if (
        leave.state in (RequestState.PENDING, RequestState.RETURNED)
        and approval is not None
        and approval.status in ("pending", "returned")
    ):
        # on_leave_decided("withdrawn") releases the days
        if approval.applicant_id == actor.pk:
            approval_services.withdraw(company=company, actor=actor, membership=membership, request=approval)
        else:
            approval_services.withdraw_for_source(
                company=company,
                actor=actor,
                request=approval,
                reason=_("休暇申請の取り消し: %(r)s") % {"r": text},
            )
        leave.refresh_from_db()
    else:
        leave_grants.release_leave(company=company, request=leave)
    leave.state = RequestState.CANCELLED
    leave.cancelled_at = timezone.now()
    leave.cancel_reason = text
    leave.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    record_event(
        company=company,
        actor=actor,
        action="cancel",
        instance=leave,
        object_repr=describe(leave),
        before=before,
        after=snapshot(leave, REQUEST_FIELDS),
    )
    return leave


# ------------------------------------------------------------------------------ 計画的付与
def _planned_beyond_five(company: Company, employee: Employee, leave: LeaveRequest) -> bool:
    """労基法39条6項: only the days of each grant beyond 5 may be planned. True when every grant
    this planned day drew from still leaves 5 days to the employee's own choice."""
    takings = LeaveTaking.objects.for_company(company).filter(request=leave, grant__isnull=False)
    for grant_id in {t.grant_id for t in takings}:
        grant_days = takings.filter(grant_id=grant_id).values_list("grant__days", flat=True).first() or 0
        planned = (
            LeaveTaking.objects.for_company(company)
            .filter(grant_id=grant_id, request__planned=True, request__state__in=HELD_STATES)
            .aggregate(total=Sum("days"))["total"]
            or 0
        )
        if Decimal(planned) > Decimal(grant_days) - PLANNED_FREE_DAYS:
            return False
    return True


@transaction.atomic
def plan_annual_leave(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    day: date,
    employee_ids: Sequence[int] = (),
    department_id: int | None = None,
    reason: str = "",
) -> list[LeaveRequest]:
    """計画的付与 (労基法39条6項, under a 労使協定): one day of 年次有給休暇 on ``day`` for the chosen
    employees, or everyone in service that day in the department (and those below), approved at
    once (planned=True, no route). All or nothing: when anyone cannot take it (not a workday for
    them, a closed month, an overlap, a short balance, or the day would eat into the 5 days of a
    grant that stay the employee's own), nothing is written and each is named."""
    require_role(membership, *LEAVE_ADMIN_ROLES)
    types = ensure_leave_types(company=company)
    annual = next((t for t in types if t.kind == LeaveKind.ANNUAL and t.is_active), None)
    if annual is None:
        raise _fail(_("年次有給休暇の種類が無効になっています。"), "leave_type")
    if department_id is not None:
        people_selectors.get_department(company=company, department_id=department_id)  # NotFound
        ids = people_selectors.descendant_ids(company=company, department_id=department_id)
        employees = people_selectors.employees_in_service(
            company=company, as_of=day, department_ids=list(ids)
        )
        if employee_ids:
            employees = [e for e in employees if e.pk in set(employee_ids)]
    else:
        employees = []
        for pk in dict.fromkeys(employee_ids):
            found = people_selectors.employee_by_id(company=company, employee_id=pk)
            if found is None:
                raise NotFound()
            employees.append(found)
    if not employees:
        raise _fail(_("計画的付与の対象者を選んでください。"), "employees")
    text = (reason or "").strip()[:500] or _("計画的付与")
    data = LeaveInput(
        leave_type_id=annual.pk, unit=LeaveUnit.FULL_DAY, start_date=day, end_date=day, reason=text
    )
    failures: list[str] = []
    created: list[LeaveRequest] = []
    now = timezone.now()
    for employee in employees:
        try:
            with transaction.atomic():
                checked = _check_input(company, employee, data)
                ensure_month_open(company=company, employee_id=employee.pk, day=day)
                _lock_employee(company, employee.pk)
                _check_overlap(company, checked)
                leave = LeaveRequest(
                    company=company,
                    employee=employee,
                    requested_by=actor,
                    planned=True,
                    state=RequestState.APPROVED,
                    decided_at=now,
                )
                _write(leave, checked)
                leave.save()
                leave_grants.hold_leave(company=company, request=leave, parts=checked.parts)
                if not _planned_beyond_five(company, employee, leave):
                    raise _fail(
                        _("計画的付与にできるのは付与日数のうち5日を超える部分だけです(労基法39条6項)。")
                    )
                leave_grants.confirm_leave(company=company, request=leave)
                created.append(leave)
        except ServiceError as exc:
            failures.append(f"{employee.number} {_name(employee)}: {exc.message}")
    if failures:
        message = _("計画的付与できない社員がいるため、誰にも登録していません。") + " " + " / ".join(failures)
        raise ServiceError(message, code="plan_refused", field_errors={"employees": failures})
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput("plan", leave, object_repr=describe(leave), after=snapshot(leave, REQUEST_FIELDS))
            for leave in created
        ],
    )
    return created


__all__ = [
    "DEFAULT_TYPES",
    "REQUEST_TYPE",
    "LeaveInput",
    "LeaveTypeInput",
    "cancel_leave_request",
    "create_leave_type",
    "delete_leave_type",
    "ensure_leave_types",
    "on_leave_decided",
    "plan_annual_leave",
    "request_leave",
    "resubmit_leave_request",
    "update_leave_type",
]
