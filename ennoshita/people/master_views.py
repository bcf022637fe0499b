"""人事 screens: departments and positions (the masters employees are placed in)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from . import selectors, services
from .forms import (
    DepartmentForm,
    PositionForm,
)
from .views import HR, _ctx, _error_text, _status


# ---------------------------------------------------------------------------- departments
@role_required(*HR)
def department_list(request: HttpRequest) -> HttpResponse:
    tree = selectors.department_tree(company=request.company)  # type: ignore[attr-defined]
    rows = [{"dept": d, "depth": depth, "indent": "　" * depth} for d, depth in tree]
    return render(request, "people/department_list.html", {"rows": rows})


@role_required(*HR)
def department_create(request: HttpRequest) -> HttpResponse:
    form = DepartmentForm(request.POST or None, company=request.company, initial=_parent_initial(request))  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dept = services.create_department(
                **_ctx(request),
                code=d["code"],
                name=d["name"],
                parent=d.get("parent"),
                sort_order=d["sort_order"],
                head=d.get("head"),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("部署「%(name)s」を作成しました。") % {"name": dept.name})
            return redirect("people:department_list")
    return render(
        request, "people/department_form.html", {"form": form, "department": None}, status=_status(form)
    )


def _parent_initial(request: HttpRequest) -> dict[str, Any]:
    parent = request.GET.get("parent", "")
    return {"parent": parent} if parent.isdigit() else {}


@role_required(*HR)
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    dept = selectors.get_department(company=company, department_id=pk)
    form = DepartmentForm(
        request.POST or None, initial=_department_initial(dept), company=company, department=dept
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_department(**_ctx(request), department=dept, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
            dept = selectors.get_department(company=company, department_id=pk)
        else:
            messages.success(request, _("部署を保存しました。"))
            return redirect("people:department_list")
    return _department_page(request, form, dept, status=_status(form))


def _department_initial(dept: Any) -> dict[str, Any]:
    return {
        "code": dept.code,
        "name": dept.name,
        "parent": dept.parent_id or "",
        "sort_order": dept.sort_order,
        "is_active": dept.is_active,
        "head": dept.head_id or "",
    }


def _department_page(
    request: HttpRequest, form: DepartmentForm, dept: Any, *, status: int, error: str = ""
) -> HttpResponse:
    events = core_selectors.audit_events_for_object(
        company=request.company,  # type: ignore[attr-defined]
        object_type="people.department",
        object_id=str(dept.pk),
    )
    context = {"form": form, "department": dept, "events": list(events), "error": error}
    return render(request, "people/department_form.html", context, status=status)


@require_POST
@role_required(*HR)
def department_delete(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    dept = selectors.get_department(company=company, department_id=pk)
    try:
        services.delete_department(**_ctx(request), department=dept)
    except ServiceError as exc:
        form = DepartmentForm(initial=_department_initial(dept), company=company, department=dept)
        return _department_page(request, form, dept, status=400, error=_error_text(exc))
    messages.success(request, _("部署「%(name)s」を削除しました。") % {"name": dept.name})
    return redirect("people:department_list")


# ---------------------------------------------------------------------------- positions
@role_required(*HR)
def position_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    return render(request, "people/position_list.html", {"positions": selectors.positions(company=company)})


@role_required(*HR)
def position_create(request: HttpRequest) -> HttpResponse:
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pos = services.create_position(**_ctx(request), **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("役職「%(name)s」を作成しました。") % {"name": pos.name})
            return redirect("people:position_list")
    return render(
        request, "people/position_form.html", {"form": form, "position": None}, status=_status(form)
    )


@role_required(*HR)
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    pos = selectors.get_position(company=company, position_id=pk)
    form = PositionForm(request.POST or None, initial={"code": pos.code, "name": pos.name, "rank": pos.rank})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_position(**_ctx(request), position=pos, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
            pos = selectors.get_position(company=company, position_id=pk)
        else:
            messages.success(request, _("役職を保存しました。"))
            return redirect("people:position_list")
    events = core_selectors.audit_events_for_object(
        company=company, object_type="people.position", object_id=str(pos.pk)
    )
    return render(
        request,
        "people/position_form.html",
        {"form": form, "position": pos, "events": list(events)},
        status=_status(form),
    )
