"""消耗品: items, stock per place, requests from employees, and every stock move."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field

from .base import Location


class Consumable(CompanyScopedModel):
    code = models.CharField(_("品番"), max_length=30)
    name = models.CharField(_("品名"), max_length=200)
    unit = models.CharField(_("単位"), max_length=10, default="個")
    # 単価 may carry fractions (a box of 1,000 clips); amounts of moves are whole yen
    unit_cost = models.DecimalField(_("単価"), max_digits=15, decimal_places=4, default=0)
    reorder_point = models.PositiveIntegerField(_("発注点"), default=0)
    reorder_quantity = models.PositiveIntegerField(_("発注数"), default=0)
    vendor_name = models.CharField(_("購入先"), max_length=200, blank=True)
    is_active = models.BooleanField(_("使用中"), default=True)
    search_key = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("消耗品")
        verbose_name_plural = _("消耗品")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="consumable_code_unique"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="consumable_unit_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ConsumableStock(CompanyScopedModel):
    """The quantity on hand of one item at one place; never below zero (database check)."""

    consumable = models.ForeignKey(Consumable, on_delete=models.PROTECT, related_name="stocks")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stocks")
    quantity = models.IntegerField(_("在庫数"), default=0)

    class Meta:
        verbose_name = _("在庫")
        verbose_name_plural = _("在庫")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "consumable", "location"], name="consumable_stock_unique"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="consumable_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.consumable_id}@{self.location_id}: {self.quantity}"


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", _("入庫")
    ISSUE = "issue", _("出庫")
    COUNT = "count", _("棚卸")
    TRANSFER_OUT = "transfer_out", _("移動(出)")
    TRANSFER_IN = "transfer_in", _("移動(入)")


class StockMove(CompanyScopedModel):
    """One change of stock. ``quantity`` is signed (an issue is negative); a 棚卸 records the counted
    quantity and the difference it made. Moves are never edited: a mistake is corrected by a move."""

    consumable = models.ForeignKey(Consumable, on_delete=models.PROTECT, related_name="moves")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("区分"), max_length=20, choices=MoveKind.choices)
    moved_on = models.DateField(_("日付"))
    quantity = models.IntegerField(_("数量"))
    counted_quantity = models.IntegerField(_("実地棚卸数"), null=True, blank=True)
    unit_cost = models.DecimalField(_("単価"), max_digits=15, decimal_places=4, default=0)
    amount = yen_field(_("金額"), default=0)
    # who consumed it (issues): the 間接経費 view groups consumption by department and month
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部門"),
    )
    employee = models.ForeignKey(
        "people.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受取者"),
    )
    request = models.ForeignKey(
        "affairs.ConsumableRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="moves"
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("入出庫")
        verbose_name_plural = _("入出庫")
        ordering = ["-moved_on", "-pk"]
        indexes = [
            models.Index(fields=["company", "consumable", "moved_on"], name="stockmove_item_date_idx"),
            models.Index(fields=["company", "kind", "moved_on"], name="stockmove_kind_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.consumable_id} {self.quantity}"


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("依頼中")
    ISSUED = "issued", _("払出済み")
    REJECTED = "rejected", _("却下")
    CANCELLED = "cancelled", _("取消")


class ConsumableRequest(CompanyScopedModel):
    """An employee asks 総務 for an item; 総務 issues it (a stock move) or turns it down."""

    consumable = models.ForeignKey(Consumable, on_delete=models.PROTECT, related_name="requests")
    quantity = models.PositiveIntegerField(_("数量"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        "people.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("依頼者"),
    )
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部門"),
    )
    note = models.CharField(_("用途・備考"), max_length=300, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("処理日時"), null=True, blank=True)
    decision_note = models.CharField(_("処理メモ"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("消耗品の依頼")
        verbose_name_plural = _("消耗品の依頼")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="consumable_request_positive")
        ]
        indexes = [models.Index(fields=["company", "status"], name="consumable_request_status_idx")]

    def __str__(self) -> str:
        return f"{self.consumable_id} × {self.quantity}"
