"""登記・機関 (jp-rules §15): the 定款 settings that fix officers' terms, the officers with their
terms, the registered items with their history and the 2-week 登記 deadline of each change
(会社法915条), shareholders' and board meetings with their minutes kept 10 years (318条, 371条)
and the 基準日 each shareholders' meeting must follow within 3 months (124条2項)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class CharterSettings(CompanyScopedModel):
    """定款 as far as terms go: one row per company."""

    is_public_company = models.BooleanField(_("公開会社"), default=False)
    has_board = models.BooleanField(_("取締役会設置会社"), default=True)
    # 332条: 2 years, up to 10 for a 非公開会社; 336条: auditors 4, up to 10
    director_term_years = models.PositiveSmallIntegerField(
        _("取締役の任期(年)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    auditor_term_years = models.PositiveSmallIntegerField(
        _("監査役の任期(年)"), default=4, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    # the 定時株主総会 is held this many months after the year end (the 基準日 custom makes it ≤ 3)
    agm_months_after_year_end = models.PositiveSmallIntegerField(
        _("定時株主総会の時期(期末から何か月後)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("定款の設定")
        verbose_name_plural = _("定款の設定")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="charter_settings_once"),
            models.CheckConstraint(
                condition=Q(director_term_years__gte=1, director_term_years__lte=10),
                name="charter_director_term_1_10",
            ),
            models.CheckConstraint(
                condition=Q(auditor_term_years__gte=1, auditor_term_years__lte=10),
                name="charter_auditor_term_1_10",
            ),
        ]


class OfficerPosition(models.TextChoices):
    REPRESENTATIVE_DIRECTOR = "representative_director", _("代表取締役")
    DIRECTOR = "director", _("取締役")
    OUTSIDE_DIRECTOR = "outside_director", _("社外取締役")
    AUDITOR = "auditor", _("監査役")
    OUTSIDE_AUDITOR = "outside_auditor", _("社外監査役")
    ACCOUNTING_ADVISOR = "accounting_advisor", _("会計参与")


class OfficerLeaveReason(models.TextChoices):
    TERM_END = "term_end", _("任期満了")
    RESIGNED = "resigned", _("辞任")
    DISMISSED = "dismissed", _("解任")
    DECEASED = "deceased", _("死亡")


class Officer(CompanyScopedModel):
    """One term of one officer; a re-election (重任) starts a new row linked to the previous one."""

    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    position = models.CharField(_("役職"), max_length=30, choices=OfficerPosition.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("社内のユーザー"),
    )
    elected_on = models.DateField(_("選任日"))
    # 起算日 of the 登記 deadline for an appointment (jp-rules §15: 就任承諾日)
    took_office_on = models.DateField(_("就任日(就任承諾日)"))
    term_years = models.PositiveSmallIntegerField(_("任期(年)"))
    # the close of the 定時株主総会 for the last business year ending within term_years of election
    # (332条・336条), as expected from the 定款 settings; kept for lists and alerts
    term_ends_on = models.DateField(_("任期満了予定日"))
    left_on = models.DateField(_("退任日"), null=True, blank=True)
    leave_reason = models.CharField(
        _("退任事由"), max_length=20, choices=OfficerLeaveReason.choices, blank=True
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_term",
        verbose_name=_("前の任期(重任)"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("役員")
        verbose_name_plural = _("役員")
        constraints = [
            models.CheckConstraint(
                condition=Q(took_office_on__gte=models.F("elected_on")),
                name="officer_took_office_after_election",
            ),
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=10), name="officer_term_1_10"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, leave_reason="")
                | Q(left_on__isnull=False) & ~Q(leave_reason=""),
                name="officer_leave_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "left_on", "term_ends_on"], name="officer_term_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.name}"


class RegistryItem(models.TextChoices):
    TRADE_NAME = "trade_name", _("商号")
    HEAD_OFFICE = "head_office", _("本店")
    PURPOSE = "purpose", _("目的")
    CAPITAL = "capital", _("資本金の額")
    AUTHORIZED_SHARES = "authorized_shares", _("発行可能株式総数")
    ISSUED_SHARES = "issued_shares", _("発行済株式の総数")
    PUBLIC_NOTICE = "public_notice", _("公告の方法")
    OFFICERS = "officers", _("役員に関する事項")
    OTHER = "other", _("その他")


class RegistryChange(CompanyScopedModel):
    """A change of a registered item: the new content, when it took effect, the 登記 deadline
    (2 weeks, 会社法915条) and when it was filed and registered. The registered items' history is
    the sequence of these rows per item."""

    item = models.CharField(_("登記事項"), max_length=30, choices=RegistryItem.choices)
    content = models.TextField(_("変更後の内容"))
    # 起算日: the resolution's effective date, or the 就任承諾日 for an appointment
    effective_on = models.DateField(_("変更の効力発生日"))
    deadline_on = models.DateField(_("登記期限"))
    filed_on = models.DateField(_("申請日"), null=True, blank=True)
    registered_on = models.DateField(_("登記完了日"), null=True, blank=True)
    officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registry_changes",
        verbose_name=_("役員"),
    )
    note = models.TextField(_("メモ"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("登記事項の変更")
        verbose_name_plural = _("登記事項の変更")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_on__gte=models.F("effective_on")), name="registry_deadline_after_effect"
            ),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True) | Q(filed_on__isnull=False),
                name="registry_registered_after_filed",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "item", "effective_on"], name="registry_item_idx"),
            models.Index(fields=["company", "filed_on", "deadline_on"], name="registry_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.effective_on}"


class MeetingKind(models.TextChoices):
    AGM = "agm", _("定時株主総会")
    EGM = "egm", _("臨時株主総会")
    BOARD = "board", _("取締役会")
    WRITTEN_SHAREHOLDERS = "written_shareholders", _("株主総会(書面決議)")
    WRITTEN_BOARD = "written_board", _("取締役会(書面決議)")


class CorporateMeeting(CompanyScopedModel):
    kind = models.CharField(_("種類"), max_length=30, choices=MeetingKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("開催日(決議があったとみなされた日)"))
    # 株主総会: the 基準日 whose shareholders vote; the meeting must be within 3 months of it
    record_date = models.DateField(_("基準日"), null=True, blank=True)
    resolutions = models.TextField(_("決議事項"), blank=True)
    minutes = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("議事録"),
    )
    # 318条・371条: 10 years from the meeting
    keep_minutes_until = models.DateField(_("議事録の保存期限"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("株主総会・取締役会")
        verbose_name_plural = _("株主総会・取締役会")
        constraints = [
            models.CheckConstraint(
                condition=Q(record_date__isnull=True) | Q(record_date__lte=models.F("held_on")),
                name="meeting_record_date_before",
            ),
        ]
        indexes = [models.Index(fields=["company", "held_on"], name="meeting_held_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class RegistryAlertKind(models.TextChoices):
    TERM_END = "term_end", _("役員の任期満了")
    FILING = "filing", _("登記期限")
    RECORD_DATE = "record_date", _("基準日から3か月")
    DORMANT = "dormant", _("最後の登記から12年")


class RegistryAlert(CompanyScopedModel):
    """An alert sent once per object, kind, due date and lead time."""

    kind = models.CharField(_("種類"), max_length=20, choices=RegistryAlertKind.choices)
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField(_("期限"))
    days_before = models.PositiveSmallIntegerField(_("何日前"))
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("登記・機関のアラート")
        verbose_name_plural = _("登記・機関のアラート")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind", "object_id", "due_on", "days_before"], name="registry_alert_once"
            )
        ]
