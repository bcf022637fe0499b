"""会議室 and their bookings. Two confirmed bookings of one room never overlap: the booking service
checks under a lock, and the database refuses it too (an exclusion constraint on PostgreSQL, a
trigger on SQLite: migration 0002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class Room(CompanyScopedModel):
    code = models.CharField(_("会議室コード"), max_length=20)
    name = models.CharField(_("会議室名"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("定員"))
    floor = models.CharField(_("フロア・場所"), max_length=100, blank=True)
    equipment = models.CharField(
        _("設備"), max_length=300, blank=True, help_text=_("例: モニター, Web会議, ホワイトボード")
    )
    is_active = models.BooleanField(_("予約受付中"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    # the secret part of the room's iCalendar feed URL
    feed_token = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("会議室")
        verbose_name_plural = _("会議室")
        ordering = ["sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="room_code_unique")]

    def __str__(self) -> str:
        return self.name


class RecurrenceFrequency(models.TextChoices):
    DAILY = "daily", _("毎日")
    WEEKDAYS = "weekdays", _("平日毎日")
    WEEKLY = "weekly", _("毎週")
    BIWEEKLY = "biweekly", _("隔週")
    MONTHLY_NTH_WEEKDAY = "monthly_nth", _("毎月第n曜日")


class BookingSeries(CompanyScopedModel):
    """定例: a recurring booking. Its occurrences are RoomBooking rows made up to ``until``."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series")
    title = models.CharField(_("件名"), max_length=200)
    frequency = models.CharField(_("繰り返し"), max_length=20, choices=RecurrenceFrequency.choices)
    starts_on = models.DateField(_("開始日"))
    until = models.DateField(_("終了日"))
    start_time = models.TimeField(_("開始時刻"))
    end_time = models.TimeField(_("終了時刻"))
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("定例予約")
        verbose_name_plural = _("定例予約")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gte=models.F("starts_on")), name="series_until_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="series_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("予約済み")
    CANCELLED = "cancelled", _("取消")


class RoomBooking(CompanyScopedModel):
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("会議室")
    )
    title = models.CharField(_("件名"), max_length=200)
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    status = models.CharField(
        _("状態"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("予約者")
    )
    attendees = models.PositiveSmallIntegerField(_("人数"), null=True, blank=True)
    series = models.ForeignKey(
        BookingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("会議室予約")
        verbose_name_plural = _("会議室予約")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "room", "starts_at"], name="booking_room_start_idx"),
            models.Index(fields=["company", "booked_by", "starts_at"], name="booking_user_start_idx"),
            # the day view (every room of one day) and the search by date range (migration 0002)
            models.Index(fields=["company", "starts_at"], name="booking_company_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M} {self.title}"


class RoomFeedToken(CompanyScopedModel):
    """The secret in the URL of a person's iCalendar feed (their bookings in this company).

    Calendar apps cannot log in, so the token is the key: one per (company, user), replaced by
    "regenerate" (the old URL stops working at once). A feed answers only while the user's
    membership in the company is active."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ユーザー")
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("発行日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("予定表フィード")
        verbose_name_plural = _("予定表フィード")
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="room_feed_token_user_unique")
        ]

    def __str__(self) -> str:
        return f"feed of {self.user_id}"
