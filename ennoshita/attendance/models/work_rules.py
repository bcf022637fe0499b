"""就業規則の労働時間: the company's standard day and week, one per employment type where it differs,
the working-time system (通常, 1か月単位の変形労働時間制, フレックスタイム制) and each employee's
assignment (管理監督者 included)."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


def default_workdays() -> list[int]:
    return [0, 1, 2, 3, 4]  # Monday–Friday (date.weekday())


class WorkSystem(models.TextChoices):
    STANDARD = "standard", _("通常の労働時間制")
    # 労基法32条の2: the month's shift table sets each day's hours; the average week stays within 40h
    MONTHLY_VARIABLE = "monthly_variable", _("1か月単位の変形労働時間制")
    # 労基法32条の3: the employee chooses start and end; overtime is counted on the 清算期間 total
    FLEX = "flex", _("フレックスタイム制")


class StatutoryHolidayRule(models.TextChoices):
    # 労基法35条 does not ask for a named day: a fixed weekday, or the week's rest day that was not
    # worked (the last rest day when every one was worked; rules.statutory_holiday_of_week)
    WEEKDAY = "weekday", _("曜日で決める")
    LAST_REST_DAY = "last_rest_day", _("週の休日のうち、休めなかったときは最後の休日")


class WorkRule(CompanyScopedModel):
    """就業規則の労働時間: the company's standard day and week (``employment_type`` empty), or the
    rule of one employment type where it differs. Weekdays are ``date.weekday()`` numbers:
    0 = Monday … 6 = Sunday."""

    employment_type = models.ForeignKey(
        "people.EmploymentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("雇用形態"),
        help_text=_("空欄は会社の標準。雇用形態ごとに違う規則だけを別に登録します。"),
    )
    system = models.CharField(
        _("労働時間制度"), max_length=20, choices=WorkSystem.choices, default=WorkSystem.STANDARD
    )

    start_time = models.TimeField(_("始業"), default=time(9, 0))
    end_time = models.TimeField(_("終業"), default=time(18, 0))
    break_minutes = models.PositiveSmallIntegerField(_("休憩(分)"), default=60)
    workdays = models.JSONField(_("所定労働日(曜日)"), default=default_workdays)
    # 労基法35条: at least one day off a week; the 法定休日 is the one whose work earns 35%
    statutory_holiday_rule = models.CharField(
        _("法定休日の決め方"),
        max_length=20,
        choices=StatutoryHolidayRule.choices,
        default=StatutoryHolidayRule.WEEKDAY,
    )
    statutory_holiday_weekday = models.PositiveSmallIntegerField(_("法定休日(曜日)"), default=6)
    # 昭和63年1月1日基発1号: without a rule the week is the calendar week from Sunday
    week_start_weekday = models.PositiveSmallIntegerField(_("週の起算日(曜日)"), default=6)
    national_holidays_off = models.BooleanField(_("国民の祝日は所定休日"), default=True)
    # for display only: pay always uses the exact minutes (jp-rules §4.1)
    display_rounding_minutes = models.PositiveSmallIntegerField(_("表示の丸め(分)"), default=0)
    # 残業申請: time before the start or after the end counts only when approved, unless this is off
    overtime_requires_approval = models.BooleanField(_("残業は申請と承認が必要"), default=False)
    # フレックスタイム制 (清算期間 1か月): コアタイム and the day's 標準となる1日の労働時間 (for leave)
    core_start = models.TimeField(_("コアタイム開始"), null=True, blank=True)
    core_end = models.TimeField(_("コアタイム終了"), null=True, blank=True)
    flex_standard_minutes = models.PositiveSmallIntegerField(_("標準となる1日の労働時間(分)"), default=480)
    # 1か月単位の変形労働時間制: the day of the month its period starts (起算日)
    variable_period_start_day = models.PositiveSmallIntegerField(_("変形期間の起算日"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("所定労働時間の設定")
        verbose_name_plural = _("所定労働時間の設定")
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(employment_type__isnull=True),
                name="attendance_workrule_unique",
            ),
            models.UniqueConstraint(
                fields=["company", "employment_type"],
                condition=Q(employment_type__isnull=False),
                name="attendance_workrule_type_unique",
            ),
            models.CheckConstraint(
                condition=Q(statutory_holiday_weekday__lte=6)
                & Q(week_start_weekday__lte=6)
                & Q(variable_period_start_day__gte=1, variable_period_start_day__lte=28),
                name="attendance_workrule_weekdays",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def scheduled_minutes(self) -> int:
        """所定労働時間 of a workday: end − start − break (a shift over midnight wraps)."""
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        span = end - start if end > start else end + 24 * 60 - start
        return max(span - self.break_minutes, 0)


class AttendanceProfile(CompanyScopedModel):
    """What attendance needs to know about one employee beyond 人事's record: 管理監督者
    (労基法41条2号: no 時間外・休日 premiums, 深夜 still paid) and, for part-timers, the agreed
    week that decides 比例付与 of paid leave (労基法39条3項, 則24条の3)."""

    employee = models.OneToOneField(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    is_supervisor = models.BooleanField(_("管理監督者"), default=False)
    # empty: the work rule's week
    weekly_days = models.PositiveSmallIntegerField(_("週所定労働日数"), null=True, blank=True)
    weekly_minutes = models.PositiveIntegerField(_("週所定労働時間(分)"), null=True, blank=True)
    annual_days = models.PositiveSmallIntegerField(_("年間所定労働日数"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("社員の勤怠設定")
        verbose_name_plural = _("社員の勤怠設定")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_days__isnull=True) | Q(weekly_days__lte=7),
                name="attendance_profile_week_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}"
