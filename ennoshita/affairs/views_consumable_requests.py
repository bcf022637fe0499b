"""Screens of the 消耗品 requests: 総務's list with 払出 and 却下, and an employee's
「消耗品を依頼する」 and 「私の依頼」 (with 取消).

Views parse, call ``services.consumables`` / ``selectors.consumables`` and render; the services check
the roles again. Another company's id is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required

from .forms_consumables import RequestFilterForm, RequestForm
from .models import ConsumableRequest
from .selectors import consumables as selectors
from .services import consumables as services
from .views_consumables import PAGE_SIZE, _download, _int, _r, _w, manager


# ------------------------------------------------------------------------------------ requests
def _request_rows(rows: Iterable[ConsumableRequest]) -> Iterable[list[Any]]:
    yield [
        "依頼日時",
        "品名",
        "数量",
        "単位",
        "依頼者",
        "部門",
        "用途・備考",
        "状態",
        "処理者",
        "処理日時",
        "処理メモ",
    ]
    for r in rows:
        yield [
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            r.consumable.name,
            r.quantity,
            r.consumable.unit,
            r.employee.full_name if r.employee else r.requested_by.display_name(),
            r.department.name if r.department else "",
            r.note,
            r.get_status_display(),
            r.decided_by.display_name() if r.decided_by else "",
            timezone.localtime(r.decided_at).strftime("%Y-%m-%d %H:%M") if r.decided_at else "",
            r.decision_note,
        ]


@manager
def consumable_requests(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    form = RequestFilterForm(request.GET or None, company=company)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = f.get("status", "requested") if form.is_bound else "requested"
    qs = selectors.request_list(
        **_r(request), status=status, q=f.get("q", ""), department_id=_int(f.get("department"))
    )
    if _download(request):
        return table_download(request, _request_rows(qs), name="consumable-requests", title=_("消耗品の依頼"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/consumables/requests.html",
        {"form": form, "page_obj": page, "locations": list(selectors.locations(company=company))},
    )


def _get_request(request: HttpRequest, pk: int) -> ConsumableRequest:
    return selectors.get_request(**_r(request), request_id=pk)


def _error_text(exc: ServiceError) -> str:
    details = [m for msgs in exc.field_errors.values() for m in msgs if m != exc.message]
    return " ".join([exc.message, *details])


@require_POST
@manager
def consumable_request_issue(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get_request(request, pk)
    company = request.company  # type: ignore[attr-defined]
    loc_id = _int(request.POST.get("location"))
    location = selectors.get_location(company=company, location_id=loc_id) if loc_id else None
    try:
        services.issue_request(
            **_w(request), request=req, location=location, note=request.POST.get("note", "")
        )
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("払い出しました。"))
    return redirect("affairs:consumable_requests")


@require_POST
@manager
def consumable_request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get_request(request, pk)
    try:
        services.reject_request(**_w(request), request=req, note=request.POST.get("note", ""))
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("依頼を却下しました。"))
    return redirect("affairs:consumable_requests")


@membership_required
def consumable_request_new(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    initial = {"consumable": request.GET.get("item", "")}
    form = RequestForm(request.POST if post else None, company=company, initial=initial)
    if post and form.is_valid():
        try:
            item = selectors.get_active_or_any_item(
                company=company, consumable_id=int(form.cleaned_data["consumable"])
            )
            services.request_consumable(
                **_w(request),
                consumable=item,
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("依頼しました。総務から払い出されると通知が届きます。"))
            return redirect("affairs:consumable_my_requests")
    return render(
        request, "affairs/consumables/request_form.html", {"form": form}, status=400 if form.errors else 200
    )


@membership_required
def consumable_my_requests(request: HttpRequest) -> HttpResponse:
    qs = selectors.my_requests(**_r(request), status=request.GET.get("status", "")[:20])
    if _download(request):
        return table_download(
            request,
            _request_rows(qs.select_related("employee", "department", "requested_by")),
            name="my-consumable-requests",
            title=_("私の依頼"),
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "affairs/consumables/my_requests.html", {"page_obj": page})


@require_POST
@membership_required
def consumable_request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get_request(request, pk)
    try:
        services.cancel_request(**_w(request), request=req)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("依頼を取り消しました。"))
    return redirect("affairs:consumable_my_requests")
