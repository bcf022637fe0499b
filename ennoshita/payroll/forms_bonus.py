"""Forms of 賞与: a new bonus run (group, pay date, title, 計算期間) and the CSV of amounts. The
amounts table itself is read straight from the POST (one pair of inputs per person on the page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PayGroup

MAX_UPLOAD = 10 * 1024 * 1024


class BonusRunForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, initial="bonus", required=False)
    pay_group = forms.ModelChoiceField(label=_("支給グループ"), queryset=PayGroup.objects.none())
    pay_date = forms.DateField(
        label=_("支給日"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("賞与を振り込む日(銀行の営業日)。この日の税額表・保険料率で計算します。"),
    )
    title = forms.CharField(
        label=_("名称"),
        max_length=50,
        required=False,
        help_text=_("例: 2026年夏季賞与(空欄なら「2026年7月 賞与」)"),
    )
    bonus_period_months = forms.IntegerField(
        label=_("賞与の計算期間(月)"),
        min_value=1,
        max_value=12,
        initial=6,
        help_text=_(
            "源泉所得税を月額表で求めるとき(前月の給与がない、または賞与が前月の給与の10倍を超えるとき)に使います。6か月を超えると12で割ります。"
        ),
    )

    def __init__(self, *args: Any, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["pay_group"].queryset = groups  # type: ignore[attr-defined]


class BonusImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"), help_text=_("社員番号,金額,備考(備考は任意)。UTF-8 または Shift_JIS。")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("ファイルが大きすぎます(10MBまで)。"))
        return upload


class BonusSearchForm(forms.Form):
    q = forms.CharField(label=_("検索"), max_length=50, required=False)
