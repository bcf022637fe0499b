"""Forms of the シフト screens: a pattern, the settings of the checks, the table's department and
month, and a swap request."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_month

from .models import RestDayRule


class PatternForm(forms.Form):
    code = forms.CharField(
        label=_("記号"), max_length=8, help_text=_("シフト表に入力する記号(例: 早、遅、夜、明、A)。")
    )
    name = forms.CharField(label=_("名称"), max_length=50)
    start_time = forms.TimeField(
        label=_("開始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("終了"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("開始以前の時刻は翌日の終了です(9:00〜9:00は24時間の当直)。"),
    )
    break_minutes = forms.IntegerField(
        label=_("休憩(分)"),
        min_value=0,
        max_value=1440,
        initial=60,
        help_text=_("6時間を超える勤務は45分以上、8時間を超える勤務は60分以上(労基法34条)。"),
    )
    color = forms.CharField(
        label=_("色"), max_length=7, initial="#4f7cac", widget=forms.TextInput(attrs={"type": "color"})
    )
    sort_order = forms.IntegerField(label=_("表示順"), initial=0, min_value=-9999, max_value=9999)


class ShiftSettingsForm(forms.Form):
    rest_rule = forms.ChoiceField(label=_("休日の基準"), choices=RestDayRule.choices)
    four_week_start = forms.DateField(
        label=_("4週の起算日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("4週4日とするとき、就業規則で定めた起算日(労基則12条の2第2項)。"),
    )
    min_rest_hours = forms.IntegerField(
        label=_("勤務間インターバル(時間)"),
        min_value=0,
        max_value=24,
        initial=11,
        help_text=_("勤務の終わりから次の勤務までの休息がこれより短いと警告します(0で警告しない)。"),
    )


class MonthField(forms.CharField):
    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        found = parse_month(text)
        if found is None:
            raise forms.ValidationError(_("月は YYYY-MM の形で入力してください。"))
        return found


class TableQueryForm(forms.Form):
    department = forms.IntegerField(label=_("部署"), required=False, min_value=1)
    month = MonthField(label=_("月"), required=False, widget=forms.TextInput(attrs={"type": "month"}))


class SwapForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("交換する相手"), coerce=int, choices=())
    requester_date = forms.DateField(
        label=_("自分の勤務日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("相手に代わってもらう、自分のシフトの日。"),
    )
    partner_date = forms.DateField(
        label=_("相手の勤務日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("代わりに自分が入る、相手のシフトの日(同じ日なら勤務の入れ替え)。"),
    )
    reason = forms.CharField(
        label=_("理由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, partners: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "—"), *(partners or [])]  # type: ignore[attr-defined]
