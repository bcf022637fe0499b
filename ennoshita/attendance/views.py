"""勤怠 screens: the punch button (打刻) for every employee, the settings for 人事, and the
勤怠の法定計算 simulator where figures go in and each step comes out with the rule it applies
(the same functions payroll and the timesheets use; nothing is saved)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
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

from . import (
    agreement_selectors,
    closing_selectors,
    rules,
    selectors,
    services,
    team_selectors,
    timesheet_inputs,
    timesheet_selectors,
)
from .forms import (
    AttendanceSettingsForm,
    HourlyWageForm,
    MonthForm,
    OvertimeLimitsForm,
    PaidLeaveForm,
    PremiumPayForm,
    ProfileForm,
    PunchForm,
    PunchImportForm,
    TeamDayForm,
    WorkSystemForm,
)
from .models import PunchKind, PunchSource, WorkSystem
from .permissions import SETTINGS_ROLES
from .rules import explain
from .services.figures import read_and_keep

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
        "overtime_status": (
            read_and_keep(
                company=request.company,  # type: ignore[attr-defined]
                read=lambda hours: agreement_selectors.my_overtime_status(
                    company=request.company,  # type: ignore[attr-defined]
                    employee_id=board.employee.pk,
                    as_of=timezone.localdate(),
                    hours=hours,
                ),
            )
            if board
            else None
        ),
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


RULE_INITIAL_FIELDS = (
    "start_time",
    "end_time",
    "break_minutes",
    "statutory_holiday_rule",
    "statutory_holiday_weekday",
    "week_start_weekday",
    "national_holidays_off",
    "system",
    "core_start",
    "core_end",
    "flex_standard_minutes",
    "variable_period_start_day",
    "display_rounding_minutes",
    "overtime_requires_approval",
)


def _rule_initial(rule: Any) -> dict[str, Any]:
    return {**{f: getattr(rule, f) for f in RULE_INITIAL_FIELDS}, "workdays": list(rule.workdays)}


@role_required(*SETTINGS_ROLES)
def attendance_settings(request: HttpRequest) -> HttpResponse:
    """Working hours (就業規則の所定労働時間) of the company and of each employment type that differs,
    with the working-time system, and the position setting; each with its history. ``?type=<id>``
    edits an employment type's rule (another company's type: 404)."""
    company = request.company  # type: ignore[attr-defined]
    writer = {"company": company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]
    current = selectors.settings_of(company=company)
    by_type = timesheet_inputs.company_rules(company=company)
    types = list(people_selectors.employment_types(company=company).order_by("sort_order", "pk"))
    posted = request.POST if request.method == "POST" else None
    type_key = (posted or request.GET).get("type", "")
    employment_type = None
    if type_key:
        employment_type = next((t for t in types if str(t.pk) == type_key), None)
        if employment_type is None:
            raise Http404
    own = by_type.get(employment_type.pk if employment_type else None)
    rule = own or timesheet_inputs.rule_for(by_type, company, None)
    which = request.POST.get("form") if posted else None
    form = AttendanceSettingsForm(
        posted if which == "position" else None, initial={"position_enabled": current.position_enabled}
    )
    rule_form = WorkSystemForm(posted if which == "rule" else None, initial=_rule_initial(rule))
    back = redirect(
        f"{reverse('attendance:settings')}?type={type_key}" if type_key else "attendance:settings"
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
            services.update_work_rule(
                **writer,
                data=services.WorkRuleInput(**rule_form.cleaned_data),
                employment_type=employment_type,
            )
        except ServiceError as exc:
            apply_service_error(rule_form, exc)
        else:
            messages.success(request, _("所定労働時間を保存しました。"))
            return back
    if which == "delete_rule" and own is not None and employment_type is not None:
        try:
            services.delete_work_rule(**writer, rule=own)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("雇用形態の規則を削除しました。会社の標準の規則に従います。"))
        return redirect("attendance:settings")
    events = []
    for obj, object_type in ((current, "attendance.attendancesettings"), (own, "attendance.workrule")):
        if obj is not None and obj.pk:
            events += list(
                core_selectors.audit_events_for_object(
                    company=company, object_type=object_type, object_id=str(obj.pk)
                )[:50]
            )
    events.sort(key=lambda e: e.seq, reverse=True)
    status = 400 if (form.errors or rule_form.errors) else 200
    systems = dict(WorkSystem.choices)
    rows = [(None, _("会社の標準"), by_type.get(None))] + [(t, t.name, by_type.get(t.pk)) for t in types]
    context = {
        "form": form,
        "rule_form": rule_form,
        "rule": rule,
        "own": own,
        "events": events,
        "employment_type": employment_type,
        "type_key": type_key,
        "rule_rows": [
            {
                "type": t,
                "name": name,
                "rule": r,
                "system": systems.get(r.system if r else "standard"),
                "selected": (t.pk if t else None) == (employment_type.pk if employment_type else None),
            }
            for t, name, r in rows
        ],
    }
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


def _correction_link(employee_id: int, day: date) -> str:
    """The 打刻修正 form for the day (attendance:correction_new with ?employee=&date=)."""
    try:
        base = reverse("attendance:correction_new")
    except NoReverseMatch:  # pragma: no cover - the corrections part is not installed
        return ""
    return f"{base}?employee={employee_id}&date={day:%Y-%m-%d}"


def _shown(step: int, d: timesheet_selectors.TimesheetDay) -> tuple[str, str]:
    """出勤 and 退勤 as shown, rounded for display only when the rule says so (出勤 up, 退勤 down to
    the step); every figure uses the exact minutes (jp-rules §4.1)."""

    def fmt(moment: datetime | None, up: bool) -> str:
        if moment is None:
            return ""
        local = timezone.localtime(moment).replace(second=0, microsecond=0)
        if step:
            minutes = local.hour * 60 + local.minute
            rounded = -(-minutes // step) * step if up else minutes // step * step
            local = local.replace(hour=0, minute=0) + timedelta(minutes=rounded)
        return local.strftime("%H:%M")

    return fmt(d.first_in, True), fmt(d.last_out, False)


@membership_required
def timesheet_page(request: HttpRequest, employee_id: int | None = None) -> HttpResponse:
    """出勤簿: one's own month, or (人事) anyone's; CSV/Excel of the same rows. 人事 also sets the
    employee's 勤怠設定 (管理監督者, 比例 week) here."""
    form, month = _month_of(request)
    membership = request.membership  # type: ignore[attr-defined]
    sheet = timesheet_selectors.timesheet(
        company=request.company,  # type: ignore[attr-defined]
        membership=membership,
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
    profile_form = None
    if membership.has_any_role(*SETTINGS_ROLES):
        profile = timesheet_inputs.profile_of(company=request.company, employee_id=sheet.employee.pk)  # type: ignore[attr-defined]
        profile_form = ProfileForm(
            initial={
                "is_supervisor": profile.is_supervisor if profile else False,
                "weekly_days": profile.weekly_days if profile else None,
                "weekly_minutes": profile.weekly_minutes if profile else None,
                "annual_days": profile.annual_days if profile else None,
            }
        )
    context = {
        "form": form,
        "sheet": sheet,
        "kinds": KIND_LABELS,
        "systems": dict(WorkSystem.choices),
        "prev": (month - timedelta(days=1)).replace(day=1),
        "next": (month + timedelta(days=32)).replace(day=1),
        "label": selectors.minutes_label,
        "basis": timesheet_selectors.how_reached(sheet),
        "rows": [
            (
                d,
                _correction_link(sheet.employee.pk, d.work_date),
                *_shown(sheet.rule.display_rounding_minutes, d),
            )
            for d in sheet.days
        ],
        "profile_form": profile_form,
        "close_state": closing_selectors.month_close_state(
            company=request.company,  # type: ignore[attr-defined]
            employee_id=sheet.employee.pk,
            month=sheet.month,
            membership=membership,
        ),
        "overtime_status": read_and_keep(
            company=request.company,  # type: ignore[attr-defined]
            read=lambda hours: agreement_selectors.my_overtime_status(
                company=request.company,  # type: ignore[attr-defined]
                employee_id=sheet.employee.pk,
                as_of=min(
                    timezone.localdate(),
                    (sheet.month + timedelta(days=32)).replace(day=1) - timedelta(days=1),
                ),
                hours=hours,
            ),
        ),
    }
    return render(request, "attendance/timesheet.html", context)


@role_required(*SETTINGS_ROLES)
def employee_profile(request: HttpRequest, employee_id: int) -> HttpResponse:
    """人事: the employee's 勤怠設定 (管理監督者, 週所定労働日数・時間, 年間所定労働日数), posted from
    the 出勤簿; GET goes to the 出勤簿."""
    company = request.company  # type: ignore[attr-defined]
    employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if employee is None:
        raise Http404
    target = reverse("attendance:employee_timesheet", args=[employee.pk])
    if request.method != "POST":
        return redirect(target)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.update_attendance_profile(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                membership=request.membership,  # type: ignore[attr-defined]
                employee=employee,
                data=services.ProfileInput(**form.cleaned_data),
            )
        except ServiceError as exc:
            messages.error(
                request, "; ".join(m for ms in (exc.field_errors or {}).values() for m in ms) or exc.message
            )
        else:
            messages.success(request, _("勤怠設定を保存しました。"))
    else:
        messages.error(request, "; ".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect(target)


def _hm(minutes: int) -> str:
    return selectors.minutes_label(minutes)


def _leave_text(d: timesheet_selectors.TimesheetDay) -> str:
    return "、".join(
        f"{m.name}({ {'full': '全日', 'am': '午前半休', 'pm': '午後半休'}.get(m.unit, f'{m.hours}時間') })"
        for m in d.leave
    )


def _timesheet_rows(sheet: timesheet_selectors.Timesheet) -> Iterator[list[Any]]:
    label = selectors.minutes_label
    yield [
        "日付", "区分", "出勤", "退勤", "休憩", "実労働", "所定内", "法定内残業", "時間外", "うち深夜",
        "深夜", "法定休日", "遅刻(分)", "早退(分)", "欠勤", "備考", "予定", "休暇", "時間外(日)", "時間外(週)",
        "時間外(期間)", "未承認の時間外", "管理監督者(対象外)",
    ]  # fmt: skip
    for d in sheet.days:
        m = d.minutes
        plan = d.shift_label or (
            f"{timezone.localtime(d.scheduled_start):%H:%M}–{timezone.localtime(d.scheduled_end):%H:%M}"
            if d.scheduled_start and d.scheduled_end
            else ""
        )
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
            plan,
            _leave_text(d),
            label(m.overtime_daily),
            label(m.overtime_weekly),
            label(m.overtime_period),
            label(d.unapproved_minutes),
            label(m.exempt),
        ]
    t = sheet.totals
    yield [
        "合計", "", "", "", "", label(t.worked), label(t.scheduled), label(t.legal_overtime), label(t.overtime),
        label(t.overtime_night), label(t.night), label(t.holiday), t.late_minutes, t.early_leave_minutes,
        t.absences, "", "", "", label(t.overtime_daily), label(t.overtime_weekly), label(t.overtime_period),
        label(t.unapproved), label(t.exempt),
    ]  # fmt: skip


MONTH_HEADER = [
    "社員番号", "氏名", "雇用形態", "労働時間制度", "管理監督者", "出勤日数", "欠勤", "遅刻回数", "遅刻(分)",
    "早退回数", "早退(分)", "実労働", "所定内", "法定内残業", "時間外", "うち60時間超", "うち深夜", "深夜",
    "法定休日", "うち深夜(休日)", "所定休日労働", "時間外(月計・端数処理)", "法定休日(端数処理)",
    "深夜(端数処理)", "未承認の時間外", "不足(フレックス)", "有給休暇(日)", "無給休暇(日)", "時間単位休暇(時間)",
    "退勤なしの日",
]  # fmt: skip


def _month_rows(sheets: Iterator[timesheet_selectors.Timesheet]) -> Iterator[list[Any]]:
    """人事's export: one row per employee with the month's totals (hours as H:MM)."""
    systems = dict(WorkSystem.choices)
    yield MONTH_HEADER
    for sheet in sheets:
        e, t = sheet.employee, sheet.totals
        yield [
            e.number, f"{e.family_name} {e.given_name}", getattr(e.employment_type, "name", ""),
            str(systems.get(t.system, t.system)), "○" if t.supervisor else "", t.days_worked, t.absences,
            t.late_count, t.late_minutes, t.early_leave_count, t.early_leave_minutes, _hm(t.worked),
            _hm(t.scheduled), _hm(t.legal_overtime), _hm(t.overtime), _hm(t.overtime_over_60),
            _hm(t.overtime_night), _hm(t.night), _hm(t.holiday), _hm(t.holiday_night), _hm(t.scheduled_holiday),
            _hm(t.overtime_rounded), _hm(t.holiday_rounded), _hm(t.night_rounded), _hm(t.unapproved),
            _hm(t.shortfall), t.leave_paid_days, t.leave_unpaid_days, t.leave_hours, t.open_days,
        ]  # fmt: skip


@role_required(*timesheet_selectors.READ_ALL_ROLES)
def timesheet_export(request: HttpRequest) -> HttpResponse:
    """人事: the month's totals of every employee in service during it, as CSV (or Excel with
    ?format=xlsx)."""
    _form, month = _month_of(request)
    sheets = timesheet_selectors.month_for_everyone(company=request.company, month=month)  # type: ignore[attr-defined]
    return download(request, _month_rows(sheets), name=f"timesheets-{month:%Y%m}", title=str(_("月次勤怠")))


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
    "on_leave": _lazy("休暇"),
    "absent": _lazy("欠勤"),
    "day_off": _lazy("休日"),
}


TEAM_DAY_PAGE = 200


def _clock(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment is not None else ""


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
    labels = {key: str(text) for key, text in STATUS_LABELS.items()}
    page = Paginator(board.members, TEAM_DAY_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "board": board,
        # 人事's board has thousands of rows: 200 a page (the counts above cover everyone), each
        # row's label and times made once here
        "page_obj": page,
        "rows": [(m, labels[m.status], _clock(m.first_in), _clock(m.last_out)) for m in page.object_list],
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
