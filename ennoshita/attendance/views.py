"""勤怠の法定計算 (simulator): 人事 and 経理 enter figures and see each step with the rule it
applies — the same functions payroll and the timesheets use (attendance/rules). Nothing is saved."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ennoshita.core.web import membership_required

from . import rules
from .forms import HourlyWageForm, OvertimeLimitsForm, PaidLeaveForm, PremiumPayForm
from .rules import explain

CALCULATIONS = ("hourly", "premium", "limits", "leave")


@membership_required
def rules_simulator(request: HttpRequest) -> HttpResponse:
    """Each form is sent by GET with ``calc`` naming it; the others show their initial values."""
    calc = request.GET.get("calc", "")
    data = request.GET if calc in CALCULATIONS else None
    forms: dict[str, Any] = {
        "hourly": HourlyWageForm(data if calc == "hourly" else None, prefix="hourly"),
        "premium": PremiumPayForm(data if calc == "premium" else None, prefix="premium"),
        "limits": OvertimeLimitsForm(data if calc == "limits" else None, prefix="limits"),
        "leave": PaidLeaveForm(data if calc == "leave" else None, prefix="leave"),
    }
    context: dict[str, Any] = {"forms": forms, "calc": calc}
    form = forms.get(calc)
    status = 200
    if form is not None:
        if form.is_valid():
            context.update(_calculate(calc, form.cleaned_data))
        else:
            status = 400
    return render(request, "attendance/rules_simulator.html", context, status=status)


def _calculate(calc: str, data: dict[str, Any]) -> dict[str, Any]:
    if calc == "hourly":
        return {
            "result": f"{rules.hourly_base_wage(**data):,}円",
            "steps": explain.explain_hourly_base_wage(**data),
        }
    if calc == "premium":
        args = {k: (v if v is not None else 0) for k, v in data.items()}
        return {
            "result": f"{rules.premium_pay(**args).total:,}円",
            "steps": explain.explain_premium_pay(**args),
        }
    if calc == "limits":
        found = rules.overtime_limit_violations(**data)
        return {"violations": found, "checked": True, "steps": explain.explain_overtime_limits(**data)}
    args = {**data, "weekly_hours": data["weekly_hours"] or 0}
    return {"result": f"{rules.paid_leave_days(**args)}日", "steps": explain.explain_paid_leave(**args)}
