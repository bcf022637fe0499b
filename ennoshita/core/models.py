"""Tenants, users, memberships with roles, the audit chain, gapless counters and API tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class Role(models.TextChoices):
    ADMIN = "admin", _("管理者")
    ACCOUNTING = "accounting", _("経理")
    FINANCE = "finance", _("財務")
    HR = "hr", _("人事")
    AFFAIRS = "affairs", _("総務")
    LEGAL = "legal", _("法務")
    SALES_ADMIN = "sales_admin", _("営業事務")
    FRONTDESK = "frontdesk", _("受付")
    MANAGER = "manager", _("管理職")
    EMPLOYEE = "employee", _("一般社員")
    ASSISTANT = "assistant", _("外部アシスタント")


class Company(models.Model):
    """A tenant. Every business row belongs to exactly one company."""

    name = models.CharField(_("会社名"), max_length=200)
    name_kana = models.CharField(_("会社名カナ"), max_length=200, blank=True)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("期首月"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # 申告期限の延長 (法人税法75条の2): months added to the 2-month filing deadline; it moves the
    # start of the 電帳法 retention period (documents) and, later, the tax calendar.
    filing_extension_months = models.PositiveSmallIntegerField(
        _("申告期限の延長"), default=0, validators=[MaxValueValidator(4)]
    )
    # printed on invoices, quotes and receipts as the issuer's address
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    address2 = models.CharField(_("建物名など"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("会社")
        verbose_name_plural = _("会社")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="company_fiscal_month_1_12",
            ),
            models.CheckConstraint(
                condition=models.Q(filing_extension_months__lte=4), name="company_filing_extension_0_4"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. What they may do depends on their membership in each company."""

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def display_name(self) -> str:
        full = f"{self.last_name} {self.first_name}".strip()
        return full or self.username


def yen_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """An amount in whole yen, by the schema (一円単位): no fraction can be stored."""
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=0, **kwargs)


class CompanyScopedQuerySet(models.QuerySet):
    def for_company(self, company: Company) -> CompanyScopedQuerySet:
        return self.filter(company=company)


class CompanyScopedModel(models.Model):
    """Base of every business model: a non-null company and ``objects.for_company(company)``."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, verbose_name=_("会社"))

    objects: ClassVar[Any] = CompanyScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Membership(CompanyScopedModel):
    """A user's place in a company: their roles there, and for the outside team an expiry date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("ユーザー"),
    )
    roles = models.JSONField(_("ロール"), default=list)
    is_active = models.BooleanField(_("有効"), default=True)
    expires_on = models.DateField(_("有効期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("所属ユーザー")
        verbose_name_plural = _("所属ユーザー")
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="membership_company_user_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"

    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles or [])

    def has_any_role(self, *roles: str) -> bool:
        return bool(self.role_set() & set(roles))

    def roles_display(self) -> str:
        """ "人事・管理職" in Japanese, "HR, Manager" in English."""
        return pgettext("list separator", "・").join(self.role_labels())

    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        order = {r: i for i, r in enumerate(Role.values)}
        return [str(labels.get(r, r)) for r in sorted(self.roles, key=lambda r: order.get(r, 99))]


class AuditChainHead(models.Model):
    """The newest link of a company's audit chain; locked by every writer of that company."""

    company = models.OneToOneField(Company, on_delete=models.PROTECT, primary_key=True, related_name="+")
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("監査チェーン先頭")

    def __str__(self) -> str:
        return f"{self.company_id}: #{self.last_seq}"


class AuditEvent(models.Model):
    """One append-only event of the audit trail (who, when, what, before/after), hash-chained.

    Rows are never updated or deleted: the database refuses it (triggers in migration 0002), and
    ``manage.py audit_verify`` finds any row that was altered or removed anyway.
    """

    # no index of company alone (the unique (company, seq) begins with it) nor of actor (users are
    # deactivated, never deleted): every change of every app writes this table's indexes
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", db_index=False)
    seq = models.BigIntegerField(_("連番"))
    occurred_at = models.DateTimeField(_("日時"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    actor_label = models.CharField(_("実行者"), max_length=200)
    action = models.CharField(_("操作"), max_length=40)
    object_type = models.CharField(_("対象種別"), max_length=100)
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("対象"), max_length=300, blank=True)
    changes = models.JSONField(_("変更内容"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("監査イベント")
        verbose_name_plural = _("監査イベント")
        constraints = [
            models.UniqueConstraint(fields=["company", "seq"], name="auditevent_company_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["company", "object_type", "object_id", "seq"], name="audit_object_idx"),
            models.Index(fields=["company", "occurred_at"], name="audit_time_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("audit events are append-only")


class NumberSequence(CompanyScopedModel):
    """Counter for gapless numbers per (company, document type, fiscal year), taken under a row lock."""

    doc_type = models.CharField(max_length=40)
    fiscal_year = models.PositiveIntegerField()
    last_number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("採番")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "doc_type", "fiscal_year"], name="numbersequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}/{self.fiscal_year}: {self.last_number}"


class ApiToken(CompanyScopedModel):
    """A personal API token, bound to one membership (so to one company). Only its hash is kept."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("名前"), max_length=100)
    prefix = models.CharField(_("識別子"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最終利用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Job(CompanyScopedModel):
    """One piece of background work someone started (a backup, an import): its state and progress.

    The work itself runs in the task worker (django-tasks); this row is what the screens show.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("実行中")
        SUCCEEDED = "succeeded", _("完了")
        FAILED = "failed", _("失敗")

    kind = models.CharField(_("種類"), max_length=120)
    label = models.CharField(_("内容"), max_length=200)
    params = models.JSONField(_("条件"), default=dict, blank=True)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("処理済み"), default=0)
    total = models.PositiveIntegerField(_("全体"), default=0)
    message = models.CharField(_("状況"), max_length=300, blank=True)
    result = models.JSONField(_("結果"), default=dict, blank=True)
    error = models.TextField(_("エラー"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("開始した人"),
    )
    created_at = models.DateTimeField(_("開始日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("実行開始"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("バックグラウンド処理")
        verbose_name_plural = _("バックグラウンド処理")
        indexes = [models.Index(fields=["company", "kind", "-created_at"])]

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class BackupSchedule(models.Model):
    """The installation's scheduled backup (one row): an archive holds every company, so this is an
    installation setting, not a company's."""

    enabled = models.BooleanField(_("定期バックアップを行う"), default=False)
    hour = models.PositiveSmallIntegerField(_("実行時刻(時)"), default=2, validators=[MaxValueValidator(23)])
    keep = models.PositiveSmallIntegerField(
        _("残す世代数"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("定期バックアップ")
        verbose_name_plural = _("定期バックアップ")
        constraints = [
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="backup_schedule_hour_0_23"),
            models.CheckConstraint(condition=models.Q(keep__gte=1), name="backup_schedule_keep_1"),
        ]

    def __str__(self) -> str:
        return str(_("定期バックアップ"))


class ScheduledRun(models.Model):
    """One run of a scheduled job for one slot (a day, say). The unique key makes the scheduler
    idempotent: however often it wakes up, and however many workers run, a slot runs once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("実行中")
        SUCCEEDED = "succeeded", _("完了")
        FAILED = "failed", _("失敗")

    name = models.CharField(_("処理名"), max_length=100)
    slot = models.CharField(_("実行単位"), max_length=50)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(_("結果"), blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("定期処理の実行")
        verbose_name_plural = _("定期処理の実行")
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} {self.slot}"


class Notification(CompanyScopedModel):
    """A notice to one user in one company (来客の到着, 伝言メモ, 規程の既読依頼 …): shown on the home
    page until read, and sent by e-mail when the sender asks. Apps send them through
    ``core.notifications.notify``; the text is written in the sender's language at send time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("種類"), max_length=60)
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("リンク"), max_length=300, blank=True)
    # the record it is about, named like the audit trail (type label + id)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("通知日時"), auto_now_add=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("メール送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["company", "user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text


class AccessGrant(CompanyScopedModel):
    """What one outside-team membership may open beyond its own work requests (ARCHITECTURE.md,
    "Access for the outside team"): a record of another app named by a type label and an id (the
    audit trail's naming, such as ``sales.customer`` + ``42``), for as long as the source that gave
    it (an open work request, ``requests.workrequest:17``) keeps it. ``core.grants`` writes and
    reads them; the requests app makes them when a request is assigned to a team and removes them
    when it closes, is handed to another team, or the team is revoked."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="grants", verbose_name=_("所属ユーザー")
    )
    object_type = models.CharField(_("対象の種類"), max_length=100)
    object_id = models.CharField(_("対象のID"), max_length=64)
    source = models.CharField(_("付与の根拠"), max_length=100)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("付与日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("アクセス許可")
        verbose_name_plural = _("アクセス許可")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "object_type", "object_id", "source"], name="access_grant_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["company", "membership", "object_type", "object_id"], name="access_grant_idx"
            ),
            models.Index(fields=["company", "source"], name="access_grant_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.object_type}:{self.object_id}"


class CompanyClosedDay(CompanyScopedModel):
    """会社の休業日 beyond Saturdays, Sundays and national holidays (年末年始, 夏季休業, 創立記念日 …):
    days the company's back office does not work, skipped wherever a service level is counted in
    営業日 (業務依頼's SLA, リーガルチェック's lead time)."""

    day = models.DateField(_("日付"))
    name = models.CharField(_("名称"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("会社の休業日")
        verbose_name_plural = _("会社の休業日")
        constraints = [models.UniqueConstraint(fields=["company", "day"], name="company_closed_day_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
