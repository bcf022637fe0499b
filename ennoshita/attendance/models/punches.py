"""勤怠: punches (打刻) and each employee's current state.

A punch is never edited or deleted: a wrong one is corrected by an approved correction request
(打刻修正申請), which adds punches of source "correction" and voids the day's earlier ones, so the
history keeps both (docs/domains/attendance.md). Every calculation reads only punches not voided.
"""

from __future__ import annotations

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
    # set when an approved 打刻修正申請 replaced this punch (the punch stays, for the history)
    voided_at = models.DateTimeField(_("無効にした日時"), null=True, blank=True)
    correction = models.ForeignKey(
        "attendance.PunchCorrection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_punches",
        verbose_name=_("打刻修正申請"),
    )
    voided_by = models.ForeignKey(
        "attendance.PunchCorrection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voided_punches",
        verbose_name=_("無効にした打刻修正申請"),
    )

    class Meta:
        verbose_name = _("打刻")
        verbose_name_plural = _("打刻")
        ordering = ["employee", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "at", "kind"],
                condition=Q(voided_at__isnull=True),
                name="attendance_punch_unique",
            ),
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
