"""就業規則・社内規程: each rule a document (its file and versions live in the documents app); each
published version has an effective date and asks the chosen employees to read and acknowledge it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class RuleCategory(models.TextChoices):
    WORK_RULES = "work_rules", _("就業規則")
    WAGES = "wages", _("賃金規程")
    RETIREMENT = "retirement", _("退職金規程")
    CHILDCARE = "childcare", _("育児・介護休業規程")
    TRAVEL = "travel", _("旅費規程")
    INFORMATION = "information", _("情報セキュリティ規程")
    HARASSMENT = "harassment", _("ハラスメント防止規程")
    OTHER = "other", _("その他の社内規程")


class Rule(CompanyScopedModel):
    code = models.CharField(_("規程番号"), max_length=30)
    title = models.CharField(_("規程名"), max_length=200)
    category = models.CharField(
        _("区分"), max_length=20, choices=RuleCategory.choices, default=RuleCategory.OTHER
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("文書")
    )
    owner_department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所管部門"),
    )
    is_active = models.BooleanField(_("有効"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("規程")
        verbose_name_plural = _("規程")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="rule_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class RuleVersionStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    PUBLISHED = "published", _("公開中")
    REPLACED = "replaced", _("改定済み")


class RuleVersion(CompanyScopedModel):
    """One 版 of a rule: the document version that holds its text, when it takes effect, what changed."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版"))
    document_version = models.ForeignKey(
        "documents.DocumentVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("文書の版")
    )
    effective_from = models.DateField(_("施行日"))
    summary = models.TextField(_("改定の概要"), blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=RuleVersionStatus.choices, default=RuleVersionStatus.DRAFT
    )
    requires_acknowledgement = models.BooleanField(_("既読確認を求める"), default=True)
    acknowledge_by = models.DateField(_("確認期限"), null=True, blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replaced_at = models.DateTimeField(_("改定日時"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("規程の版")
        verbose_name_plural = _("規程の版")
        ordering = ["rule", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "rule", "number"], name="ruleversion_unique_number"),
            # one published version per rule at a time
            models.UniqueConstraint(
                fields=["company", "rule"], condition=Q(status="published"), name="ruleversion_one_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.number}"


class RuleAcknowledgement(CompanyScopedModel):
    """既読確認: one employee asked to read one version; acknowledged once, never undone."""

    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_reminded_at = models.DateTimeField(_("最終催促日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("規程の既読確認")
        verbose_name_plural = _("規程の既読確認")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "version", "employee"], name="ruleack_once_per_version"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "version", "acknowledged_at"], name="ruleack_open_idx"),
            models.Index(fields=["company", "employee", "acknowledged_at"], name="ruleack_employee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.employee_id}"
