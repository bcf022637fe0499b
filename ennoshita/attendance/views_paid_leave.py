"""年次有給休暇 screens: 「有給休暇」 for each employee (balance, grants with expiry, days taken, the
5-day duty), and for 人事 「有給休暇の管理」: the 年5日 list (also for 所属長, their team), the
年次有給休暇管理簿 (screen, CSV, PDF), the grants (manual grants, corrections, running the grants)
and the policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required
from ennoshita.people import selectors as people_selectors

from . import paid_leave_selectors as selectors
from .forms_paid_leave import AdjustForm, GrantForm, PolicyForm, RunForm
from .pdf_paid_leave import ledger_pdf
from .services import leave_grants as services

HR = ("admin", "hr")


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _writer(request: HttpRequest) -> dict[str, Any]:
    return {**_ctx(request), "actor": request.user}


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


@membership_required
def my_paid_leave(request: HttpRequest, employee_id: int | None = None) -> HttpResponse:
    """「有給休暇」: one's own (or, for 人事 and a 所属長, a team member's) balance, grants, the dates
    taken in the current year, and the 5-day duty."""
    today = timezone.localdate()
    employee = selectors.readable_employee(**_ctx(request), employee_id=employee_id)
    company = request.company  # type: ignore[attr-defined]
    balance = selectors.leave_balance(company=company, employee_id=employee.pk, as_of=today)
    duties = selectors.five_day_duties(
        company=company, as_of=today, employee_ids=[employee.pk], include_done=True
    )
    ledger = selectors.leave_ledger(company=company, employee=employee, today=today)
    current = [y for y in ledger.years if y.granted_on <= today <= y.period_end]
    context = {
        "employee": employee,
        "balance": balance,
        "duties": duties,
        "current_year": current[-1] if current else None,
        "own": employee_id is None,
        "label": selectors.days_hours_label,
        "today": today,
    }
    return render(request, "attendance/paid_leave/mine.html", context)


@membership_required
def paid_leave_admin(request: HttpRequest) -> HttpResponse:
    """「有給休暇の管理」: links to the 年5日 list, the 管理簿, the grants and the policy."""
    if not request.membership.has_any_role(*HR):  # type: ignore[attr-defined]
        raise PermissionDeniedError()
    today = timezone.localdate()
    duties = selectors.five_day_duties(company=request.company, as_of=today)  # type: ignore[attr-defined]
    policy = selectors.policy_of(company=request.company)  # type: ignore[attr-defined]
    return render(
        request,
        "attendance/paid_leave/admin.html",
        {"short": len(duties), "policy": policy, "today": today},
    )


@membership_required
def five_day_list(request: HttpRequest) -> HttpResponse:
    """年5日取得義務: who must still take how many days by when (人事: everyone; 所属長: the team),
    by deadline; CSV and Excel."""
    today = timezone.localdate()
    include_done = request.GET.get("all") == "1"
    duties = selectors.five_day_list(**_ctx(request), as_of=today, include_done=include_done)
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(request, _duty_rows(duties), name="five-days", title=str(_("年5日の取得状況")))
    return render(
        request,
        "attendance/paid_leave/five_days.html",
        {"duties": duties, "today": today, "include_done": include_done},
    )


def _duty_rows(duties: list[selectors.FiveDayDuty]) -> Iterator[list[Any]]:
    yield [
        "社員番号",
        "氏名",
        "期間の始まり",
        "期限",
        "必要日数",
        "取得済み",
        "承認済み(予定)",
        "残り",
        "最後の通知",
    ]
    for d in duties:
        yield [
            d.number,
            d.name,
            d.start,
            d.deadline,
            d.required,
            d.taken,
            d.scheduled,
            d.still_needed,
            d.warned_on or "",
        ]


@membership_required
def ledger_index(request: HttpRequest) -> HttpResponse:
    """人事: the employees, searchable, each with a link to their 管理簿."""
    q = request.GET.get("q", "")[:100]
    employees = selectors.ledger_index(**_ctx(request), q=q)
    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    return render(request, "attendance/paid_leave/ledger_index.html", {"q": q, "page_obj": page})


@membership_required
def leave_ledger(request: HttpRequest, employee_id: int | None = None) -> HttpResponse:
    """年次有給休暇管理簿 (則24条の7): 基準日, 日数, each date taken; one's own, anyone's for 人事.
    ?year=YYYY for the 基準日 of one year; ?format=csv|xlsx|pdf."""
    company = request.company  # type: ignore[attr-defined]
    employee = selectors.ledger_employee(**_ctx(request), employee_id=employee_id)
    today = timezone.localdate()
    year = _year(request)
    ledger = selectors.leave_ledger(company=company, employee=employee, year=year, today=today)
    fmt = request.GET.get("format")
    name = f"leave-ledger-{employee.number}{'-' + str(year) if year else ''}"
    if fmt == "pdf":
        response = HttpResponse(
            ledger_pdf(company=company, ledger=ledger, year=year), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt in ("csv", "xlsx"):
        return download(request, _ledger_rows(ledger), name=name, title=str(_("年次有給休暇管理簿")))
    years = list(range(today.year, today.year - selectors.RETENTION_YEARS - 1, -1))
    return render(
        request,
        "attendance/paid_leave/ledger.html",
        {"ledger": ledger, "year": year, "years": years, "own": employee_id is None},
    )


def _ledger_rows(ledger: selectors.LeaveLedger) -> Iterator[list[Any]]:
    yield [
        "社員番号",
        "氏名",
        "基準日",
        "期間の終わり",
        "付与日数",
        "有効期限",
        "取得日",
        "単位",
        "日数",
        "時間数",
        "計画的付与",
    ]
    e = ledger.employee
    for y in ledger.years:
        base = [e.number, f"{e.family_name} {e.given_name}", y.granted_on, y.period_end, y.days, y.expires_on]
        if not y.taken:
            yield [*base, "", "", "", "", ""]
        for d in y.taken:
            yield [*base, d.date, d.unit_label, d.days, d.hours, "○" if d.planned else ""]


@role_required(*HR)
def leave_policy(request: HttpRequest) -> HttpResponse:
    """The company's 年休 settings: 基準日, the first grant, 時間単位年休, the warning lead time."""
    policy = selectors.policy_of(company=request.company)  # type: ignore[attr-defined]
    initial = {f: getattr(policy, f) for f in services.POLICY_FIELDS}
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_policy(**_writer(request), data=services.PolicyInput(**form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("年次有給休暇の設定を保存しました。"))
            return redirect("attendance:leave_policy")
    events = []
    if policy.pk:
        events = list(
            core_selectors.audit_events_for_object(
                company=request.company,  # type: ignore[attr-defined]
                object_type="attendance.leavepolicy",
                object_id=str(policy.pk),
            )[:50]
        )
    status = 400 if form.errors else 200
    return render(
        request, "attendance/paid_leave/policy.html", {"form": form, "events": events}, status=status
    )


@role_required(*HR)
def leave_grants(request: HttpRequest) -> HttpResponse:
    """人事: the grants (search by 社員番号・氏名, year), CSV; add a grant by hand; run the grants."""
    company = request.company  # type: ignore[attr-defined]
    q = request.GET.get("q", "")[:100]
    year = _year(request)
    qs = selectors.employee_grants(company=company, year=year)
    if q:
        ids = list(selectors.ledger_index(**_ctx(request), q=q).values_list("pk", flat=True))
        qs = qs.filter(employee_id__in=ids)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee = people_selectors.employees_by_number(company=company).get(data["number"].strip())
        if employee is None:
            form.add_error("number", _("この社員番号の社員はいません。"))
        else:
            try:
                services.add_grant(
                    **_writer(request),
                    employee_id=employee.pk,
                    granted_on=data["granted_on"],
                    days=data["days"],
                    note=data["note"],
                    expires_on=data["expires_on"],
                    migrated=data["migrated"],
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("付与を登録しました。"))
                return redirect("attendance:leave_grants")
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(request, _grant_rows(qs), name="leave-grants", title=str(_("休暇の付与")))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    status = 400 if form.errors else 200
    context = {
        "page_obj": page,
        "q": q,
        "year": year,
        "form": form,
        "run_form": RunForm(initial={"as_of": timezone.localdate()}),
    }
    return render(request, "attendance/paid_leave/grants.html", context, status=status)


def _grant_rows(qs: Any) -> Iterator[list[Any]]:
    yield ["社員番号", "氏名", "休暇", "付与日", "有効期限", "日数", "方法", "勤続月数", "出勤率", "メモ"]
    for g in qs:
        yield [
            g.employee.number,
            f"{g.employee.family_name} {g.employee.given_name}",
            g.leave_type.name,
            g.granted_on,
            g.expires_on,
            g.days,
            g.get_source_display(),
            g.service_months or "",
            g.attendance_rate if g.attendance_rate is not None else "",
            g.note,
        ]


@require_POST
@role_required(*HR)
def run_grants(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("日付を入力してください。"))
        return redirect("attendance:leave_grants")
    result = services.grant_paid_leave(**_writer(request), as_of=form.cleaned_data["as_of"])
    messages.success(
        request,
        _("%(n)d件を付与しました(出勤率8割未満 %(z)d件)。")
        % {"n": result.granted, "z": result.not_qualified},
    )
    return redirect("attendance:leave_grants")


@role_required(*HR)
def grant_adjust(request: HttpRequest, grant_id: int) -> HttpResponse:
    """人事 corrects one grant's days with a reason; the grant's history below."""
    company = request.company  # type: ignore[attr-defined]
    grant = selectors.get_grant(company=company, grant_id=grant_id)
    form = AdjustForm(request.POST or None, initial={"days": grant.days, "note": grant.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.adjust_grant(**_writer(request), grant_id=grant.pk, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("付与日数を修正しました。"))
            return redirect("attendance:leave_grants")
    events = list(
        core_selectors.audit_events_for_object(
            company=company, object_type="attendance.leavegrant", object_id=str(grant.pk)
        )[:50]
    )
    status = 400 if form.errors else 200
    return render(
        request,
        "attendance/paid_leave/grant_adjust.html",
        {"grant": grant, "form": form, "events": events},
        status=status,
    )
