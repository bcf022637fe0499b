"""シフト: patterns (早番・遅番・夜勤…), each employee's planned day in a department's monthly
table, publication, and swaps between employees decided by route."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel

from .common import RequestState


class ShiftPattern(CompanyScopedModel):
    """A named working time. ``end_time`` at or before ``start_time`` ends the next day (夜勤); a
    shift belongs to the day it starts."""

    code = models.CharField(_("記号"), max_length=8)
    name = models.CharField(_("名称"), max_length=50)
    start_time = models.TimeField(_("開始"))
    end_time = models.TimeField(_("終了"))
    break_minutes = models.PositiveSmallIntegerField(_("休憩(分)"), default=60)
    color = models.CharField(_("色"), max_length=7, default="#4f7cac")
    is_active = models.BooleanField(_("有効"), default=True)
    sort_order = models.IntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("シフトパターン")
        verbose_name_plural = _("シフトパターン")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="attendance_shiftpattern_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def planned_minutes(self) -> int:
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        span = end - start if end > start else end + 24 * 60 - start
        return max(span - self.break_minutes, 0)


class Shift(CompanyScopedModel):
    """An employee's planned day: a working time (from a pattern, times copied so that a later
    change of the pattern does not rewrite the past) or a rest day (``is_rest_day``)."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    department = models.ForeignKey(
        "people.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部署")
    )
    date = models.DateField(_("日付"))
    pattern = models.ForeignKey(
        ShiftPattern,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("パターン"),
    )
    is_rest_day = models.BooleanField(_("休日"), default=False)
    start_at = models.DateTimeField(_("開始"), null=True, blank=True)
    end_at = models.DateTimeField(_("終了"), null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(_("休憩(分)"), default=0)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("シフト")
        verbose_name_plural = _("シフト")
        ordering = ["date", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="attendance_shift_one_per_day"),
            models.CheckConstraint(
                condition=Q(is_rest_day=True, start_at__isnull=True, end_at__isnull=True)
                | Q(
                    is_rest_day=False,
                    start_at__isnull=False,
                    end_at__isnull=False,
                    end_at__gt=models.F("start_at"),
                ),
                name="attendance_shift_times",
            ),
        ]
        indexes = [models.Index(fields=["company", "department", "date"], name="attendance_shift_dept_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}"


class ShiftSwap(CompanyScopedModel):
    """シフト交換: two employees exchange their shifts of two dates (or of one date), by route."""

    requester = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    requester_date = models.DateField(_("自分の日"))
    partner_date = models.DateField(_("相手の日"))
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    # the cells of both employees on the dates involved, as they were when asked: the exchange is
    # refused when any of them changed before the decision
    cells = models.JSONField(_("申請時のシフト"), default=dict, blank=True)
    state = models.CharField(
        _("状態"), max_length=12, choices=RequestState.choices, default=RequestState.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("シフト交換")
        verbose_name_plural = _("シフト交換")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.requester_id}⇄{self.partner_id} {self.requester_date}"


class RestDayRule(models.TextChoices):
    """労基法35条: 毎週少なくとも1回 (1項), or 4週間を通じ4日以上 (2項) where the 就業規則 says so
    and names the 起算日 (労基則12条の2第2項)."""

    WEEKLY = "weekly", _("毎週1日以上(労基法35条1項)")
    FOUR_WEEKS = "four_weeks", _("4週4日以上(労基法35条2項、変形休日制)")


class ShiftSettings(CompanyScopedModel):
    """How a company's shift tables are checked: the rest-day rule and the rest between shifts
    worth a warning (勤務間インターバル, 労働時間等設定改善法2条1項: 努力義務)."""

    rest_rule = models.CharField(
        _("休日の基準"), max_length=12, choices=RestDayRule.choices, default=RestDayRule.WEEKLY
    )
    four_week_start = models.DateField(_("4週の起算日"), null=True, blank=True)
    min_rest_minutes = models.PositiveSmallIntegerField(_("勤務間インターバル(分)"), default=11 * 60)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("シフトの設定")
        verbose_name_plural = _("シフトの設定")
        constraints = [models.UniqueConstraint(fields=["company"], name="attendance_shiftsettings_unique")]

    def __str__(self) -> str:
        return f"{self.company_id}"


class ShiftTable(CompanyScopedModel):
    """A department's month: its revision (each save adds one, so that two editors do not overwrite
    each other unseen) and what was last published (公開) to the employees, cell by cell
    (``published_cells``: employee id → ISO date → code or 休)."""

    department = models.ForeignKey(
        "people.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部署")
    )
    month = models.DateField(_("月"))
    revision = models.PositiveIntegerField(_("版"), default=0)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_cells = models.JSONField(_("公開した内容"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("シフト表")
        verbose_name_plural = _("シフト表")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "department", "month"], name="attendance_shifttable_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.month:%Y-%m}"
