"""福利厚生: the company's benefits, who may use them, and their use per employee and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field


class BenefitCategory(models.TextChoices):
    HOUSING = "housing", _("住宅手当・社宅")
    QUALIFICATION = "qualification", _("資格取得支援")
    RESORT = "resort", _("保養所")
    CONDOLENCE = "condolence", _("慶弔見舞金")
    HEALTH = "health", _("健康支援")
    OTHER = "other", _("その他")


class Benefit(CompanyScopedModel):
    code = models.CharField(_("制度コード"), max_length=30)
    name = models.CharField(_("制度名"), max_length=200)
    category = models.CharField(
        _("区分"), max_length=20, choices=BenefitCategory.choices, default=BenefitCategory.OTHER
    )
    description = models.TextField(_("内容・規程"), blank=True)
    # who may use it: empty means every employee; otherwise employment-type codes (people.EmploymentType)
    eligible_employment_types = models.JSONField(_("対象の雇用形態"), default=list, blank=True)
    min_service_months = models.PositiveSmallIntegerField(_("必要な勤続月数"), default=0)
    # limits per employee and year (the company's fiscal year)
    yearly_amount_limit = yen_field(_("年間の上限額"), null=True, blank=True)
    yearly_count_limit = models.PositiveSmallIntegerField(_("年間の上限回数"), null=True, blank=True)
    requires_approval = models.BooleanField(_("承認が必要"), default=True)
    is_active = models.BooleanField(_("受付中"), default=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("福利厚生制度")
        verbose_name_plural = _("福利厚生制度")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="benefit_code_unique")]

    def __str__(self) -> str:
        return self.name


class BenefitUseStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    PENDING = "pending", _("承認待ち")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("却下")
    WITHDRAWN = "withdrawn", _("取下げ")


class BenefitUse(CompanyScopedModel):
    """One application to use a benefit; it counts against the limits once approved (and while
    pending, so that two pending applications cannot together pass the limit)."""

    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="uses")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    used_on = models.DateField(_("利用日"))
    amount = yen_field(_("金額"), default=0)
    detail = models.TextField(_("内容"), blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=BenefitUseStatus.choices, default=BenefitUseStatus.DRAFT
    )
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("福利厚生の利用")
        verbose_name_plural = _("福利厚生の利用")
        ordering = ["-used_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="benefit_use_amount_not_negative")
        ]
        indexes = [
            models.Index(fields=["company", "employee", "fiscal_year"], name="benefit_use_emp_year_idx")
        ]

    def __str__(self) -> str:
        return f"{self.benefit_id}:{self.employee_id} {self.used_on}"
