"""Forms of 給与計算 (runs): a new run (group and pay month), discard with a reason, the list's
filters and the payslip search."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_month

from .models import PayGroup


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def clean(self, value: Any) -> date | None:
        text = super().clean(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("月は YYYY-MM の形式で入力してください。"))
        return month


class RunForm(forms.Form):
    pay_group = forms.ModelChoiceField(label=_("支給グループ"), queryset=PayGroup.objects.none())
    pay_month = MonthField(label=_("支給月"), help_text=_("給与を支払う月(例: 5月25日に払う給与は 5月)"))
    title = forms.CharField(label=_("名称(任意)"), max_length=50, required=False)

    def __init__(self, *args: Any, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["pay_group"].queryset = groups  # type: ignore[attr-defined]


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("破棄の理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RunFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年"), required=False, coerce=int, empty_value=None)
    group = forms.ModelChoiceField(label=_("支給グループ"), queryset=PayGroup.objects.none(), required=False)

    def __init__(self, *args: Any, years: list[int] | None = None, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("すべて"))] + [(y, f"{y}年") for y in years or []]  # type: ignore[attr-defined]
        if groups is not None:
            self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class PayslipSearchForm(forms.Form):
    q = forms.CharField(label=_("検索"), max_length=50, required=False)


class CorrectionForm(forms.Form):
    """「訂正の計算」 of a confirmed salary run: the pay date and who (everyone by default)."""

    pay_date = forms.DateField(
        label=_("支給日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("差額を振り込む日(銀行の営業日)"),
    )
    employees = forms.MultipleChoiceField(
        label=_("対象の社員"), widget=forms.CheckboxSelectMultiple, required=False
    )
    title = forms.CharField(label=_("名称(任意)"), max_length=50, required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employees"].choices = [(str(pk), label) for pk, label in people or []]  # type: ignore[attr-defined]

    def clean_employees(self) -> list[int]:
        return [int(x) for x in self.cleaned_data.get("employees") or []]
