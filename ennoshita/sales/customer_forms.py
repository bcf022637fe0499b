"""Forms of the customer and product screens. They parse what was typed; the rules (normalising,
check digits, duplicates) live in ``sales.services`` and come back onto the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import END_OF_MONTH, Customer, HolidayRule, SalesTax

DAY_CHOICES = [*[(d, format_lazy(_("{day}日"), day=d)) for d in range(1, 31)], (END_OF_MONTH, _("末日"))]
MONTH_CHOICES = [
    (0, _("当月")),
    (1, _("翌月")),
    (2, _("翌々月")),
    *[(m, format_lazy(_("{months}か月後"), months=m)) for m in range(3, 13)],
]
STATUS_CHOICES = [("active", _("取引中")), ("inactive", _("取引停止")), ("all", _("すべて"))]
PRODUCT_STATUS_CHOICES = [("active", _("使用中")), ("inactive", _("使用停止")), ("all", _("すべて"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _day_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, choices=DAY_CHOICES, initial=END_OF_MONTH)


class CustomerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("コード・名称・フリガナ・法人番号・登録番号")}),
    )
    status = forms.ChoiceField(label=_("状態"), required=False, choices=STATUS_CHOICES)
    registration = forms.ChoiceField(
        label=_("インボイス登録"),
        required=False,
        choices=[("", _("すべて")), *Customer.Registration.choices],
    )


class CustomerForm(forms.Form):
    code = forms.CharField(label=_("得意先コード"), max_length=40, help_text=_("半角英数字(社内で一意)"))
    name = forms.CharField(label=_("名称"), max_length=200)
    name_kana = forms.CharField(
        label=_("フリガナ"),
        max_length=200,
        required=False,
        help_text=_("ひらがな・半角カナはカタカナにします"),
    )
    honorific = forms.ChoiceField(label=_("敬称"), choices=Customer.Honorific.choices)
    corporate_number = forms.CharField(
        label=_("法人番号"), max_length=30, required=False, help_text=_("13桁の数字(個人事業主は空欄)")
    )
    registration_number = forms.CharField(
        label=_("インボイス登録番号"),
        max_length=30,
        required=False,
        help_text=_("T + 13桁。法人は T + 法人番号です"),
    )
    registration_status = forms.ChoiceField(
        label=_("インボイス登録"),
        choices=Customer.Registration.choices,
        help_text=_("登録番号を入力すると「登録あり」になります"),
    )
    registration_date = forms.DateField(label=_("登録日"), required=False, widget=DATE)
    postal_code = forms.CharField(label=_("郵便番号"), max_length=20, required=False)
    address = forms.CharField(label=_("住所"), max_length=300, required=False)
    address2 = forms.CharField(label=_("建物名など"), max_length=200, required=False)
    phone = forms.CharField(label=_("電話番号"), max_length=30, required=False)
    email = forms.CharField(label=_("請求書送付先メール"), max_length=254, required=False)
    closing_day = _day_field(_("締め日"))
    payment_months_after = forms.TypedChoiceField(
        label=_("支払月"), coerce=int, choices=MONTH_CHOICES, initial=1
    )
    payment_day = _day_field(_("支払日"))
    holiday_rule = forms.ChoiceField(
        label=_("支払期日が休日のとき"),
        required=False,
        choices=[("", _("会社の設定に従う")), *HolidayRule.choices],
    )
    credit_limit = forms.CharField(
        label=_("与信限度額(円)"), max_length=30, required=False, help_text=_("空欄は設定なし")
    )
    notes = forms.CharField(label=_("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    allow_similar_name = forms.BooleanField(
        label=_("同名の得意先があることを確認しました"), required=False, widget=forms.HiddenInput
    )

    TERMS_FIELDS = ("closing_day", "payment_months_after", "payment_day", "holiday_rule")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the payment-terms example follows the choices as they change (HTMX)
        preview = reverse("sales:customer_terms")
        for name in self.TERMS_FIELDS:
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": preview,
                    "hx-target": "#terms-example",
                    "hx-include": "[data-terms]",
                    "data-terms": "",
                }
            )

    def show_similar_confirmation(self) -> None:
        """A name like another customer's: let the user confirm it is a different customer."""
        self.fields["allow_similar_name"].widget = forms.CheckboxInput()

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["credit_limit"] = data.get("credit_limit") or None
        return data

    @staticmethod
    def initial_of(customer: Customer) -> dict[str, Any]:
        initial = {
            name: getattr(customer, name) for name in CustomerForm.base_fields if name != "allow_similar_name"
        }
        initial["credit_limit"] = "" if customer.credit_limit is None else str(customer.credit_limit)
        return initial


class ContactForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100)
    department = forms.CharField(label=_("部署"), max_length=100, required=False)
    email = forms.CharField(label=_("メール"), max_length=254, required=False)
    phone = forms.CharField(label=_("電話番号"), max_length=30, required=False)


class ProductFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("品目コード・品名")}),
    )
    status = forms.ChoiceField(label=_("状態"), required=False, choices=PRODUCT_STATUS_CHOICES)
    tax = forms.ChoiceField(label=_("税区分"), required=False, choices=[("", _("すべて")), *SalesTax.choices])


class ProductForm(forms.Form):
    code = forms.CharField(label=_("品目コード"), max_length=40, help_text=_("半角英数字(社内で一意)"))
    name = forms.CharField(label=_("品名"), max_length=200)
    unit = forms.CharField(label=_("単位"), max_length=10, required=False, initial="個")
    unit_price = forms.CharField(
        label=_("単価"), max_length=40, initial="0", help_text=_("小数点以下4桁まで(例: 1,234.5)")
    )
    tax = forms.ChoiceField(label=_("税区分"), choices=SalesTax.choices, initial=SalesTax.S10)
    is_active = forms.BooleanField(label=_("使用中"), required=False, initial=True)
