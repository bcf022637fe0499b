"""Expense claims (経費精算), their lines and receipts, and the company rules they are checked by.

Amounts are whole yen, 税込 as on the receipt (``yen_field``). A claim is numbered without gaps
(EXP-<fiscal year>-000001) when it is first submitted; approved claims post to the ledger through
``ledger.services.post_entry`` and stay 'approved and unpaid' (未払金) until a payment run pays them
(purchasing's payment runs set ``paid_at``). docs/domains/expenses.md says which rule comes from which law.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field
from ennoshita.core.text import name_key


class ExpenseSettings(CompanyScopedModel):
    """A company's expense rules (one row, created on first use)."""

    receipt_threshold = yen_field(
        _("領収書が必要になる金額"),
        default=1,
        help_text=_(
            "この金額以上の明細には領収書が必要です(1円 = すべての明細)。領収書不要の区分は除きます。"
        ),
    )
    missing_receipt_blocks = models.BooleanField(_("領収書がない明細は申請できない"), default=True)
    entertainment_limit_per_person = yen_field(
        _("1人あたり飲食費の上限(会議費として扱える額)"),
        default=10000,
        help_text=_("租税特別措置法61条の4・同施行令37条の5: 1人あたり1万円以下(2024年4月1日以後)。"),
    )
    small_amount_exception = models.BooleanField(
        _("少額特例を適用する(税込1万円未満は帳簿のみで全額控除)"),
        default=False,
        help_text=_(
            "基準期間の課税売上高が1億円以下(または特定期間5,000万円以下)の事業者が、2029年9月30日までの仕入れに使えます。"
        ),
    )
    per_diem_enabled = models.BooleanField(_("日当を支給する"), default=False)
    per_diem_day_trip = yen_field(_("日当(日帰り)"), default=1000)
    per_diem_overnight = yen_field(_("日当(宿泊)"), default=3000)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("経費精算の設定")
        verbose_name_plural = _("経費精算の設定")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="expenses_settings_one_per_company"),
            models.CheckConstraint(
                condition=Q(receipt_threshold__gte=1), name="expenses_settings_threshold_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(entertainment_limit_per_person__gte=0), name="expenses_settings_limit_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(per_diem_day_trip__gte=0, per_diem_overnight__gte=0),
                name="expenses_settings_per_diem_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return str(_("経費精算の設定"))


class TaxHandling(models.TextChoices):
    """How a category's lines are taxed: the ledger's 税区分 keys (ledger.rules.TAX_CATEGORIES). A
    taxable line without a 適格請求書 posts with the _NQ key of its rate (経過措置)."""

    P10 = "P10", _("課税仕入 10%")
    P8R = "P8R", _("課税仕入 8%(軽減)")
    EXEMPT = "P_EXEMPT", _("非課税仕入")
    OUT = "OUT", _("対象外(不課税)")


class CategoryKind(models.TextChoices):
    NORMAL = "normal", _("通常")
    ENTERTAINMENT = "entertainment", _("交際費")
    MEETING = "meeting", _("会議費")
    TRAVEL = "travel", _("交通費")
    PER_DIEM = "per_diem", _("日当")


class ExpenseCategory(CompanyScopedModel):
    """経費の区分: which account a line posts to, with which tax, and which inputs it asks for."""

    code = models.CharField(_("区分コード"), max_length=20)
    name = models.CharField(_("区分名"), max_length=50)
    account_code = models.CharField(_("勘定科目コード"), max_length=10)
    tax_handling = models.CharField(
        _("税区分"), max_length=10, choices=TaxHandling.choices, default=TaxHandling.P10
    )
    kind = models.CharField(
        _("種類"), max_length=20, choices=CategoryKind.choices, default=CategoryKind.NORMAL
    )
    receipt_required = models.BooleanField(_("領収書が必要"), default=True)
    # 帳簿のみ保存で仕入税額控除ができるもの (消費税法施行令49条1項1号, 同施行規則15条の4): 3万円
    # 未満の公共交通機関の運賃, 従業員に支給する通常必要な出張旅費・日当 (docs/domains/expenses.md).
    books_only = models.BooleanField(
        _("帳簿のみで控除できる(公共交通機関特例・出張旅費等特例)"), default=False
    )
    is_active = models.BooleanField(_("使用中"), default=True)
    sort_order = models.IntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("経費の区分")
        verbose_name_plural = _("経費の区分")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="expenses_category_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("申請中")
    RETURNED = "returned", _("差し戻し")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("却下")
    WITHDRAWN = "withdrawn", _("取り下げ")


class ExpenseClaim(CompanyScopedModel):
    """経費精算書: one applicant's expenses, approved as a whole."""

    number = models.CharField(_("精算番号"), max_length=30, blank=True)
    fiscal_year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申請者")
    )
    employee = models.ForeignKey(
        "people.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("社員"),
    )
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部署"),
    )
    title = models.CharField(_("件名"), max_length=100)
    status = models.CharField(
        _("状態"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    total = yen_field(_("合計金額"), default=0)
    submitted_at = models.DateTimeField(_("申請日時"), null=True, blank=True)
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    paid_at = models.DateTimeField(_("支払日時"), null=True, blank=True)
    # the first entry posted for the claim; a claim whose lines have several dates posts one entry
    # per date (the 課税仕入れの日 decides the 経過措置), all of them listed in journal_entry_ids
    journal_entry_id = models.BigIntegerField(_("仕訳ID"), null=True, blank=True)
    journal_entry_ids = models.JSONField(_("仕訳ID(すべて)"), default=list, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("経費精算")
        verbose_name_plural = _("経費精算")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], condition=~Q(number=""), name="expenses_claim_number_unique"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="expenses_claim_total_gte_0"),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""), name="expenses_claim_submitted_has_number"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "applicant", "-created_at"], name="expenses_claim_mine_idx"),
            models.Index(fields=["company", "status", "-created_at"], name="expenses_claim_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('下書き')} {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ClaimStatus.DRAFT, ClaimStatus.RETURNED)


class ExpenseLine(CompanyScopedModel):
    """One expense: a receipt's date, payee, purpose and 税込 amount."""

    claim = models.ForeignKey(
        ExpenseClaim, on_delete=models.CASCADE, related_name="lines", verbose_name=_("経費精算")
    )
    line_no = models.PositiveSmallIntegerField(_("行番号"))
    date = models.DateField(_("日付"))
    payee = models.CharField(_("支払先"), max_length=100)
    # core.text.name_key(payee), kept by the services: the 間接経費 top payees group on it in SQL
    payee_key = models.TextField(blank=True, editable=False)  # NFKC may lengthen
    purpose = models.CharField(_("内容・目的"), max_length=200)
    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("区分")
    )
    amount = yen_field(_("金額(税込)"))
    registration_number = models.CharField(_("登録番号"), max_length=14, blank=True)
    is_qualified = models.BooleanField(_("適格請求書(インボイス)あり"), default=False)
    attendees = models.TextField(_("参加者(氏名・所属)"), blank=True)
    attendee_count = models.PositiveSmallIntegerField(
        _("人数"), null=True, blank=True, validators=[MaxValueValidator(9999)]
    )
    route_from = models.CharField(_("出発"), max_length=50, blank=True)
    route_to = models.CharField(_("到着"), max_length=50, blank=True)
    round_trip = models.BooleanField(_("往復"), default=False)
    per_diem_kind = models.CharField(
        _("日当の種類"),
        max_length=20,
        blank=True,
        choices=[("day_trip", _("日帰り")), ("overnight", _("宿泊"))],
    )
    per_diem_days = models.PositiveSmallIntegerField(_("日数"), null=True, blank=True)
    receipt_document_id = models.BigIntegerField(_("領収書の文書ID"), null=True, blank=True)
    receipt_sha256 = models.CharField(_("領収書のSHA-256"), max_length=64, blank=True)
    receipt_name = models.CharField(_("領収書のファイル名"), max_length=255, blank=True)
    receipt_content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("経費精算の明細")
        verbose_name_plural = _("経費精算の明細")
        ordering = ["claim", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "line_no"], name="expenses_line_no_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenses_line_amount_gt_0"),
        ]
        indexes = [
            models.Index(fields=["company", "receipt_sha256"], name="expenses_line_sha_idx"),
            models.Index(fields=["company", "date", "amount"], name="expenses_line_date_amount_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.payee} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # the key follows the name however the row is saved (bulk_create must set it itself)
        self.payee_key = name_key(self.payee)
        fields = kwargs.get("update_fields")
        if fields is not None and "payee" in fields and "payee_key" not in fields:
            kwargs["update_fields"] = [*fields, "payee_key"]
        super().save(*args, **kwargs)
