from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FeeTreatment, HolidayRule, TaxRounding


class SalesSettingsForm(forms.Form):
    tax_rounding = forms.ChoiceField(
        label=_("消費税の端数処理(請求書ごと・税率ごとに1回)"), choices=TaxRounding.choices
    )
    prices_include_tax = forms.BooleanField(label=_("税込価格で入力する"), required=False)
    holiday_rule = forms.ChoiceField(label=_("支払期日が銀行休業日のとき"), choices=HolidayRule.choices)
    registration_number = forms.CharField(
        label=_("適格請求書発行事業者の登録番号"),
        required=False,
        max_length=20,
        help_text=_("T + 13桁。請求書に印字します。"),
    )
    bank_details = forms.CharField(
        label=_("振込先"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    invoice_note = forms.CharField(
        label=_("請求書の備考"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deposit_account_code = forms.CharField(label=_("入金口座の勘定科目コード"), max_length=10)
    fee_treatment = forms.ChoiceField(
        label=_("先方が差し引いた振込手数料の扱い"),
        choices=FeeTreatment.choices,
        help_text=_(
            "売上値引: 税込1万円未満なら返還インボイスは不要です。支払手数料: 仕入税額控除には先方の"
            "インボイス(または少額特例)が必要です。"
        ),
    )
    logo = forms.FileField(label=_("ロゴ画像(PNG・JPEG、2MBまで)"), required=False)
    remove_logo = forms.BooleanField(label=_("ロゴを削除する"), required=False)
    seal = forms.FileField(label=_("印影画像(PNG・JPEG、2MBまで)"), required=False)
    remove_seal = forms.BooleanField(label=_("印影を削除する"), required=False)


class SummaryRunForm(forms.Form):
    closing = forms.DateField(label=_("締め日"), widget=forms.DateInput(attrs={"type": "date"}))
