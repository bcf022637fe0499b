"""給与計算シミュレーター: figures go in, each calculation of payroll/rules comes out step by step
with the law, 告示 or table it applies. Nothing is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ennoshita.core.web import membership_required

from . import rules
from .forms import (
    BonusSocialInsuranceForm,
    BonusWithholdingForm,
    EmploymentInsuranceForm,
    MonthlyWithholdingForm,
    ResidentTaxForm,
    SocialInsuranceForm,
    StandardRemunerationForm,
)
from .rules import insurance, resident_tax, withholding
from .rules.steps import Step

FORMS: dict[str, type[forms.Form]] = {
    "monthly_tax": MonthlyWithholdingForm,
    "bonus_tax": BonusWithholdingForm,
    "grade": StandardRemunerationForm,
    "insurance": SocialInsuranceForm,
    "bonus_insurance": BonusSocialInsuranceForm,
    "employment": EmploymentInsuranceForm,
    "resident": ResidentTaxForm,
}


def _yen(amount: int) -> str:
    return f"{amount:,}円"


def _premiums(p: rules.Premiums) -> str:
    return (
        f"健康保険 {_yen(p.health)}{'(介護保険を含む)' if p.care_applies else ''}・"
        f"子ども・子育て支援金 {_yen(p.child_support)}・厚生年金 {_yen(p.pension)}(本人負担)"
    )


def _calculate(calc: str, data: dict[str, Any]) -> tuple[str, list[Step]]:
    if calc == "monthly_tax":
        return _yen(rules.monthly_withholding(**data)), withholding.monthly_withholding_steps(**data)
    if calc == "bonus_tax":
        return _yen(rules.bonus_withholding(**data)), withholding.bonus_withholding_steps(**data)
    if calc == "grade":
        g = rules.standard_remuneration(**data)
        text = f"健康保険 {g.health_grade}級 {_yen(g.health_standard)}・厚生年金 {g.pension_grade}級 {_yen(g.pension_standard)}"
        return text, insurance.standard_remuneration_steps(**data)
    if calc == "insurance":
        return _premiums(rules.social_insurance(**data)), insurance.social_insurance_steps(**data)
    if calc == "bonus_insurance":
        return _premiums(rules.bonus_social_insurance(**data)), insurance.bonus_social_insurance_steps(**data)
    if calc == "employment":
        return _yen(rules.employment_insurance(**data)), insurance.employment_insurance_steps(**data)
    june, monthly = rules.resident_tax_installments(**data)
    return (
        f"6月 {_yen(june)}・7月〜翌5月 各{_yen(monthly)}",
        resident_tax.resident_tax_installments_steps(**data),
    )


@membership_required
def rules_simulator(request: HttpRequest) -> HttpResponse:
    """Each form is sent by GET with ``calc`` naming it; the others show their initial values. A
    figure the rules refuse (a date no table covers, a standard amount that is no grade) is shown
    on its field."""
    calc = request.GET.get("calc", "")
    forms_by_name = {
        name: cls(request.GET if calc == name else None, prefix=name) for name, cls in FORMS.items()
    }
    context: dict[str, Any] = {"forms": forms_by_name, "calc": calc}
    form = forms_by_name.get(calc)
    status = 200
    if form is not None:
        if form.is_valid():
            try:
                context["result"], context["steps"] = _calculate(calc, form.cleaned_data)
            except ValueError as exc:
                field, _sep, message = str(exc).partition(": ")
                form.add_error(field if message and field in form.fields else None, message or str(exc))
                status = 400
        else:
            status = 400
    return render(request, "payroll/rules_simulator.html", context, status=status)
