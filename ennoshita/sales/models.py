"""営業事務 and receivables: customers, products, quotes → orders → delivery notes → invoices and
credit notes (適格請求書 / 適格返還請求書), payments received and what they paid.

Amounts are whole yen (``yen_field``); unit prices keep up to 4 decimal places and quantities 3.
Issued invoices and credit notes never change (the database refuses it too: sales/triggers.py);
a correction is a credit note linked to the invoice it corrects.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field


def unit_price_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """A unit price: up to 4 decimal places (ARCHITECTURE.md: Money)."""
    return models.DecimalField(verbose_name, max_digits=19, decimal_places=4, **kwargs)


def quantity_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=3, **kwargs)


# 締め日・支払日: 1–31, or 99 for 末日 (the last day of the month)
END_OF_MONTH = 99
DAY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(END_OF_MONTH)]


class TaxRounding(models.TextChoices):
    """消費税の端数処理 on an invoice: once per invoice per rate (消費税法施行令70条の10; No.6371)."""

    FLOOR = "floor", _("切り捨て")
    CEIL = "ceil", _("切り上げ")
    HALF_UP = "half_up", _("四捨五入")


class HolidayRule(models.TextChoices):
    NEXT = "next_business_day", _("翌営業日")
    PREVIOUS = "previous_business_day", _("前営業日")
    NONE = "none", _("移動しない")


class SalesTax(models.TextChoices):
    """The 税区分 a sales line can carry (the ledger's sales tax codes)."""

    S10 = "S10", _("課税 10%")
    S8R = "S8R", _("課税 8%(軽減)")
    EXPORT = "S_EXPORT", _("輸出免税")
    EXEMPT = "S_EXEMPT", _("非課税")
    OUT = "OUT", _("対象外")


TAX_RATES = {SalesTax.S10: 10, SalesTax.S8R: 8, SalesTax.EXPORT: 0, SalesTax.EXEMPT: 0, SalesTax.OUT: 0}


class FeeTreatment(models.TextChoices):
    """How a bank fee the customer deducted from a payment is booked (docs/domains/sales.md).

    売上値引: a discount of the sale (売上値引・返品, 課税売上10% reduced); its 返還インボイス is not
    required under 1万円 税込 (消費税法57条の4第3項, 施行令70条の9第3項2号), larger ones are refused
    until a 返還請求書 is issued. 支払手数料: a purchase (課税仕入10%), creditable only with the
    customer's invoice or under the 少額特例 (jp-rules §5.4)."""

    DISCOUNT = "discount", _("売上値引として処理する(1万円未満は返還インボイス不要)")
    EXPENSE = "expense", _("支払手数料として処理する")


class SalesSettings(CompanyScopedModel):
    """A company's sales settings: how invoices round, what they print, where receipts post."""

    tax_rounding = models.CharField(
        _("消費税の端数処理"), max_length=10, choices=TaxRounding.choices, default=TaxRounding.FLOOR
    )
    prices_include_tax = models.BooleanField(_("税込価格で入力する"), default=False)
    holiday_rule = models.CharField(
        _("支払期日が休日のとき"), max_length=30, choices=HolidayRule.choices, default=HolidayRule.NEXT
    )
    registration_number = models.CharField(
        _("適格請求書発行事業者の登録番号"), max_length=14, blank=True, help_text=_("T + 13桁")
    )
    bank_details = models.TextField(_("振込先"), blank=True, help_text=_("請求書に印字します。"))
    invoice_note = models.TextField(_("請求書の備考"), blank=True)
    deposit_account_code = models.CharField(_("入金口座の勘定科目コード"), max_length=10, default="1121")
    fee_treatment = models.CharField(
        _("先方が差し引いた振込手数料の扱い"),
        max_length=10,
        choices=FeeTreatment.choices,
        default=FeeTreatment.DISCOUNT,
    )
    logo = models.FileField(_("ロゴ画像"), upload_to="sales/branding/", blank=True)
    seal = models.FileField(_("印影画像"), upload_to="sales/branding/", blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("販売の設定")
        verbose_name_plural = _("販売の設定")
        constraints = [models.UniqueConstraint(fields=["company"], name="sales_settings_one_per_company")]


class Customer(CompanyScopedModel):
    """得意先."""

    class Honorific(models.TextChoices):
        ONCHU = "御中", _("御中")
        SAMA = "様", _("様")

    class Registration(models.TextChoices):
        UNKNOWN = "unknown", _("未確認")
        REGISTERED = "registered", _("登録あり")
        NOT_REGISTERED = "not_registered", _("登録なし")

    code = models.CharField(_("得意先コード"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    name_kana = models.CharField(_("フリガナ"), max_length=200, blank=True)
    # name without 株式会社/(株)/spaces, width-folded: what duplicate detection compares
    name_key = models.CharField(max_length=200, editable=False, db_index=False)
    # フリガナ (or the name) as bank payer names are compared: legal forms dropped, widths and small
    # kana folded (services.customers.kana_key); set by the services, looked up by bank matching
    kana_key = models.CharField(max_length=200, editable=False, default="")
    honorific = models.CharField(_("敬称"), max_length=4, choices=Honorific.choices, default=Honorific.ONCHU)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    registration_number = models.CharField(_("インボイス登録番号"), max_length=14, blank=True)
    registration_status = models.CharField(
        _("インボイス登録"), max_length=20, choices=Registration.choices, default=Registration.UNKNOWN
    )
    registration_date = models.DateField(_("登録日"), null=True, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    address2 = models.CharField(_("建物名など"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("請求書送付先メール"), blank=True)
    closing_day = models.PositiveSmallIntegerField(
        _("締め日"), default=END_OF_MONTH, validators=DAY_VALIDATORS, help_text=_("1〜31、末日は99")
    )
    payment_months_after = models.PositiveSmallIntegerField(
        _("支払月"), default=1, validators=[MaxValueValidator(12)], help_text=_("0=当月、1=翌月、2=翌々月")
    )
    payment_day = models.PositiveSmallIntegerField(
        _("支払日"), default=END_OF_MONTH, validators=DAY_VALIDATORS, help_text=_("1〜31、末日は99")
    )
    holiday_rule = models.CharField(
        _("支払期日が休日のとき"),
        max_length=30,
        choices=HolidayRule.choices,
        blank=True,
        help_text=_("空欄は会社の設定"),
    )
    credit_limit = yen_field(_("与信限度額"), null=True, blank=True)
    is_active = models.BooleanField(_("取引中"), default=True)
    notes = models.TextField(_("メモ"), blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("得意先")
        verbose_name_plural = _("得意先")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="sales_customer_code_unique"),
            models.UniqueConstraint(
                fields=["company", "corporate_number"],
                condition=~Q(corporate_number=""),
                name="sales_customer_corporate_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "name_key"], name="sales_customer_name_key_idx"),
            models.Index(fields=["company", "kana_key"], name="sales_customer_kana_key_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def addressee(self) -> str:
        return f"{self.name} {self.honorific}"


class Contact(CompanyScopedModel):
    """A person at a customer (担当者)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("得意先")
    )
    name = models.CharField(_("氏名"), max_length=100)
    department = models.CharField(_("部署"), max_length=100, blank=True)
    email = models.EmailField(_("メール"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("得意先担当者")
        verbose_name_plural = _("得意先担当者")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Product(CompanyScopedModel):
    """品目: a product or a service with its unit, price and 税区分."""

    code = models.CharField(_("品目コード"), max_length=30)
    name = models.CharField(_("品名"), max_length=200)
    unit = models.CharField(_("単位"), max_length=10, blank=True, default="個")
    unit_price = unit_price_field(_("単価"), default=Decimal(0))
    tax = models.CharField(_("税区分"), max_length=10, choices=SalesTax.choices, default=SalesTax.S10)
    is_active = models.BooleanField(_("使用中"), default=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("品目")
        verbose_name_plural = _("品目")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="sales_product_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_reduced_rate(self) -> bool:
        """軽減税率対象 (※ on the invoice)."""
        return self.tax == SalesTax.S8R


class LineBase(CompanyScopedModel):
    """A line of a quote, order or invoice. ``amount`` = quantity × unit price, rounded to the yen
    (切り捨て) — 税抜 or 税込 as the document's pricing says."""

    line_no = models.PositiveIntegerField(_("行"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("品目")
    )
    description = models.CharField(_("品名・内容"), max_length=200)
    quantity = quantity_field(_("数量"))
    unit = models.CharField(_("単位"), max_length=10, blank=True)
    unit_price = unit_price_field(_("単価"))
    tax = models.CharField(_("税区分"), max_length=10, choices=SalesTax.choices)
    amount = yen_field(_("金額"))

    class Meta:
        abstract = True
        ordering = ["line_no"]

    @property
    def rate(self) -> int:
        return TAX_RATES[SalesTax(self.tax)]

    @property
    def is_reduced_rate(self) -> bool:
        return self.tax == SalesTax.S8R


class DocumentBase(CompanyScopedModel):
    """What quotes, orders and invoices share: customer, dates, pricing and per-rate totals."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, verbose_name=_("得意先"))
    subject = models.CharField(_("件名"), max_length=200, blank=True)
    prices_include_tax = models.BooleanField(_("税込価格"), default=False)
    # the rounding in force when the totals were computed (kept: a later settings change must not
    # alter an issued document)
    tax_rounding = models.CharField(_("消費税の端数処理"), max_length=10, choices=TaxRounding.choices)
    subtotal = yen_field(_("税抜金額"), default=Decimal(0))
    tax_total = yen_field(_("消費税額"), default=Decimal(0))
    total = yen_field(_("合計金額"), default=Decimal(0))
    # {"10": {"base": 1000, "tax": 100}, "8": {...}, "0": {...}}: 税率ごとの対価の額と消費税額等
    rate_totals = models.JSONField(_("税率ごとの合計"), default=dict)
    notes = models.TextField(_("備考"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True


class Quote(DocumentBase):
    """見積書. A revision is a new quote pointing at the one it revises (same number, rev + 1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        SENT = "sent", _("提出済み")
        ACCEPTED = "accepted", _("受注")
        DECLINED = "declined", _("失注")
        SUPERSEDED = "superseded", _("改訂済み")

    number = models.CharField(_("見積番号"), max_length=30)
    revision = models.PositiveSmallIntegerField(_("版"), default=1)
    revises = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revised_by",
        verbose_name=_("改訂元"),
    )
    date = models.DateField(_("見積日"))
    valid_until = models.DateField(_("有効期限"))
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    opportunity = models.ForeignKey(
        "Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("商談"),
    )

    class Meta:
        verbose_name = _("見積書")
        verbose_name_plural = _("見積書")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number", "revision"], name="sales_quote_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("date")), name="sales_quote_valid_after_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}" + (f"-{self.revision}" if self.revision > 1 else "")


class QuoteLine(LineBase):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")

    class Meta(LineBase.Meta):
        constraints = [models.UniqueConstraint(fields=["quote", "line_no"], name="sales_quoteline_no_unique")]


class Order(DocumentBase):
    """受注. Invoiced in one or several invoices (partial delivery)."""

    class Status(models.TextChoices):
        OPEN = "open", _("受注")
        PARTLY_INVOICED = "partly_invoiced", _("一部請求済み")
        INVOICED = "invoiced", _("請求済み")
        CANCELLED = "cancelled", _("取消")

    number = models.CharField(_("受注番号"), max_length=30)
    date = models.DateField(_("受注日"))
    delivery_date = models.DateField(_("納期"), null=True, blank=True)
    customer_reference = models.CharField(_("先方注文番号"), max_length=50, blank=True)
    quote = models.ForeignKey(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("見積書"),
    )
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("受注")
        verbose_name_plural = _("受注")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="sales_order_number_unique")
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(LineBase):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")

    class Meta(LineBase.Meta):
        constraints = [models.UniqueConstraint(fields=["order", "line_no"], name="sales_orderline_no_unique")]


class DeliveryNote(CompanyScopedModel):
    """納品書: what was delivered of an order, on a date."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("受注")
    )
    number = models.CharField(_("納品書番号"), max_length=30)
    date = models.DateField(_("納品日"))
    notes = models.TextField(_("備考"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("納品書")
        verbose_name_plural = _("納品書")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="sales_delivery_number_unique")
        ]

    def __str__(self) -> str:
        return self.number


class DeliveryLine(CompanyScopedModel):
    delivery = models.ForeignKey(DeliveryNote, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="deliveries")
    quantity = quantity_field(_("数量"))

    class Meta:
        ordering = ["pk"]


class Invoice(DocumentBase):
    """請求書 (適格請求書) or 返還請求書 (credit note, ``kind=credit``, linked to what it corrects).

    Amounts of a credit note are stored positive; its postings run the other way. Issued documents
    are final (sales/triggers.py)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("請求書")
        CREDIT = "credit", _("返還請求書")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        ISSUED = "issued", _("発行済み")

    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices, default=Kind.INVOICE)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("請求書番号"), max_length=30, blank=True)
    date = models.DateField(_("請求日"))
    # the period a 合計請求書 covers, or the delivery date of a single invoice (取引年月日)
    period_start = models.DateField(_("取引期間(開始)"), null=True, blank=True)
    period_end = models.DateField(_("取引期間(終了)"), null=True, blank=True)
    due_date = models.DateField(_("支払期日"), null=True, blank=True)
    is_summary = models.BooleanField(_("合計請求書"), default=False)
    orders = models.ManyToManyField(
        Order, through="InvoiceOrder", blank=True, related_name="invoices", verbose_name=_("受注")
    )
    credit_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credits",
        verbose_name=_("訂正する請求書"),
    )
    reason = models.CharField(_("返還の理由"), max_length=200, blank=True)
    # what the issuer printed: name and 登録番号 at the time of issue
    issuer_name = models.CharField(_("発行者"), max_length=200, blank=True)
    issuer_registration_number = models.CharField(_("登録番号"), max_length=14, blank=True)
    customer_name = models.CharField(_("宛名"), max_length=220, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("発行者"),
    )
    issued_at = models.DateTimeField(_("発行日時"), null=True, blank=True)
    journal_entry_id = models.PositiveBigIntegerField(_("仕訳"), null=True, blank=True)
    # 未回収残高 of an issued invoice: total − credit notes − payments applied (kept by the services
    # in the transaction of each of them, so that aging and balances read one column)
    open_amount = yen_field(_("未回収残高"), default=Decimal(0))
    # open_amount > 0, kept by the database: the unpaid list filters on it by equality, which an
    # index (company, is_open, date, id) answers in list order without sorting the open invoices
    is_open = models.GeneratedField(
        expression=models.ExpressionWrapper(Q(open_amount__gt=0), output_field=models.BooleanField()),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("未回収あり"),
    )
    sent_at = models.DateTimeField(_("送付日時"), null=True, blank=True)
    sent_to = models.CharField(_("送付先"), max_length=254, blank=True)
    pdf_document_id = models.PositiveBigIntegerField(_("保存したPDF"), null=True, blank=True)

    class Meta:
        verbose_name = _("請求書")
        verbose_name_plural = _("請求書")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind", "number"],
                condition=~Q(number=""),
                name="sales_invoice_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""), name="sales_invoice_issued_has_number"
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credit_of__isnull=True)
                | Q(kind="credit", credit_of__isnull=False),
                name="sales_invoice_credit_links_invoice",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="sales_invoice_total_not_negative"),
            models.CheckConstraint(
                condition=Q(open_amount__gte=0) & Q(open_amount__lte=models.F("total")),
                name="sales_invoice_open_within_total",
            ),
            # only an issued invoice has anything open: a draft or a credit note has 0
            models.CheckConstraint(
                condition=Q(open_amount=0) | Q(status="issued", kind="invoice"),
                name="sales_invoice_open_only_when_issued",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "customer", "date"], name="sales_invoice_customer_idx"),
            models.Index(fields=["company", "status", "due_date"], name="sales_invoice_due_idx"),
            # open invoices by a range on open_amount (> 0): a plain index, because SQLite cannot use a
            # partial index for a condition that arrives as a bound parameter
            models.Index(
                fields=["company", "open_amount", "customer", "due_date"], name="sales_invoice_open_idx"
            ),
            models.Index(fields=["company", "date"], name="sales_invoice_date_idx"),
            models.Index(fields=["company", "is_open", "date", "id"], name="sales_invoice_unpaid_list_idx"),
            models.Index(fields=["company", "number"], name="sales_invoice_number_idx"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("下書き"))

    @property
    def is_credit(self) -> bool:
        return self.kind == self.Kind.CREDIT


class InvoiceOrder(CompanyScopedModel):
    """Which orders an invoice bills (one invoice may bill several; an order several invoices)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE)
    order = models.ForeignKey(Order, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invoice", "order"], name="sales_invoice_order_once")]


class InvoiceLine(LineBase):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, null=True, blank=True, related_name="invoice_lines"
    )
    # the 取引年月日 of this line on a 合計請求書 (delivery date); empty: the invoice's date
    delivered_on = models.DateField(_("取引日"), null=True, blank=True)

    class Meta(LineBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["invoice", "line_no"], name="sales_invoiceline_no_unique")
        ]


class Payment(CompanyScopedModel):
    """入金: money received from a customer, and how it was applied."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("振込")
        CASH = "cash", _("現金")
        OTHER = "other", _("その他")

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="payments", verbose_name=_("得意先")
    )
    date = models.DateField(_("入金日"))
    amount = yen_field(_("入金額"))
    fee = yen_field(_("振込手数料(先方差引)"), default=Decimal(0))
    method = models.CharField(_("入金方法"), max_length=10, choices=Method.choices, default=Method.TRANSFER)
    payer_name = models.CharField(_("振込名義"), max_length=100, blank=True)
    memo = models.CharField(_("メモ"), max_length=200, blank=True)
    # what was left over after the allocations: kept as 前受金
    unapplied = yen_field(_("前受金"), default=Decimal(0))
    journal_entry_id = models.PositiveBigIntegerField(_("仕訳"), null=True, blank=True)
    statement_line = models.OneToOneField(
        "BankStatementLine", on_delete=models.PROTECT, null=True, blank=True, related_name="payment"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("入金")
        verbose_name_plural = _("入金")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sales_payment_amount_positive"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="sales_payment_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(unapplied__gte=0), name="sales_payment_unapplied_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.customer} {self.amount:,}"


class PaymentAllocation(CompanyScopedModel):
    """The part of a payment (and of the fee the customer deducted) that settles one invoice."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = yen_field(_("消込額"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["payment", "invoice"], name="sales_allocation_once_per_invoice"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="sales_allocation_amount_positive"),
        ]


class BankStatementLine(CompanyScopedModel):
    """One credit line of an imported bank statement, waiting to be matched to invoices."""

    imported_at = models.DateTimeField(_("取込日時"), auto_now_add=True)
    batch = models.CharField(_("取込"), max_length=40)
    date = models.DateField(_("入金日"))
    amount = yen_field(_("金額"))
    payer_name = models.CharField(_("振込依頼人"), max_length=100)
    payer_kana = models.CharField(_("振込依頼人(カナ)"), max_length=100, blank=True)
    description = models.CharField(_("摘要"), max_length=200, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    # 対象外: set aside as not a customer payment (a loan, interest, a refund …), with the reason
    dismissed_at = models.DateTimeField(_("対象外にした日時"), null=True, blank=True)
    dismiss_reason = models.CharField(_("対象外の理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("入金明細")
        verbose_name_plural = _("入金明細")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "fingerprint"], name="sales_statement_line_once"),
        ]


class Reminder(CompanyScopedModel):
    """督促: a reminder of overdue invoices sent to a customer (a letter printed or an e-mail),
    with what it listed as it stood then."""

    class Level(models.IntegerChoices):
        NOTICE = 1, _("お支払いのお願い")
        REMINDER = 2, _("督促")
        FINAL = 3, _("最終督促")

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("得意先")
    )
    level = models.PositiveSmallIntegerField(_("段階"), choices=Level.choices, default=Level.NOTICE)
    as_of = models.DateField(_("基準日"))
    # [{"id": …, "number": …, "date": …, "due_date": …, "open_amount": …}] as listed on the reminder
    invoices = models.JSONField(_("対象の請求書"), default=list)
    total = yen_field(_("未払いの合計"))
    sent_to = models.CharField(_("送付先メール"), max_length=254, blank=True)
    pdf_document_id = models.PositiveBigIntegerField(_("保存したPDF"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("督促")
        verbose_name_plural = _("督促")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["company", "customer", "created_at"], name="sales_reminder_customer_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.customer} {self.as_of}"


class Opportunity(CompanyScopedModel):
    """商談: a deal in the pipeline."""

    class Stage(models.TextChoices):
        LEAD = "lead", _("見込み")
        PROPOSAL = "proposal", _("提案")
        NEGOTIATION = "negotiation", _("交渉")
        WON = "won", _("受注")
        LOST = "lost", _("失注")

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("得意先")
    )
    title = models.CharField(_("商談名"), max_length=200)
    stage = models.CharField(_("段階"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    expected_amount = yen_field(_("見込金額"), default=Decimal(0))
    expected_date = models.DateField(_("受注予定日"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当"),
    )
    notes = models.TextField(_("メモ"), blank=True)
    # the day it was won or lost (empty while open): what the board's "last 90 days" counts
    closed_on = models.DateField(_("完了日"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("商談")
        verbose_name_plural = _("商談")
        ordering = ["expected_date", "pk"]

    def __str__(self) -> str:
        return self.title


class AdvanceApplication(CompanyScopedModel):
    """前受金の充当: part of a payment's 前受金 applied later to an invoice of the same customer
    (posted 前受金 / 売掛金). Never changed: a mistake is corrected by a journal entry."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="advance_applications", verbose_name=_("入金")
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="advance_applications", verbose_name=_("請求書")
    )
    date = models.DateField(_("充当日"))
    amount = yen_field(_("充当額"))
    journal_entry_id = models.PositiveBigIntegerField(_("仕訳"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("前受金の充当")
        verbose_name_plural = _("前受金の充当")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="sales_advance_application_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.amount:,}"


class Refund(CompanyScopedModel):
    """返金: 前受金 paid back to the customer (posted 前受金 / the deposit account)."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("入金")
    )
    date = models.DateField(_("返金日"))
    amount = yen_field(_("返金額"))
    memo = models.CharField(_("メモ"), max_length=200, blank=True)
    journal_entry_id = models.PositiveBigIntegerField(_("仕訳"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("返金")
        verbose_name_plural = _("返金")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sales_refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.amount:,}"
