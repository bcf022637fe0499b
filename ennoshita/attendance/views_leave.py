"""休暇 screens: the employee's 「休暇申請」 (own list, balances, a new request on a phone), a
request's page (state, approval history, 取り消し), 「休暇申請一覧」 for 人事 and 所属長 (filters,
search, CSV), 「休暇の種類」 and 計画的付与 for 人事."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required

from . import leave_selectors
from .forms_leave import CancelForm, LeaveFilterForm, LeaveRequestForm, LeaveTypeForm, PlanForm
from .models import LeaveRequest
from .services import leave as leave_services

HR = leave_services.LEAVE_ADMIN_ROLES


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _writer(request: HttpRequest) -> dict[str, Any]:
    return {**_ctx(request), "actor": request.user}


@membership_required
def leave_list(request: HttpRequest) -> HttpResponse:
    """休暇申請: one's own requests and balances, with the button to a new request."""
    ctx = _ctx(request)
    scope = leave_selectors.scope_of(**ctx)
    page = Paginator(leave_selectors.own_requests(**ctx), 30).get_page(request.GET.get("page"))
    balance = None
    if scope.own_id is not None:
        balance = leave_selectors.balance_summary(company=ctx["company"], employee_id=scope.own_id)
    context = {"page_obj": page, "balance": balance, "has_record": scope.own_id is not None, "scope": scope}
    return render(request, "attendance/leave/list.html", context)


def _input(data: dict[str, Any]) -> leave_services.LeaveInput:
    return leave_services.LeaveInput(
        leave_type_id=data["leave_type"],
        unit=data["unit"],
        start_date=data["start_date"],
        end_date=data.get("end_date"),
        start_time=data.get("start_time"),
        end_time=data.get("end_time"),
        reason=data.get("reason") or "",
    )


@membership_required
def leave_new(request: HttpRequest) -> HttpResponse:
    """A new request: type, unit (全日・午前・午後・時間), dates or times, reason; 人事 may choose the
    employee. Refusals show on their field and nothing is written."""
    ctx = _ctx(request)
    is_hr = request.membership.has_any_role(*HR)  # type: ignore[attr-defined]
    employees = leave_selectors.employee_choices(company=ctx["company"]) if is_hr else None
    form = LeaveRequestForm(
        request.POST or None,
        types=leave_selectors.leave_types(company=ctx["company"], active_only=True),
        employees=employees,
        initial={"start_date": request.GET.get("date") or timezone.localdate()},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                leave = leave_services.request_leave(
                    **_writer(request),
                    data=_input(form.cleaned_data),
                    employee_id=form.cleaned_data.get("employee"),
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("休暇を申請しました。承認をお待ちください。"))
                return redirect("attendance:leave_detail", pk=leave.pk)
        return render(request, "attendance/leave/form.html", {"form": form}, status=400)
    return render(request, "attendance/leave/form.html", {"form": form})


def _detail(request: HttpRequest, leave: LeaveRequest, cancel_form: CancelForm | None = None) -> HttpResponse:
    from ennoshita.approvals.views import panel_context

    ctx = _ctx(request)
    scope = leave_selectors.scope_of(**ctx)
    today = timezone.localdate()
    events = core_selectors.audit_events_for_object(
        company=ctx["company"], object_type="attendance.leaverequest", object_id=str(leave.pk)
    )[:50]
    context = {
        "leave": leave,
        "summary": leave_services.describe(leave),
        "can_cancel": leave_services.can_cancel(
            membership=ctx["membership"], leave=leave, own_employee_id=scope.own_id, today=today
        ),
        "cancel_form": cancel_form or CancelForm(),
        "events": events,
        **panel_context(request, request_type=leave_services.REQUEST_TYPE, object_id=leave.pk),
    }
    panel = context.get("approval_panel")
    context["can_resubmit"] = (
        leave.state == "returned" and panel is not None and panel["approval"].applicant_id == request.user.pk
    )
    return render(request, "attendance/leave/detail.html", context, status=400 if cancel_form else 200)


@membership_required
def leave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    leave = leave_selectors.get_leave_request(**_ctx(request), request_id=pk)
    return _detail(request, leave)


@require_POST
@membership_required
def leave_cancel(request: HttpRequest, pk: int) -> HttpResponseBase:
    leave = leave_selectors.get_leave_request(**_ctx(request), request_id=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            leave_services.cancel_leave_request(
                **_writer(request), request_id=leave.pk, reason=form.cleaned_data["reason"]
            )
        except PermissionDeniedError as exc:
            form.add_error(None, exc.message)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("休暇申請を取り消しました。"))
            return redirect("attendance:leave_detail", pk=leave.pk)
    return _detail(request, leave, cancel_form=form)


@require_POST
@membership_required
def leave_resubmit(request: HttpRequest, pk: int) -> HttpResponseBase:
    leave = leave_selectors.get_leave_request(**_ctx(request), request_id=pk)
    try:
        leave_services.resubmit_leave_request(**_writer(request), request_id=leave.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("再申請しました。"))
    return redirect("attendance:leave_detail", pk=leave.pk)


@membership_required
def leave_all(request: HttpRequest) -> HttpResponse:
    """休暇申請一覧: 人事 everyone, a 所属長 their team (403 for anyone else); CSV/Excel of the rows."""
    ctx = _ctx(request)
    scope = leave_selectors.scope_of(**ctx)
    if not scope.everyone and not scope.is_manager:
        raise PermissionDeniedError()
    company = ctx["company"]
    form = LeaveFilterForm(
        request.GET or None,
        types=leave_selectors.leave_types(company=company),
        departments=leave_selectors.department_choices(company=company),
    )
    filters = leave_selectors.ListFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = leave_selectors.ListFilters(
            state=d["state"] or "",
            leave_type_id=d["leave_type"],
            department_id=d["department"],
            month=d["month"],
            q=d["q"] or "",
        )
    rows = leave_selectors.leave_request_list(**ctx, filters=filters)
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(request, _csv_rows(rows), name="leave-requests", title=_("休暇申請一覧"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "attendance/leave/all.html",
        {"form": form, "page_obj": page, "query": query.urlencode(), "scope": scope},
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


def _csv_rows(rows: Any) -> Iterator[list[Any]]:
    yield [
        "申請ID", "社員番号", "氏名", "休暇の種類", "単位", "開始日", "終了日", "開始時刻", "終了時刻",
        "日数", "時間数", "状態", "計画的付与", "理由", "申請日時", "取り消しの理由",
    ]  # fmt: skip
    for r in rows.iterator(chunk_size=500):
        yield [
            r.pk,
            r.employee.number,
            f"{r.employee.family_name} {r.employee.given_name}",
            r.leave_type.name,
            r.get_unit_display(),
            r.start_date,
            r.end_date,
            f"{r.start_time:%H:%M}" if r.start_time else "",
            f"{r.end_time:%H:%M}" if r.end_time else "",
            r.days,
            r.hours,
            r.get_state_display(),
            "○" if r.planned else "",
            r.reason,
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            r.cancel_reason,
        ]


def _type_input(data: dict[str, Any]) -> leave_services.LeaveTypeInput:
    return leave_services.LeaveTypeInput(
        name=data["name"],
        paid=data["paid"],
        has_balance=data["has_balance"],
        allow_half_day=data["allow_half_day"],
        allow_hourly=data["allow_hourly"],
        counts_as_attended=data["counts_as_attended"],
        expiry_months=data["expiry_months"],
        is_active=data["is_active"],
        sort_order=data["sort_order"],
        code=data.get("code") or "",
        kind=data.get("kind") or "other",
    )


@role_required(*HR)
def leave_types(request: HttpRequest) -> HttpResponse:
    """休暇の種類: the company's types (seeded on first use) and a form to add one."""
    company = request.company  # type: ignore[attr-defined]
    form = LeaveTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave_services.create_leave_type(**_writer(request), data=_type_input(form.cleaned_data))
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("休暇の種類を追加しました。"))
            return redirect("attendance:leave_types")
    types = leave_selectors.leave_types(company=company)
    status = 400 if request.method == "POST" else 200
    return render(request, "attendance/leave/types.html", {"types": types, "form": form}, status=status)


@role_required(*HR)
def leave_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    leave_type = leave_selectors.get_leave_type(company=company, leave_type_id=pk)
    initial = {
        f: getattr(leave_type, f)
        for f in (
            "code",
            "kind",
            "name",
            "paid",
            "has_balance",
            "allow_half_day",
            "allow_hourly",
            "counts_as_attended",
            "expiry_months",
            "is_active",
            "sort_order",
        )
    }
    form = LeaveTypeForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            leave_services.update_leave_type(
                **_writer(request), leave_type_id=leave_type.pk, data=_type_input(form.cleaned_data)
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("休暇の種類を保存しました。"))
            return redirect("attendance:leave_types")
    events = core_selectors.audit_events_for_object(
        company=company, object_type="attendance.leavetype", object_id=str(leave_type.pk)
    )[:50]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "attendance/leave/type_form.html",
        {"form": form, "leave_type": leave_type, "events": events},
        status=status,
    )


@require_POST
@role_required(*HR)
def leave_type_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    leave_type = leave_selectors.get_leave_type(company=request.company, leave_type_id=pk)  # type: ignore[attr-defined]
    try:
        leave_services.delete_leave_type(**_writer(request), leave_type_id=leave_type.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("attendance:leave_type_edit", pk=leave_type.pk)
    messages.success(request, _("休暇の種類を削除しました。"))
    return redirect("attendance:leave_types")


@role_required(*HR)
def leave_plan(request: HttpRequest) -> HttpResponse:
    """計画的付与 (労基法39条6項): a day of 年次有給休暇 for chosen employees or a department."""
    company = request.company  # type: ignore[attr-defined]
    form = PlanForm(
        request.POST or None,
        departments=leave_selectors.department_choices(company=company),
        employees=leave_selectors.employee_choices(company=company),
    )
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                created = leave_services.plan_annual_leave(
                    **_writer(request),
                    day=d["day"],
                    employee_ids=d["employees"] or [],
                    department_id=d["department"],
                    reason=d["reason"] or "",
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("%(n)d人に計画的付与を登録しました。") % {"n": len(created)})
                return redirect("attendance:leave_all")
        return render(request, "attendance/leave/plan.html", {"form": form}, status=400)
    return render(request, "attendance/leave/plan.html", {"form": form})
