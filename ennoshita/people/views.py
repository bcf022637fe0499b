"""人事 screens: employees (list, detail, create/edit, transfer, retire, delete, export, import),
the org chart, departments and positions, and one's own record.

Views stay thin: they parse with a form, call a service or a selector, and render. Reads go
through ``people.selectors``, writes through ``people.services`` (and ``people.importing``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.csvio import SJIS, UnencodableError, encode_csv
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.models import Role
from ennoshita.core.web import membership_required, role_required
from ennoshita.documents import selectors as documents_selectors
from ennoshita.documents import services as documents_services

from . import exporting, importing, selectors, services
from .forms import (
    AsOfForm,
    AttachDocumentForm,
    DepartmentForm,
    EmployeeFilterForm,
    EmployeeForm,
    ImportForm,
    PositionForm,
    RetireForm,
    TransferForm,
)
from .models import Employee

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


# ---------------------------------------------------------------------------- one employee
@membership_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    is_hr = selectors.can_see_all_employees(membership)
    today = timezone.localdate()
    placements = selectors.placement_history(company=company, employee=employee)
    current = _current(employee, placements, today)
    context = {
        "employee": employee,
        "placements": placements,
        "current": current,
        "today": today,
        "is_hr": is_hr,
        "show_bank": is_hr or (employee.user_id is not None and employee.user_id == membership.user_id),
        "events": list(selectors.employee_history(company=company, employee=employee)) if is_hr else None,
        "attachments": documents_selectors.attachments_for(
            company=company, membership=membership, object_type=ATTACHMENT_TYPE, object_id=str(employee.pk)
        ),
        "attachable": (
            documents_selectors.attachable_documents(company=company, membership=membership)
            if membership.has_any_role(*HR)
            else None
        ),
        "attach_form": AttachDocumentForm(),
    }
    return render(request, "people/employee_detail.html", context)


@require_POST
@role_required(*HR)
def employee_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """添付書類: attach a document the HR officer may read to this employee's record."""
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    back = redirect(reverse("people:employee_detail", args=[employee.pk]) + "#attachments")
    form = AttachDocumentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("添付する文書を選んでください。"))
        return back
    try:
        document = documents_selectors.get_document(
            company=company, membership=membership, document_id=form.cleaned_data["document"]
        )
        documents_services.attach(
            **_ctx(request),
            document=document,
            object_type=ATTACHMENT_TYPE,
            object_id=str(employee.pk),
            object_repr=employee.full_name,
        )
    except ServiceError as exc:  # an id typed by hand that names no readable document
        messages.error(request, _error_text(exc))
        return back
    messages.success(request, _("「%(name)s」を添付しました。") % {"name": document.name})
    return back


@require_POST
@role_required(*HR)
def employee_detach(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    attachment = documents_selectors.get_attachment(company=company, attachment_id=attachment_id)
    if attachment.object_type != ATTACHMENT_TYPE or attachment.object_id != str(employee.pk):
        raise Http404
    documents_services.detach(**_ctx(request), attachment_id=attachment.pk)
    messages.success(request, _("添付を外しました。"))
    return redirect(reverse("people:employee_detail", args=[employee.pk]) + "#attachments")


def _current(employee: Employee, placements: list[Any], today: date) -> Any:
    if today < employee.hire_date or (employee.retire_date and today > employee.retire_date):
        return None
    return next((p for p in placements if p.effective_from <= today), None)


@role_required(*HR)
def employee_create(request: HttpRequest) -> HttpResponse:
    form = EmployeeForm(request.POST or None, company=request.company, create=True)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.create_employee(
                **_ctx(request),
                department=form.cleaned_data["department"],
                position=form.cleaned_data.get("position"),
                **form.employee_fields(),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s さんを登録しました。") % {"name": employee.full_name})
            return redirect("people:employee_detail", pk=employee.pk)
    return render(
        request, "people/employee_form.html", {"form": form, "employee": None}, status=_status(form)
    )


_EDIT_FIELDS = [name for name in EmployeeForm.base_fields if name not in ("department", "position")]


@role_required(*HR)
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    initial = {name: getattr(employee, name) for name in _EDIT_FIELDS}
    form = EmployeeForm(request.POST or None, initial=initial, company=company, create=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_employee(**_ctx(request), employee=employee, **form.employee_fields())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("社員情報を保存しました。"))
            return redirect("people:employee_detail", pk=employee.pk)
    # A refused save may have changed the instance in memory: show the stored record's name.
    shown = (
        selectors.get_employee(company=company, membership=membership, employee_id=pk)
        if form.errors
        else employee
    )
    return render(
        request, "people/employee_form.html", {"form": form, "employee": shown}, status=_status(form)
    )


@role_required(*HR)
def employee_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    form = TransferForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            placement = services.transfer_employee(
                **_ctx(request),
                employee=employee,
                department=d["department"],
                position=d.get("position"),
                effective_from=d["effective_from"],
                reason=d["reason"],
                note=d.get("note") or "",
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            if placement.effective_from > timezone.localdate():
                text = _("%(date)s 付の異動を登録しました(その日から有効になります)。")
            else:
                text = _("%(date)s 付の異動を登録しました。")
            messages.success(request, text % {"date": placement.effective_from})
            return redirect(reverse("people:employee_detail", args=[employee.pk]) + "#placements")
    return render(
        request, "people/employee_transfer.html", {"form": form, "employee": employee}, status=_status(form)
    )


@require_POST
@role_required(*HR)
def placement_cancel(request: HttpRequest, pk: int, placement_id: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    placement = selectors.get_placement(company=company, employee=employee, placement_id=placement_id)
    try:
        services.cancel_placement(**_ctx(request), placement=placement)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("%(date)s 付の異動を取り消しました。") % {"date": placement.effective_from}
        )
    return redirect(reverse("people:employee_detail", args=[employee.pk]) + "#placements")


@role_required(*HR)
def employee_retire(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    form = RetireForm(
        request.POST or None, initial={"retire_date": employee.retire_date}, hire_date=employee.hire_date
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_employee(
                **_ctx(request), employee=employee, retire_date=form.cleaned_data["retire_date"]
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
            employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
        else:
            messages.success(request, _("退職日を登録しました。"))
            return redirect("people:employee_detail", pk=employee.pk)
    return render(
        request, "people/employee_retire.html", {"form": form, "employee": employee}, status=_status(form)
    )


@require_POST
@role_required(*HR)
def employee_delete(request: HttpRequest, pk: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    try:
        services.delete_employee(**_ctx(request), employee=employee)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
        return redirect("people:employee_detail", pk=pk)
    messages.success(request, _("%(name)s を削除しました。") % {"name": employee})
    return redirect("people:employee_list")


@membership_required
def my_record(request: HttpRequest) -> HttpResponse:
    own = selectors.own_employee_record(company=request.company, membership=request.membership)  # type: ignore[attr-defined]
    if own is not None:
        return redirect("people:employee_detail", pk=own.pk)
    return render(request, "people/my_record_empty.html")


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
