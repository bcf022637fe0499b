"""来訪者: visits pre-registered by a host or registered at the desk; personal data erased after the
company's retention period (個人情報保護法: keep no longer than the purpose needs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class FrontdeskSettings(CompanyScopedModel):
    visitor_retention_days = models.PositiveIntegerField(_("来訪者の個人情報の保存日数"), default=365)
    notify_host_by_email = models.BooleanField(_("到着をメールでも知らせる"), default=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("受付の設定")
        verbose_name_plural = _("受付の設定")
        constraints = [models.UniqueConstraint(fields=["company"], name="frontdesk_settings_one_per_company")]

    def __str__(self) -> str:
        return str(_("受付の設定"))


class VisitStatus(models.TextChoices):
    EXPECTED = "expected", _("来訪予定")
    ARRIVED = "arrived", _("来訪中")
    LEFT = "left", _("退館済み")
    CANCELLED = "cancelled", _("取消")
    NO_SHOW = "no_show", _("来訪なし")


class Visit(CompanyScopedModel):
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("担当者")
    )
    visitor_company = models.CharField(_("会社名"), max_length=200, blank=True)
    visitor_name = models.CharField(_("氏名"), max_length=100)
    visitor_count = models.PositiveSmallIntegerField(_("人数"), default=1)
    visitor_phone = models.CharField(_("連絡先電話"), max_length=30, blank=True)
    visitor_email = models.EmailField(_("連絡先メール"), blank=True)
    purpose = models.CharField(_("用件"), max_length=300, blank=True)
    expected_at = models.DateTimeField(_("来訪予定時刻"))
    expected_until = models.DateTimeField(_("退館予定時刻"), null=True, blank=True)
    booking = models.OneToOneField(
        "frontdesk.RoomBooking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name=_("会議室予約"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.EXPECTED
    )
    is_walk_in = models.BooleanField(_("飛び込み"), default=False)
    badge_number = models.CharField(_("入館証番号"), max_length=20, blank=True)
    checked_in_at = models.DateTimeField(_("受付時刻"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_out_at = models.DateTimeField(_("退館時刻"), null=True, blank=True)
    note = models.CharField(_("受付メモ"), max_length=300, blank=True)
    # when the visitor's name and contacts were erased (the visit itself stays, anonymous)
    personal_data_erased_at = models.DateTimeField(_("個人情報の削除日時"), null=True, blank=True)
    search_key = models.CharField(max_length=400, editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("来訪")
        verbose_name_plural = _("来訪")
        ordering = ["expected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="visit_out_after_in",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "expected_at"], name="visit_expected_idx"),
            models.Index(fields=["company", "host", "expected_at"], name="visit_host_idx"),
            models.Index(fields=["company", "status"], name="visit_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor_company} {self.visitor_name}"


class Urgency(models.TextChoices):
    NORMAL = "normal", _("通常")
    CALL_BACK = "call_back", _("折り返し希望")
    URGENT = "urgent", _("至急")


class PhoneMessage(CompanyScopedModel):
    """伝言メモ."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("宛先")
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("受けた人")
    )
    received_at = models.DateTimeField(_("受信日時"))
    caller_name = models.CharField(_("相手の氏名"), max_length=100)
    caller_company = models.CharField(_("相手の会社名"), max_length=200, blank=True)
    caller_phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    message = models.TextField(_("伝言"))
    urgency = models.CharField(_("緊急度"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    done_at = models.DateTimeField(_("対応済み日時"), null=True, blank=True)
    done_note = models.CharField(_("対応メモ"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("伝言メモ")
        verbose_name_plural = _("伝言メモ")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["company", "recipient", "done_at"], name="phonemessage_open_idx")]

    def __str__(self) -> str:
        return f"{self.caller_name} → {self.recipient_id}"


class Team(models.TextChoices):
    AFFAIRS = "affairs", _("総務")
    GENERAL = "general", _("一般事務")


class OfficeRequestType(CompanyScopedModel):
    """名刺, 文房具, 修理, データ入力 …: a simple kind of request and the team it goes to."""

    name = models.CharField(_("依頼の種類"), max_length=100)
    team = models.CharField(_("担当"), max_length=20, choices=Team.choices, default=Team.AFFAIRS)
    description = models.CharField(_("説明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("受付中"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("総務・一般事務への依頼の種類")
        verbose_name_plural = _("総務・一般事務への依頼の種類")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="officerequesttype_unique")]

    def __str__(self) -> str:
        return self.name


class OfficeRequestStatus(models.TextChoices):
    OPEN = "open", _("受付待ち")
    IN_PROGRESS = "in_progress", _("対応中")
    DONE = "done", _("完了")
    CANCELLED = "cancelled", _("取消")


class OfficeRequest(CompanyScopedModel):
    request_type = models.ForeignKey(
        OfficeRequestType, on_delete=models.PROTECT, related_name="requests", verbose_name=_("種類")
    )
    title = models.CharField(_("件名"), max_length=200)
    detail = models.TextField(_("内容"), blank=True)
    due_on = models.DateField(_("希望期限"), null=True, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("依頼者")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=OfficeRequestStatus.choices, default=OfficeRequestStatus.OPEN
    )
    resolution = models.CharField(_("対応内容"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("総務・一般事務への依頼")
        verbose_name_plural = _("総務・一般事務への依頼")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["company", "status"], name="officerequest_status_idx"),
            models.Index(fields=["company", "requester", "status"], name="officerequest_requester_idx"),
        ]

    def __str__(self) -> str:
        return self.title
