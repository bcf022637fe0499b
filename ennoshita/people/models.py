"""人事 master data: departments (a tree), positions, employment types, employees, placements.

Where an employee works is not a field of the employee: it is the placement (配置) in force on a
date, the one with the latest ``effective_from`` on or before that date. A transfer (異動) recorded
today for next month is a placement that starts next month, so it takes effect then by construction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel


class Department(CompanyScopedModel):
    code = models.CharField(_("部署コード"), max_length=20)
    name = models.CharField(_("部署名"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上位部署"),
    )
    sort_order = models.IntegerField(_("表示順"), default=0)
    is_active = models.BooleanField(_("有効"), default=True)
    # 所属長: who approves for the department (approvals' "manager" step); "Employee" is below.
    head = models.ForeignKey(
        "Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属長"),
    )

    class Meta:
        verbose_name = _("部署")
        verbose_name_plural = _("部署")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="department_company_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Position(CompanyScopedModel):
    code = models.CharField(_("役職コード"), max_length=20)
    name = models.CharField(_("役職名"), max_length=100)
    rank = models.IntegerField(_("序列"), default=0, help_text=_("小さいほど上位"))

    class Meta:
        verbose_name = _("役職")
        verbose_name_plural = _("役職")
        ordering = ["rank", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="position_company_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EmploymentType(CompanyScopedModel):
    code = models.CharField(_("コード"), max_length=20)
    name = models.CharField(_("雇用形態"), max_length=50)
    sort_order = models.IntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("雇用形態")
        verbose_name_plural = _("雇用形態")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="employmenttype_company_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("男性")
    FEMALE = "female", _("女性")
    OTHER = "other", _("その他")
    UNANSWERED = "unanswered", _("回答しない")


class AccountType(models.TextChoices):
    # 全銀フォーマットの預金種目: 1 普通, 2 当座, 4 貯蓄 (jp-rules.md §8)
    ORDINARY = "1", _("普通")
    CHECKING = "2", _("当座")
    SAVINGS = "4", _("貯蓄")


class Employee(CompanyScopedModel):
    number = models.CharField(_("社員番号"), max_length=20)
    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50)
    family_name_kana = models.CharField(_("姓(フリガナ)"), max_length=50)
    given_name_kana = models.CharField(_("名(フリガナ)"), max_length=50)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    gender = models.CharField(_("性別"), max_length=12, choices=Gender.choices, default=Gender.UNANSWERED)
    hire_date = models.DateField(_("入社日"))
    retire_date = models.DateField(_("退職日"), null=True, blank=True)
    employment_type = models.ForeignKey(
        EmploymentType, on_delete=models.PROTECT, verbose_name=_("雇用形態"), related_name="employees"
    )
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    emergency_contact_name = models.CharField(_("緊急連絡先(氏名)"), max_length=100, blank=True)
    emergency_contact_relation = models.CharField(_("緊急連絡先(続柄)"), max_length=30, blank=True)
    emergency_contact_phone = models.CharField(_("緊急連絡先(電話)"), max_length=20, blank=True)
    bank_code = models.CharField(_("銀行コード"), max_length=4, blank=True)
    bank_branch_code = models.CharField(_("支店コード"), max_length=3, blank=True)
    bank_account_type = models.CharField(
        _("預金種目"), max_length=1, choices=AccountType.choices, blank=True, default=""
    )
    bank_account_number = models.CharField(_("口座番号"), max_length=7, blank=True)
    bank_account_holder_kana = models.CharField(_("口座名義(カナ)"), max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employee_records",
        verbose_name=_("ログインユーザー"),
    )
    search_key = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("社員")
        verbose_name_plural = _("社員")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="employee_company_number_unique"),
            models.UniqueConstraint(
                fields=["company", "user"],
                condition=models.Q(user__isnull=False),
                name="employee_company_user_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(retire_date__isnull=True)
                | models.Q(retire_date__gte=models.F("hire_date")),
                name="employee_retire_after_hire",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "family_name_kana", "given_name_kana"], name="employee_kana_idx")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.full_name}"

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}"


class PlacementReason(models.TextChoices):
    HIRE = "hire", _("入社")
    TRANSFER = "transfer", _("異動")
    PROMOTION = "promotion", _("昇格")
    CHANGE = "change", _("変更")


class Placement(CompanyScopedModel):
    """配置: from ``effective_from`` on, the employee belongs to ``department`` with ``position``."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="placements", verbose_name=_("社員")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="placements", verbose_name=_("所属")
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("役職"),
    )
    effective_from = models.DateField(_("発令日"))
    reason = models.CharField(
        _("事由"), max_length=12, choices=PlacementReason.choices, default=PlacementReason.TRANSFER
    )
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("配置")
        verbose_name_plural = _("配置履歴")
        ordering = ["employee", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "effective_from"], name="placement_employee_date_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "employee", "effective_from"], name="placement_asof_idx"),
            models.Index(fields=["company", "department", "effective_from"], name="placement_dept_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.department_id} ({self.effective_from})"
