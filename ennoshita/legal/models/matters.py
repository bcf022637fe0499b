"""法律相談・紛争: a confidential log of questions from departments and of disputes (claims,
mediation, lawsuits), with answers and progress, the outside counsel used and its cost, deadlines
and documents. Only 法務 and the people named on a matter see it (``MatterMember``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field


class MatterKind(models.TextChoices):
    CONSULTATION = "consultation", _("法律相談")
    DISPUTE = "dispute", _("紛争")


class MatterCategory(models.TextChoices):
    CONTRACT = "contract", _("契約・取引")
    LABOR = "labor", _("労務")
    IP = "ip", _("知的財産")
    COLLECTION = "collection", _("債権回収")
    COMPLIANCE = "compliance", _("コンプライアンス")
    PRIVACY = "privacy", _("個人情報")
    CORPORATE = "corporate", _("会社法・機関")
    OTHER = "other", _("その他")


class MatterStatus(models.TextChoices):
    OPEN = "open", _("受付")
    IN_PROGRESS = "in_progress", _("対応中")
    ANSWERED = "answered", _("回答済み")  # consultations
    NEGOTIATING = "negotiating", _("交渉中")  # disputes
    MEDIATION = "mediation", _("調停・ADR")
    LITIGATION = "litigation", _("訴訟")
    SETTLED = "settled", _("和解")
    CLOSED = "closed", _("終結")


class MatterRole(models.TextChoices):
    REQUESTER = "requester", _("相談者")
    INVOLVED = "involved", _("関係者")


class LegalMatter(CompanyScopedModel):
    number = models.CharField(_("管理番号"), max_length=30)
    kind = models.CharField(_("区分"), max_length=20, choices=MatterKind.choices)
    category = models.CharField(
        _("分野"), max_length=20, choices=MatterCategory.choices, default=MatterCategory.OTHER
    )
    title = models.CharField(_("件名"), max_length=200)
    question = models.TextField(_("相談内容・経緯"))
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部署"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=MatterStatus.choices, default=MatterStatus.OPEN
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者(法務)"),
    )
    answer = models.TextField(_("回答"), blank=True)
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    # disputes
    opponent = models.CharField(_("相手方"), max_length=200, blank=True)
    forum = models.CharField(_("裁判所・機関"), max_length=200, blank=True)
    case_number = models.CharField(_("事件番号"), max_length=100, blank=True)
    claim_amount = yen_field(_("請求額"), null=True, blank=True)
    counsel = models.CharField(_("外部弁護士・事務所"), max_length=200, blank=True)
    opened_on = models.DateField(_("受付日"))
    closed_on = models.DateField(_("終結日"), null=True, blank=True)
    outcome = models.TextField(_("結果"), blank=True)
    document_folder = models.ForeignKey(
        "documents.Folder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("文書フォルダ"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("法律相談・紛争")
        verbose_name_plural = _("法律相談・紛争")
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="legal_matter_number_unique"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="legal_matter_closed_after_open",
            ),
            models.CheckConstraint(
                condition=Q(claim_amount__isnull=True) | Q(claim_amount__gte=0),
                name="legal_matter_claim_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "kind", "status"], name="legal_matter_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class MatterMember(CompanyScopedModel):
    """A person named on a matter: they see it (and nobody else outside 法務 does)."""

    matter = models.ForeignKey(LegalMatter, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("立場"), max_length=20, choices=MatterRole.choices, default=MatterRole.INVOLVED)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("追加日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("関係者")
        verbose_name_plural = _("関係者")
        constraints = [models.UniqueConstraint(fields=["matter", "user"], name="matter_member_once")]
        indexes = [models.Index(fields=["company", "user"], name="matter_member_user_idx")]


class MatterNote(CompanyScopedModel):
    """The running log: questions, answers, progress, each with who wrote it and when."""

    matter = models.ForeignKey(LegalMatter, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("内容"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("記入日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("経過メモ")
        verbose_name_plural = _("経過メモ")
        ordering = ["created_at", "pk"]


class MatterDeadline(CompanyScopedModel):
    """A date that must not pass: 答弁書の提出期限, 期日, 回答期限 …"""

    matter = models.ForeignKey(LegalMatter, on_delete=models.CASCADE, related_name="deadlines")
    due_on = models.DateField(_("期限"))
    title = models.CharField(_("内容"), max_length=200)
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        indexes = [models.Index(fields=["company", "done_on", "due_on"], name="matter_deadline_due_idx")]


class MatterCost(CompanyScopedModel):
    """What the matter cost: 弁護士費用 (着手金・報酬・タイムチャージ), 印紙・郵券, 鑑定 …"""

    matter = models.ForeignKey(LegalMatter, on_delete=models.CASCADE, related_name="costs")
    paid_on = models.DateField(_("支払日"))
    payee = models.CharField(_("支払先"), max_length=200)
    description = models.CharField(_("内容"), max_length=200)
    amount = yen_field(_("金額(税込)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("費用")
        verbose_name_plural = _("費用")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="matter_cost_positive")]


class MatterAlert(CompanyScopedModel):
    """A deadline alert sent once per deadline and lead time."""

    deadline = models.ForeignKey(MatterDeadline, on_delete=models.CASCADE, related_name="alerts")
    days_before = models.PositiveSmallIntegerField(_("何日前"))
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限のアラート")
        verbose_name_plural = _("期限のアラート")
        constraints = [models.UniqueConstraint(fields=["deadline", "days_before"], name="matter_alert_once")]
