"""人事 screens: the employee list (with export and import) and the org chart; what the 人事
screens share (roles, the request's service arguments, error text). One employee's screens live in
``employee_views.py``, departments and positions in ``master_views.py``.

Views stay thin: they parse with a form, call a service or a selector, and render. Reads go
through ``people.selectors``, writes through ``people.services`` (and ``people.importing``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.csvio import SJIS, UnencodableError, encode_csv
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.models import Role
from ennoshita.core.web import role_required

from . import exporting, importing, selectors
from .forms import (
    AsOfForm,
    EmployeeFilterForm,
    ImportForm,
)

HR = (Role.ADMIN, Role.HR)
ATTACHMENT_TYPE = "people.employee"  # how documents names an employee record (its attachments)
PAGE_SIZE = 50
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _ctx(request: HttpRequest) -> dict[str, Any]:
    """The keyword arguments every service takes from the request."""
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _status(form: Any) -> int:
    return 400 if form.errors else 200


def _error_text(exc: ServiceError) -> str:
    details = [m for messages_ in exc.field_errors.values() for m in messages_]
    return " ".join(details) if details else exc.message


# ---------------------------------------------------------------------------- employee list
def _list_filters(request: HttpRequest) -> tuple[EmployeeFilterForm, dict[str, Any]]:
    form = EmployeeFilterForm(request.GET or None, company=request.company)  # type: ignore[attr-defined]
    form.is_valid()
    data = getattr(form, "cleaned_data", {})  # the filters that are valid still apply
    department = data.get("department")
    employment_type = data.get("employment_type")
    filters = {
        "q": data.get("q") or "",
        "department_id": department.pk if department else None,
        "employment_type_id": employment_type.pk if employment_type else None,
        "status": data.get("status") or "active",
        "as_of": data.get("as_of") or timezone.localdate(),
        "incomplete": bool(data.get("incomplete")),
        "sort": request.GET.get("sort", "number"),
    }
    return form, filters


@role_required(*HR)
def employee_list(request: HttpRequest) -> HttpResponse:
    form, filters = _list_filters(request)
    return _render_list(request, form, filters)


def _render_list(request: HttpRequest, form: EmployeeFilterForm, filters: dict[str, Any]) -> HttpResponse:
    qs = selectors.employee_list(company=request.company, membership=request.membership, **filters)  # type: ignore[attr-defined]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/employee_list.html",
        {"form": form, "page_obj": page, "as_of": filters["as_of"], "today": timezone.localdate()},
        status=_status(form),
    )


@role_required(*HR)
def employee_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV (UTF-8 with BOM, or ?encoding=sjis) or Excel (?format=xlsx)."""
    form, filters = _list_filters(request)
    if form.errors:
        return _render_list(request, form, filters)  # the list with the filter errors shown, 400
    qs = selectors.employee_export(company=request.company, membership=request.membership, **filters)  # type: ignore[attr-defined]
    stamp = timezone.localdate().strftime("%Y%m%d")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exporting.to_xlsx(qs.iterator(chunk_size=2000)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="employees-{stamp}.xlsx"'
        return response
    sjis = request.GET.get("encoding") == "sjis"
    try:
        body = exporting.to_csv(
            qs.iterator(chunk_size=2000),
            encoding=SJIS if sjis else "utf-8-sig",
            replace=request.GET.get("replace") == "1",
        )
    except UnencodableError as exc:
        return render(
            request,
            "people/export_unencodable.html",
            {"error": exc, "problems": exc.problems[:100]},
            status=400,
        )
    charset = "shift_jis" if sjis else "utf-8"
    response = HttpResponse(body, content_type=f"text/csv; charset={charset}")
    suffix = "-sjis" if sjis else ""
    response["Content-Disposition"] = f'attachment; filename="employees-{stamp}{suffix}.csv"'
    return response


# ---------------------------------------------------------------------------- import
@role_required(*HR)
def employee_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = request.POST.get("action") != "import"
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("ファイルが大きすぎます(5MBまで)。"))
        else:
            try:
                result = importing.import_employees(**_ctx(request), data=upload.read(), dry_run=dry_run)
            except ServiceError as exc:
                apply_service_error(form, exc)
        if result is not None and result.imported:
            messages.success(request, _("%(n)d 名の社員を取り込みました。") % {"n": result.imported})
            return redirect("people:employee_list")
    status = 400 if form.errors or (result is not None and result.errors) else 200
    context = {"form": form, "result": result, "columns": importing.COLUMNS}
    return render(request, "people/employee_import.html", context, status=status)


@role_required(*HR)
def employee_import_template(request: HttpRequest) -> HttpResponse:
    sjis = request.GET.get("encoding") == "sjis"
    body = encode_csv(importing.template_rows(), encoding=SJIS if sjis else "utf-8-sig")
    response = HttpResponse(body, content_type=f"text/csv; charset={'shift_jis' if sjis else 'utf-8'}")
    response["Content-Disposition"] = (
        f'attachment; filename="employees-template{"-sjis" if sjis else ""}.csv"'
    )
    return response


# ---------------------------------------------------------------------------- org chart
@role_required(*HR)
def org_chart(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None, initial={"as_of": timezone.localdate()})
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) or timezone.localdate()
    roots = selectors.org_chart(company=request.company, as_of=as_of)  # type: ignore[attr-defined]
    total = sum(node.total for node in roots)
    return render(
        request,
        "people/org_chart.html",
        {"form": form, "roots": roots, "as_of": as_of, "total": total},
        status=_status(form),
    )
