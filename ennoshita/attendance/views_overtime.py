"""残業申請 screens: my requests and my team's (所属長; 人事 everyone) with filters and CSV, the
form (before or after the fact; 人事 for any employee), and a request with its approval."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required
from ennoshita.people import selectors as people_selectors

from . import overtime_selectors
from .forms import OvertimeFilterForm, OvertimeRequestForm
from .rules.workday import TOKYO
from .services import overtime as overtime_services


def _reader(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _may_see_team(request: HttpRequest) -> bool:
    membership = request.membership  # type: ignore[attr-defined]
    return membership.has_any_role(*overtime_selectors.ALL_ROLES) or bool(
        overtime_selectors.team_employee_ids(**_reader(request))
    )


@membership_required
def overtime_list(request: HttpRequest) -> HttpResponse:
    form = OvertimeFilterForm(request.GET or None)
    sees_team = _may_see_team(request)
    scope = "team" if sees_team and request.GET.get("scope") == "team" else "mine"
    q = state = ""
    if form.is_valid():
        q, state = form.cleaned_data["q"], form.cleaned_data["state"]
    rows = overtime_selectors.visible_requests(**_reader(request), scope=scope, q=q, state=state)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(request, _csv(rows), name="overtime-requests", title=str(_("残業申請")))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "form": form,
        "scope": scope,
        "sees_team": sees_team,
        "page_obj": Paginator(rows, 50).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }
    return render(request, "attendance/overtime/list.html", context)


def _csv(rows: Any) -> Iterator[list[Any]]:
    yield ["番号", "社員番号", "氏名", "勤務日", "開始", "終了", "事後申請", "状態", "理由", "申請日時"]
    for r in rows:
        yield [
            r.pk,
            r.employee.number,
            f"{r.employee.family_name} {r.employee.given_name}",
            r.work_date,
            timezone.localtime(r.start_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(r.end_at).strftime("%Y-%m-%d %H:%M"),
            "事後" if r.after_the_fact else "事前",
            r.get_state_display(),
            r.reason,
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ]


@membership_required
def overtime_new(request: HttpRequest) -> HttpResponse:
    initial = {"work_date": request.GET.get("date") or timezone.localdate()}
    form = OvertimeRequestForm(request.POST or None, initial=initial)
    is_hr = request.membership.has_any_role(*overtime_selectors.ALL_ROLES)  # type: ignore[attr-defined]
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            employee_id = None
            if data["employee_number"] and is_hr:
                numbers = people_selectors.employees_by_number(company=request.company)  # type: ignore[attr-defined]
                found = numbers.get(data["employee_number"])
                employee_id = found.pk if found is not None else -1
            start = datetime.combine(data["work_date"], data["start_time"], TOKYO)
            end = datetime.combine(data["work_date"], data["end_time"], TOKYO)
            if end <= start:
                end += timedelta(days=1)
            try:
                if employee_id == -1:
                    raise ServiceError(
                        _("その社員番号の社員はいません。"),
                        field_errors={"employee_number": [_("その社員番号の社員はいません。")]},
                    )
                row = overtime_services.request_overtime(
                    company=request.company,  # type: ignore[attr-defined]
                    actor=request.user,  # type: ignore[arg-type]
                    membership=request.membership,  # type: ignore[attr-defined]
                    data=overtime_services.OvertimeInput(
                        work_date=data["work_date"], start_at=start, end_at=end, reason=data["reason"]
                    ),
                    employee_id=employee_id,
                )
            except ServiceError as exc:
                if "start_at" in (exc.field_errors or {}):
                    exc.field_errors["start_time"] = exc.field_errors.pop("start_at")
                if "end_at" in (exc.field_errors or {}):
                    exc.field_errors["end_time"] = exc.field_errors.pop("end_at")
                apply_service_error(form, exc)
            else:
                messages.success(request, _("残業申請を出しました。"))
                return redirect("attendance:overtime_detail", pk=row.pk)
        return render(request, "attendance/overtime/form.html", {"form": form, "is_hr": is_hr}, status=400)
    return render(request, "attendance/overtime/form.html", {"form": form, "is_hr": is_hr})


@membership_required
def overtime_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from ennoshita.approvals.views import panel_context

    row = overtime_selectors.get_request(**_reader(request), request_id=pk)
    return render(
        request,
        "attendance/overtime/detail.html",
        {
            "row": row,
            **panel_context(request, request_type=overtime_selectors.REQUEST_TYPE, object_id=row.pk),
        },
    )
