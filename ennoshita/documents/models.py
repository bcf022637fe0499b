"""Paperless documents: folders, documents with every version kept, tags, shares, attachments,
and 電子帳簿保存法 (電子取引データ保存) metadata.

File contents live in a content-addressed store (``blobs/ab/cd/<sha256>`` through Django's storage
API): the same bytes are stored once, and a version names its bytes by their SHA-256.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class Folder(CompanyScopedModel):
    name = models.CharField(_("フォルダ名"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("親フォルダ"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    trashed_at = models.DateTimeField(_("ゴミ箱に移動した日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("フォルダ")
        verbose_name_plural = _("フォルダ")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "parent", "name"],
                condition=models.Q(trashed_at__isnull=True),
                name="folder_unique_live_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentType(models.TextChoices):
    """電子帳簿保存法の書類の種類 (jp-rules.md §7)."""

    INVOICE = "invoice", _("請求書")
    RECEIPT = "receipt", _("領収書")
    QUOTE = "quote", _("見積書")
    CONTRACT = "contract", _("契約書")
    ORDER = "order", _("注文書")
    DELIVERY = "delivery", _("納品書")


class Document(CompanyScopedModel):
    folder = models.ForeignKey(
        Folder, on_delete=models.PROTECT, related_name="documents", verbose_name=_("フォルダ")
    )
    name = models.CharField(_("ファイル名"), max_length=255)
    current_version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最新版"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    trashed_at = models.DateTimeField(_("ゴミ箱に移動した日時"), null=True, blank=True)
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # 検索用: NFKC + case-folded name, tags and the current version's text (core.text.search_key rules)
    search_text = models.TextField(default="", editable=False)
    # 電子帳簿保存法 (電子取引): the three search keys the law names, and the retention date
    is_transaction_record = models.BooleanField(_("電子取引データ"), default=False)
    transaction_date = models.DateField(_("取引年月日"), null=True, blank=True)
    transaction_amount = models.DecimalField(
        _("取引金額"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    counterparty = models.CharField(_("取引先"), max_length=200, blank=True)
    counterparty_key = models.CharField(max_length=200, default="", editable=False)
    document_type = models.CharField(_("書類の種類"), max_length=12, choices=DocumentType.choices, blank=True)
    retention_until = models.DateField(_("保存期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("文書")
        verbose_name_plural = _("文書")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "folder", "name"],
                condition=models.Q(trashed_at__isnull=True),
                name="document_unique_live_name",
            ),
            models.CheckConstraint(
                condition=models.Q(transaction_amount__isnull=True) | models.Q(transaction_amount__gte=0),
                name="document_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(is_transaction_record=False)
                | (
                    models.Q(transaction_date__isnull=False)
                    & models.Q(transaction_amount__isnull=False)
                    & ~models.Q(counterparty="")
                ),
                name="document_transaction_record_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "folder", "name"], name="document_folder_idx"),
            models.Index(
                fields=["company", "is_transaction_record", "transaction_date", "transaction_amount"],
                name="document_denchoho_idx",
            ),
            models.Index(fields=["company", "counterparty_key"], name="document_counterparty_idx"),
            models.Index(fields=["company", "trashed_at"], name="document_trash_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def under_retention(self) -> bool:
        """電子取引データ still inside its 保存期間: deleting it is not even offered."""
        from django.utils import timezone

        return bool(
            self.is_transaction_record
            and self.retention_until
            and self.retention_until >= timezone.localdate()
        )


class DocumentVersion(CompanyScopedModel):
    """One version of a document. Never changed or deleted while the document exists."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("サイズ(バイト)"))
    content_type = models.CharField(_("種類"), max_length=100)
    original_name = models.CharField(_("元のファイル名"), max_length=255)
    comment = models.CharField(_("コメント"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    extracted_text = models.TextField(_("本文"), blank=True, default="")
    restored_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("復元元")
    )

    class Meta:
        verbose_name = _("文書の版")
        verbose_name_plural = _("文書の版")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documentversion_unique_number"),
        ]
        indexes = [models.Index(fields=["company", "sha256"], name="documentversion_sha_idx")]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"


class Tag(CompanyScopedModel):
    name = models.CharField(_("タグ"), max_length=50)

    class Meta:
        verbose_name = _("タグ")
        verbose_name_plural = _("タグ")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="tag_company_name_unique")]

    def __str__(self) -> str:
        return self.name


class DocumentTag(CompanyScopedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="document_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="document_tags")

    class Meta:
        verbose_name = _("文書のタグ")
        constraints = [models.UniqueConstraint(fields=["document", "tag"], name="documenttag_unique")]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.tag_id}"


class GranteeKind(models.TextChoices):
    EVERYONE = "everyone", _("全員")
    DEPARTMENT = "department", _("部署")
    ROLE = "role", _("ロール")
    USER = "user", _("個人")


class Permission(models.TextChoices):
    READ = "read", _("閲覧")
    EDIT = "edit", _("編集")


class Share(CompanyScopedModel):
    """Read or edit access to a folder (and everything below it) or to one document."""

    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, null=True, blank=True, related_name="shares")
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="shares"
    )
    grantee_kind = models.CharField(_("共有先の種類"), max_length=12, choices=GranteeKind.choices)
    grantee = models.CharField(
        _("共有先"), max_length=64, blank=True, help_text=_("部署ID・ロール名・ユーザーID")
    )
    permission = models.CharField(
        _("権限"), max_length=8, choices=Permission.choices, default=Permission.READ
    )
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("共有")
        verbose_name_plural = _("共有")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(folder__isnull=False) & models.Q(document__isnull=True))
                | (models.Q(folder__isnull=True) & models.Q(document__isnull=False)),
                name="share_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantee_kind}:{self.grantee} {self.permission}"


class Attachment(CompanyScopedModel):
    """A document attached to any business record, named by its type label and id (like the
    audit trail), so documents never import the apps they serve."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("添付日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("添付")
        verbose_name_plural = _("添付")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "object_type", "object_id"], name="attachment_unique"
            ),
        ]
        indexes = [models.Index(fields=["company", "object_type", "object_id"], name="attachment_target_idx")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.object_type}:{self.object_id}"
