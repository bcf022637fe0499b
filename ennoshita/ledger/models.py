"""The general ledger (総勘定元帳): chart of accounts, tax codes, fiscal years and month locks,
journal entries with their lines, and the balances kept up to date with every posting.

Rules the database enforces itself (ledger/triggers.py, besides the check constraints below):
an entry is inserted as a draft; it becomes posted only if its lines balance and its month is
not locked; a posted entry and its lines never change or go away (the correction is a reversal).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field
from ennoshita.core.money import Rounding
from ennoshita.people.models import Department

from .chart import SECTIONS


class Side(models.TextChoices):
    DEBIT = "debit", _("借方")
    CREDIT = "credit", _("貸方")


SECTION_CHOICES = [(s.key, s.label) for s in SECTIONS]
# 消費税の端数処理: any method, applied once per line here and once per rate on an invoice (No.6371)
TAX_ROUNDING_CHOICES = [
    (Rounding.TRUNCATE.value, _("切り捨て")),
    (Rounding.ROUND_UP.value, _("切り上げ")),
    (Rounding.HALF_UP.value, _("四捨五入")),
]


class LedgerSettings(CompanyScopedModel):
    """A company's accounting settings."""

    tax_rounding = models.CharField(
        _("消費税の端数処理"), max_length=20, choices=TAX_ROUNDING_CHOICES, default=Rounding.TRUNCATE.value
    )
    tax_included_entry = models.BooleanField(
        _("税込で入力する"),
        default=True,
        help_text=_("仕訳入力の金額を税込とみなします(行ごとに変えられます)。"),
    )

    class Meta:
        verbose_name = _("会計の設定")
        verbose_name_plural = _("会計の設定")
        constraints = [models.UniqueConstraint(fields=["company"], name="ledger_settings_one_per_company")]

    def __str__(self) -> str:
        return str(_("会計の設定"))


class TaxCode(CompanyScopedModel):
    """税区分. ``key`` is a category of ledger.rules.TAX_CATEGORIES; the rate lives on the row, so a
    new rate (say a new reduced rate from a date) is a new row, not a code change."""

    key = models.CharField(_("コード"), max_length=20)
    label = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("種類"), max_length=30)
    rate = models.DecimalField(_("税率(%)"), max_digits=5, decimal_places=2)
    qualified = models.BooleanField(_("適格請求書あり"), default=True)
    valid_from = models.DateField(_("適用開始日"), null=True, blank=True)
    valid_to = models.DateField(_("適用終了日"), null=True, blank=True)
    is_active = models.BooleanField(_("使用中"), default=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("税区分")
        verbose_name_plural = _("税区分")
        ordering = ["order", "key"]
        constraints = [models.UniqueConstraint(fields=["company", "key"], name="ledger_taxcode_key_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_taxable(self) -> bool:
        return self.kind in ("taxable_sales", "taxable_purchase") and self.rate > 0


class Account(CompanyScopedModel):
    """勘定科目. Added, renamed and deactivated; never deleted once a line uses it (PROTECT)."""

    code = models.CharField(_("科目コード"), max_length=10)
    name = models.CharField(_("科目名"), max_length=100)
    kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    search_key = models.CharField(max_length=300, editable=False, default="")
    section = models.CharField(_("区分"), max_length=40, choices=SECTION_CHOICES)
    normal_side = models.CharField(_("残高の側"), max_length=10, choices=Side.choices)
    is_contra = models.BooleanField(_("評価勘定(控除科目)"), default=False)
    default_tax_code = models.ForeignKey(
        TaxCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("既定の税区分")
    )
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("勘定科目")
        verbose_name_plural = _("勘定科目")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="ledger_account_code_unique"),
            models.UniqueConstraint(fields=["company", "name"], name="ledger_account_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SubAccount(CompanyScopedModel):
    """補助科目 (a bank account under 普通預金, a customer under 売掛金…)."""

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="sub_accounts", verbose_name=_("勘定科目")
    )
    code = models.CharField(_("補助コード"), max_length=10)
    name = models.CharField(_("補助科目名"), max_length=100)
    kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("補助科目")
        verbose_name_plural = _("補助科目")
        ordering = ["account__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["account", "code"], name="ledger_subaccount_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class FiscalYear(CompanyScopedModel):
    """会計年度. Entries may be dated only inside one; a closed year takes no postings."""

    class Status(models.TextChoices):
        OPEN = "open", _("記帳中")
        CLOSED = "closed", _("締め済み")

    start = models.DateField(_("期首"))
    end = models.DateField(_("期末"))
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("会計年度")
        verbose_name_plural = _("会計年度")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["company", "start"], name="ledger_fiscalyear_start_unique"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="ledger_fiscalyear_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s年度") % {"year": self.start.year}

    @property
    def year(self) -> int:
        return self.start.year


class PeriodLock(CompanyScopedModel):
    """月次締め: a locked month takes no postings (checked by the service and by the database)."""

    month = models.DateField(_("月"))  # the first day of the month
    locked = models.BooleanField(_("締め済み"), default=True)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("変更者")
    )
    changed_at = models.DateTimeField(_("変更日時"), auto_now=True)

    class Meta:
        verbose_name = _("月次締め")
        verbose_name_plural = _("月次締め")
        constraints = [
            models.UniqueConstraint(fields=["company", "month"], name="ledger_periodlock_month_unique")
        ]

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")


class JournalEntry(CompanyScopedModel):
    """仕訳 (伝票). Drafts can be edited; posting gives the voucher number and makes it final."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        POSTED = "posted", _("記帳済み")

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("振替伝票")
        RECEIPT = "receipt", _("入金伝票")
        PAYMENT = "payment", _("出金伝票")
        REVERSAL = "reversal", _("反対仕訳")
        OPENING = "opening", _("開始仕訳")

    # Every posting writes every index of the entry, its lines and its audit event (bench/ledger.py):
    # an index that another one begins with, or that only a deletion that never happens would use
    # (users are deactivated, never deleted), is left out (migration 0005).
    company = models.ForeignKey(
        "core.Company", on_delete=models.PROTECT, verbose_name=_("会社"), db_index=False
    )
    # fiscal years are closed, never deleted; (company, fiscal year, number) below begins with it
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, verbose_name=_("会計年度"), db_index=False
    )
    number = models.PositiveIntegerField(_("伝票番号"), null=True, blank=True)
    date = models.DateField(_("日付"))
    kind = models.CharField(_("伝票の種類"), max_length=20, choices=Kind.choices, default=Kind.TRANSFER)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    source_type = models.CharField(_("元の記録の種類"), max_length=50, blank=True)
    source_id = models.CharField(_("元の記録のID"), max_length=50, blank=True)
    source_repr = models.CharField(_("元の記録"), max_length=200, blank=True)
    reversal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("取消元の仕訳"),
    )
    total = yen_field(_("金額"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        db_index=False,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        db_index=False,
        blank=True,
        related_name="+",
        verbose_name=_("記帳者"),
    )
    posted_at = models.DateTimeField(_("記帳日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("仕訳")
        verbose_name_plural = _("仕訳")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "fiscal_year", "number"], name="ledger_entry_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False), name="ledger_posted_entry_has_number"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status", "date", "id"], name="ledger_entry_journal_idx"),
            models.Index(fields=["company", "source_type", "source_id"], name="ledger_entry_source_idx"),
        ]

    def __str__(self) -> str:
        # no fiscal-year lookup here: the audit trail names every entry it records
        if self.number:
            return _("仕訳 No.%(number)s(%(date)s)") % {"number": self.number, "date": self.date}
        return _("下書き(%(date)s)") % {"date": self.date}


class JournalLine(CompanyScopedModel):
    """One line of an entry: an account on one side. A taxed line is followed by its generated tax
    line (仮払消費税等 / 仮受消費税等) that points back to it with ``tax_for``."""

    # company and entry lead other indexes; sub-account, department, tax code and tax line are
    # indexed only where set (most lines have none), for the deletion checks that look them up
    company = models.ForeignKey(
        "core.Company", on_delete=models.PROTECT, verbose_name=_("会社"), db_index=False
    )
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="lines", verbose_name=_("仕訳"), db_index=False
    )
    line_no = models.PositiveSmallIntegerField(_("行"))
    date = models.DateField(_("日付"))  # the entry's date, kept on the line for the ledger's index
    # accounts are deactivated, never deleted; the ledger's (company, account, date …) index serves
    # every lookup by account
    account = models.ForeignKey(Account, on_delete=models.PROTECT, verbose_name=_("勘定科目"), db_index=False)
    sub_account = models.ForeignKey(
        SubAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("補助科目"),
        db_index=False,
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部門"),
        db_index=False,
    )
    debit = yen_field(_("借方金額"), default=0)
    credit = yen_field(_("貸方金額"), default=0)
    tax_code = models.ForeignKey(
        TaxCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("税区分"), db_index=False
    )
    tax_base = yen_field(_("税抜金額(課税標準)"), null=True, blank=True)
    tax_amount = yen_field(_("消費税額"), null=True, blank=True)
    tax_for = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tax_lines",
        verbose_name=_("税額の元の行"),
        db_index=False,
    )
    memo = models.CharField(_("摘要"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("仕訳明細")
        verbose_name_plural = _("仕訳明細")
        ordering = ["entry_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "line_no"], name="ledger_line_no_unique"),
            models.CheckConstraint(
                condition=Q(debit__gte=0) & Q(credit__gte=0), name="ledger_line_not_negative"
            ),
            models.CheckConstraint(condition=Q(debit=0) | Q(credit=0), name="ledger_line_one_side_only"),
            models.CheckConstraint(condition=Q(debit__gt=0) | Q(credit__gt=0), name="ledger_line_has_amount"),
        ]
        indexes = [
            # 総勘定元帳: one account's lines in date order, page by page (keyset)
            models.Index(
                fields=["company", "account", "date", "entry", "line_no"], name="ledger_line_account_idx"
            ),
            # the part of a month a report adds or subtracts: a few days' lines of every account
            models.Index(fields=["company", "date"], name="ledger_line_date_idx"),
            *(
                models.Index(
                    fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"ledger_line_{name}_idx"
                )
                for name in ("sub_account", "department", "tax_code", "tax_for")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.line_no}"


class Balance(CompanyScopedModel):
    """The posted total of one account (and sub-account and department) in one month, kept in the
    transaction of every posting, so statements cost the same at any size of book.

    ``sub_key`` and ``dept_key`` are the ids, or 0 for none, so that the unique key has no NULLs.
    """

    account = models.ForeignKey(Account, on_delete=models.PROTECT, verbose_name=_("勘定科目"))
    sub_key = models.BigIntegerField(default=0)
    dept_key = models.BigIntegerField(default=0)
    month = models.DateField(_("月"))
    debit = yen_field(_("借方合計"), default=0)
    credit = yen_field(_("貸方合計"), default=0)

    class Meta:
        verbose_name = _("月次残高")
        verbose_name_plural = _("月次残高")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "account", "sub_key", "dept_key", "month"],
                name="ledger_balance_key_unique",
            )
        ]
        indexes = [models.Index(fields=["company", "month"], name="ledger_balance_month_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}"
