"""Screens of 備品 (総務), of the places and of 総務の設定.

The register (search, filters, CSV / Excel, label sheet PDF), one item with its loans and history,
the forms (register, change, lend, return, status, dispose), 私の貸与品 for every employee,
返却が必要な備品 for 人事・総務, 固定資産候補 for 経理, and the masters. Views parse, call
``affairs.services`` / ``affairs.selectors`` and render; the services check the roles again.
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
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required, role_required

from . import pdf_equipment
from .forms_equipment import (
    AffairsSettingsForm,
    CategoryForm,
    DisposeForm,
    EquipmentFilterForm,
    EquipmentForm,
    LendForm,
    LocationForm,
    ReturnForm,
    StatusForm,
)
from .models import Equipment
from .selectors import equipment as selectors
from .services import equipment as services
from .services import settings as settings_services

PAGE_SIZE = 50
MAX_LABELS = 480  # 20 sheets of 24
readers = role_required(*selectors.READ_ROLES)
writers = role_required(*selectors.WRITE_ROLES)
leaver_readers = role_required(*selectors.LEAVER_ROLES)
asset_readers = role_required(*selectors.ASSET_ROLES)


def ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def error_text(exc: ServiceError) -> str:
    details = [m for msgs in exc.field_errors.values() for m in msgs if m != exc.message]
    return " ".join([exc.message, *details])


def _item(request: HttpRequest, pk: int) -> Equipment:
    return selectors.get_equipment(**read(request), equipment_id=pk)


def _filter_form(request: HttpRequest) -> EquipmentFilterForm:
    company = request.company  # type: ignore[attr-defined]
    return EquipmentFilterForm(
        request.GET or None,
        categories=selectors.categories(company=company),
        locations=selectors.locations(company=company),
    )


def _yen(value: Any) -> Any:
    return "" if value is None else int(value)


def equipment_rows(items: Iterable[Equipment], threshold: Any) -> Iterable[list[Any]]:
    yield [
        "資産番号",
        "品名",
        "分類",
        "状態",
        "使用者",
        "場所",
        "メーカー・型番",
        "製造番号",
        "購入日",
        "購入価額",
        "購入先",
        "保証期限",
        "固定資産候補",
        "廃棄日",
    ]
    for e in items:
        yield [
            e.asset_number,
            e.name,
            e.category.name,
            e.get_status_display(),
            f"{e.holder.number} {e.holder.full_name}" if e.holder else "",
            e.location.name if e.location else "",
            e.maker,
            e.serial_number,
            e.purchase_date or "",
            _yen(e.purchase_price),
            e.vendor_name,
            e.warranty_end or "",
            "○" if e.purchase_price is not None and e.purchase_price >= threshold else "",
            e.disposed_on or "",
        ]


# ------------------------------------------------------------------------------ the register
@readers
def equipment_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    form = _filter_form(request)
    qs = selectors.equipment_list(**read(request), **form.filters())
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = equipment_rows(qs.iterator(chunk_size=2000), selectors.threshold_of(company))
        return table_download(request, rows, name="equipment", title=_("備品台帳"))
    if fmt == "labels":
        return _labels_response(list(qs[:MAX_LABELS]))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/equipment/list.html",
        {
            "form": form,
            "page_obj": page,
            "threshold": selectors.threshold_of(company),
            "can_write": selectors.can_write(request.membership),  # type: ignore[attr-defined]
        },
    )


def _labels_response(items: list[Equipment]) -> HttpResponse:
    data = pdf_equipment.label_sheet(items)
    response = HttpResponse(data, content_type="application/pdf")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="equipment-labels-{stamp}.pdf"'
    return response


@readers
def equipment_labels(request: HttpRequest) -> HttpResponse:
    """Labels of the items ticked in the list (``ids``), or of the list as filtered."""
    raw = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    ids = [int(v) for v in raw if v.isdigit() and len(v) < 19][:MAX_LABELS]
    if ids:
        items = list(selectors.equipment_by_ids(**read(request), ids=ids))
    else:
        items = list(
            selectors.equipment_list(**read(request), **_filter_form(request).filters())[:MAX_LABELS]
        )
    return _labels_response(items)


@readers
def equipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    item = _item(request, pk)
    loans = list(selectors.item_loans(company=company, equipment=item)[:200])
    return render(
        request,
        "affairs/equipment/detail.html",
        {
            "item": item,
            "loans": loans,
            "open_loan": next((loan for loan in loans if loan.returned_on is None), None),
            "events": list(selectors.equipment_history(company=company, equipment=item)[:200]),
            "fixed_asset": selectors.is_fixed_asset_candidate(company=company, equipment=item),
            "threshold": selectors.threshold_of(company),
            "can_write": selectors.can_write(request.membership),  # type: ignore[attr-defined]
            "status_form": StatusForm(initial={"status": item.status}),
            "dispose_form": DisposeForm(initial={"disposed_on": timezone.localdate()}),
        },
    )


def _equipment_form(request: HttpRequest, item: Equipment | None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    initial = None
    if item is not None:
        initial = {
            "asset_number": item.asset_number,
            "name": item.name,
            "category": item.category_id,
            "location": item.location_id,
            "maker": item.maker,
            "serial_number": item.serial_number,
            "purchase_date": item.purchase_date,
            "purchase_price": "" if item.purchase_price is None else int(item.purchase_price),
            "vendor_name": item.vendor_name,
            "warranty_end": item.warranty_end,
            "note": item.note,
        }
    form = EquipmentForm(
        request.POST if post else None,
        initial=initial,
        categories=selectors.categories(company=company),
        locations=selectors.locations(company=company),
        current_location=item.location if item else None,
    )
    if post and form.is_valid():
        try:
            if item is None:
                saved = services.register_equipment(**ctx(request), data=form.data_input())
            else:
                saved = services.update_equipment(**ctx(request), equipment=item, data=form.data_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("備品を保存しました。"))
            return redirect("affairs:equipment_detail", saved.pk)
    return render(
        request,
        "affairs/equipment/form.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


@writers
def equipment_new(request: HttpRequest) -> HttpResponse:
    return _equipment_form(request, None)


@writers
def equipment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _equipment_form(request, _item(request, pk))


@writers
def equipment_lend(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    item = _item(request, pk)
    post = request.method == "POST"
    form = LendForm(
        request.POST if post else None,
        initial={"lent_on": timezone.localdate()},
        employees=selectors.lendable_employees(company=company),
    )
    if post and form.is_valid():
        c = form.cleaned_data
        try:
            employee = selectors.get_loan_employee(**read(request), employee_id=c["employee"])
            services.lend_equipment(
                **ctx(request),
                equipment=item,
                employee=employee,
                lent_on=c["lent_on"],
                due_on=c.get("due_on"),
                note=c.get("note", ""),
            )
        except PermissionDeniedError:
            raise
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("貸与を記録しました。"))
            return redirect("affairs:equipment_detail", item.pk)
    return render(
        request,
        "affairs/equipment/lend.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


@writers
def equipment_return(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    post = request.method == "POST"
    form = ReturnForm(request.POST if post else None, initial={"returned_on": timezone.localdate()})
    if post and form.is_valid():
        c = form.cleaned_data
        try:
            services.return_equipment(
                **ctx(request),
                equipment=item,
                returned_on=c["returned_on"],
                return_note=c.get("return_note", ""),
                needs_repair=bool(c.get("needs_repair")),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("返却を記録しました。"))
            return redirect("affairs:equipment_detail", item.pk)
    return render(
        request,
        "affairs/equipment/return.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


@require_POST
@writers
def equipment_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("状態を選んでください。"))
        return redirect("affairs:equipment_detail", item.pk)
    try:
        services.set_equipment_status(**ctx(request), equipment=item, status=form.cleaned_data["status"])
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("状態を変更しました。"))
    return redirect("affairs:equipment_detail", item.pk)


@require_POST
@writers
def equipment_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = DisposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("廃棄日を入力してください。"))
        return redirect("affairs:equipment_detail", item.pk)
    try:
        services.dispose_equipment(
            **ctx(request),
            equipment=item,
            disposed_on=form.cleaned_data["disposed_on"],
            note=form.cleaned_data.get("note", ""),
        )
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("廃棄済みにしました。"))
    return redirect("affairs:equipment_detail", item.pk)


# ------------------------------------------------------------------------------ who holds what
@membership_required
def equipment_mine(request: HttpRequest) -> HttpResponse:
    """私の貸与品: what the signed-in employee holds now, and what they held before."""
    company = request.company  # type: ignore[attr-defined]
    employee = selectors.own_employee(**read(request))
    loans = list(selectors.employee_loans(company=company, employee=employee)[:200]) if employee else []
    return render(
        request,
        "affairs/equipment/mine.html",
        {
            "employee": employee,
            "held": [loan for loan in loans if loan.returned_on is None],
            "past": [loan for loan in loans if loan.returned_on is not None],
        },
    )


@readers
def equipment_employee_loans(request: HttpRequest, employee_id: int) -> HttpResponse:
    """One employee's loans (held and returned), for 人事・総務 (linked from the employee's record)."""
    company = request.company  # type: ignore[attr-defined]
    employee = selectors.get_loan_employee(**read(request), employee_id=employee_id)
    loans = list(selectors.employee_loans(company=company, employee=employee)[:500])
    return render(
        request,
        "affairs/equipment/employee_loans.html",
        {
            "employee": employee,
            "held": [loan for loan in loans if loan.returned_on is None],
            "past": [loan for loan in loans if loan.returned_on is not None],
        },
    )


@leaver_readers
def equipment_leavers(request: HttpRequest) -> HttpResponse:
    """返却が必要な備品: leavers (退職日 passed or within 60 days) who still hold items."""
    groups = selectors.leavers_holding(**read(request))
    if request.GET.get("format") in ("csv", "xlsx"):
        rows: list[list[Any]] = [["社員番号", "氏名", "退職日", "資産番号", "品名", "分類"]]
        for g in groups:
            for item in g.items:
                rows.append(
                    [
                        g.employee.number,
                        g.employee.full_name,
                        g.employee.retire_date,
                        item.asset_number,
                        item.name,
                        item.category.name,
                    ]
                )
        return table_download(request, rows, name="equipment-to-return", title=_("返却が必要な備品"))
    return render(
        request,
        "affairs/equipment/leavers.html",
        {
            "groups": groups,
            "days": selectors.LEAVER_DAYS,
            "today": timezone.localdate(),
            "can_write": selectors.can_write(request.membership),  # type: ignore[attr-defined]
        },
    )


@asset_readers
def equipment_fixed_assets(request: HttpRequest) -> HttpResponse:
    """固定資産候補: items bought at or over the threshold, for 経理 to register as fixed assets."""
    company = request.company  # type: ignore[attr-defined]
    qs = selectors.fixed_asset_candidates(**read(request))
    threshold = selectors.threshold_of(company)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = equipment_rows(qs.iterator(chunk_size=2000), threshold)
        return table_download(request, rows, name="fixed-asset-candidates", title=_("固定資産候補"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "affairs/equipment/fixed_assets.html", {"page_obj": page, "threshold": threshold})


# ------------------------------------------------------------------------------ masters
@readers
def equipment_categories(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    can_write = selectors.can_write(request.membership)  # type: ignore[attr-defined]
    form = CategoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_write:
            raise PermissionDeniedError()
        if form.is_valid():
            try:
                services.create_category(**ctx(request), **form.cleaned_data)
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("分類を追加しました。"))
                return redirect("affairs:equipment_categories")
    return render(
        request,
        "affairs/equipment/categories.html",
        {"categories": selectors.categories(company=company), "form": form, "can_write": can_write},
        status=400 if form.errors else 200,
    )


@writers
def equipment_category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = selectors.get_category(**read(request), category_id=pk)
    post = request.method == "POST"
    form = CategoryForm(request.POST if post else None, initial=CategoryForm.of(category))
    if post and form.is_valid():
        try:
            services.update_category(**ctx(request), category=category, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("分類を保存しました。"))
            return redirect("affairs:equipment_categories")
    return render(
        request,
        "affairs/equipment/category_form.html",
        {"form": form, "category": category},
        status=400 if form.errors else 200,
    )


@readers
def location_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    can_write = selectors.can_write(request.membership)  # type: ignore[attr-defined]
    form = LocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_write:
            raise PermissionDeniedError()
        if form.is_valid():
            try:
                settings_services.create_location(**ctx(request), name=form.cleaned_data["name"])
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("場所を追加しました。"))
                return redirect("affairs:location_list")
    return render(
        request,
        "affairs/equipment/locations.html",
        {"locations": selectors.locations(company=company), "form": form, "can_write": can_write},
        status=400 if form.errors else 200,
    )


@writers
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    location = selectors.get_location(company=request.company, location_id=pk)  # type: ignore[attr-defined]
    post = request.method == "POST"
    form = LocationForm(request.POST if post else None, initial={"name": location.name})
    if post and form.is_valid():
        try:
            settings_services.rename_location(
                **ctx(request), location=location, name=form.cleaned_data["name"]
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("場所を保存しました。"))
            return redirect("affairs:location_list")
    return render(
        request,
        "affairs/equipment/location_form.html",
        {"form": form, "location": location},
        status=400 if form.errors else 200,
    )


@require_POST
@writers
def location_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    location = selectors.get_location(company=request.company, location_id=pk)  # type: ignore[attr-defined]
    active = request.POST.get("active") == "1"
    settings_services.set_location_active(**ctx(request), location=location, active=active)
    messages.success(request, _("場所を使用中にしました。") if active else _("場所を使用停止にしました。"))
    return redirect("affairs:location_list")


@writers
def affairs_settings(request: HttpRequest) -> HttpResponse:
    """総務の設定: the fixed-asset threshold and the month of the 定期健康診断."""
    row = settings_services.settings_of(request.company)  # type: ignore[attr-defined]
    post = request.method == "POST"
    form = AffairsSettingsForm(
        request.POST if post else None,
        initial={"fixed_asset_threshold": int(row.fixed_asset_threshold), "checkup_month": row.checkup_month},
    )
    if post and form.is_valid():
        try:
            settings_services.update_affairs_settings(**ctx(request), **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("総務の設定を保存しました。"))
            return redirect("affairs:affairs_settings")
    return render(
        request,
        "affairs/equipment/settings.html",
        {"form": form, "row": row},
        status=400 if form.errors else 200,
    )
