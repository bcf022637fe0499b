"""残業申請: before or after the fact, for the time outside the scheduled day that is to count as
work where the company's rule requires approval (WorkRule.overtime_requires_approval)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel

from .common import RequestState


class OvertimeRequest(CompanyScopedModel):
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    work_date = models.DateField(_("勤務日"))
    start_at = models.DateTimeField(_("開始"))
    end_at = models.DateTimeField(_("終了"))
    reason = models.CharField(_("理由"), max_length=500)
    after_the_fact = models.BooleanField(_("事後申請"), default=False)
    state = models.CharField(
        _("状態"), max_length=12, choices=RequestState.choices, default=RequestState.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("残業申請")
        verbose_name_plural = _("残業申請")
        ordering = ["-work_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")), name="attendance_otreq_period"
            ),
        ]
        indexes = [models.Index(fields=["company", "employee", "work_date"], name="attendance_otreq_day_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.work_date}"
