"""退職金 (severance pay): one payment to one leaver, with its own withholding (所得税法30条・201条,
jp-rules §17) and 住民税 (分離課税, §17.6). A draft until 経理 confirms it; confirmed, it is final
and posted to the books."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field

from .runs import RunStatus


class SeverancePay(CompanyScopedModel):
    """``service_from``–``service_to`` is the 勤続期間 (a part year counts as a whole year, 施行令69条);
    ``officer_from`` the start of the 役員等勤続期間 when the leaver was an officer (five years or less
    makes it a 特定役員退職手当等, with no 1/2). Without the 退職所得の受給に関する申告書 20.42% of the
    whole payment is withheld (所得税法201条3項). The 住民税 goes to the municipality of the leaver's
    address on 1 January of the payment year."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("社員")
    )
    paid_on = models.DateField(_("支払日"))
    amount = yen_field(_("退職手当等の額"))
    service_from = models.DateField(_("勤続の起算日"))
    service_to = models.DateField(_("退職日"))
    officer_from = models.DateField(_("役員等に就任した日"), null=True, blank=True)
    disability = models.BooleanField(_("障害者になったことによる退職"), default=False)
    declaration_submitted = models.BooleanField(_("退職所得の受給に関する申告書の提出あり"), default=True)
    municipality_code = models.CharField(_("1月1日の住所地 市区町村コード"), max_length=6, blank=True)
    municipality_name = models.CharField(_("1月1日の住所地 市区町村"), max_length=50, blank=True)
    # what the computation gave (kept, so a confirmed payment never changes)
    service_years = models.PositiveSmallIntegerField(_("勤続年数"), default=0)
    deduction = yen_field(_("退職所得控除額"), default=0)
    taxable_income = yen_field(_("課税退職所得金額"), default=0)
    income_tax = yen_field(_("源泉徴収税額"), default=0)
    city_tax = yen_field(_("市町村民税"), default=0)
    prefecture_tax = yen_field(_("道府県民税"), default=0)
    net = yen_field(_("差引支給額"), default=0)
    steps = models.JSONField(_("計算の過程"), default=list)
    status = models.CharField(_("状態"), max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT)
    journal_entry_id = models.BigIntegerField(_("仕訳ID"), null=True, blank=True)
    document_id = models.BigIntegerField(_("源泉徴収票の文書ID"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("退職金")
        verbose_name_plural = _("退職金")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0, income_tax__gte=0, city_tax__gte=0, prefecture_tax__gte=0),
                name="payroll_severance_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(service_to__gte=models.F("service_from")), name="payroll_severance_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.paid_on} {self.amount}"
