"""Forms of the 入金明細 screens: upload a statement, filter the lines, find a customer, confirm a
match (customer, fee and the invoices with the amount applied to each), set a line aside."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ennoshita.core.models import Company

from .models import Customer, Invoice
from .selectors.bank import STATUS_ALL, STATUS_DISMISSED, STATUS_MATCHED, STATUS_UNMATCHED
from .services.payments import Allocation

STATUS_CHOICES = [
    (STATUS_UNMATCHED, gettext_lazy("未消込")),
    (STATUS_MATCHED, gettext_lazy("消込済")),
    (STATUS_DISMISSED, gettext_lazy("対象外")),
    (STATUS_ALL, gettext_lazy("すべて")),
]
MAX_INVOICES = 100


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("入金明細ファイル"),
        help_text=gettext_lazy(
            "CSV(日付・金額・振込依頼人・摘要。UTF-8 または Shift_JIS)か、全銀協の入出金取引明細(200バイト固定長)。20MBまで。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.dat,text/csv,text/plain"}),
    )


class LineFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("状態"), required=False, choices=STATUS_CHOICES)
    batch = forms.CharField(
        label=gettext_lazy("取込"), required=False, max_length=40, widget=forms.HiddenInput
    )


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("得意先を探す"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("コード・名称・フリガナ")}),
    )


class DismissForm(forms.Form):
    action = forms.ChoiceField(choices=[("dismiss", "dismiss"), ("restore", "restore")], initial="dismiss")
    reason = forms.CharField(label=gettext_lazy("理由"), required=False, max_length=200)


class MatchForm(forms.Form):
    """``customer`` (id), ``fee``, ``memo``, and for each invoice applied: ``invoice`` (id, one
    value per invoice) and ``amount_<id>`` (the amount applied to it)."""

    customer = forms.IntegerField(label=gettext_lazy("得意先"), min_value=1)
    fee = forms.DecimalField(
        label=gettext_lazy("振込手数料(先方差引)"),
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=0,
    )
    memo = forms.CharField(label=gettext_lazy("メモ"), required=False, max_length=200)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        customer_id = data.get("customer")
        customer = None
        if customer_id:
            customer = Customer.objects.for_company(self.company).filter(pk=customer_id).first()
            if customer is None:
                self.add_error("customer", _("得意先が見つかりません。"))
        data["customer_obj"] = customer
        data["fee"] = data.get("fee") or Decimal(0)
        data["allocations"] = self._allocations()
        return data

    def _allocations(self) -> list[Allocation]:
        raw_ids = (
            self.data.getlist("invoice") if hasattr(self.data, "getlist") else self.data.get("invoice", [])
        )
        ids: list[int] = []
        for raw in raw_ids:
            if str(raw).isdigit() and int(raw) not in ids:
                ids.append(int(raw))
        if len(ids) > MAX_INVOICES:
            self.add_error(None, _("一度に消し込める請求書は%(n)d件までです。") % {"n": MAX_INVOICES})
            return []
        invoices = {i.pk: i for i in Invoice.objects.for_company(self.company).filter(pk__in=ids)}
        result: list[Allocation] = []
        for pk in ids:
            invoice = invoices.get(pk)
            if invoice is None:
                self.add_error(None, _("請求書が見つかりません。"))
                continue
            amount = (self.data.get(f"amount_{pk}") or "").replace(",", "").strip()
            if not amount:
                self.add_error(
                    None, _("請求書 %(number)s の消込額を入力してください。") % {"number": invoice.number}
                )
                continue
            result.append(Allocation(invoice, amount))
        return result
