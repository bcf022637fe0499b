"""給与計算 (runs) and their payslips (給与明細). A run is a draft until 経理 confirms it; a
confirmed run is final (its payslips, transfer file and journal entry never change)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field

from .setup import ItemKind, PayGroup


class RunKind(models.TextChoices):
    SALARY = "salary", _("給与")
    BONUS = "bonus", _("賞与")
    CORRECTION = "correction", _("訂正")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("計算中(下書き)")
    CONFIRMED = "confirmed", _("確定")
    DISCARDED = "discarded", _("破棄")


class PayrollRun(CompanyScopedModel):
    """One pay group's pay for one pay month (or one bonus). ``attendance_month`` is the month of
    attendance it pays (末締め翌月払い: the month before); ``closing_date`` the wage's 締切日 (it
    chooses the 雇用保険 rate); ``pay_date`` the day paid (it chooses the 源泉徴収税額表)."""

    pay_group = models.ForeignKey(
        PayGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("支給グループ")
    )
    kind = models.CharField(_("種類"), max_length=10, choices=RunKind.choices, default=RunKind.SALARY)
    pay_month = models.DateField(_("支給月"))
    attendance_month = models.DateField(_("勤怠の対象月"), null=True, blank=True)
    closing_date = models.DateField(_("締め日"))
    pay_date = models.DateField(_("支給日"))
    title = models.CharField(_("名称"), max_length=50, blank=True)
    status = models.CharField(_("状態"), max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT)
    withholding_method = models.CharField(_("源泉所得税の計算方法"), max_length=10)
    # 訂正: a separate correction run pays or takes back the difference of a confirmed run
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("訂正する給与計算"),
    )
    # 賞与: the bonus's 計算期間 in months; over 6 the 月額表 method divides by 12, not 6 (告示第115号第3項)
    bonus_period_months = models.PositiveSmallIntegerField(_("賞与の計算期間(月)"), default=6)
    headcount = models.PositiveIntegerField(_("人数"), default=0)
    gross_total = yen_field(_("総支給額"), default=0)
    deduction_total = yen_field(_("控除合計"), default=0)
    net_total = yen_field(_("差引支給額"), default=0)
    computed_at = models.DateTimeField(_("計算日時"), null=True, blank=True)
    journal_entry_id = models.BigIntegerField(_("仕訳ID"), null=True, blank=True)
    transfer_document_id = models.BigIntegerField(_("振込データの文書ID"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("給与計算")
        verbose_name_plural = _("給与計算")
        ordering = ["-pay_date", "-id"]
        constraints = [
            # one live salary run per group and pay month (a bonus may be paid more than once)
            models.UniqueConstraint(
                fields=["company", "pay_group", "pay_month"],
                condition=Q(kind="salary") & ~Q(status="discarded"),
                name="payroll_run_salary_once",
            ),
        ]
        indexes = [models.Index(fields=["company", "-pay_date"], name="payroll_run_date_idx")]

    def __str__(self) -> str:
        return f"{self.pay_month:%Y-%m} {self.get_kind_display()} {self.title}".strip()


class Payslip(CompanyScopedModel):
    """One employee's pay in a run: the figures every later paper (明細, 賃金台帳, 源泉徴収簿, the
    transfer file, the journal entry) is made from. Amounts in yen; premiums are the employee's share
    unless named ``employer_*``. ``inputs`` keeps what the computation read (attendance figures,
    grade, dependents …) and ``anomalies`` what the checklist shows."""

    run = models.ForeignKey(
        PayrollRun, on_delete=models.CASCADE, related_name="payslips", verbose_name=_("給与計算")
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    employee_number = models.CharField(_("社員番号"), max_length=20)
    employee_name = models.CharField(_("氏名"), max_length=110)
    department_id = models.BigIntegerField(_("部署ID"), null=True, blank=True)
    department_name = models.CharField(_("部署"), max_length=100, blank=True)
    pay_type = models.CharField(_("給与形態"), max_length=10)
    is_officer = models.BooleanField(_("役員"), default=False)
    gross = yen_field(_("総支給額"), default=0)
    taxable = yen_field(_("課税支給額"), default=0)
    nontaxable = yen_field(_("非課税支給額"), default=0)
    social_insurance_wage = yen_field(_("社会保険の報酬"), default=0)
    employment_insurance_wage = yen_field(_("雇用保険の賃金"), default=0)
    health = yen_field(_("健康保険料(介護を含む)"), default=0)
    care_applies = models.BooleanField(_("介護保険第2号"), default=False)
    child_support = yen_field(_("子ども・子育て支援金"), default=0)
    pension = yen_field(_("厚生年金保険料"), default=0)
    employment = yen_field(_("雇用保険料"), default=0)
    social_insurance_total = yen_field(_("社会保険料等の合計"), default=0)
    income_tax = yen_field(_("源泉所得税"), default=0)
    resident_tax = yen_field(_("住民税"), default=0)
    other_deductions = yen_field(_("その他控除"), default=0)
    deduction_total = yen_field(_("控除合計"), default=0)
    net = yen_field(_("差引支給額"), default=0)  # may be negative: an anomaly, never zeroed
    employer_health = yen_field(_("健康保険料(会社)"), default=0)
    employer_child_support = yen_field(_("子ども・子育て支援金(会社)"), default=0)
    employer_pension = yen_field(_("厚生年金保険料(会社)"), default=0)
    # 賞与: 標準賞与額 (1,000円未満切捨て) and what each insurance charged after its cap (健保 573万円
    # a fiscal year cumulative, 厚年 150万円 a month; jp-rules §2.3) — the 賞与支払届 figures
    standard_bonus = yen_field(_("標準賞与額"), default=0)
    standard_bonus_health = yen_field(_("標準賞与額(健康保険)"), default=0)
    standard_bonus_pension = yen_field(_("標準賞与額(厚生年金)"), default=0)
    transfer_amount = yen_field(_("振込額(本人口座)"), default=0)
    split_transfer_amount = yen_field(_("振込額(第2口座)"), default=0)
    bank = models.JSONField(_("振込先"), default=dict)  # the accounts as they were at computation
    inputs = models.JSONField(_("計算の元"), default=dict)
    anomalies = models.JSONField(_("確認事項"), default=list)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    is_correction = models.BooleanField(_("訂正の明細"), default=False)
    # the PDF filed in 文書 (「給与明細」) after the run was confirmed: what the employee downloads
    document_id = models.BigIntegerField(_("明細PDFの文書ID"), null=True, blank=True)

    class Meta:
        verbose_name = _("給与明細")
        verbose_name_plural = _("給与明細")
        ordering = ["run", "employee_number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="payroll_payslip_unique"),
            # a correction payslip holds differences from the confirmed one: any may be negative
            models.CheckConstraint(
                condition=Q(gross__gte=0, income_tax__gte=0, resident_tax__gte=0) | Q(is_correction=True),
                name="payroll_payslip_gte_0",
            ),
        ]
        indexes = [models.Index(fields=["company", "employee"], name="payroll_payslip_emp_idx")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.employee_number}"


class PayslipLine(CompanyScopedModel):
    """One line of a payslip: a payment, a deduction, or a figure shown for information (勤怠)."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("支給")
        DEDUCTION = "deduction", _("控除")
        INFO = "info", _("勤怠")

    payslip = models.ForeignKey(Payslip, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=50)
    amount = yen_field(_("金額"), default=0)
    quantity = models.CharField(max_length=30, blank=True)  # INFO lines: "8:30", "20日"
    taxable = models.BooleanField(default=False)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["payslip", "kind", "sort_order"]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"


ITEM_KIND_TO_LINE = {
    ItemKind.PAYMENT: PayslipLine.Kind.PAYMENT,
    ItemKind.DEDUCTION: PayslipLine.Kind.DEDUCTION,
}


class BonusPayment(CompanyScopedModel):
    """The amount of one employee's bonus in a bonus run (賞与), as 経理 entered or imported it; the
    run's payslips are computed from these."""

    run = models.ForeignKey(
        PayrollRun, on_delete=models.CASCADE, related_name="bonus_payments", verbose_name=_("給与計算")
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    amount = yen_field(_("賞与の額"))
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("賞与の額")
        verbose_name_plural = _("賞与の額")
        ordering = ["run", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="payroll_bonus_payment_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payroll_bonus_payment_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.employee_id} {self.amount}"
