"""Forms of the 支払処理 screens and the payment settings: they parse; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccountType, RunStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RunFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *RunStatus.choices]
    )


class NewRunForm(forms.Form):
    due_by = forms.DateField(
        label=_("支払期日(この日まで)"),
        widget=DATE,
        help_text=_("この日までに支払期日が来る承認済みの請求書と、承認済みの経費精算が候補になります。"),
    )
    payment_date = forms.DateField(
        label=_("振込指定日"), widget=DATE, help_text=_("銀行の営業日(土日・祝日・12月31日〜1月3日を除く)。")
    )


class ReverseForm(forms.Form):
    reversal_date = forms.DateField(
        label=_("反対仕訳の日付"),
        widget=DATE,
        required=False,
        help_text=_("空欄なら今日(振込指定日が先なら振込指定日)。"),
    )


class PaymentSettingsForm(forms.Form):
    requester_code = forms.CharField(
        label=_("振込依頼人コード(委託者コード)"),
        max_length=10,
        help_text=_("銀行から通知された10桁の数字。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "mono"}),
    )
    requester_name = forms.CharField(
        label=_("振込依頼人名(カナ)"),
        max_length=80,
        help_text=_("全角カナ・ひらがなでも入力できます(半角カナに変換し、株式会社は ｶ) のように略します)。"),
    )
    bank_code = forms.CharField(
        label=_("仕向銀行コード"), max_length=4, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    branch_code = forms.CharField(
        label=_("仕向支店コード"), max_length=3, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    account_type = forms.ChoiceField(
        label=_("預金種目"),
        choices=[(k, v) for k, v in AccountType.choices if k != AccountType.SAVINGS],
    )
    account_number = forms.CharField(
        label=_("口座番号"), max_length=7, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    bank_account_code = forms.CharField(
        label=_("支払に使う預金の勘定科目コード"),
        max_length=10,
        required=False,
        initial="1121",
        help_text=_("空欄なら 1121 普通預金"),
    )

    def clean_bank_account_code(self) -> str:
        return self.cleaned_data.get("bank_account_code") or "1121"
