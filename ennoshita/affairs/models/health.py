"""健康診断・ストレスチェック・長時間労働者の面接指導 (安衛法66条〜66条の10, jp-rules §13).

Results, doctors' opinions and measures are 要配慮個人情報: they are stored encrypted
(``*_encrypted`` fields hold tokens of ``core.crypto``), shown only to members granted health access,
and every view is an audit event. Dates and statuses stay plain so that the lists of who is due or
overdue can be made without decrypting anything.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class HealthAccessGrant(CompanyScopedModel):
    """健康情報を扱う権限: a member (人事 or admin) allowed to open results, until revoked or expired."""

    membership = models.ForeignKey("core.Membership", on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("付与日時"), auto_now_add=True)
    expires_on = models.DateField(_("期限"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("健康情報の閲覧権限")
        verbose_name_plural = _("健康情報の閲覧権限")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "membership"],
                condition=Q(revoked_at__isnull=True),
                name="health_grant_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}"


class HealthProfile(CompanyScopedModel):
    """What decides an employee's checkups beyond age: 特定業務 (深夜業 …, 安衛則45条: every 6 months)
    and a stay abroad of 6 months or more (安衛則45条の2)."""

    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE, related_name="+")
    specific_work = models.BooleanField(_("特定業務従事者"), default=False)
    specific_work_kind = models.CharField(_("特定業務の内容"), max_length=100, blank=True)
    overseas_from = models.DateField(_("海外派遣の開始日"), null=True, blank=True)
    overseas_until = models.DateField(_("海外派遣の終了日"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("健康管理の区分")
        verbose_name_plural = _("健康管理の区分")

    def __str__(self) -> str:
        return f"{self.employee_id}"


class CheckupKind(models.TextChoices):
    HIRING = "hiring", _("雇入時の健康診断")
    PERIODIC = "periodic", _("定期健康診断")
    SPECIFIC = "specific", _("特定業務従事者の健康診断")
    OVERSEAS_BEFORE = "overseas_before", _("海外派遣前の健康診断")
    OVERSEAS_AFTER = "overseas_after", _("海外派遣後の健康診断")
    OTHER = "other", _("その他")


class CheckupStatus(models.TextChoices):
    PLANNED = "planned", _("未予約")
    BOOKED = "booked", _("予約済み")
    DONE = "done", _("受診済み")
    EXEMPT = "exempt", _("対象外")  # e.g. a certificate of an exam within 3 months (安衛則43条ただし書)
    CANCELLED = "cancelled", _("取消")


class Checkup(CompanyScopedModel):
    """One examination one employee is due for, from plan to the doctor's opinion and measures."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("種類"), max_length=20, choices=CheckupKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("受診期限"))
    status = models.CharField(
        _("状態"), max_length=20, choices=CheckupStatus.choices, default=CheckupStatus.PLANNED
    )
    clinic = models.CharField(_("医療機関"), max_length=200, blank=True)
    booked_for = models.DateField(_("予約日"), null=True, blank=True)
    examined_on = models.DateField(_("受診日"), null=True, blank=True)
    # 有所見: plain, so that the list of opinions due can be made; the findings themselves are encrypted
    has_findings = models.BooleanField(_("有所見"), null=True, blank=True)
    result_encrypted = models.TextField(blank=True, default="")
    # 医師の指示 (要再検査・要精密検査・要治療): plain, counted in the 定期健康診断結果報告 (様式第6号)
    doctor_instructed = models.BooleanField(_("医師の指示あり"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)  # 対象外の理由など (健康情報は書かない)
    result_notified_on = models.DateField(_("結果の通知日"), null=True, blank=True)  # 安衛法66条の6
    opinion_due_on = models.DateField(_("意見聴取の期限"), null=True, blank=True)  # 受診から3か月 (則51条の2)
    opinion_on = models.DateField(_("医師の意見聴取日"), null=True, blank=True)
    opinion_encrypted = models.TextField(blank=True, default="")
    measures_encrypted = models.TextField(blank=True, default="")  # 就業上の措置 (安衛法66条の5)
    keep_until = models.DateField(_("個人票の保存期限"), null=True, blank=True)  # 5年 (安衛則51条)
    last_reminded_on = models.DateField(_("最終催促日"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("健康診断")
        verbose_name_plural = _("健康診断")
        ordering = ["due_on", "employee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "employee", "kind", "due_on"], name="checkup_unique_per_due_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(examined_on__isnull=False), name="checkup_done_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status", "due_on"], name="checkup_status_due_idx"),
            models.Index(fields=["company", "fiscal_year"], name="checkup_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.due_on}"


class StressCheckStatus(models.TextChoices):
    INVITED = "invited", _("未受検")
    TAKEN = "taken", _("受検済み")
    DECLINED = "declined", _("受検しない")


class StressCheck(CompanyScopedModel):
    """ストレスチェック participation (安衛法66条の10). The company sees participation; an individual
    result only after the worker was told it and then consented (安衛法66条の10第2項, jp-rules §13.2: consent before or at the
    test is not valid), which the constraint below holds."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("受検状況"), max_length=20, choices=StressCheckStatus.choices, default=StressCheckStatus.INVITED
    )
    taken_on = models.DateField(_("受検日"), null=True, blank=True)
    notified_on = models.DateField(_("本人への結果通知日"), null=True, blank=True)
    consent_on = models.DateField(_("結果提供への同意日"), null=True, blank=True)
    result_encrypted = models.TextField(blank=True, default="")  # only with consent
    interview_requested_on = models.DateField(_("面接指導の申出日"), null=True, blank=True)
    interview_done_on = models.DateField(_("面接指導の実施日"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("ストレスチェック")
        verbose_name_plural = _("ストレスチェック")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "employee", "fiscal_year"], name="stresscheck_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(consent_on__isnull=True)
                | (Q(notified_on__isnull=False) & Q(consent_on__gte=models.F("notified_on"))),
                name="stresscheck_consent_after_notice",
            ),
            models.CheckConstraint(
                condition=Q(result_encrypted="") | Q(consent_on__isnull=False),
                name="stresscheck_result_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.fiscal_year}"


class LongHoursCase(CompanyScopedModel):
    """時間外・休日労働が月80時間を超えた労働者 (安衛法66条の8, 則52条の2): told of the hours, offered a
    doctor's interview on request. One row per employee and month, made from attendance."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("対象月"))  # the first day of the month
    excess_minutes = models.PositiveIntegerField(_("週40時間を超えた時間(分)"))
    notified_on = models.DateField(_("本人への通知日"), null=True, blank=True)
    interview_requested_on = models.DateField(_("面接指導の申出日"), null=True, blank=True)
    interview_done_on = models.DateField(_("面接指導の実施日"), null=True, blank=True)
    opinion_encrypted = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("長時間労働者")
        verbose_name_plural = _("長時間労働者")
        ordering = ["-month", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "employee", "month"], name="longhours_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.month}"

    @property
    def excess_text(self) -> str:
        """85:30 for 5,130 minutes."""
        return f"{self.excess_minutes // 60}:{self.excess_minutes % 60:02d}"
