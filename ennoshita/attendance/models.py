"""勤怠: punches (打刻) and each employee's current state.

A punch is never edited or deleted: a wrong one is corrected by a correction request (a later
slice), which adds punches of source "correction" and voids the wrong ones, so the history keeps
both (docs/domains/attendance.md).
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class PunchKind(models.TextChoices):
    CLOCK_IN = "in", _("出勤")
    BREAK_START = "break_start", _("休憩開始")
    BREAK_END = "break_end", _("休憩終了")
    CLOCK_OUT = "out", _("退勤")


class PunchSource(models.TextChoices):
    WEB = "web", _("Web(パソコン)")
    MOBILE = "mobile", _("Web(スマートフォン)")
    CORRECTION = "correction", _("打刻修正")
    IMPORT = "import", _("CSV取込")


class WorkStatus(models.TextChoices):
    OFF = "off", _("勤務外")
    WORKING = "working", _("勤務中")
    ON_BREAK = "on_break", _("休憩中")
    DONE = "done", _("退勤済")


class Punch(CompanyScopedModel):
    """One press of the button (or an imported or corrected time): who, what, when, from where."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    # the day the work belongs to: a shift that crosses midnight belongs to the day it started
    work_date = models.DateField(_("勤務日"))
    kind = models.CharField(_("種類"), max_length=12, choices=PunchKind.choices)
    at = models.DateTimeField(_("時刻"))
    source = models.CharField(_("打刻元"), max_length=12, choices=PunchSource.choices)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    # only when the company allows it and the employee ticked 「位置情報を記録する」 for this punch
    latitude = models.DecimalField(_("緯度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("経度"), max_digits=9, decimal_places=6, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("打刻")
        verbose_name_plural = _("打刻")
        ordering = ["employee", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "at", "kind"], name="attendance_punch_unique"),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180)),
                name="attendance_punch_position",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "employee", "work_date"], name="attendance_punch_day_idx"),
            models.Index(fields=["company", "work_date"], name="attendance_punch_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.work_date} {self.get_kind_display()} {self.at:%H:%M}"


class PunchState(CompanyScopedModel):
    """An employee's last punch, kept with every punch: the screen's state in one read, and the row
    a punch locks so that two presses at once cannot both clock in."""

    employee = models.OneToOneField(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    last_kind = models.CharField(max_length=12, choices=PunchKind.choices, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    work_date = models.DateField(null=True, blank=True)  # the work day of the last punch
    clock_in_at = models.DateTimeField(null=True, blank=True)  # start of the open shift, if any

    class Meta:
        verbose_name = _("打刻の状態")
        verbose_name_plural = _("打刻の状態")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.last_kind} {self.last_at}"


class AttendanceSettings(CompanyScopedModel):
    """A company's attendance choices that are not work rules."""

    position_enabled = models.BooleanField(
        _("スマートフォンの打刻で位置情報を記録できる"),
        default=False,
        help_text=_("記録するのは、社員がその打刻で「位置情報を記録する」を選んだときだけです。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("勤怠の設定")
        verbose_name_plural = _("勤怠の設定")
        constraints = [models.UniqueConstraint(fields=["company"], name="attendance_settings_unique")]

    def __str__(self) -> str:
        return f"{self.company_id}"


def default_workdays() -> list[int]:
    return [0, 1, 2, 3, 4]  # Monday–Friday (date.weekday())


class WorkRule(CompanyScopedModel):
    """就業規則の労働時間: the company's standard day and week (one per company in this version;
    per employment type and the 変形労働時間制 come later). Weekdays are ``date.weekday()``
    numbers: 0 = Monday … 6 = Sunday."""

    start_time = models.TimeField(_("始業"), default=time(9, 0))
    end_time = models.TimeField(_("終業"), default=time(18, 0))
    break_minutes = models.PositiveSmallIntegerField(_("休憩(分)"), default=60)
    workdays = models.JSONField(_("所定労働日(曜日)"), default=default_workdays)
    # 労基法35条: at least one day off a week; the 法定休日 is the one whose work earns 35%
    statutory_holiday_weekday = models.PositiveSmallIntegerField(_("法定休日(曜日)"), default=6)
    # 昭和63年1月1日基発1号: without a rule the week is the calendar week from Sunday
    week_start_weekday = models.PositiveSmallIntegerField(_("週の起算日(曜日)"), default=6)
    national_holidays_off = models.BooleanField(_("国民の祝日は所定休日"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("所定労働時間の設定")
        verbose_name_plural = _("所定労働時間の設定")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="attendance_workrule_unique"),
            models.CheckConstraint(
                condition=Q(statutory_holiday_weekday__lte=6) & Q(week_start_weekday__lte=6),
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
