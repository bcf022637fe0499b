"""契約書: the register of the company's contracts, their term and renewal, the 印紙税 a paper
original needs, and the alerts already sent before a notice deadline or an expiry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field


class ContractType(models.TextChoices):
    SALE = "sale", _("売買")
    BASIC = "basic", _("取引基本契約")
    OUTSOURCING = "outsourcing", _("業務委託")
    WORK = "work", _("請負")
    NDA = "nda", _("秘密保持契約 (NDA)")
    LEASE = "lease", _("賃貸借")
    EMPLOYMENT = "employment", _("雇用")
    LICENSE = "license", _("ライセンス")
    LOAN = "loan", _("金銭消費貸借")
    OTHER = "other", _("その他")


class OurSide(models.TextChoices):
    BUYER = "buyer", _("発注者・買主・借主")
    SELLER = "seller", _("受注者・売主・貸主")
    MUTUAL = "mutual", _("双方(対等)")
    OTHER = "other", _("その他")


class CounterpartyKind(models.TextChoices):
    CUSTOMER = "customer", _("得意先")
    VENDOR = "vendor", _("仕入先")
    OTHER = "other", _("その他")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("起案中")
    IN_REVIEW = "in_review", _("法務確認中")
    NEGOTIATING = "negotiating", _("交渉中")
    SIGNED = "signed", _("締結済み")
    ACTIVE = "active", _("有効")
    EXPIRED = "expired", _("期間満了")
    TERMINATED = "terminated", _("解約・終了")


class StampDocument(models.TextChoices):
    """印紙税法 別表第一 (課税物件表) の号 that the paper original falls under (jp-rules §14)."""

    NONE = "none", _("課税文書に当たらない")
    NO1_REAL_ESTATE = "1-1-real-estate", _("第1号の1 不動産の譲渡")
    NO1_1 = "1-1", _("第1号の1 無体財産権・船舶・航空機・営業の譲渡")
    NO1_2 = "1-2", _("第1号の2 地上権・土地の賃借権の設定・譲渡")
    NO1_3 = "1-3", _("第1号の3 消費貸借")
    NO1_4 = "1-4", _("第1号の4 運送")
    NO2_CONSTRUCTION = "2-construction", _("第2号 建設工事の請負")
    NO2 = "2", _("第2号 請負(建設工事以外)")
    NO7 = "7", _("第7号 継続的取引の基本となる契約書")


class NoticeUnit(models.TextChoices):
    MONTHS = "months", _("か月前")
    DAYS = "days", _("日前")


class ContractRelation(models.TextChoices):
    INDIVIDUAL = "individual", _("個別契約")
    AMENDMENT = "amendment", _("覚書・変更契約")
    RENEWAL = "renewal", _("再契約")


class Contract(CompanyScopedModel):
    number = models.CharField(_("契約番号"), max_length=30)
    title = models.CharField(_("契約名"), max_length=200)
    contract_type = models.CharField(_("契約の種類"), max_length=20, choices=ContractType.choices)
    our_side = models.CharField(
        _("当社の立場"), max_length=10, choices=OurSide.choices, default=OurSide.BUYER
    )
    counterparty_kind = models.CharField(
        _("相手方の区分"), max_length=10, choices=CounterpartyKind.choices, default=CounterpartyKind.OTHER
    )
    # the sales / purchasing master row when the counterparty is one; the name is kept as written
    # on the contract either way (a customer renamed later does not rewrite a signed contract)
    customer = models.ForeignKey(
        "sales.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("得意先"),
    )
    vendor = models.ForeignKey(
        "purchasing.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("仕入先"),
    )
    counterparty_name = models.CharField(_("相手方"), max_length=200)
    # 記載金額: None when the contract states no amount (金額の記載のないもの)
    amount = yen_field(_("契約金額(税抜)"), null=True, blank=True)
    tax_amount = yen_field(_("消費税額等(区分記載)"), default=0)
    starts_on = models.DateField(_("契約開始日"), null=True, blank=True)
    ends_on = models.DateField(
        _("契約終了日"), null=True, blank=True, help_text=_("期間の定めがなければ空欄")
    )
    auto_renew = models.BooleanField(_("自動更新"), default=False)
    renewal_months = models.PositiveSmallIntegerField(_("更新後の期間(月)"), null=True, blank=True)
    notice_period = models.PositiveSmallIntegerField(_("更新拒絶・解約の通知期限"), null=True, blank=True)
    notice_unit = models.CharField(
        _("通知期限の単位"), max_length=10, choices=NoticeUnit.choices, default=NoticeUnit.MONTHS
    )
    # 印紙税 (jp-rules §14): only a paper original handed over is a 課税文書; an electronic contract
    # needs none (§14.3)
    paper_original = models.BooleanField(_("書面の原本を作成する"), default=False)
    stamp_document = models.CharField(
        _("印紙税の文書区分"), max_length=20, choices=StampDocument.choices, default=StampDocument.NONE
    )
    stamp_duty = yen_field(_("印紙税額"), default=0)
    owner_department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当部署"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("親契約"),
    )
    relation = models.CharField(
        _("親契約との関係"), max_length=20, choices=ContractRelation.choices, blank=True
    )
    # the drafts and the signed file are versions of one document of the documents app
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("契約書ファイル"),
    )
    signed_on = models.DateField(_("締結日"), null=True, blank=True)
    terminated_on = models.DateField(_("解約日"), null=True, blank=True)
    # the term's current end after automatic renewals (= ends_on until the first renewal)
    current_end_on = models.DateField(_("現在の満了日"), null=True, blank=True)
    # 更新拒絶の通知期限 of the current term (auto-renewing contracts with a notice period), kept
    # with every write of the term so that the upcoming list, the calendar and the alerts read a
    # date range by index instead of computing it for every auto-renewing contract
    notice_deadline_on = models.DateField(_("更新拒絶の通知期限"), null=True, blank=True)
    note = models.TextField(_("メモ"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("契約")
        verbose_name_plural = _("契約")
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="contract_number_unique"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="contract_amount_not_negative"
            ),
            models.CheckConstraint(condition=Q(tax_amount__gte=0), name="contract_tax_not_negative"),
            models.CheckConstraint(condition=Q(stamp_duty__gte=0), name="contract_stamp_duty_not_negative"),
            models.CheckConstraint(
                condition=Q(auto_renew=False) | Q(ends_on__isnull=False),
                name="contract_auto_renew_needs_end",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, relation="") | Q(parent__isnull=False) & ~Q(relation=""),
                name="contract_parent_with_relation",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "current_end_on"], name="contract_end_idx"),
            models.Index(fields=["company", "notice_deadline_on"], name="contract_notice_idx"),
            models.Index(fields=["company", "status"], name="contract_status_idx"),
            models.Index(fields=["company", "owner_department"], name="contract_department_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ContractAlertKind(models.TextChoices):
    NOTICE = "notice", _("更新拒絶の通知期限")
    EXPIRY = "expiry", _("契約満了")


class ContractAlert(CompanyScopedModel):
    """An alert sent (to the owner and 法務): one row per contract, kind, deadline and lead time, so
    the daily job never sends the same alert twice."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("種類"), max_length=10, choices=ContractAlertKind.choices)
    due_on = models.DateField(_("期限"))
    days_before = models.PositiveSmallIntegerField(_("何日前"))
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("契約のアラート")
        verbose_name_plural = _("契約のアラート")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "due_on", "days_before"], name="contract_alert_once"
            )
        ]
