"""Forms of 退職金: the payment (new and edit), the list's filters, discard with a reason, and the
simulator's figures (nothing stored)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RunStatus

MAX_YEN = 10_000_000_000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        left = f" (退職 {obj.retire_date:%Y-%m-%d})" if obj.retire_date else ""
        return f"{obj.number} {obj.family_name} {obj.given_name}{left}"


class SeveranceForm(forms.Form):
    employee = EmployeeChoiceField(label=_("社員"), queryset=None)
    paid_on = forms.DateField(label=_("支払日"), widget=DATE)
    amount = forms.IntegerField(label=_("退職手当等の額(円)"), min_value=0, max_value=MAX_YEN)
    service_from = forms.DateField(
        label=_("勤続の起算日"), required=False, widget=DATE, help_text=_("空欄なら入社日")
    )
    service_to = forms.DateField(
        label=_("退職日"), required=False, widget=DATE, help_text=_("空欄なら社員情報の退職日")
    )
    officer_from = forms.DateField(
        label=_("役員等に就任した日"),
        required=False,
        widget=DATE,
        help_text=_(
            "役員等(取締役・監査役など)だった人だけ。役員等勤続年数が5年以下なら特定役員退職手当等です。"
        ),
    )
    disability = forms.BooleanField(label=_("障害者になったことによる退職"), required=False)
    declaration = forms.BooleanField(
        label=_("退職所得の受給に関する申告書の提出あり"),
        required=False,
        initial=True,
        help_text=_("提出がないと、支払金額の20.42%を源泉徴収します(所得税法201条3項)。"),
    )
    municipality_code = forms.CharField(
        label=_("1月1日の住所地 市区町村コード"),
        max_length=6,
        required=False,
        help_text=_("空欄なら、その年度の住民税の通知の市区町村"),
    )
    municipality_name = forms.CharField(label=_("1月1日の住所地 市区町村"), max_length=50, required=False)
    note = forms.CharField(label=_("備考"), max_length=200, required=False)

    def __init__(self, *args: Any, employees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees  # type: ignore[attr-defined]


class SeveranceFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), max_length=50, required=False)
    year = forms.TypedChoiceField(label=_("支払年"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状態"), required=False)

    def __init__(self, *args: Any, years: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("すべて"))] + [(y, f"{y}年") for y in years or []]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("すべて")), *RunStatus.choices]  # type: ignore[attr-defined]


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("破棄の理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SeveranceSimulatorForm(forms.Form):
    """The same calculation without an employee: figures in, steps out."""

    amount = forms.IntegerField(
        label=_("退職手当等の額(円)"), min_value=0, max_value=MAX_YEN, initial=20_000_000
    )
    service_from = forms.DateField(label=_("勤続の起算日"), widget=DATE, initial="2006-04-01")
    service_to = forms.DateField(label=_("退職日"), widget=DATE, initial="2026-03-31")
    officer_from = forms.DateField(label=_("役員等に就任した日"), required=False, widget=DATE)
    disability = forms.BooleanField(label=_("障害者になったことによる退職"), required=False)
    declaration = forms.BooleanField(
        label=_("退職所得の受給に関する申告書の提出あり"), required=False, initial=True
    )


__all__ = ["DiscardForm", "SeveranceFilterForm", "SeveranceForm", "SeveranceSimulatorForm"]
