"""勤怠 writes: punches (打刻) and the attendance settings. Every write is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors

from .models import AttendanceSettings, Punch, PunchKind, PunchSource, PunchState
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
