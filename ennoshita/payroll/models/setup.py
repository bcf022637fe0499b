"""給与の設定: the company's payroll settings, its pay groups (締め日・支給日) and its pay items
(支給・控除項目). docs/domains/payroll.md."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Company, CompanyScopedModel, CompanyScopedQuerySet
from ennoshita.people.models import AccountType


class WithholdingMethod(models.TextChoices):
    TABLE = "table", _("月額表")
    FORMULA = "formula", _("電算機計算の特例")


class ProrationRule(models.TextChoices):
    """日割: how a month's fixed pay is cut for a month joined or left part-way (the company's rule,
    stated in its 賃金規程; the law sets none)."""

    CALENDAR_DAYS = "calendar", _("暦日数で日割")
    SCHEDULED_DAYS = "scheduled", _("所定労働日数で日割")


class Business(models.TextChoices):
    """雇用保険の事業の種類 (the keys of payroll.rules.employment_insurance)."""

    GENERAL = "一般", _("一般の事業")
    AGRICULTURE = "農林水産・清酒製造", _("農林水産・清酒製造の事業")
    CONSTRUCTION = "建設", _("建設の事業")


class HealthInsurer(models.TextChoices):
    """健康保険の保険者: 協会けんぽ (rates by 都道府県, jp-rules §2.1) or a 健康保険組合 with its own rates
    and its own split between employee and employer (健康保険法160条13項, 162条)."""

    KYOUKAI = "kyoukai", _("全国健康保険協会(協会けんぽ)")
    UNION = "union", _("健康保険組合")


class PayrollSettings(models.Model):
    """One row per company (created with defaults on first use)."""

    company = models.OneToOneField(Company, on_delete=models.PROTECT, related_name="+")
    objects: ClassVar[Any] = CompanyScopedQuerySet.as_manager()
    withholding_method = models.CharField(
        _("源泉所得税の計算方法"),
        max_length=10,
        choices=WithholdingMethod.choices,
        default=WithholdingMethod.TABLE,
        help_text=_("月額表か電算機計算の特例か。会社が選び、給与計算ごとに記録します。"),
    )
    proration_rule = models.CharField(
        _("日割の方法"), max_length=10, choices=ProrationRule.choices, default=ProrationRule.CALENDAR_DAYS
    )
    prefecture = models.CharField(
        _("事業所の都道府県"), max_length=10, default="東京都", help_text=_("協会けんぽの保険料率の都道府県")
    )
    business = models.CharField(
        _("雇用保険の事業の種類"), max_length=20, choices=Business.choices, default=Business.GENERAL
    )
    annual_scheduled_hours = models.DecimalField(
        _("年間所定労働時間"),
        max_digits=7,
        decimal_places=2,
        default=2080,
        help_text=_("割増賃金の単価(月給 ÷ 1か月平均所定労働時間, 労基則19条)に使います。"),
    )
    anomaly_percent = models.PositiveSmallIntegerField(
        _("前月比の確認ライン(%)"),
        default=20,
        help_text=_("差引支給額が前月からこの割合以上増減した人を一覧に出します。"),
    )
    # 納期の特例 (所得税法216条): 源泉所得税 paid twice a year (1–6月分 by 7/10, 7–12月分 by 1/20)
    special_payment_schedule = models.BooleanField(_("源泉所得税の納期の特例"), default=False)
    # the 全銀 給与振込 file's header (§8): the company's 委託者コード and the account paid from
    transfer_requester_code = models.CharField(_("振込依頼人コード"), max_length=10, blank=True)
    transfer_requester_name = models.CharField(_("振込依頼人名(カナ)"), max_length=40, blank=True)
    transfer_bank_code = models.CharField(_("振込元 銀行コード"), max_length=4, blank=True)
    transfer_branch_code = models.CharField(_("振込元 支店コード"), max_length=3, blank=True)
    transfer_account_type = models.CharField(
        _("振込元 預金種目"), max_length=1, choices=AccountType.choices, blank=True
    )
    transfer_account_number = models.CharField(_("振込元 口座番号"), max_length=7, blank=True)
    # 労働保険 年度更新 (jp-rules §18): the 労災保険率 of the company's industry, per 1,000 (the
    # employer pays all of it), and whether a 労働保険事務組合 files for it (other 延納 due dates)
    workers_comp_rate = models.DecimalField(
        _("労災保険率(1000分の)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3"),
        help_text=_("事業の種類ごとの率(令和6年度からの表、令和8年度も同じ)。その他の各種事業は 3。"),
    )
    labour_insurance_association = models.BooleanField(_("労働保険事務組合に委託"), default=False)
    # 健康保険組合: the union's rates per 1,000 of the 標準報酬 (total and the employee's part), for 健康保険
    # and for 介護保険 (第2号 only); 厚生年金 and 子ども・子育て支援金 stay the national rates
    health_insurer = models.CharField(
        _("健康保険の保険者"), max_length=10, choices=HealthInsurer.choices, default=HealthInsurer.KYOUKAI
    )
    union_name = models.CharField(_("健康保険組合の名称"), max_length=60, blank=True)
    union_health_rate = models.DecimalField(
        _("健康保険料率(1000分の、合計)"), max_digits=6, decimal_places=3, default=Decimal("0")
    )
    union_health_employee_rate = models.DecimalField(
        _("健康保険料率(1000分の、被保険者負担)"), max_digits=6, decimal_places=3, default=Decimal("0")
    )
    union_care_rate = models.DecimalField(
        _("介護保険料率(1000分の、合計)"), max_digits=6, decimal_places=3, default=Decimal("0")
    )
    union_care_employee_rate = models.DecimalField(
        _("介護保険料率(1000分の、被保険者負担)"), max_digits=6, decimal_places=3, default=Decimal("0")
    )
    # 住民税の納期の特例 (地方税法321条の5の2: fewer than 10 payees, approved by the municipality):
    # June–November's collections by 12月10日, December–May's by 6月10日
    resident_tax_special_schedule = models.BooleanField(_("住民税の納期の特例"), default=False)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("給与の設定")
        verbose_name_plural = _("給与の設定")

    def __str__(self) -> str:
        return f"{self.company_id}"


# The first rates of a union apply from this month on (every month the company can pay): a union
# set up without a date covers the whole history, as it did before rates were dated.
UNION_RATES_FROM_THE_START = date(2000, 1, 1)


class UnionRateVersion(CompanyScopedModel):
    """A 健康保険組合's rates from one insurance month on (組合 change them by 規約, usually from March
    or April: 健康保険法160条13項・162条). The month a premium belongs to picks the version in force;
    a confirmed payslip keeps the rates it was computed at (``inputs["health_insurer"]``)."""

    effective_from = models.DateField(_("適用開始月"))  # the first day of an insurance month
    name = models.CharField(_("健康保険組合の名称"), max_length=60)
    health_rate = models.DecimalField(_("健康保険料率(1000分の、合計)"), max_digits=6, decimal_places=3)
    health_employee_rate = models.DecimalField(
        _("健康保険料率(1000分の、被保険者負担)"), max_digits=6, decimal_places=3
    )
    care_rate = models.DecimalField(_("介護保険料率(1000分の、合計)"), max_digits=6, decimal_places=3)
    care_employee_rate = models.DecimalField(
        _("介護保険料率(1000分の、被保険者負担)"), max_digits=6, decimal_places=3
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("健康保険組合の料率")
        verbose_name_plural = _("健康保険組合の料率")
        ordering = ["effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["company", "effective_from"], name="union_rate_one_per_month"),
            models.CheckConstraint(
                condition=Q(health_employee_rate__gt=0)
                & Q(health_employee_rate__lte=models.F("health_rate"))
                & Q(care_employee_rate__gt=0)
                & Q(care_employee_rate__lte=models.F("care_rate")),
                name="union_rate_employee_part_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.effective_from:%Y-%m}〜"


class PayGroup(CompanyScopedModel):
    """支給グループ: people paid on the same days (e.g. 役員, 月給者, 時給者).

    ``closing_day`` 0 = 月末締め; ``pay_day`` 0 = 月末払い. ``pay_month_offset`` is how many months
    after the attendance month the pay is made (末締め翌月25日払い → 1; 当月払い → 0)."""

    code = models.CharField(_("コード"), max_length=20)
    name = models.CharField(_("支給グループ名"), max_length=50)
    closing_day = models.PositiveSmallIntegerField(_("締め日"), default=0, help_text=_("0 は月末"))
    pay_day = models.PositiveSmallIntegerField(_("支給日"), default=25, help_text=_("0 は月末"))
    pay_month_offset = models.PositiveSmallIntegerField(
        _("支給月"), default=1, help_text=_("0 = 当月払い、1 = 翌月払い")
    )
    is_active = models.BooleanField(_("有効"), default=True)
    sort_order = models.IntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("支給グループ")
        verbose_name_plural = _("支給グループ")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="payroll_paygroup_code_unique"),
            models.CheckConstraint(condition=Q(closing_day__lte=31), name="payroll_paygroup_closing_day"),
            models.CheckConstraint(condition=Q(pay_day__lte=31), name="payroll_paygroup_pay_day"),
            models.CheckConstraint(condition=Q(pay_month_offset__lte=1), name="payroll_paygroup_offset"),
        ]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    PAYMENT = "payment", _("支給")
    DEDUCTION = "deduction", _("控除")


class ItemSource(models.TextChoices):
    FIXED = "fixed", _("固定額(社員ごと)")
    ATTENDANCE = "attendance", _("勤怠から")
    FORMULA = "formula", _("計算式")


class PayItem(CompanyScopedModel):
    """支給・控除項目 defined by the company without code. The run computes the legal items itself
    (基本給, 割増賃金, 欠勤控除, 通勤手当, 社会保険料, 雇用保険料, 源泉所得税, 住民税); these are the
    company's own allowances and deductions, with the flags that decide how each is treated:

    - ``taxable``: in the 源泉所得税's base (所得税法28条; 通勤手当's exempt part is handled by the run);
    - ``social_insurance``: in the 報酬 for 標準報酬月額 (健康保険法3条5項: 労働の対償 — 慶弔見舞金 are not);
    - ``employment_insurance``: in the 賃金 for 雇用保険料 (労働保険徴収法2条2項);
    - ``premium_base``: in the 割増賃金の基礎 (労基法37条5項・労基則21条 list what may be left out:
      家族手当, 通勤手当, 別居手当, 子女教育手当, 住宅手当, 臨時の賃金, 1か月を超える期間ごとの賃金).

    ``attendance_key`` (source ATTENDANCE) names a field of attendance's MonthlyTotals multiplied by
    ``rate`` yen per unit (minutes ÷ 60 for minute fields, days otherwise), e.g. a 皆勤手当 or a 宿直手当.
    ``formula`` (source FORMULA) is an arithmetic expression over other items' codes and the
    run's figures (see payroll.formula), evaluated without Python's eval."""

    code = models.CharField(_("コード"), max_length=20)
    name = models.CharField(_("項目名"), max_length=50)
    kind = models.CharField(_("支給/控除"), max_length=10, choices=ItemKind.choices)
    source = models.CharField(
        _("金額の決め方"), max_length=12, choices=ItemSource.choices, default=ItemSource.FIXED
    )
    taxable = models.BooleanField(_("課税"), default=True)
    social_insurance = models.BooleanField(_("社会保険の報酬に含む"), default=True)
    employment_insurance = models.BooleanField(_("雇用保険の賃金に含む"), default=True)
    premium_base = models.BooleanField(_("割増賃金の基礎に含む"), default=True)
    attendance_key = models.CharField(_("勤怠の項目"), max_length=40, blank=True)
    rate = models.DecimalField(_("単価(円)"), max_digits=12, decimal_places=2, default=0)
    formula = models.CharField(_("計算式"), max_length=300, blank=True)
    is_active = models.BooleanField(_("有効"), default=True)
    sort_order = models.IntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("支給・控除項目")
        verbose_name_plural = _("支給・控除項目")
        ordering = ["kind", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="payroll_payitem_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
