"""勤怠 writes: the work rules (就業規則の労働時間) and the attendance settings. Every write is
audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.attendance.models import (
    AttendanceProfile,
    AttendanceSettings,
    StatutoryHolidayRule,
    WorkRule,
    WorkSystem,
)
from ennoshita.attendance.permissions import SETTINGS_ROLES
from ennoshita.attendance.services.figures import mark_employees_changed
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people.models import Employee, EmploymentType


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
    "employment_type",
    "system",
    "start_time",
    "end_time",
    "break_minutes",
    "workdays",
    "statutory_holiday_rule",
    "statutory_holiday_weekday",
    "week_start_weekday",
    "national_holidays_off",
    "display_rounding_minutes",
    "overtime_requires_approval",
    "core_start",
    "core_end",
    "flex_standard_minutes",
    "variable_period_start_day",
)
DISPLAY_ROUNDINGS = (0, 5, 10, 15, 30)


@dataclass(frozen=True)
class WorkRuleInput:
    start_time: time
    end_time: time
    break_minutes: int
    workdays: list[int]
    statutory_holiday_weekday: int
    week_start_weekday: int
    national_holidays_off: bool
    system: str = WorkSystem.STANDARD
    display_rounding_minutes: int = 0
    overtime_requires_approval: bool = False
    core_start: time | None = None
    core_end: time | None = None
    flex_standard_minutes: int = 480
    variable_period_start_day: int = 1
    statutory_holiday_rule: str = StatutoryHolidayRule.WEEKDAY


def _check_rule(data: WorkRuleInput, workdays: list[int], daily: int) -> dict[str, list[str]]:
    """What 労基法 refuses in a rule: 35条 (a 法定休日 off), 32条 (8 h a day, 40 h a week; under
    1か月単位の変形 the rule's own week must average 40 h — a shift table may then plan longer
    days), 34条 (45 minutes' break over 6 hours, 60 over 8), 32条の3 (a コアタイム inside the day)."""
    errors: dict[str, list[str]] = {}
    if data.system not in WorkSystem.values:
        errors["system"] = [_("労働時間制度を選んでください。")]
        return errors
    if daily <= 0:
        errors["break_minutes"] = [_("休憩が始業から終業までの時間より長くなっています。")]
        return errors
    if data.system == WorkSystem.STANDARD and daily > 8 * 60:
        errors["end_time"] = [_("1日の所定労働時間は8時間までです(労基法32条2項)。")]
    elif data.system == WorkSystem.MONTHLY_VARIABLE and daily > 10 * 60:
        errors["end_time"] = [
            _("変形労働時間制でも、規則の1日は10時間までにしてください(長い日はシフトで決めます)。")
        ]
    elif data.system != WorkSystem.FLEX and daily * len(workdays) > 40 * 60:
        errors["workdays"] = [_("1週の所定労働時間が40時間を超えます(労基法32条1項・32条の2)。")]
    elif (daily > 8 * 60 and data.break_minutes < 60) or (daily > 6 * 60 and data.break_minutes < 45):
        errors["break_minutes"] = [
            _("労働が6時間を超える日は45分、8時間を超える日は60分以上の休憩が必要です(労基法34条)。")
        ]
    if data.system == WorkSystem.FLEX:
        if (data.core_start is None) != (data.core_end is None):
            errors["core_end"] = [_("コアタイムは開始と終了の両方を入れるか、両方を空にしてください。")]
        elif data.core_start is not None and data.core_end is not None:
            if data.core_end <= data.core_start:
                errors["core_end"] = [_("コアタイムの終了は開始より後の時刻にしてください。")]
            elif data.end_time > data.start_time and not (
                data.start_time <= data.core_start and data.core_end <= data.end_time
            ):
                errors["core_start"] = [
                    _(
                        "コアタイムは始業から終業まで(フレキシブルタイムを含む1日)の中に置いてください(労基法32条の3)。"
                    )
                ]
        if not 60 <= data.flex_standard_minutes <= 8 * 60:
            errors["flex_standard_minutes"] = [
                _("標準となる1日の労働時間は60分から480分の間で入れてください。")
            ]
        elif data.flex_standard_minutes * len(workdays) > 40 * 60:
            errors["flex_standard_minutes"] = [
                _("標準となる1日の労働時間 × 所定労働日が週40時間を超えます(労基法32条の3)。")
            ]
    if not 1 <= data.variable_period_start_day <= 28:
        errors["variable_period_start_day"] = [_("変形期間の起算日は1日から28日の間で選んでください。")]
    if data.display_rounding_minutes not in DISPLAY_ROUNDINGS:
        errors["display_rounding_minutes"] = [_("表示の丸めは0・5・10・15・30分から選んでください。")]
    return errors


@transaction.atomic
def update_work_rule(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    data: WorkRuleInput,
    employment_type: EmploymentType | None = None,
) -> WorkRule:
    """Change the company's working hours (``employment_type`` None) or one employment type's
    rule (人事 and admins). A rule that breaks 労基法 is refused, nothing written: the 法定休日
    must not be a workday (35条: one day off a week; a rule that lets the week's unworked rest day
    be the 法定休日 needs a rest day in the week), the break must cover 45 minutes over 6 hours
    and 60 minutes over 8 hours of work (34条), the scheduled day at most 8 hours and the week at
    most 40 (32条; under the 変形労働時間制 the rule's week averages 40 hours, 32条の2), a
    コアタイム inside the day (32条の3)."""
    require_role(membership, *SETTINGS_ROLES)
    if employment_type is not None and employment_type.company_id != company.pk:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    workdays = sorted(set(data.workdays))
    if not workdays or any(not 0 <= d <= 6 for d in workdays):
        errors["workdays"] = [_("所定労働日を1日以上選んでください。")]
    by_weekday = data.statutory_holiday_rule == StatutoryHolidayRule.WEEKDAY
    if data.statutory_holiday_rule not in StatutoryHolidayRule.values:
        errors["statutory_holiday_rule"] = [_("法定休日の決め方を選んでください。")]
    elif not 0 <= data.statutory_holiday_weekday <= 6:
        errors["statutory_holiday_weekday"] = [_("曜日が正しくありません。")]
    elif by_weekday and data.statutory_holiday_weekday in workdays:
        errors["statutory_holiday_weekday"] = [_("法定休日は所定労働日にできません(労基法35条)。")]
    elif not by_weekday and len(workdays) >= 7:
        errors["workdays"] = [_("週に1日以上の休日が必要です(労基法35条)。")]
    if not 0 <= data.week_start_weekday <= 6:
        errors["week_start_weekday"] = [_("曜日が正しくありません。")]
    if data.start_time == data.end_time:
        errors["end_time"] = [_("終業は始業と別の時刻にしてください。")]
    rule = WorkRule(
        company=company,
        employment_type=employment_type,
        system=data.system,
        start_time=data.start_time,
        end_time=data.end_time,
        break_minutes=data.break_minutes,
        workdays=workdays,
        statutory_holiday_rule=data.statutory_holiday_rule,
        statutory_holiday_weekday=data.statutory_holiday_weekday,
        week_start_weekday=data.week_start_weekday,
        national_holidays_off=data.national_holidays_off,
        display_rounding_minutes=data.display_rounding_minutes,
        overtime_requires_approval=data.overtime_requires_approval,
        core_start=data.core_start if data.system == WorkSystem.FLEX else None,
        core_end=data.core_end if data.system == WorkSystem.FLEX else None,
        flex_standard_minutes=data.flex_standard_minutes,
        variable_period_start_day=data.variable_period_start_day,
    )
    if not errors:
        errors = _check_rule(data, workdays, rule.scheduled_minutes)
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    current = (
        WorkRule.objects.for_company(company)
        .select_for_update()
        .filter(employment_type=employment_type)
        .first()
    )
    before = snapshot(current, RULE_FIELDS) if current is not None else None
    if current is not None:
        rule.pk = current.pk
    rule.save()
    after = snapshot(rule, RULE_FIELDS)
    if after != before:
        mark_employees_changed(company=company)  # every month's figures follow the new rule
        record_event(
            company=company,
            actor=actor,
            action="update" if before else "create",
            instance=rule,
            before=before,
            after=after,
        )
    return rule


@transaction.atomic
def delete_work_rule(*, company: Company, actor: User, membership: Membership, rule: WorkRule) -> None:
    """Remove an employment type's own rule: its employees follow the company's again. The
    company's standard rule stays (it is changed, not removed)."""
    require_role(membership, *SETTINGS_ROLES)
    if rule.company_id != company.pk:
        raise NotFound()
    if rule.employment_type_id is None:
        message = _("会社の標準の規則は削除できません。")
        raise ServiceError(message, code="validation", field_errors={"__all__": [message]})
    before = snapshot(rule, RULE_FIELDS)
    pk, label = rule.pk, str(rule)
    rule.delete()
    mark_employees_changed(company=company)
    record_event(
        company=company,
        actor=actor,
        action="delete",
        object_type="attendance.workrule",
        object_id=str(pk),
        object_repr=label,
        before=before,
    )


PROFILE_FIELDS = ("is_supervisor", "weekly_days", "weekly_minutes", "annual_days")


@dataclass(frozen=True)
class ProfileInput:
    is_supervisor: bool = False
    weekly_days: int | None = None
    weekly_minutes: int | None = None
    annual_days: int | None = None


@transaction.atomic
def update_attendance_profile(
    *, company: Company, actor: User, membership: Membership, employee: Employee, data: ProfileInput
) -> AttendanceProfile:
    """人事 sets what attendance needs about one employee: 管理監督者 (労基法41条2号: no 時間外・休日
    counted, 深夜 still is) and the agreed week of a part-timer (週所定労働日数・時間, 年間所定労働日数;
    比例付与 of 労基法39条3項). Audited; nothing written on bad input."""
    require_role(membership, *SETTINGS_ROLES)
    if employee.company_id != company.pk:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    if data.weekly_days is not None and not 1 <= data.weekly_days <= 7:
        errors["weekly_days"] = [_("週所定労働日数は1日から7日で入れてください。")]
    if data.weekly_minutes is not None and not 1 <= data.weekly_minutes <= 40 * 60:
        errors["weekly_minutes"] = [
            _("週所定労働時間は1分から40時間(2400分)までで入れてください(労基法32条)。")
        ]
    if data.annual_days is not None and not 1 <= data.annual_days <= 366:
        errors["annual_days"] = [_("年間所定労働日数は1日から366日で入れてください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    row = AttendanceProfile.objects.for_company(company).select_for_update().filter(employee=employee).first()
    before = snapshot(row, PROFILE_FIELDS) if row is not None else None
    if row is None:
        row = AttendanceProfile(company=company, employee=employee)
    row.is_supervisor = bool(data.is_supervisor)
    row.weekly_days = data.weekly_days
    row.weekly_minutes = data.weekly_minutes
    row.annual_days = data.annual_days
    row.save()
    after = snapshot(row, PROFILE_FIELDS)
    if after != before:
        mark_employees_changed(company=company, employee_ids=[employee.pk])  # 管理監督者 or not
        record_event(
            company=company,
            actor=actor,
            action="update" if before else "create",
            instance=row,
            object_repr=f"{employee.number} {employee.family_name} {employee.given_name}",
            before=before,
            after=after,
        )
    return row


# ------------------------------------------------------------------------------ CSV import
