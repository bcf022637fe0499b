"""Stored monthly figures of 時間外 and 法定休日労働 per employee: what the 36協定 dashboard and the
daily check read instead of recomputing every month of the agreement year for everyone.

A row is a cache, never the truth: the 出勤簿 is always computed from the punches. Any write that
changes an employee's days marks the months around them stale (``fresh`` False, ``changed_at``)
before it commits; a stale or missing row is recomputed by whoever reads it next and stored again
only if nothing changed it meanwhile (services.figures)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class MonthFigures(CompanyScopedModel):
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="+", verbose_name=_("社員")
    )
    month = models.DateField(_("月"))  # its first day
    # the employment type whose work rule gave the figures: another type means another rule
    employment_type_key = models.PositiveIntegerField(null=True, blank=True)
    overtime_minutes = models.PositiveIntegerField(_("時間外(分)"), default=0)
    holiday_minutes = models.PositiveIntegerField(_("法定休日労働(分)"), default=0)
    fresh = models.BooleanField(default=False)
    changed_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("月次の時間外集計")
        verbose_name_plural = _("月次の時間外集計")
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="attendance_monthfigures_unique"),
        ]
        indexes = [models.Index(fields=["company", "month"], name="attendance_figures_month_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.month:%Y-%m}"
