"""Forms of 勤怠締め and 打刻修正申請."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_month

from .models import PunchKind, RequestState
from .services.corrections import MAX_ROWS, CorrectionRow


class _MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def clean(self, value: Any) -> date | None:
        text = super().clean(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("月は YYYY-MM の形式で入力してください。"))
        return month


class CloseStepForm(forms.Form):
    """本人確認・取り消し・締め (one employee's month)."""

    month = _MonthField(label=_("月"))
    reason = forms.CharField(label=_("メモ"), required=False, max_length=500)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ReopenForm(CloseStepForm):
    reason = forms.CharField(
        label=_("締めの解除の理由"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("例: 打刻修正申請の承認のため")}),
    )


class BoardFilterForm(forms.Form):
    month = _MonthField(label=_("月"), required=False)
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[
            ("", _("すべて")),
            ("unconfirmed", _("本人未確認")),
            ("confirmed", _("確認済み(未締め)")),
            ("open", _("未締め")),
            ("locked", _("締め済み")),
        ],
    )


class BulkLockForm(forms.Form):
    month = _MonthField(label=_("月"))
    scope = forms.ChoiceField(
        label=_("締める社員"),
        choices=[
            ("confirmed", _("本人確認が済んだ社員だけ")),
            ("all", _("全員(本人確認がない社員も締め、そのことを記録する)")),
        ],
        initial="confirmed",
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(
        label=_("締めた月は、打刻・打刻の取込・打刻修正・休暇の登録ができなくなることを確認しました。"),
        required=True,
    )


# ------------------------------------------------------------------------------ corrections
KIND_CHOICES = [("", "—"), *PunchKind.choices]


class CorrectionRowForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=KIND_CHOICES, required=False)
    time = forms.CharField(
        label=_("時刻"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"placeholder": "9:00", "inputmode": "numeric", "size": 6}),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not data.get("kind") and not (data.get("time") or "").strip()

    def row(self) -> CorrectionRow:
        return CorrectionRow(
            kind=self.cleaned_data.get("kind") or "", time=(self.cleaned_data.get("time") or "").strip()
        )


RowFormSet = forms.formset_factory(
    CorrectionRowForm, extra=2, can_delete=True, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
)


def rows_of(formset: Any) -> tuple[list[CorrectionRow], list[int]]:
    """The kept rows (neither blank nor ticked 削除) and their indexes in the formset."""
    rows, kept = [], []
    for i, f in enumerate(formset.forms):
        if f.cleaned_data.get("DELETE") or f.is_blank():
            continue
        rows.append(f.row())
        kept.append(i)
    return rows, kept


class CorrectionForm(forms.Form):
    work_date = forms.DateField(label=_("勤務日"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("修正の理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("例: 退勤の打刻を忘れたため(18:30に退勤)")}),
    )


class CorrectionFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *RequestState.choices]
    )
    month = _MonthField(label=_("勤務月"), required=False)
