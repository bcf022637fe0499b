"""勤怠 screens: the punch button (打刻) for every employee, the settings for 人事, and the
勤怠の法定計算 simulator where figures go in and each step comes out with the rule it applies
(the same functions payroll and the timesheets use; nothing is saved)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import client_ip, membership_required, role_required

from . import rules, selectors, services
from .forms import (
    AttendanceSettingsForm,
    HourlyWageForm,
    OvertimeLimitsForm,
    PaidLeaveForm,
    PremiumPayForm,
    PunchForm,
)
from .models import PunchKind, PunchSource
from .permissions import SETTINGS_ROLES
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


def _source(request: HttpRequest) -> str:
    """A phone's browser says "Mobi" in its User-Agent (iOS and Android alike)."""
    return PunchSource.MOBILE if "Mobi" in request.META.get("HTTP_USER_AGENT", "") else PunchSource.WEB


@membership_required
def punch_page(request: HttpRequest) -> HttpResponse:
    """The button and the last days. Someone without an employee record is told why they cannot punch."""
    return _punch_page(request, None)


def _punch_page(request: HttpRequest, form: PunchForm | None) -> HttpResponse:
    board = selectors.punch_board(company=request.company, membership=request.membership)  # type: ignore[attr-defined]
    labels = dict(PunchKind.choices)
    context = {
        "board": board,
        "form": form or PunchForm(),
        "buttons": [(kind, labels[kind]) for kind in board.allowed] if board else [],
    }
    return render(request, "attendance/punch.html", context, status=400 if form is not None else 200)


@require_POST
@membership_required
def record_punch(request: HttpRequest) -> HttpResponse:
    form = PunchForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            punch = services.record_punch(
                company=request.company,  # type: ignore[attr-defined]
                actor=request.user,  # type: ignore[arg-type]
                membership=request.membership,  # type: ignore[attr-defined]
                data=services.PunchInput(
                    kind=data["kind"],
                    note=data["note"] or "",
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                ),
                source=_source(request),
                ip_address=client_ip(request),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(kind)sを%(time)sに打刻しました。")
                % {"kind": punch.get_kind_display(), "time": timezone.localtime(punch.at).strftime("%H:%M")},
            )
            return redirect("attendance:punch")
    return _punch_page(request, form)


@role_required(*SETTINGS_ROLES)
def attendance_settings(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    current = selectors.settings_of(company=company)
    form = AttendanceSettingsForm(
        request.POST or None, initial={"position_enabled": current.position_enabled}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                membership=request.membership,  # type: ignore[attr-defined]
                position_enabled=form.cleaned_data["position_enabled"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("勤怠の設定を保存しました。"))
            return redirect("attendance:settings")
    events = (
        core_selectors.audit_events_for_object(
            company=company, object_type="attendance.attendancesettings", object_id=str(current.pk)
        )[:50]
        if current.pk
        else []
    )
    return render(request, "attendance/settings.html", {"form": form, "events": events})
