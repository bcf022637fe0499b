"""勤怠 screens: the punch button (打刻) for every employee, the settings for 人事, and the
勤怠の法定計算 simulator where figures go in and each step comes out with the rule it applies
(the same functions payroll and the timesheets use; nothing is saved)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import client_ip, membership_required, role_required
from ennoshita.people import selectors as people_selectors

from . import rules, selectors, services, team_selectors, timesheet_selectors
from .forms import (
    AttendanceSettingsForm,
    HourlyWageForm,
    MonthForm,
    OvertimeLimitsForm,
    PaidLeaveForm,
    PremiumPayForm,
    PunchForm,
    PunchImportForm,
    TeamDayForm,
    WorkRuleForm,
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
    """Working hours (就業規則の所定労働時間) and the position setting, each with its history."""
    company = request.company  # type: ignore[attr-defined]
    writer = {"company": company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]
    current = selectors.settings_of(company=company)
    rule = timesheet_selectors.work_rule_of(company=company)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    form = AttendanceSettingsForm(
        posted if which == "position" else None, initial={"position_enabled": current.position_enabled}
    )
    rule_form = WorkRuleForm(
        posted if which == "rule" else None,
        initial={
            "start_time": rule.start_time,
            "end_time": rule.end_time,
            "break_minutes": rule.break_minutes,
            "workdays": list(rule.workdays),
            "statutory_holiday_weekday": rule.statutory_holiday_weekday,
            "week_start_weekday": rule.week_start_weekday,
            "national_holidays_off": rule.national_holidays_off,
        },
    )
    if which == "position" and form.is_valid():
        try:
            services.update_settings(**writer, position_enabled=form.cleaned_data["position_enabled"])
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("勤怠の設定を保存しました。"))
            return redirect("attendance:settings")
    if which == "rule" and rule_form.is_valid():
        try:
            services.update_work_rule(**writer, data=services.WorkRuleInput(**rule_form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(rule_form, exc)
        else:
            messages.success(request, _("所定労働時間を保存しました。"))
            return redirect("attendance:settings")
    events = []
    for obj, object_type in ((current, "attendance.attendancesettings"), (rule, "attendance.workrule")):
        if obj.pk:
            events += list(
                core_selectors.audit_events_for_object(
                    company=company, object_type=object_type, object_id=str(obj.pk)
                )[:50]
            )
    events.sort(key=lambda e: e.seq, reverse=True)
    status = 400 if (form.errors or rule_form.errors) else 200
    context = {"form": form, "rule_form": rule_form, "rule": rule, "events": events}
    return render(request, "attendance/settings.html", context, status=status)


KIND_LABELS = {
    "workday": _lazy("出勤日"),
    "scheduled_holiday": _lazy("所定休日"),
    "statutory_holiday": _lazy("法定休日"),
}


def _month_of(request: HttpRequest) -> tuple[MonthForm, date]:
    form = MonthForm(request.GET or None)
    month = timezone.localdate().replace(day=1)
    if form.is_valid() and form.cleaned_data["month"]:
        month = form.cleaned_data["month"]
    return form, month


@membership_required
def timesheet_page(request: HttpRequest, employee_id: int | None = None) -> HttpResponse:
    """出勤簿: one's own month, or (人事) anyone's; CSV/Excel of the same rows."""
    form, month = _month_of(request)
    sheet = timesheet_selectors.timesheet(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        month=month,
        employee_id=employee_id,
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(
            request,
            _timesheet_rows(sheet),
            name=f"timesheet-{sheet.employee.number}-{month:%Y%m}",
            title=str(_("出勤簿")),
        )
    context = {
        "form": form,
        "sheet": sheet,
        "kinds": KIND_LABELS,
        "prev": (month - timedelta(days=1)).replace(day=1),
        "next": (month + timedelta(days=32)).replace(day=1),
        "label": selectors.minutes_label,
    }
    return render(request, "attendance/timesheet.html", context)


def _timesheet_rows(sheet: timesheet_selectors.Timesheet) -> Iterator[list[Any]]:
    label = selectors.minutes_label
    yield [
        "日付", "区分", "出勤", "退勤", "休憩", "実労働", "所定内", "法定内残業", "時間外", "うち深夜",
        "深夜", "法定休日", "遅刻(分)", "早退(分)", "欠勤", "備考",
    ]  # fmt: skip
    for d in sheet.days:
        m = d.minutes
        yield [
            d.work_date,
            f"{KIND_LABELS[d.kind]}{' ' + d.holiday_name if d.holiday_name else ''}",
            timezone.localtime(d.first_in).strftime("%H:%M") if d.first_in else "",
            timezone.localtime(d.last_out).strftime("%H:%M") if d.last_out else "",
            label(d.break_minutes),
            label(m.worked),
            label(m.scheduled),
            label(m.legal_overtime),
            label(m.overtime),
            label(m.overtime_night),
            label(m.night),
            label(m.holiday),
            d.late_minutes,
            d.early_leave_minutes,
            "欠勤" if d.absent else "",
            "; ".join([*(["退勤の打刻なし"] if d.open else []), *d.problems]),
        ]
    t = sheet.totals
    yield [
        "合計", "", "", "", "", label(t.worked), label(t.scheduled), label(t.legal_overtime), label(t.overtime),
        label(t.overtime_night), label(t.night), label(t.holiday), t.late_minutes, t.early_leave_minutes,
        t.absences, "",
    ]  # fmt: skip


@role_required(*timesheet_selectors.READ_ALL_ROLES)
def timesheet_index(request: HttpRequest) -> HttpResponse:
    """人事: the employees in service, each with a link to the month's 出勤簿."""
    form, month = _month_of(request)
    q = request.GET.get("q", "")[:100]
    employees = people_selectors.employee_list(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        q=q,
    )
    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    return render(
        request, "attendance/timesheet_index.html", {"form": form, "month": month, "q": q, "page_obj": page}
    )


STATUS_LABELS = {
    "working": _lazy("勤務中"),
    "on_break": _lazy("休憩中"),
    "done": _lazy("退勤済"),
    "not_in": _lazy("未出勤"),
    "absent": _lazy("欠勤"),
    "day_off": _lazy("休日"),
}


@membership_required
def team_day_page(request: HttpRequest) -> HttpResponse:
    """チームの勤怠: the day's status of everyone a 所属長 heads (人事: everyone, or a department)."""
    form = TeamDayForm(request.GET or None)
    day = department_id = None
    if form.is_valid():
        day = form.cleaned_data["day"]
        department_id = form.cleaned_data["department"]
    board = team_selectors.team_day(
        company=request.company,  # type: ignore[attr-defined]
        membership=request.membership,  # type: ignore[attr-defined]
        day=day,
        department_id=department_id,
    )
    context = {
        "form": form,
        "board": board,
        "labels": STATUS_LABELS,
        "kinds": KIND_LABELS,
        "chips": [(key, STATUS_LABELS[key], board.counts[key]) for key in team_selectors.STATUSES],
    }
    return render(request, "attendance/team_day.html", context)


@role_required(*SETTINGS_ROLES)
def punch_import(request: HttpRequest) -> HttpResponse:
    """打刻の取込 (人事): a CSV of whole work days, all rows checked before anything is written."""
    form = PunchImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.import_punches(
                    company=request.company,  # type: ignore[attr-defined]
                    actor=request.user,  # type: ignore[arg-type]
                    membership=request.membership,  # type: ignore[attr-defined]
                    data=form.cleaned_data["file"].read(),
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(n)d件の打刻を%(e)d人分取り込みました。")
                    % {"n": result.punches, "e": result.employees},
                )
                return redirect("attendance:punch_import")
        status = 400
    return render(request, "attendance/punch_import.html", {"form": form}, status=status)
