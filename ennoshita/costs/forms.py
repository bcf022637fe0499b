"""The dashboard's filter (month, department), the drill-down's and the settings form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_month

from .services import MAX_THRESHOLD_PERCENT


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("月は YYYY-MM の形式で入力してください。"))
        return month

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, date) else value


class FilterForm(forms.Form):
    month = MonthField(label=_("月"), required=False)
    department = forms.TypedChoiceField(label=_("部門"), required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, departments: list[tuple[int, str]], everything: bool) -> None:
        super().__init__(data)
        field = self.fields["department"]
        assert isinstance(field, forms.TypedChoiceField)
        first = [("", _("すべての部門") if everything else _("担当のすべての部門"))]
        field.choices = [*first, *[(str(pk), label) for pk, label in departments]]


class DrilldownForm(FilterForm):
    account = forms.ChoiceField(label=_("勘定科目"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        departments: list[tuple[int, str]],
        everything: bool,
        accounts: list[tuple[str, str]],
    ) -> None:
        super().__init__(data, departments=departments, everything=everything)
        field = self.fields["account"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("間接経費のすべての科目")), *accounts]


class SettingsForm(forms.Form):
    account_codes = forms.MultipleChoiceField(
        label=_("間接経費とする勘定科目"), widget=forms.CheckboxSelectMultiple, required=False
    )
    rise_threshold_percent = forms.IntegerField(
        label=_("注意を出す上昇率(%)"),
        min_value=0,
        max_value=MAX_THRESHOLD_PERCENT,
        help_text=_("その月の金額が直近3か月の平均よりこの割合を超えて増えた科目に注意を出します。"),
    )

    def __init__(self, data: Any = None, *, accounts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = self.fields["account_codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = accounts
