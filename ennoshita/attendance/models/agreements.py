"""36協定 (労基法36条): the agreements a company has filed, and the warnings sent under them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class OvertimeAgreement(CompanyScopedModel):
    """One 時間外・休日労働に関する協定 for a year (``start_date`` is its 起算日). Empty
    ``department`` covers the whole company; a department's own agreement takes precedence for
    its members. The limits are checked against 労基法36条3項〜6項 when saved."""

    name = models.CharField(_("名称"), max_length=100)
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("対象部署"),
    )
    start_date = models.DateField(_("起算日"))
    end_date = models.DateField(_("有効期間の終了日"))
    monthly_limit_hours = models.DecimalField(
        _("1か月の限度時間"), max_digits=5, decimal_places=1, default=Decimal(45)
    )
    yearly_limit_hours = models.DecimalField(
        _("1年の限度時間"), max_digits=5, decimal_places=1, default=Decimal(360)
    )
    special_clause = models.BooleanField(_("特別条項あり"), default=False)
    # 特別条項: 時間外+休日 per month (<100), 時間外 per year (≤720), months over the limit (≤6)
    special_monthly_hours = models.DecimalField(
        _("特別条項の1か月の時間(休日労働を含む)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    special_yearly_hours = models.DecimalField(
        _("特別条項の1年の時間"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    special_months_allowed = models.PositiveSmallIntegerField(
        _("限度時間を超えられる月数"), null=True, blank=True
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("警告する割合(%)"),
        default=80,
        help_text=_("限度のこの割合に達したら本人・上長・人事に知らせます。"),
    )
    note = models.CharField(_("メモ"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("36協定")
        verbose_name_plural = _("36協定")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="attendance_36_period"
            ),
            models.CheckConstraint(
                condition=Q(warning_percent__gte=1, warning_percent__lte=100),
                name="attendance_36_warning_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AlertLevel(models.TextChoices):
    WARNING = "warning", _("上限に近い")
    BREACH = "breach", _("上限を超えた")


class OvertimeAlert(CompanyScopedModel):
    """A warning sent once per employee, month, limit and level (so a recomputation does not
    notify again). ``code`` is a code of rules/agreement_limits.py (those of overtime_limits'
    Violation, and ``special_month``). For the limits of the year (rules.agreement_limits.YEAR_CODES)
    ``month`` is the first month of the agreement year: they are sent once a year per level."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    agreement = models.ForeignKey(OvertimeAgreement, on_delete=models.PROTECT, related_name="alerts")
    month = models.DateField(_("月"))
    code = models.CharField(_("上限"), max_length=20)
    level = models.CharField(_("段階"), max_length=10, choices=AlertLevel.choices)
    hours = models.DecimalField(_("時間"), max_digits=6, decimal_places=2)
    limit_hours = models.DecimalField(_("上限時間"), max_digits=6, decimal_places=2)
    message = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("36協定の警告")
        verbose_name_plural = _("36協定の警告")
        ordering = ["-month", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "employee", "month", "code", "level"], name="attendance_36_alert_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.month:%Y-%m} {self.code} {self.level}"
