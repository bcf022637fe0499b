"""Screens of the 備品台帳 (総務): the register (search, filters, CSV / Excel, label sheet PDF), one
item with its loans and history, the forms (register, change, status, dispose) and 固定資産候補 for
経理.

The loans (lend, return, 私の貸与品, 返却が必要な備品) are in ``views_equipment_loans``; the masters
(分類, 場所) and 総務の設定 in ``views_equipment_masters``. Views parse, call ``affairs.services`` /
``affairs.selectors`` and render; the services check the roles again.
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
from ennoshita.core.web import error_text, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from . import pdf_equipment
from .forms_equipment import (
    DisposeForm,
    EquipmentFilterForm,
    EquipmentForm,
    StatusForm,
)
from .models import Equipment
from .selectors import equipment as selectors
from .services import equipment as services

PAGE_SIZE = 50
MAX_LABELS = 480  # 20 sheets of 24
readers = role_required(*selectors.READ_ROLES)
writers = role_required(*selectors.WRITE_ROLES)
asset_readers = role_required(*selectors.ASSET_ROLES)


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


# ------------------------------------------------------------------------------ for 経理
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
