"""打刻修正申請: a day's punches as they should have been, with a reason, decided by route."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel

from .common import RequestState


class PunchCorrection(CompanyScopedModel):
    """The whole day as it should be. ``before`` is the day's punches when the request was made and
    ``proposed`` the punches asked for (lists of ``{"kind", "at"}`` with ISO times); approval voids
    the day's punches and writes the proposed ones with source 「打刻修正」 (same transaction)."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    work_date = models.DateField(_("勤務日"))
    reason = models.CharField(_("理由"), max_length=500)
    before = models.JSONField(_("修正前"), default=list)
    proposed = models.JSONField(_("修正後"), default=list)
    state = models.CharField(
        _("状態"), max_length=12, choices=RequestState.choices, default=RequestState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申請者")
    )
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    applied_at = models.DateTimeField(_("反映日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("打刻修正申請")
        verbose_name_plural = _("打刻修正申請")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["company", "employee", "work_date"], name="attendance_corr_day_idx")]
        constraints = [
            # one open request (承認待ち or 差し戻し) per employee and day
            models.UniqueConstraint(
                fields=["employee", "work_date"],
                condition=Q(state__in=["pending", "returned"]),
                name="attendance_corr_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_date} {self.get_state_display()}"
