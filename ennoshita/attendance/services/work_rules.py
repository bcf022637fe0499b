"""勤怠 writes: the work rules (就業規則の労働時間) and the attendance settings. Every write is
audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.attendance.models import AttendanceSettings, WorkRule
from ennoshita.attendance.permissions import SETTINGS_ROLES
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role


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


# ------------------------------------------------------------------------------ CSV import
