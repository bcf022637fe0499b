"""勤怠締め: an employee's month confirmed by the employee and locked by 人事; reopened only with
a reason. Every step is a row of MonthCloseEvent (and an audit event)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class MonthClose(CompanyScopedModel):
    """One employee's month. ``month`` is its first day (set by the services; not a database check,
    which SQLite could only express with a Django function that backups' plain connection lacks). Locked (``locked_at`` set) means closed:
    no punch, correction or leave of that month is written until it is reopened."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    month = models.DateField(_("月"))
    confirmed_at = models.DateTimeField(_("本人確認日時"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(_("締め日時"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("勤怠締め")
        verbose_name_plural = _("勤怠締め")
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="attendance_monthclose_unique"),
        ]
        indexes = [models.Index(fields=["company", "month"], name="attendance_close_month_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.month:%Y-%m}"


class CloseAction(models.TextChoices):
    CONFIRM = "confirm", _("本人確認")
    UNCONFIRM = "unconfirm", _("本人確認の取り消し")
    LOCK = "lock", _("締め")
    REOPEN = "reopen", _("締めの解除")


class MonthCloseEvent(CompanyScopedModel):
    close = models.ForeignKey(MonthClose, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=12, choices=CloseAction.choices)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    # a lock by 人事 of a month the employee had not confirmed (allowed, but shown and kept)
    without_confirmation = models.BooleanField(_("本人確認なし"), default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("勤怠締めの履歴")
        verbose_name_plural = _("勤怠締めの履歴")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.close_id} {self.action}"
