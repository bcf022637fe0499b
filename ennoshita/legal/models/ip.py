"""知的財産: the company's trademarks, patents, designs, utility models, copyrights and domain
names, with the deadlines that keep them alive (jp-rules §16), their costs, and the alerts sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field


class IpKind(models.TextChoices):
    TRADEMARK = "trademark", _("商標")
    PATENT = "patent", _("特許")
    DESIGN = "design", _("意匠")
    UTILITY_MODEL = "utility_model", _("実用新案")
    COPYRIGHT = "copyright", _("著作権")
    DOMAIN = "domain", _("ドメイン名")


class IpStatus(models.TextChoices):
    APPLIED = "applied", _("出願中")
    REGISTERED = "registered", _("存続中")
    LAPSED = "lapsed", _("消滅")
    ABANDONED = "abandoned", _("放棄・取下げ")


class CopyrightBasis(models.TextChoices):
    """著作権法51–54条: what the 70 years count from."""

    AUTHOR_DEATH = "death", _("著作者の死亡")
    PUBLICATION = "publication", _("公表(団体名義・無名・映画)")


class IpRight(CompanyScopedModel):
    reference = models.CharField(_("管理番号"), max_length=30)
    kind = models.CharField(_("種類"), max_length=20, choices=IpKind.choices)
    title = models.CharField(_("名称・標章"), max_length=200)
    country = models.CharField(_("国・地域"), max_length=2, default="JP")
    application_number = models.CharField(_("出願番号"), max_length=40, blank=True)
    registration_number = models.CharField(_("登録番号"), max_length=40, blank=True)
    # 商標: the 区分 (Nice classes) as written, e.g. "9, 35, 42"; the fee is per class
    classes = models.CharField(_("区分"), max_length=200, blank=True)
    class_count = models.PositiveSmallIntegerField(_("区分数"), default=0)
    filed_on = models.DateField(_("出願日"), null=True, blank=True)
    registered_on = models.DateField(_("設定登録日"), null=True, blank=True)
    # 商標: registration / renewal fee paid in two 5-year halves (商標法41条の2)
    installment = models.BooleanField(_("分割納付"), default=False)
    # 特許・意匠・実用新案: the 年金 are paid through this year of the right (1–3 at registration)
    paid_through_year = models.PositiveSmallIntegerField(_("納付済みの年分"), null=True, blank=True)
    copyright_basis = models.CharField(
        _("保護期間の起算"), max_length=20, choices=CopyrightBasis.choices, blank=True
    )
    # the year of the author's death or of publication; the term ends 70 years after its 31 December
    basis_year = models.PositiveSmallIntegerField(_("死亡・公表の年"), null=True, blank=True)
    # computed from the rules and kept for lists and alerts (entered for a domain name)
    expires_on = models.DateField(_("存続期間の満了日"), null=True, blank=True)
    next_deadline_on = models.DateField(_("次の期限"), null=True, blank=True)
    next_deadline_kind = models.CharField(_("次の期限の内容"), max_length=40, blank=True)
    status = models.CharField(_("状態"), max_length=20, choices=IpStatus.choices, default=IpStatus.APPLIED)
    owner_department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当部署"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    agent = models.CharField(_("代理人(特許事務所など)"), max_length=200, blank=True)
    note = models.TextField(_("メモ"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("知的財産権")
        verbose_name_plural = _("知的財産権")
        constraints = [
            models.UniqueConstraint(fields=["company", "reference"], name="ip_reference_unique"),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True)
                | Q(registered_on__isnull=True)
                | Q(registered_on__gte=models.F("filed_on")),
                name="ip_registered_after_filed",
            ),
            models.CheckConstraint(
                condition=~Q(status="registered")
                | Q(registered_on__isnull=False)
                | Q(kind__in=["copyright", "domain"]),
                name="ip_registered_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "next_deadline_on"], name="ip_deadline_idx"),
            models.Index(fields=["company", "kind", "status"], name="ip_kind_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class IpCostKind(models.TextChoices):
    FILING = "filing", _("出願料")
    REGISTRATION = "registration", _("登録料")
    RENEWAL = "renewal", _("更新登録料")
    ANNUITY = "annuity", _("年金(特許料等)")
    SURCHARGE = "surcharge", _("割増料金")
    AGENT = "agent", _("代理人費用")
    DOMAIN = "domain", _("ドメイン更新料")
    OTHER = "other", _("その他")


class IpCost(CompanyScopedModel):
    right = models.ForeignKey(IpRight, on_delete=models.PROTECT, related_name="costs", verbose_name=_("権利"))
    paid_on = models.DateField(_("支払日"))
    kind = models.CharField(_("費用の種類"), max_length=20, choices=IpCostKind.choices)
    amount = yen_field(_("金額"))
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("知的財産の費用")
        verbose_name_plural = _("知的財産の費用")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="ip_cost_positive")]


class IpAlert(CompanyScopedModel):
    """An alert sent for a deadline of a right, once per deadline and lead time."""

    right = models.ForeignKey(IpRight, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("期限の内容"), max_length=40)
    due_on = models.DateField(_("期限"))
    days_before = models.PositiveSmallIntegerField(_("何日前"))
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("知的財産のアラート")
        verbose_name_plural = _("知的財産のアラート")
        constraints = [
            models.UniqueConstraint(fields=["right", "kind", "due_on", "days_before"], name="ip_alert_once")
        ]
