"""Forms of 休暇: the request (phone-friendly), the cancellation, 人事's leave types, 計画的付与 and
the list's filters. They parse; the services decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_month

from .models import LeaveKind, LeaveUnit, RequestState


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time", "step": "3600"}, format="%H:%M")


class LeaveRequestForm(forms.Form):
    employee = forms.TypedChoiceField(label=_("社員"), coerce=int, required=False, empty_value=None)
    leave_type = forms.TypedChoiceField(label=_("休暇の種類"), coerce=int)
    unit = forms.ChoiceField(
        label=_("単位"), choices=LeaveUnit.choices, initial=LeaveUnit.FULL_DAY, widget=forms.RadioSelect
    )
    start_date = forms.DateField(label=_("日付(開始日)"), widget=DATE)
    end_date = forms.DateField(
        label=_("終了日"),
        required=False,
        widget=DATE,
        help_text=_("全日で複数日のときだけ。所定労働日だけを数えます。"),
    )
    start_time = forms.TimeField(label=_("開始時刻"), required=False, widget=TIME)
    end_time = forms.TimeField(
        label=_("終了時刻"), required=False, widget=TIME, help_text=_("時間単位のとき。1時間単位。")
    )
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, types: list[Any], employees: list[tuple[int, str]] | None = None, **kw: Any
    ):
        super().__init__(*args, **kw)
        _choices(self, "leave_type", [(t.pk, t.name) for t in types])
        if employees is None:
            del self.fields["employee"]
        else:
            _choices(self, "employee", [("", _("(自分)")), *employees])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取り消しの理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeaveTypeForm(forms.Form):
    code = forms.CharField(
        label=_("コード"), max_length=20, required=False, help_text=_("半角。追加のときだけ。")
    )
    kind = forms.ChoiceField(
        label=_("区分"), choices=LeaveKind.choices, initial=LeaveKind.OTHER, required=False
    )
    name = forms.CharField(label=_("名称"), max_length=50)
    paid = forms.BooleanField(label=_("有給"), required=False)
    has_balance = forms.BooleanField(label=_("付与日数から差し引く"), required=False)
    allow_half_day = forms.BooleanField(label=_("半日単位で取得できる"), required=False)
    allow_hourly = forms.BooleanField(label=_("時間単位で取得できる"), required=False)
    counts_as_attended = forms.BooleanField(label=_("出勤率の計算で出勤とみなす"), required=False)
    expiry_months = forms.IntegerField(label=_("有効期間(月)"), required=False, min_value=1, max_value=120)
    is_active = forms.BooleanField(label=_("有効"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("表示順"), initial=100, min_value=-9999, max_value=9999)


class PlanForm(forms.Form):
    day = forms.DateField(label=_("計画的付与の日"), widget=DATE)
    department = forms.TypedChoiceField(
        label=_("部署"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("部署を選ぶとその部署(下位を含む)の全員。"),
    )
    employees = forms.TypedMultipleChoiceField(
        label=_("社員"), coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    reason = forms.CharField(label=_("メモ"), required=False, max_length=500, initial=_("計画的付与"))

    def __init__(
        self, *args: Any, departments: list[tuple[int, str]], employees: list[tuple[int, str]], **kw: Any
    ):
        super().__init__(*args, **kw)
        _choices(self, "department", [("", "—"), *departments])
        _choices(self, "employees", employees)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("department") and not data.get("employees"):
            raise forms.ValidationError(_("部署か社員を選んでください。"))
        return data


class LeaveFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *RequestState.choices]
    )
    leave_type = forms.TypedChoiceField(label=_("種類"), coerce=int, required=False, empty_value=None)
    department = forms.TypedChoiceField(label=_("部署"), coerce=int, required=False, empty_value=None)
    month = forms.CharField(label=_("月"), required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args: Any, types: list[Any], departments: list[tuple[int, str]], **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "leave_type", [("", _("すべて")), *[(t.pk, t.name) for t in types]])
        _choices(self, "department", [("", _("すべて")), *departments])

    def clean_month(self) -> date | None:
        text = self.cleaned_data["month"]
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("月は YYYY-MM の形式で入力してください。"))
        return month
