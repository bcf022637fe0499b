"""Vendors (仕入先), their bills (仕入先請求書), and payment runs (支払処理) that pay bills and
approved expense claims through one 全銀 総合振込 file.

Amounts are whole yen (``yen_field``). Bank fields are stored as banks want them: codes of digits,
the holder's name in the characters of a 全銀 file (``rules.bank_kana``). docs/domains/purchasing.md
says which rule comes from which law.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field
from ennoshita.core.text import name_key


class AccountType(models.TextChoices):
    """預金種目 as a 全銀 data record carries it (§8)."""

    ORDINARY = "1", _("普通")
    CHECKING = "2", _("当座")
    SAVINGS = "4", _("貯蓄")
    OTHER = "9", _("その他")


class PurchasingSettings(CompanyScopedModel):
    """The company's side of a transfer (振込依頼人) and the accounts payments post to (one row)."""

    requester_code = models.CharField(_("振込依頼人コード"), max_length=10, blank=True)
    requester_name = models.CharField(_("振込依頼人名(カナ)"), max_length=40, blank=True)
    bank_code = models.CharField(_("仕向銀行コード"), max_length=4, blank=True)
    branch_code = models.CharField(_("仕向支店コード"), max_length=3, blank=True)
    account_type = models.CharField(
        _("預金種目(依頼人)"), max_length=1, choices=AccountType.choices, default=AccountType.ORDINARY
    )
    account_number = models.CharField(_("口座番号(依頼人)"), max_length=7, blank=True)
    bank_account_code = models.CharField(
        _("支払に使う預金の勘定科目コード"), max_length=10, default="1121"
    )  # 普通預金
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("支払の設定")
        verbose_name_plural = _("支払の設定")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="purchasing_settings_one_per_company"),
        ]

    def __str__(self) -> str:
        return str(_("支払の設定"))


class Vendor(CompanyScopedModel):
    """仕入先: who the company buys from, their 登録番号, where to pay and when."""

    code = models.CharField(_("仕入先コード"), max_length=20)
    name = models.CharField(_("仕入先名"), max_length=100)
    # core.text.name_key(name), kept by the services: the 間接経費 top payees group on it in SQL
    name_key = models.TextField(blank=True, editable=False)  # NFKC may lengthen
    kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    registration_number = models.CharField(
        _("インボイス登録番号"),
        max_length=14,
        blank=True,
        help_text=_("T + 13桁。適格請求書発行事業者でなければ空欄。"),
    )
    # 個人事業者の登録番号は法人番号ではなく、検査数字の規則が公表されていない (jp-rules §5.3):
    # 法人の番号だけ検査数字を確かめる。
    is_individual = models.BooleanField(_("個人事業者"), default=False)
    bank_code = models.CharField(_("銀行コード"), max_length=4, blank=True)
    branch_code = models.CharField(_("支店コード"), max_length=3, blank=True)
    account_type = models.CharField(
        _("預金種目"), max_length=1, choices=AccountType.choices, default=AccountType.ORDINARY
    )
    account_number = models.CharField(_("口座番号"), max_length=7, blank=True)
    account_holder = models.CharField(_("口座名義(半角カナ)"), max_length=30, blank=True)
    # 支払条件: 締め日 (31 = 月末), 支払月 (0 = 当月, 1 = 翌月, 2 = 翌々月), 支払日 (31 = 月末)
    closing_day = models.PositiveSmallIntegerField(_("締め日"), default=31)
    payment_month_offset = models.PositiveSmallIntegerField(_("支払月"), default=1)
    payment_day = models.PositiveSmallIntegerField(_("支払日"), default=31)
    default_account_code = models.CharField(_("既定の勘定科目コード"), max_length=10, blank=True)
    is_active = models.BooleanField(_("取引中"), default=True)
    memo = models.TextField(_("メモ"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("仕入先")
        verbose_name_plural = _("仕入先")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="purchasing_vendor_code_unique"),
            models.CheckConstraint(
                condition=Q(closing_day__gte=1, closing_day__lte=31), name="purchasing_vendor_closing_day"
            ),
            models.CheckConstraint(
                condition=Q(payment_day__gte=1, payment_day__lte=31), name="purchasing_vendor_payment_day"
            ),
            models.CheckConstraint(
                condition=Q(payment_month_offset__lte=6), name="purchasing_vendor_payment_month"
            ),
        ]
        indexes = [models.Index(fields=["company", "name"], name="purchasing_vendor_name_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # the key follows the name however the row is saved (bulk_create must set it itself)
        self.name_key = name_key(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields and "name_key" not in fields:
            kwargs["update_fields"] = [*fields, "name_key"]
        super().save(*args, **kwargs)

    @property
    def is_qualified_issuer(self) -> bool:
        return bool(self.registration_number)


class BillStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("承認待ち")
    RETURNED = "returned", _("差し戻し")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("却下")
    WITHDRAWN = "withdrawn", _("取り下げ")


class TaxHandling(models.TextChoices):
    """The ledger's 税区分 keys a bill line can carry; a bill that is not a 適格請求書 posts with
    the _NQ key of its rate (経過措置)."""

    P10 = "P10", _("課税仕入 10%")
    P8R = "P8R", _("課税仕入 8%(軽減)")
    EXEMPT = "P_EXEMPT", _("非課税仕入")
    OUT = "OUT", _("対象外(不課税)")


class VendorBill(CompanyScopedModel):
    """仕入先からの請求書: recorded, approved by route, posted (expense or asset / 仮払消費税 /
    買掛金 or 未払金), then paid by a payment run."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="bills", verbose_name=_("仕入先")
    )
    number = models.CharField(_("受付番号"), max_length=30, blank=True)
    fiscal_year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    vendor_reference = models.CharField(_("先方の請求書番号"), max_length=50, blank=True)
    bill_date = models.DateField(_("請求日(取引日)"))
    due_date = models.DateField(_("支払期日"))
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部署"),
    )
    is_qualified = models.BooleanField(_("適格請求書(インボイス)"), default=True)
    payable_account_code = models.CharField(
        _("相手勘定コード"), max_length=10, default="2112", help_text=_("2112 買掛金 / 2130 未払金")
    )
    status = models.CharField(_("状態"), max_length=20, choices=BillStatus.choices, default=BillStatus.DRAFT)
    total = yen_field(_("合計金額(税込)"), default=0)
    tax_total = yen_field(_("消費税額"), default=0)
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    document_id = models.BigIntegerField(_("請求書の文書ID"), null=True, blank=True)
    document_sha256 = models.CharField(_("請求書ファイルのSHA-256"), max_length=64, blank=True)
    document_name = models.CharField(_("請求書のファイル名"), max_length=255, blank=True)
    document_content_type = models.CharField(max_length=100, blank=True)
    journal_entry_id = models.BigIntegerField(_("仕訳ID"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登録者")
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    submitted_at = models.DateTimeField(_("申請日時"), null=True, blank=True)
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    paid_at = models.DateTimeField(_("支払日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("仕入先請求書")
        verbose_name_plural = _("仕入先請求書")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], condition=~Q(number=""), name="purchasing_bill_number_unique"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="purchasing_bill_total_gte_0"),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""), name="purchasing_bill_submitted_has_number"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status", "due_date"], name="purchasing_bill_due_idx"),
            models.Index(fields=["company", "vendor", "bill_date"], name="purchasing_bill_vendor_idx"),
            # spend of approved bills in a period (間接経費: top vendors)
            models.Index(fields=["company", "status", "bill_date"], name="purchasing_bill_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('下書き')} {self.vendor}"

    @property
    def is_editable(self) -> bool:
        return self.status in (BillStatus.DRAFT, BillStatus.RETURNED)


class VendorBillLine(CompanyScopedModel):
    bill = models.ForeignKey(
        VendorBill, on_delete=models.CASCADE, related_name="lines", verbose_name=_("請求書")
    )
    line_no = models.PositiveSmallIntegerField(_("行番号"))
    description = models.CharField(_("内容"), max_length=200)
    account_code = models.CharField(_("勘定科目コード"), max_length=10)
    tax_handling = models.CharField(
        _("税区分"), max_length=10, choices=TaxHandling.choices, default=TaxHandling.P10
    )
    amount = yen_field(_("金額(税込)"))
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部署"),
    )

    class Meta:
        verbose_name = _("仕入先請求書の明細")
        verbose_name_plural = _("仕入先請求書の明細")
        ordering = ["bill", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "line_no"], name="purchasing_bill_line_no_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="purchasing_bill_line_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    CONFIRMED = "confirmed", _("確定(振込データ作成・記帳済み)")
    CANCELLED = "cancelled", _("取消")


class PaymentRun(CompanyScopedModel):
    """支払処理: what is due by a date, paid on one day through one 総合振込 file."""

    number = models.CharField(_("支払番号"), max_length=30, blank=True)
    payment_date = models.DateField(_("振込指定日"))
    due_by = models.DateField(_("対象の支払期日(この日まで)"))
    status = models.CharField(_("状態"), max_length=20, choices=RunStatus.choices, default=RunStatus.DRAFT)
    total = yen_field(_("支払合計"), default=0)
    count = models.PositiveIntegerField(_("件数"), default=0)
    file_document_id = models.BigIntegerField(_("振込データの文書ID"), null=True, blank=True)
    file_sha256 = models.CharField(_("振込データのSHA-256"), max_length=64, blank=True)
    journal_entry_id = models.BigIntegerField(_("仕訳ID"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確定者"),
    )
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("支払処理")
        verbose_name_plural = _("支払処理")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], condition=~Q(number=""), name="purchasing_run_number_unique"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="purchasing_run_total_gte_0"),
        ]
        indexes = [models.Index(fields=["company", "-payment_date"], name="purchasing_run_date_idx")]

    def __str__(self) -> str:
        return f"{self.number or _('作成中')} {self.payment_date}"


class PaymentItem(CompanyScopedModel):
    """One transfer of a run: a vendor bill or an approved expense claim, with the bank account
    it was paid to as it was when the run was made."""

    class Kind(models.TextChoices):
        VENDOR_BILL = "vendor_bill", _("仕入先請求書")
        EXPENSE_CLAIM = "expense_claim", _("経費精算")

    run = models.ForeignKey(
        PaymentRun, on_delete=models.CASCADE, related_name="items", verbose_name=_("支払処理")
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    vendor_bill = models.ForeignKey(
        VendorBill, on_delete=models.PROTECT, null=True, blank=True, related_name="payment_items"
    )
    expense_claim = models.ForeignKey(
        "expenses.ExpenseClaim", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # False while the run is a draft or confirmed; True once the run is cancelled, so a bill or a
    # claim sits in at most one live run (the unique constraints below)
    released = models.BooleanField(default=False)
    payee_name = models.CharField(_("支払先"), max_length=100)
    bank_code = models.CharField(_("銀行コード"), max_length=4)
    branch_code = models.CharField(_("支店コード"), max_length=3)
    account_type = models.CharField(_("預金種目"), max_length=1, choices=AccountType.choices)
    account_number = models.CharField(_("口座番号"), max_length=7)
    account_holder = models.CharField(_("口座名義(半角カナ)"), max_length=30)
    amount = yen_field(_("振込金額"))
    payable_account_code = models.CharField(_("消し込む勘定科目コード"), max_length=10)

    class Meta:
        verbose_name = _("支払明細")
        verbose_name_plural = _("支払明細")
        ordering = ["run", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="purchasing_item_amount_gt_0"),
            models.CheckConstraint(
                condition=(Q(kind="vendor_bill", vendor_bill__isnull=False, expense_claim__isnull=True))
                | Q(kind="expense_claim", expense_claim__isnull=False, vendor_bill__isnull=True),
                name="purchasing_item_one_source",
            ),
            models.UniqueConstraint(
                fields=["vendor_bill"],
                condition=Q(released=False, vendor_bill__isnull=False),
                name="purchasing_item_bill_once",
            ),
            models.UniqueConstraint(
                fields=["expense_claim"],
                condition=Q(released=False, expense_claim__isnull=False),
                name="purchasing_item_claim_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.amount}"
