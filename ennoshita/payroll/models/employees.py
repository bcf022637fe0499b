"""Pay settings per employee (人事 and 経理 only), each dated: a row takes effect from its month and
stays until a later row of the same employee replaces it, so a 昇給 recorded today for April takes
effect in April and the history stays readable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field
from ennoshita.people.models import AccountType

from .setup import PayGroup, PayItem


class PayType(models.TextChoices):
    MONTHLY = "monthly", _("月給")
    DAILY = "daily", _("日給")
    HOURLY = "hourly", _("時給")


class TaxColumn(models.TextChoices):
    """源泉徴収税額表の欄: 甲 with a 扶養控除等申告書 filed, 乙 without (所得税法185条1項)."""

    KOU = "甲", _("甲欄(扶養控除等申告書の提出あり)")
    OTSU = "乙", _("乙欄(提出なし)")


class PayProfile(CompanyScopedModel):
    """給与の基本設定 of one employee from ``effective_from`` (the first day of a pay month).

    ``base_pay`` is the month's pay (月給), the day's (日給) or the hour's (時給). ``commute_allowance``
    is paid every month; ``commute_exempt_limit`` its part free of 所得税 (所得税法9条1項5号, 令20条の2:
    150,000円 a month by public transport; by car by distance) — never of 社会保険 or 雇用保険.
    社会保険 and 雇用保険 enrolment: 取得日 and 喪失日 (the day after the last day of work). An officer
    (役員) is not insured by 雇用保険 and is booked to 役員報酬.

    ``split_*``: an optional second bank account receiving ``split_amount`` of the net pay each
    month (the rest goes to the employee's account in 社員名簿)."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    effective_from = models.DateField(_("適用開始月"))
    pay_group = models.ForeignKey(
        PayGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("支給グループ")
    )
    pay_type = models.CharField(
        _("給与形態"), max_length=10, choices=PayType.choices, default=PayType.MONTHLY
    )
    base_pay = yen_field(_("基本給"), default=0)
    is_officer = models.BooleanField(_("役員"), default=False)
    commute_allowance = yen_field(_("通勤手当(月額)"), default=0)
    commute_exempt_limit = yen_field(_("通勤手当の非課税限度額"), default=150_000)
    tax_column = models.CharField(
        _("税額表の欄"), max_length=2, choices=TaxColumn.choices, default=TaxColumn.KOU
    )
    dependents = models.PositiveSmallIntegerField(_("扶養親族等の数"), default=0)
    health_insured = models.BooleanField(_("健康保険・厚生年金に加入"), default=True)
    si_acquired_on = models.DateField(_("社会保険の資格取得日"), null=True, blank=True)
    si_lost_on = models.DateField(_("社会保険の資格喪失日"), null=True, blank=True)
    employment_insured = models.BooleanField(_("雇用保険に加入"), default=True)
    ei_acquired_on = models.DateField(_("雇用保険の資格取得日"), null=True, blank=True)
    ei_lost_on = models.DateField(_("雇用保険の資格喪失日"), null=True, blank=True)
    split_bank_code = models.CharField(_("第2口座 銀行コード"), max_length=4, blank=True)
    split_branch_code = models.CharField(_("第2口座 支店コード"), max_length=3, blank=True)
    split_account_type = models.CharField(
        _("第2口座 預金種目"), max_length=1, choices=AccountType.choices, blank=True
    )
    split_account_number = models.CharField(_("第2口座 口座番号"), max_length=7, blank=True)
    split_account_holder_kana = models.CharField(_("第2口座 口座名義(カナ)"), max_length=60, blank=True)
    split_amount = yen_field(_("第2口座への振込額"), default=0)
    # 住民税 on leaving (地方税法321条の5第2項, jp-rules §3): leaving 1 Jan – 30 Apr the balance is
    # always collected from the final pay; leaving 1 Jun – 31 Dec only when the employee asks (this)
    resident_tax_lump_sum = models.BooleanField(
        _("退職時に住民税の残りを一括徴収(本人の申出)"), default=False
    )
    # 被保険者整理番号: the number the 年金事務所 gives each insured person of the 事業所 (printed on the
    # 資格取得確認通知書); the first column of the 算定基礎届 and 月額変更届
    insured_number = models.CharField(_("健康保険・厚生年金の被保険者整理番号"), max_length=10, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("給与の基本設定")
        verbose_name_plural = _("給与の基本設定")
        ordering = ["employee", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "effective_from"], name="payroll_profile_unique"),
            models.CheckConstraint(condition=Q(base_pay__gte=0), name="payroll_profile_base_gte_0"),
            models.CheckConstraint(
                condition=Q(commute_allowance__gte=0), name="payroll_profile_commute_gte_0"
            ),
            models.CheckConstraint(condition=Q(split_amount__gte=0), name="payroll_profile_split_gte_0"),
            models.CheckConstraint(condition=Q(dependents__lte=30), name="payroll_profile_dependents"),
        ]
        indexes = [models.Index(fields=["company", "effective_from"], name="payroll_profile_from_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.effective_from:%Y-%m}"


class EmployeePayItem(CompanyScopedModel):
    """A fixed allowance or deduction of one employee (an item with source FIXED) from
    ``effective_from``; an amount of 0 ends it."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    item = models.ForeignKey(PayItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("項目"))
    effective_from = models.DateField(_("適用開始月"))
    amount = yen_field(_("金額"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("社員の固定項目")
        verbose_name_plural = _("社員の固定項目")
        ordering = ["employee", "item", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "item", "effective_from"], name="payroll_empitem_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payroll_empitem_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.item_id} {self.amount}"


class GradeReason(models.TextChoices):
    ACQUISITION = "acquisition", _("資格取得時決定")
    ANNUAL = "annual", _("定時決定")
    REVISION = "revision", _("随時改定")
    MANUAL = "manual", _("手入力")


class StandardRemuneration(CompanyScopedModel):
    """標準報酬月額 from an insurance month (its first day) on: 健康保険 and 厚生年金 grades as
    decided (payroll.rules.standard_remuneration gives both from the 報酬月額)."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    effective_from = models.DateField(_("適用開始月"))
    monthly_remuneration = yen_field(_("報酬月額"), default=0)
    health_grade = models.PositiveSmallIntegerField(_("健康保険の等級"))
    health_standard = yen_field(_("健康保険の標準報酬月額"))
    pension_grade = models.PositiveSmallIntegerField(_("厚生年金の等級"))
    pension_standard = yen_field(_("厚生年金の標準報酬月額"))
    reason = models.CharField(_("決定の種類"), max_length=12, choices=GradeReason.choices)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("標準報酬月額")
        verbose_name_plural = _("標準報酬月額")
        ordering = ["employee", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "effective_from"], name="payroll_grade_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.effective_from:%Y-%m} {self.health_standard}"


class ResidentTax(CompanyScopedModel):
    """住民税 (特別徴収) of one employee for one 年度 (June of ``fiscal_year`` to May of the next), as
    printed on the municipality's 特別徴収税額通知: June's amount and each of July–May's."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    municipality_code = models.CharField(_("市区町村コード"), max_length=6, blank=True)
    municipality_name = models.CharField(_("市区町村"), max_length=50)
    annual = yen_field(_("年税額"))
    june = yen_field(_("6月分"))
    monthly = yen_field(_("7月〜翌年5月分(各月)"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("住民税")
        verbose_name_plural = _("住民税")
        ordering = ["employee", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "fiscal_year"], name="payroll_residenttax_unique"),
            models.CheckConstraint(
                condition=Q(annual__gte=0, june__gte=0, monthly__gte=0), name="payroll_residenttax_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.fiscal_year} {self.annual}"
