"""リーガルチェック: a department asks 法務 to check a contract (or another document) before it
signs; 法務 assigns a reviewer, comments clause by clause and returns it with a verdict; revised
drafts come back as further rounds, each keeping its file version. Reviewers reuse the clause notes
of the playbook."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("受付待ち")
    IN_REVIEW = "in_review", _("確認中")
    RETURNED = "returned", _("回答済み")
    CLOSED = "closed", _("完了")
    WITHDRAWN = "withdrawn", _("取下げ")


class ReviewVerdict(models.TextChoices):
    OK = "ok", _("OK")
    OK_WITH_CHANGES = "ok_with_changes", _("修正すればOK")
    NG = "ng", _("NG")


class CommentSeverity(models.TextChoices):
    MUST = "must", _("要修正")
    SHOULD = "should", _("修正推奨")
    INFO = "info", _("参考")


class PlaybookClause(CompanyScopedModel):
    """A reusable clause note (プレイブック): what 法務 says about a kind of clause every time."""

    title = models.CharField(_("条項の見出し"), max_length=200)  # 損害賠償の上限, 再委託 …
    category = models.CharField(_("分類"), max_length=100, blank=True)
    guidance = models.TextField(_("確認の観点"))
    suggested_text = models.TextField(_("推奨文言"), blank=True)
    is_active = models.BooleanField(_("使用中"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("条項メモ(プレイブック)")
        verbose_name_plural = _("条項メモ(プレイブック)")
        constraints = [models.UniqueConstraint(fields=["company", "title"], name="playbook_title_unique")]

    def __str__(self) -> str:
        return self.title


class LegalReview(CompanyScopedModel):
    number = models.CharField(_("依頼番号"), max_length=30)
    title = models.CharField(_("件名"), max_length=200)
    # the contract under review (its drafts are versions of the contract's document); a review of
    # another document (terms of use, an ad) names none and keeps its own document
    contract = models.ForeignKey(
        "legal.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("契約"),
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("審査する文書"),
    )
    background = models.TextField(_("取引の背景・確認してほしい点"))
    desired_on = models.DateField(_("回答希望日"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("依頼者")
    )
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("依頼部署"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者(法務)"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    verdict = models.CharField(_("判定"), max_length=20, choices=ReviewVerdict.choices, blank=True)
    round = models.PositiveSmallIntegerField(_("回数"), default=1)
    submitted_at = models.DateTimeField(_("依頼日時"))
    assigned_at = models.DateTimeField(_("担当決定日時"), null=True, blank=True)
    returned_at = models.DateTimeField(_("最新の回答日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("リーガルチェック")
        verbose_name_plural = _("リーガルチェック")
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="legal_review_number_unique"),
            models.CheckConstraint(condition=Q(round__gte=1), name="legal_review_round_positive"),
        ]
        indexes = [
            models.Index(fields=["company", "status", "desired_on"], name="legal_review_status_idx"),
            models.Index(fields=["company", "reviewer", "status"], name="legal_review_reviewer_idx"),
            models.Index(fields=["company", "requester"], name="legal_review_requester_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ReviewRound(CompanyScopedModel):
    """One submission and its answer: the draft as it was sent (a document version), what changed
    since the last round, and the verdict 法務 gave it."""

    review = models.ForeignKey(LegalReview, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("回数"))
    version = models.ForeignKey(
        "documents.DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出された版"),
    )
    note = models.TextField(_("変更点・補足"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提出日時"))
    verdict = models.CharField(_("判定"), max_length=20, choices=ReviewVerdict.choices, blank=True)
    summary = models.TextField(_("総評"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("リーガルチェックの回")
        verbose_name_plural = _("リーガルチェックの回")
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_round_once"),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True, verdict="")
                | Q(returned_at__isnull=False) & ~Q(verdict=""),
                name="review_round_verdict_when_returned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} #{self.number}"


class ReviewComment(CompanyScopedModel):
    """A reviewer's comment on one clause of one round's draft."""

    review = models.ForeignKey(LegalReview, on_delete=models.CASCADE, related_name="comments")
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments")
    clause = models.CharField(_("条項"), max_length=100)  # 第5条(損害賠償), 前文 …
    severity = models.CharField(
        _("重要度"), max_length=10, choices=CommentSeverity.choices, default=CommentSeverity.SHOULD
    )
    comment = models.TextField(_("コメント"))
    suggestion = models.TextField(_("修正案"), blank=True)
    playbook = models.ForeignKey(
        PlaybookClause,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("条項メモ"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("記入日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("条項コメント")
        verbose_name_plural = _("条項コメント")
        indexes = [models.Index(fields=["review", "round"], name="review_comment_round_idx")]

    def __str__(self) -> str:
        return f"{self.clause}: {self.comment[:30]}"
