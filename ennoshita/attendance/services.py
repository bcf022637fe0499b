"""勤怠 writes: punches (打刻) and the attendance settings. Every write is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .models import AttendanceSettings, Punch, PunchKind, PunchSource, PunchState, WorkRule
from .permissions import SETTINGS_ROLES
from .rules import punches as punch_rules
from .selectors import settings_of

PUNCH_FIELDS = (
    "employee",
    "work_date",
    "kind",
    "at",
    "source",
    "ip_address",
    "note",
    "latitude",
    "longitude",
)


@dataclass(frozen=True)
class PunchInput:
    kind: str
    note: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _refuse(message: str, field: str = "kind") -> ServiceError:
    return ServiceError(message, code="validation", field_errors={field: [message]})


def _locked_state(company: Company, employee_id: int) -> PunchState:
    PunchState.objects.get_or_create(company=company, employee_id=employee_id)
    return PunchState.objects.select_for_update().get(company=company, employee_id=employee_id)


@transaction.atomic
def record_punch(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    data: PunchInput,
    source: str = PunchSource.WEB,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> Punch:
    """The signed-in employee's own punch at the server's time (the employee cannot choose it).

    Refused with a message, nothing written: no employee record linked to the user, retired, a
    punch that does not follow 出勤 → 休憩 → 退勤, a time not after the last punch, a position when
    the company does not record positions. Two presses at once: the second waits for the first
    (the employee's state row is locked) and is then refused as out of order."""
    if source not in (PunchSource.WEB, PunchSource.MOBILE):
        raise _refuse(_("打刻元が正しくありません。"), "source")
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is None:
        raise _refuse(
            _("ログインユーザーに社員の記録が紐付いていないため、打刻できません。人事に連絡してください。"),
            "__all__",
        )
    at = now or timezone.now()
    today = timezone.localdate(at)
    if employee.retire_date is not None and employee.retire_date < today:
        raise _refuse(_("退職日を過ぎているため打刻できません。"), "__all__")
    if data.kind not in PunchKind.values:
        raise _refuse(_("打刻の種類が正しくありません。"))
    note = data.note.strip()
    if len(note) > 200:
        raise _refuse(_("メモは200文字以内で入力してください。"), "note")
    if (data.latitude is None) != (data.longitude is None):
        raise _refuse(_("位置情報は緯度と経度の両方が必要です。"), "latitude")
    if data.latitude is not None:
        assert data.longitude is not None
        if not settings_of(company=company).position_enabled:
            raise _refuse(_("この会社では打刻の位置情報を記録しません。"), "latitude")
        if not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
            raise _refuse(_("位置情報が正しくありません。"), "latitude")

    state = _locked_state(company, employee.pk)
    last_kind = state.last_kind
    if (
        last_kind in (punch_rules.IN, punch_rules.BREAK_START, punch_rules.BREAK_END)
        and state.clock_in_at is not None
        and at - state.clock_in_at > punch_rules.FORGOTTEN_AFTER
    ):
        last_kind = ""  # a forgotten 退勤: a new 出勤 starts the next shift; the old one awaits a correction
    if state.last_at is not None and at <= state.last_at:
        raise _refuse(
            _("直前の打刻(%(at)s)より後の時刻でなければ打刻できません。")
            % {"at": timezone.localtime(state.last_at).strftime("%Y-%m-%d %H:%M:%S")}
        )
    message = punch_rules.refusal(last_kind=last_kind, kind=data.kind)
    if message is not None:
        raise _refuse(_(message))
    work_date = today if data.kind == punch_rules.IN or state.work_date is None else state.work_date
    punch = Punch(
        company=company,
        employee=employee,
        work_date=work_date,
        kind=data.kind,
        at=at,
        source=source,
        ip_address=ip_address,
        note=note,
        latitude=data.latitude,
        longitude=data.longitude,
        recorded_by=actor,
    )
    punch.save()
    state.last_kind = data.kind
    state.last_at = at
    state.work_date = work_date
    if data.kind == punch_rules.IN:
        state.clock_in_at = at
    elif data.kind == punch_rules.OUT:
        state.clock_in_at = None
    state.save()
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=punch,
        object_repr=f"{employee.number} {punch}",
        after=snapshot(punch, PUNCH_FIELDS),
    )
    return punch


@transaction.atomic
def update_settings(
    *, company: Company, actor: User, membership: Membership, position_enabled: bool
) -> AttendanceSettings:
    require_role(membership, *SETTINGS_ROLES)
    row, _created = AttendanceSettings.objects.get_or_create(company=company)
    row = AttendanceSettings.objects.select_for_update().get(pk=row.pk)
    before = snapshot(row, ("position_enabled",))
    row.position_enabled = bool(position_enabled)
    row.save()
    after = snapshot(row, ("position_enabled",))
    if after != before:
        record_event(company=company, actor=actor, action="update", instance=row, before=before, after=after)
    return row


RULE_FIELDS = (
    "start_time",
    "end_time",
    "break_minutes",
    "workdays",
    "statutory_holiday_weekday",
    "week_start_weekday",
    "national_holidays_off",
)


@dataclass(frozen=True)
class WorkRuleInput:
    start_time: time
    end_time: time
    break_minutes: int
    workdays: list[int]
    statutory_holiday_weekday: int
    week_start_weekday: int
    national_holidays_off: bool


@transaction.atomic
def update_work_rule(
    *, company: Company, actor: User, membership: Membership, data: WorkRuleInput
) -> WorkRule:
    """Change the company's working hours (人事 and admins). A rule that breaks 労基法 is refused:
    the 法定休日 must not be a workday (35条: one day off a week), the break must cover 45 minutes
    over 6 hours and 60 minutes over 8 hours of work (34条), the scheduled day at most 8 hours and
    the week at most 40 (32条; the 変形労働時間制 comes later)."""
    require_role(membership, *SETTINGS_ROLES)
    errors: dict[str, list[str]] = {}
    workdays = sorted(set(data.workdays))
    if not workdays or any(not 0 <= d <= 6 for d in workdays):
        errors["workdays"] = [_("所定労働日を1日以上選んでください。")]
    if not 0 <= data.statutory_holiday_weekday <= 6:
        errors["statutory_holiday_weekday"] = [_("曜日が正しくありません。")]
    elif data.statutory_holiday_weekday in workdays:
        errors["statutory_holiday_weekday"] = [_("法定休日は所定労働日にできません(労基法35条)。")]
    if not 0 <= data.week_start_weekday <= 6:
        errors["week_start_weekday"] = [_("曜日が正しくありません。")]
    if data.start_time == data.end_time:
        errors["end_time"] = [_("終業は始業と別の時刻にしてください。")]
    rule = WorkRule(
        company=company,
        start_time=data.start_time,
        end_time=data.end_time,
        break_minutes=data.break_minutes,
        workdays=workdays,
        statutory_holiday_weekday=data.statutory_holiday_weekday,
        week_start_weekday=data.week_start_weekday,
        national_holidays_off=data.national_holidays_off,
    )
    daily = rule.scheduled_minutes
    if not errors:
        if daily <= 0:
            errors["break_minutes"] = [_("休憩が始業から終業までの時間より長くなっています。")]
        elif daily > 8 * 60:
            errors["end_time"] = [_("1日の所定労働時間は8時間までです(労基法32条2項)。")]
        elif daily * len(workdays) > 40 * 60:
            errors["workdays"] = [_("1週の所定労働時間が40時間を超えます(労基法32条1項)。")]
        elif (daily > 8 * 60 and data.break_minutes < 60) or (daily > 6 * 60 and data.break_minutes < 45):
            errors["break_minutes"] = [
                _("労働が6時間を超える日は45分、8時間を超える日は60分以上の休憩が必要です(労基法34条)。")
            ]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    current = WorkRule.objects.for_company(company).select_for_update().first()
    before = snapshot(current, RULE_FIELDS) if current is not None else None
    if current is not None:
        rule.pk = current.pk
    rule.save()
    after = snapshot(rule, RULE_FIELDS)
    if after != before:
        record_event(
            company=company,
            actor=actor,
            action="update" if before else "create",
            instance=rule,
            before=before,
            after=after,
        )
    return rule
