"""休暇: leave types, grants (年次有給休暇 and any other type with a balance), requests by day,
half day or hour, and each day taken (what the 年次有給休暇管理簿 lists as 取得日)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel

from .common import RequestState


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("年次有給休暇")
    SPECIAL = "special", _("特別休暇")
    MENSTRUAL = "menstrual", _("生理休暇")
    CHILD_SICK = "child_sick", _("子の看護等休暇")
    CARE_DAY = "care_day", _("介護休暇")
    MATERNITY = "maternity", _("産前産後休業")
    CHILDCARE = "childcare", _("育児休業")
    FAMILY_CARE = "family_care", _("介護休業")
    COMPENSATORY = "compensatory", _("代休")
    SUBSTITUTE = "substitute", _("振替休日")
    ALTERNATIVE = "alternative", _("代替休暇")
    INJURY = "injury", _("業務上の傷病による休業")
    OTHER = "other", _("その他")


class LeaveType(CompanyScopedModel):
    """A company's kind of leave. ``counts_as_attended``: days of it count as attended in the 8割
    test of 労基法39条10項 (産休・育休・介護休業・業務上の傷病, and 年休 itself by 通達)."""

    code = models.CharField(_("コード"), max_length=20)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("区分"), max_length=20, choices=LeaveKind.choices)
    paid = models.BooleanField(_("有給"), default=False)
    has_balance = models.BooleanField(_("付与日数から差し引く"), default=False)
    allow_half_day = models.BooleanField(_("半日単位で取得できる"), default=False)
    allow_hourly = models.BooleanField(_("時間単位で取得できる"), default=False)
    counts_as_attended = models.BooleanField(_("出勤率の計算で出勤とみなす"), default=False)
    expiry_months = models.PositiveSmallIntegerField(
        _("有効期間(月)"),
        null=True,
        blank=True,
        help_text=_("空欄は期限なし。年次有給休暇は24か月(労基法115条)。"),
    )
    is_active = models.BooleanField(_("有効"), default=True)
    sort_order = models.IntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("休暇の種類")
        verbose_name_plural = _("休暇の種類")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="attendance_leavetype_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LeavePolicy(CompanyScopedModel):
    """How a company grants 年次有給休暇: on each employee's own date (入社6か月後, then yearly) or on
    a company-wide 基準日 with 前倒し付与, and the 時間単位年休 agreed (労基法39条4項: ≤5 days)."""

    uses_reference_date = models.BooleanField(_("基準日で一斉に付与する"), default=False)
    reference_month = models.PositiveSmallIntegerField(_("基準日(月)"), default=4)
    reference_day = models.PositiveSmallIntegerField(_("基準日(日)"), default=1)
    hourly_days_per_year = models.PositiveSmallIntegerField(
        _("時間単位で取得できる日数(年)"), default=0, help_text=_("労使協定で定めた日数。5日まで。")
    )
    warn_five_days_before_months = models.PositiveSmallIntegerField(
        _("年5日の取得を知らせる時期(期限の何か月前)"), default=3
    )
    # 前倒し付与 of the first grant (平6.1.4基発1号): months after hire, 6 at the latest (39条1項)
    first_grant_months = models.PositiveSmallIntegerField(
        _("初回付与(入社の何か月後)"), default=6, help_text=_("0〜6か月。法定は6か月後です。")
    )
    # go-live: automatic grants start on this date, and the 8割 test deems the days before it
    # attended (there is no record of them here; migrated balances are entered by 人事)
    records_from = models.DateField(
        _("勤怠の記録を始めた日"),
        null=True,
        blank=True,
        help_text=_("この日より前の付与は自動で行いません(移行した残日数は手動で登録します)。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年次有給休暇の付与方法")
        verbose_name_plural = _("年次有給休暇の付与方法")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="attendance_leavepolicy_unique"),
            models.CheckConstraint(
                condition=Q(hourly_days_per_year__lte=5), name="attendance_leavepolicy_hourly_cap"
            ),
            models.CheckConstraint(
                condition=Q(first_grant_months__lte=6), name="attendance_leavepolicy_first_grant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}"


class GrantSource(models.TextChoices):
    AUTOMATIC = "automatic", _("自動付与")
    MANUAL = "manual", _("手動付与")
    MIGRATED = "migrated", _("移行")


class LeaveGrant(CompanyScopedModel):
    """Days granted on a date, usable until ``expires_on`` (inclusive). ``service_months`` and
    ``attendance_rate`` record why an automatic grant got its days (8割 test, table row)."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="grants")
    granted_on = models.DateField(_("付与日(基準日)"))
    expires_on = models.DateField(_("有効期限"))
    days = models.DecimalField(_("付与日数"), max_digits=4, decimal_places=1)
    source = models.CharField(_("付与の方法"), max_length=12, choices=GrantSource.choices)
    service_months = models.PositiveSmallIntegerField(_("勤続月数"), null=True, blank=True)
    attendance_rate = models.DecimalField(_("出勤率"), max_digits=5, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    # 年5日取得義務: the last day a warning was mailed for this grant (at most one a week)
    warned_on = models.DateField(_("年5日の取得を知らせた日"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("休暇の付与")
        verbose_name_plural = _("休暇の付与")
        ordering = ["employee", "granted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "leave_type", "granted_on"], name="attendance_leavegrant_once"
            ),
            models.CheckConstraint(condition=Q(days__gte=0), name="attendance_leavegrant_days"),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("granted_on")), name="attendance_leavegrant_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.granted_on} {self.days}"


class LeaveUnit(models.TextChoices):
    FULL_DAY = "full", _("全日")
    MORNING = "am", _("午前半休")
    AFTERNOON = "pm", _("午後半休")
    HOURS = "hours", _("時間単位")


class LeaveRequest(CompanyScopedModel):
    """休暇申請 for start_date..end_date (one day for half days and hours). ``days`` is the
    working days it covers (0.5 for a half day; 0 for hours, whose count is ``hours``).
    ``planned`` marks 計画的付与 (労基法39条6項), written by 人事 without an approval route."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="requests")
    start_date = models.DateField(_("開始日"))
    end_date = models.DateField(_("終了日"))
    unit = models.CharField(_("単位"), max_length=8, choices=LeaveUnit.choices, default=LeaveUnit.FULL_DAY)
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    days = models.DecimalField(_("日数"), max_digits=5, decimal_places=1, default=0)
    hours = models.PositiveSmallIntegerField(_("時間数"), default=0)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    planned = models.BooleanField(_("計画的付与"), default=False)
    state = models.CharField(
        _("状態"), max_length=12, choices=RequestState.choices, default=RequestState.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取り消し日時"), null=True, blank=True)
    cancel_reason = models.CharField(_("取り消しの理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("休暇申請")
        verbose_name_plural = _("休暇申請")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="attendance_leavereq_period"
            ),
            models.CheckConstraint(condition=Q(days__gte=0), name="attendance_leavereq_days"),
        ]
        indexes = [models.Index(fields=["company", "employee", "start_date"], name="attendance_leavereq_idx")]

    def __str__(self) -> str:
        return f"{self.leave_type_id} {self.start_date}"


class LeaveTaking(CompanyScopedModel):
    """One day (or part of a day) of leave held by a pending or approved request, drawn from one
    grant (oldest first; a day may be split over two grants). Pending requests hold their days so
    that two requests cannot spend the same balance; a rejected, withdrawn or cancelled request's
    rows are deleted in the same transaction. Rows with ``grant`` empty are leave without balance."""

    request = models.ForeignKey(LeaveRequest, on_delete=models.PROTECT, related_name="takings")
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(
        LeaveGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="takings"
    )
    date = models.DateField(_("取得日"))
    days = models.DecimalField(_("日数"), max_digits=4, decimal_places=1, default=0)
    # a part of a day drawn from an older grant may be half an hour (a half day of a 7-hour day)
    hours = models.DecimalField(_("時間数"), max_digits=4, decimal_places=1, default=0)
    approved = models.BooleanField(_("承認済み"), default=False)

    class Meta:
        verbose_name = _("休暇の取得")
        verbose_name_plural = _("休暇の取得")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=0) & Q(hours__gte=0), name="attendance_taking_amount"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "employee", "date"], name="attendance_taking_day_idx"),
            models.Index(fields=["company", "date"], name="attendance_taking_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.days}/{self.hours}h"
