"""The checks of a 休暇申請's input shared by the requests (leave.py) and 計画的付与 (leave_plans.py):
the type, unit, range and workdays of what is asked (``_check_input``), the per-employee lock and
the overlap with the employee's other requests, and the request's one-line description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.attendance.models import (
    LeaveKind,
    LeaveRequest,
    LeaveType,
    LeaveUnit,
    PunchState,
    RequestState,
    WorkRule,
)
from ennoshita.attendance.services.leave_grants import LeavePart
from ennoshita.attendance.services.leave_types import _fail, _hourly_agreed, ensure_leave_types
from ennoshita.attendance.timesheet_selectors import day_kind, work_rule_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company
from ennoshita.people.models import Employee

HELD_STATES = (RequestState.PENDING, RequestState.RETURNED, RequestState.APPROVED)
MAX_RANGE_DAYS = 366
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


def _write(leave: LeaveRequest, checked: _Checked) -> None:
    leave.leave_type = checked.leave_type
    leave.unit = checked.unit
    leave.start_date, leave.end_date = checked.start_date, checked.end_date
    leave.start_time, leave.end_time = checked.start_time, checked.end_time
    leave.days, leave.hours = checked.days, checked.hours
    leave.reason = checked.reason
