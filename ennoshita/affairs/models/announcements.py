"""社内報・お知らせ and 社内行事."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field


class AudienceKind(models.TextChoices):
    COMPANY = "company", _("全社")
    DEPARTMENTS = "departments", _("部門を指定")
    ROLES = "roles", _("役割を指定")


class AnnouncementKind(models.TextChoices):
    NOTICE = "notice", _("お知らせ")
    NEWSLETTER = "newsletter", _("社内報")
    EXTERNAL = "external", _("社外向け広報")


class Announcement(CompanyScopedModel):
    kind = models.CharField(
        _("種類"), max_length=20, choices=AnnouncementKind.choices, default=AnnouncementKind.NOTICE
    )
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"))
    audience = models.CharField(
        _("対象"), max_length=20, choices=AudienceKind.choices, default=AudienceKind.COMPANY
    )
    is_important = models.BooleanField(_("重要"), default=False)
    publish_at = models.DateTimeField(_("掲載開始"))
    expire_at = models.DateTimeField(_("掲載終了"), null=True, blank=True)
    is_withdrawn = models.BooleanField(_("取り下げ"), default=False)
    # when the audience of an important announcement was notified (once: at publication, by the
    # service or by the scheduled job for a future publish_at)
    notified_at = models.DateTimeField(_("通知日時"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        ordering = ["-publish_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True) | Q(expire_at__gt=models.F("publish_at")),
                name="announcement_expires_after_publish",
            )
        ]
        indexes = [models.Index(fields=["company", "publish_at"], name="announcement_publish_idx")]

    def __str__(self) -> str:
        return self.title


class AnnouncementTarget(CompanyScopedModel):
    """One department or one role an announcement is for (audience ≠ company)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="targets")
    department = models.ForeignKey(
        "people.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("役割"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("お知らせの対象")
        verbose_name_plural = _("お知らせの対象")
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(role=""))
                | (Q(department__isnull=True) & ~Q(role="")),
                name="announcement_target_one_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}: {self.department_id or self.role}"


class AnnouncementRead(CompanyScopedModel):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("既読日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("お知らせの既読")
        verbose_name_plural = _("お知らせの既読")
        constraints = [
            models.UniqueConstraint(fields=["company", "announcement", "user"], name="announcement_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}:{self.user_id}"


class EventStatus(models.TextChoices):
    OPEN = "open", _("受付中")
    CLOSED = "closed", _("受付終了")
    CANCELLED = "cancelled", _("中止")


class Event(CompanyScopedModel):
    """社内行事: 忘年会, 健康セミナー, 防災訓練 …"""

    title = models.CharField(_("行事名"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    place = models.CharField(_("場所"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    signup_deadline = models.DateTimeField(_("申込締切"), null=True, blank=True)
    budget = yen_field(_("予算"), null=True, blank=True)
    cost = yen_field(_("実費"), null=True, blank=True)
    fee_per_person = yen_field(_("参加費(一人)"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=20, choices=EventStatus.choices, default=EventStatus.OPEN)
    organizer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("社内行事")
        verbose_name_plural = _("社内行事")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventSignup(CompanyScopedModel):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    guests = models.PositiveSmallIntegerField(_("同伴者数"), default=0)
    note = models.CharField(_("備考"), max_length=300, blank=True)
    signed_up_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("行事の参加申込")
        verbose_name_plural = _("行事の参加申込")
        ordering = ["signed_up_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "event", "user"],
                condition=Q(cancelled_at__isnull=True),
                name="event_signup_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.user_id}"
