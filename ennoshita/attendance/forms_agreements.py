"""Forms of 36協定: the agreement (checked against the law by the service) and the dashboard's
filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_month
from ennoshita.core.models import Company
from ennoshita.people import selectors as people_selectors

from .agreement_selectors import LEVEL_FILTERS


def _hours(
    label: Any, *, required: bool = True, initial: Any = None, help_text: Any = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=999,
        max_digits=5,
        decimal_places=1,
        initial=initial,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


def department_choices(company: Company, *, blank: Any) -> list[tuple[str, str]]:
    return [("", str(blank))] + [
        (str(d.pk), "　" * depth + d.name) for d, depth in people_selectors.department_tree(company=company)
    ]


class AgreementForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("例: 2026年度 本社 36協定"))
    department = forms.TypedChoiceField(
        label=_("対象部署"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("空欄は全社。部署の協定は、その部署と下の部署の社員に全社の協定より優先して適用します。"),
    )
    start_date = forms.DateField(
        label=_("起算日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("月の初日。協定の1年はこの日から数えます。"),
    )
    end_date = forms.DateField(
        label=_("有効期間の終了日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "起算日から1年以内(労基法36条2項2号)。協定を途中で終えるときは、最後に適用した日にします。"
        ),
    )
    monthly_limit_hours = _hours(
        _("1か月の限度時間"),
        initial=Decimal(45),
        help_text=_("時間外労働の時間。45時間以内(労基法36条4項)。"),
    )
    yearly_limit_hours = _hours(
        _("1年の限度時間"),
        initial=Decimal(360),
        help_text=_("時間外労働の時間。360時間以内(労基法36条4項)。"),
    )
    special_clause = forms.BooleanField(label=_("特別条項あり"), required=False)
    special_monthly_hours = _hours(
        _("特別条項の1か月の時間"),
        required=False,
        help_text=_("時間外労働と休日労働の合計。100時間未満(労基法36条5項)。"),
    )
    special_yearly_hours = _hours(
        _("特別条項の1年の時間"),
        required=False,
        help_text=_("時間外労働の時間。720時間以内(労基法36条5項)。"),
    )
    special_months_allowed = forms.IntegerField(
        label=_("限度時間を超えられる月数"),
        required=False,
        min_value=0,
        max_value=12,
        help_text=_("1年について6か月以内(労基法36条5項)。"),
    )
    warning_percent = forms.IntegerField(
        label=_("警告する割合(%)"),
        min_value=1,
        max_value=100,
        initial=80,
        help_text=_("各上限のこの割合に達したら、本人・所属長・人事にメールで知らせます。"),
    )
    note = forms.CharField(
        label=_("メモ"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(company, blank=_("全社"))  # type: ignore[attr-defined]


class DashboardForm(forms.Form):
    month = forms.CharField(
        label=_("月"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    department = forms.TypedChoiceField(
        label=_("部署"), required=False, coerce=int, empty_value=None, choices=[("", _("すべて"))]
    )
    level = forms.ChoiceField(
        label=_("表示"),
        required=False,
        choices=list(
            zip(LEVEL_FILTERS, [_("注意・超過の人"), _("超過の人"), _("注意の人"), _("全員")], strict=True)
        ),
    )

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("すべて")), *[(str(pk), n) for pk, n in departments]]  # type: ignore[attr-defined]

    def clean_month(self) -> Any:
        text = self.cleaned_data.get("month") or ""
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("月は YYYY-MM の形式で入力してください。"))
        return month
