"""備品: the register of things the company owns and lends (PC, phone, key, security card …)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field

from .base import Location


class EquipmentCategory(CompanyScopedModel):
    name = models.CharField(_("分類"), max_length=50)
    # keys and security cards are lent and must come back on leaving like PCs
    is_lendable = models.BooleanField(_("貸与する"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("備品の分類")
        verbose_name_plural = _("備品の分類")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="equipment_category_unique")]

    def __str__(self) -> str:
        return self.name


class EquipmentStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("保管中")
    LENT = "lent", _("貸出中")
    REPAIR = "repair", _("修理中")
    LOST = "lost", _("紛失")
    DISPOSED = "disposed", _("廃棄済み")


class Equipment(CompanyScopedModel):
    asset_number = models.CharField(_("資産番号"), max_length=30)
    name = models.CharField(_("品名"), max_length=200)
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("分類")
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
        verbose_name=_("場所"),
    )
    maker = models.CharField(_("メーカー・型番"), max_length=200, blank=True)
    serial_number = models.CharField(_("製造番号"), max_length=100, blank=True)
    purchase_date = models.DateField(_("購入日"), null=True, blank=True)
    purchase_price = yen_field(_("購入価額"), null=True, blank=True)
    vendor_name = models.CharField(_("購入先"), max_length=200, blank=True)
    warranty_end = models.DateField(_("保証期限"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=EquipmentStatus.choices, default=EquipmentStatus.IN_STOCK
    )
    # the current holder, kept by the lending services with the open loan (one source of truth: the loan)
    holder = models.ForeignKey(
        "people.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("使用者"),
    )
    disposed_on = models.DateField(_("廃棄日"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)
    search_key = models.CharField(max_length=600, editable=False, default="")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("備品")
        verbose_name_plural = _("備品")
        ordering = ["asset_number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "asset_number"], name="equipment_asset_number_unique"),
            models.CheckConstraint(
                condition=Q(purchase_price__isnull=True) | Q(purchase_price__gte=0),
                name="equipment_price_not_negative",
            ),
            # a lent item has a holder and only a lent item has one
            models.CheckConstraint(
                condition=(Q(status="lent") & Q(holder__isnull=False))
                | (~Q(status="lent") & Q(holder__isnull=True)),
                name="equipment_holder_iff_lent",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status"], name="equipment_status_idx"),
            models.Index(fields=["company", "holder"], name="equipment_holder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.asset_number} {self.name}"


class EquipmentLoan(CompanyScopedModel):
    """貸与: one lending of one item to one employee, open until returned."""

    equipment = models.ForeignKey(
        Equipment, on_delete=models.PROTECT, related_name="loans", verbose_name=_("備品")
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("貸与先")
    )
    lent_on = models.DateField(_("貸出日"))
    due_on = models.DateField(_("返却予定日"), null=True, blank=True)
    returned_on = models.DateField(_("返却日"), null=True, blank=True)
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    return_note = models.CharField(_("返却時の備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("貸与")
        verbose_name_plural = _("貸与")
        ordering = ["-lent_on", "-pk"]
        constraints = [
            # 貸出中の備品をもう一度貸すことはできない: enforced by the database too
            models.UniqueConstraint(
                fields=["equipment"], condition=Q(returned_on__isnull=True), name="equipment_one_open_loan"
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("lent_on")),
                name="equipment_loan_return_after_lend",
            ),
        ]
        indexes = [models.Index(fields=["company", "employee", "returned_on"], name="equipment_loan_emp_idx")]

    def __str__(self) -> str:
        return f"{self.equipment_id} → {self.employee_id} ({self.lent_on})"
