"""Forms of the welfare screens: the catalogue's filters and form, the application, the lists'
filters. They parse; the services decide (and their refusals land on these fields)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.affairs.models import Benefit, BenefitCategory, BenefitUseStatus
from ennoshita.affairs.services import welfare as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CATEGORY_CHOICES = [("", _("すべて")), *BenefitCategory.choices]
STATUS_CHOICES = [("", _("すべて")), *BenefitUseStatus.choices]


def year_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class BenefitFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("区分"), required=False, choices=CATEGORY_CHOICES)


class BenefitManageFilterForm(BenefitFilterForm):
    active = forms.ChoiceField(
        label=_("受付"),
        required=False,
        choices=[("", _("すべて")), ("1", _("受付中")), ("0", _("受付停止"))],
    )


class BenefitForm(forms.Form):
    code = forms.CharField(label=_("制度コード"), max_length=30)
    name = forms.CharField(label=_("制度名"), max_length=200)
    category = forms.ChoiceField(label=_("区分"), choices=BenefitCategory.choices)
    description = forms.CharField(
        label=_("内容・規程"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    eligible_employment_types = forms.MultipleChoiceField(
        label=_("対象の雇用形態"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければ全社員が対象です。"),
    )
    min_service_months = forms.IntegerField(label=_("必要な勤続月数"), min_value=0, max_value=600, initial=0)
    yearly_amount_limit = forms.IntegerField(
        label=_("年間の上限額(円)"), required=False, min_value=1, help_text=_("空欄: 上限なし")
    )
    yearly_count_limit = forms.IntegerField(
        label=_("年間の上限回数"), required=False, min_value=1, max_value=366, help_text=_("空欄: 上限なし")
    )
    requires_approval = forms.BooleanField(label=_("承認が必要(所属長 → 総務)"), required=False, initial=True)

    def __init__(self, *args: Any, employment_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["eligible_employment_types"].choices = employment_types  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(benefit: Benefit) -> dict[str, Any]:
        return {
            "code": benefit.code,
            "name": benefit.name,
            "category": benefit.category,
            "description": benefit.description,
            "eligible_employment_types": benefit.eligible_employment_types,
            "min_service_months": benefit.min_service_months,
            "yearly_amount_limit": benefit.yearly_amount_limit,
            "yearly_count_limit": benefit.yearly_count_limit,
            "requires_approval": benefit.requires_approval,
        }

    def data_input(self) -> services.BenefitInput:
        d = self.cleaned_data
        limit = d.get("yearly_amount_limit")
        return services.BenefitInput(
            code=d["code"],
            name=d["name"],
            category=d["category"],
            description=d.get("description") or "",
            eligible_employment_types=list(d.get("eligible_employment_types") or []),
            min_service_months=d["min_service_months"],
            yearly_amount_limit=None if limit is None else Decimal(limit),
            yearly_count_limit=d.get("yearly_count_limit"),
            requires_approval=bool(d.get("requires_approval")),
        )


class ApplyForm(forms.Form):
    employee = forms.TypedChoiceField(
        label=_("対象の社員"), coerce=int, required=False, choices=[], empty_value=None
    )
    used_on = forms.DateField(label=_("利用日"), widget=DATE)
    amount = forms.IntegerField(label=_("金額(円)"), min_value=0, initial=0, max_value=99999999)
    detail = forms.CharField(
        label=_("内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, employees: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if employees is None:
            del self.fields["employee"]
        else:
            self.fields["employee"].choices = [("", _("自分")), *employees]  # type: ignore[attr-defined]


class UseFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    scope = forms.ChoiceField(
        label=_("対象"), required=False, choices=[("mine", _("自分の申請")), ("all", _("全社員"))]
    )
    status = forms.ChoiceField(label=_("状態"), required=False, choices=STATUS_CHOICES)
    benefit = forms.TypedChoiceField(
        label=_("制度"), required=False, coerce=int, choices=[], empty_value=None
    )
    year = year_field()

    def __init__(self, *args: Any, benefits: list[tuple[int, str]], manager: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["benefit"].choices = [("", _("すべて")), *benefits]  # type: ignore[attr-defined]
        if not manager:
            del self.fields["scope"]


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=_("社員"), required=False, max_length=100)
    year = year_field()
    department = forms.TypedChoiceField(
        label=_("部署"), required=False, coerce=int, choices=[], empty_value=None
    )
    benefit = forms.TypedChoiceField(
        label=_("制度"), required=False, coerce=int, choices=[], empty_value=None
    )

    def __init__(
        self, *args: Any, departments: list[tuple[str, str]], benefits: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("すべて")), *departments]  # type: ignore[attr-defined]
        self.fields["benefit"].choices = [("", _("すべて")), *benefits]  # type: ignore[attr-defined]
