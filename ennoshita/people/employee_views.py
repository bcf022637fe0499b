"""人事 screens: one employee (detail, attachments, create/edit, transfer, retire, delete) and
one's own record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required
from ennoshita.documents import selectors as documents_selectors
from ennoshita.documents import services as documents_services

from . import selectors, services
from .forms import (
    AttachDocumentForm,
    EmployeeForm,
    RetireForm,
    TransferForm,
)
from .models import Employee
from .views import ATTACHMENT_TYPE, HR, _ctx, _error_text, _status


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
            if selectors.can_edit_employees(membership)
            else None
        ),
        "attach_form": AttachDocumentForm(),
    }
    # Panels of other apps on the record (備品 held …): functions named in
    # settings.ENNOSHITA_EMPLOYEE_PANELS, panels(*, company, membership, employee) -> list[dict] with
    # key, title, items ({text, url, note}), empty, link, link_text. people imports none of those apps.
    from django.conf import settings
    from django.utils.module_loading import import_string

    context["extra_panels"] = [
        panel
        for path in getattr(settings, "ENNOSHITA_EMPLOYEE_PANELS", [])
        for panel in import_string(path)(company=company, membership=membership, employee=employee)
    ]
    return render(request, "people/employee_detail.html", context)


@require_POST
@membership_required
def employee_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """添付書類: attach a document to this employee's record. ``documents.services.attach`` decides
    (edit on the record through ``selectors.employee_attachment_target``, read on the document)."""
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
            **_ctx(request), document=document, object_type=ATTACHMENT_TYPE, object_id=str(employee.pk)
        )
    except PermissionDeniedError:
        raise  # may read the record but not edit it: a 403
    except ServiceError as exc:  # an id typed by hand that names no readable document
        messages.error(request, _error_text(exc))
        return back
    messages.success(request, _("「%(name)s」を添付しました。") % {"name": document.name})
    return back


@require_POST
@membership_required
def employee_detach(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    employee = selectors.get_employee(company=company, membership=membership, employee_id=pk)
    attachment = documents_selectors.get_attachment(company=company, attachment_id=attachment_id)
    if attachment.object_type != ATTACHMENT_TYPE or attachment.object_id != str(employee.pk):
        raise Http404
    documents_services.detach(**_ctx(request), attachment_id=attachment.pk)  # checks edit on the record
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
