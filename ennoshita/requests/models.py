"""業務依頼: requests to a back-office team (経理, 人事, 総務, 法務, 一般事務) or to the outside
assistant team, from the service catalogue of request types with their turnaround (SLA); taken,
handed over (引継ぎ), commented and closed; recurring requests; the records a request concerns,
named by a generic reference (ARCHITECTURE.md: ``requests`` never imports the other apps); time
logged per request with its cost at the team's hourly rate."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field


class TeamKind(models.TextChoices):
    ACCOUNTING = "accounting", _("経理")
    HR = "hr", _("人事")
    AFFAIRS = "affairs", _("総務")
    LEGAL = "legal", _("法務")
    GENERAL = "general", _("一般事務")
    OUTSIDE = "outside", _("外部アシスタント")


class Team(CompanyScopedModel):
    kind = models.CharField(_("種類"), max_length=20, choices=TeamKind.choices)
    name = models.CharField(_("チーム名"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    # the contracted hourly rate of an outside team, or the in-house cost per hour of a team of
    # employees (給与・社会保険料・間接費を含む時間単価): hours × rate is the cost per request
    hourly_rate = yen_field(_("時間単価"), default=0)
    # for an outside team, the in-house cost per hour it is compared with (0 = not compared)
    inhouse_hourly_cost = yen_field(_("社内で行う場合の時間単価"), default=0)
    is_active = models.BooleanField(_("有効"), default=True)
    revoked_at = models.DateTimeField(_("契約解除日時"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("依頼先チーム")
        verbose_name_plural = _("依頼先チーム")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="request_team_name_unique"),
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="request_team_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(inhouse_hourly_cost__gte=0), name="request_team_inhouse_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(CompanyScopedModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("有効"), default=True)
    added_at = models.DateTimeField(_("追加日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("チームのメンバー")
        verbose_name_plural = _("チームのメンバー")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="request_team_member_once")]
        indexes = [models.Index(fields=["company", "user", "is_active"], name="request_member_user_idx")]


class RequestType(CompanyScopedModel):
    """One entry of a team's service catalogue."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="request_types")
    name = models.CharField(_("依頼の種類"), max_length=100)
    description = models.TextField(_("内容"), blank=True)
    needs = models.TextField(_("依頼者に用意してほしいもの"), blank=True)
    # SLA: the request is due this many 営業日 after it is made (unless the requester asks later)
    turnaround_days = models.PositiveSmallIntegerField(
        _("標準の所要日数(営業日)"), default=3, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    is_active = models.BooleanField(_("受付中"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("依頼の種類")
        verbose_name_plural = _("依頼の種類")
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="request_type_name_unique"),
            models.CheckConstraint(condition=Q(turnaround_days__lte=60), name="request_type_turnaround_60"),
        ]

    def __str__(self) -> str:
        return self.name


class RequestStatus(models.TextChoices):
    OPEN = "open", _("受付待ち")
    IN_PROGRESS = "in_progress", _("対応中")
    WAITING = "waiting", _("依頼者の回答待ち")
    DONE = "done", _("完了")
    CANCELLED = "cancelled", _("取消")


OPEN_STATUSES = (RequestStatus.OPEN, RequestStatus.IN_PROGRESS, RequestStatus.WAITING)


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("毎月(日付指定)")
    MONTH_END = "month_end", _("毎月末")
    WEEKLY = "weekly", _("毎週")


class RecurringRequest(CompanyScopedModel):
    """A request made again on a schedule (毎月末の請求書整理, 毎月の給与計算前の勤怠確認 …)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    request_type = models.ForeignKey(
        RequestType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("依頼内容"), blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(_("頻度"), max_length=20, choices=Frequency.choices)
    # MONTHLY: day of month 1–28; WEEKLY: 0 = Monday … 6 = Sunday; MONTH_END: unused (0)
    day = models.PositiveSmallIntegerField(_("日・曜日"), default=0)
    # the request is made this many days before its due date
    lead_days = models.PositiveSmallIntegerField(_("何日前に依頼するか"), default=3)
    next_due_on = models.DateField(_("次回の期限"))
    is_active = models.BooleanField(_("有効"), default=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("定期依頼")
        verbose_name_plural = _("定期依頼")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency="monthly", day__gte=1, day__lte=28)
                | Q(frequency="weekly", day__lte=6)
                | Q(frequency="month_end"),
                name="recurring_request_day_valid",
            ),
        ]
        indexes = [models.Index(fields=["company", "is_active", "next_due_on"], name="recurring_next_idx")]

    def __str__(self) -> str:
        return self.title


class WorkRequest(CompanyScopedModel):
    number = models.CharField(_("依頼番号"), max_length=30)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="requests", verbose_name=_("依頼先")
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("種類")
    )
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("依頼内容"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("依頼者")
    )
    due_on = models.DateField(_("期限"), null=True, blank=True)
    # the SLA's due date from the type's turnaround (営業日), used for overdue alerts
    sla_due_on = models.DateField(_("SLA期限"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    recurring = models.ForeignKey(
        RecurringRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    taken_at = models.DateTimeField(_("着手日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    resolution = models.TextField(_("完了報告"), blank=True)
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("業務依頼")
        verbose_name_plural = _("業務依頼")
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="work_request_number_unique"),
            # a recurring request is made once per due date
            models.UniqueConstraint(
                fields=["recurring", "due_on"],
                condition=Q(recurring__isnull=False),
                name="work_request_recurring_once",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "team", "status", "created_at"], name="work_request_team_idx"),
            models.Index(fields=["company", "assignee", "status"], name="work_request_assignee_idx"),
            models.Index(fields=["company", "requester", "created_at"], name="work_request_requester_idx"),
            models.Index(fields=["company", "status", "sla_due_on"], name="work_request_sla_idx"),
            # a keyword over every status of a team's inbox: the newest first, and the words tested on
            # the index itself (number and title in it) instead of reading every row of the team
            models.Index(
                fields=["company", "team", "created_at", "number", "title"], name="work_request_search_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RequestRecord(CompanyScopedModel):
    """A record of another app the request concerns (``core.records``): type label + id, and its
    label as it read when named."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="records")
    object_type = models.CharField(_("種類"), max_length=100)
    object_id = models.CharField(_("ID"), max_length=64)
    label = models.CharField(_("表示名"), max_length=200)

    class Meta:
        verbose_name = _("依頼の対象")
        verbose_name_plural = _("依頼の対象")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "object_type", "object_id"], name="request_record_once"
            )
        ]


class RequestAttachment(CompanyScopedModel):
    """A file on the request: a document of the documents app (in the 「業務依頼」 folder)."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("追加日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        constraints = [
            models.UniqueConstraint(fields=["request", "document"], name="request_attachment_once")
        ]


class EventKind(models.TextChoices):
    CREATED = "created", _("依頼")
    TAKEN = "taken", _("着手")
    HANDED_OVER = "handed_over", _("引継ぎ")
    COMMENT = "comment", _("コメント")
    STATUS = "status", _("状態の変更")
    ATTACHED = "attached", _("ファイル追加")
    TIME = "time", _("作業時間")
    EDITED = "edited", _("依頼内容の変更")
    VIEWED = "viewed", _("閲覧")
    DENIED = "denied", _("アクセス拒否")
    CLOSED = "closed", _("完了")


class RequestEvent(CompanyScopedModel):
    """The request's own history, as the requester and the team read it: comments, hand-overs,
    status changes, and every page an outside assistant opened under it."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("種類"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("依頼の経過")
        verbose_name_plural = _("依頼の経過")
        indexes = [models.Index(fields=["request", "created_at"], name="request_event_idx")]


class TimeEntry(CompanyScopedModel):
    """Time a team member spent on a request, costed at the team's hourly rate of that day."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="time_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    worked_on = models.DateField(_("作業日"))
    minutes = models.PositiveIntegerField(_("作業時間(分)"))
    hourly_rate = yen_field(_("時間単価"))
    cost = yen_field(_("費用"))
    note = models.CharField(_("作業内容"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("作業時間")
        verbose_name_plural = _("作業時間")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=1440), name="time_entry_minutes_valid"
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0, hourly_rate__gte=0), name="time_entry_cost_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "worked_on"], name="time_entry_day_idx"),
            models.Index(fields=["request"], name="time_entry_request_idx"),
        ]


class RequestAlert(CompanyScopedModel):
    """An overdue (SLA) alert sent once per request and due date."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="alerts")
    due_on = models.DateField(_("期限"))
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限超過の通知")
        verbose_name_plural = _("期限超過の通知")
        constraints = [models.UniqueConstraint(fields=["request", "due_on"], name="request_alert_once")]
