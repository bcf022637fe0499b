"""Screens of 消耗品: items (list, detail with stock per place, moves and history, form), the
入庫・出庫・棚卸・移動 forms, the move history, the 発注リスト, the requests (総務's list with 払出 and
却下; an employee's 「消耗品を依頼する」 and 「私の依頼」) and consumption by department and month.

Views parse, call ``services.consumables`` / ``selectors.consumables`` and render; the services check
the roles again. Another company's id is a 404. Every list downloads as CSV or Excel.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
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
from ennoshita.core.web import membership_required, role_required

from .forms_consumables import (
    ConsumableFilterForm,
    ConsumableForm,
    ConsumptionForm,
    CountForm,
    IssueForm,
    MoveFilterForm,
    ReceiveForm,
    RequestFilterForm,
    RequestForm,
    TransferForm,
)
from .models import Consumable, ConsumableRequest, StockMove
from .rules import consumables as rules
from .selectors import consumables as selectors
from .services import consumables as services

PAGE_SIZE = 50
manager = role_required(*services.MANAGE_ROLES)


def _w(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _r(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _download(request: HttpRequest) -> bool:
    return request.GET.get("format") in ("csv", "xlsx")


def _int(value: Any) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


def _item(request: HttpRequest, pk: int) -> Consumable:
    return selectors.get_item(**_r(request), consumable_id=pk)


# ------------------------------------------------------------------------------------ items
def _item_rows(items: Iterable[Any]) -> Iterable[list[Any]]:
    yield ["品番", "品名", "単位", "在庫数", "発注点", "発注数", "単価", "在庫金額", "購入先", "使用中"]
    for c in items:
        yield [
            c.code,
            c.name,
            c.unit,
            c.on_hand,
            c.reorder_point,
            c.reorder_quantity,
            c.unit_cost,
            rules.move_amount(quantity=c.on_hand, unit_cost=c.unit_cost),
            c.vendor_name,
            "○" if c.is_active else "",
        ]


@manager
def consumable_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    form = ConsumableFilterForm(request.GET or None, company=company)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    active = {"1": True, "0": False, "all": None}.get(f.get("active") or "1")
    qs = selectors.item_list(
        **_r(request),
        q=f.get("q", ""),
        location_id=_int(f.get("location")),
        below_reorder=bool(f.get("below")),
        active=active,
    )
    if _download(request):
        return table_download(request, _item_rows(qs), name="consumables", title=_("消耗品"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "affairs/consumables/list.html", {"form": form, "page_obj": page})


def _item_form(request: HttpRequest, item: Consumable | None) -> HttpResponse:
    post = request.method == "POST"
    initial = {name: getattr(item, name) for name in ConsumableForm.base_fields} if item else None
    form = ConsumableForm(request.POST if post else None, initial=initial)
    if post and form.is_valid():
        try:
            if item is None:
                saved = services.create_consumable(**_w(request), data=form.data_input())
            else:
                saved = services.update_consumable(**_w(request), consumable=item, data=form.data_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("消耗品を保存しました。"))
            return redirect("affairs:consumable_detail", saved.pk)
    return render(
        request,
        "affairs/consumables/form.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


@manager
def consumable_new(request: HttpRequest) -> HttpResponse:
    return _item_form(request, None)


@manager
def consumable_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_form(request, _item(request, pk))


@manager
def consumable_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    item = _item(request, pk)
    stocks = list(selectors.stock_by_location(company=company, consumable=item))
    moves = Paginator(selectors.move_list(**_r(request), consumable_id=item.pk), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "affairs/consumables/detail.html",
        {
            "item": item,
            "stocks": stocks,
            "on_hand": sum(s.quantity for s in stocks),
            "page_obj": moves,
            "events": selectors.item_history(company=company, consumable=item)[:50],
        },
    )


# ------------------------------------------------------------------------------------ moves
MOVE_FORMS: dict[str, tuple[type, str]] = {
    "receive": (ReceiveForm, "入庫"),
    "issue": (IssueForm, "出庫"),
    "count": (CountForm, "棚卸"),
    "transfer": (TransferForm, "移動"),
}


def _do_move(request: HttpRequest, kind: str, item: Consumable, form: Any) -> None:
    d = form.cleaned_data
    common = {"consumable": item, "moved_on": d["moved_on"], "note": d.get("note", "")}
    if kind == "receive":
        services.receive_stock(
            **_w(request),
            **common,
            location=form.location_obj(),
            quantity=d["quantity"],
            unit_cost=d["unit_cost"] or None,
        )
    elif kind == "issue":
        services.issue_stock(
            **_w(request),
            **common,
            location=form.location_obj(),
            quantity=d["quantity"],
            department=form.department_obj(),
        )
    elif kind == "count":
        services.record_stock_count(
            **_w(request), **common, location=form.location_obj(), counted_quantity=d["counted_quantity"]
        )
    else:
        services.transfer_stock(
            **_w(request),
            **common,
            from_location=form.location_obj("from_location"),
            to_location=form.location_obj("to_location"),
            quantity=d["quantity"],
        )


def _move_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    item = _item(request, pk)
    form_class, label = MOVE_FORMS[kind]
    company = request.company  # type: ignore[attr-defined]
    form = form_class(request.POST if request.method == "POST" else None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            _do_move(request, kind, item, form)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("%(kind)sを記録しました。") % {"kind": _(label)})
            return redirect("affairs:consumable_detail", item.pk)
    return render(
        request,
        "affairs/consumables/move_form.html",
        {
            "form": form,
            "item": item,
            "label": _(label),
            "kind": kind,
            "stocks": selectors.stock_by_location(company=company, consumable=item),
        },
        status=400 if form.errors else 200,
    )


@manager
def consumable_receive(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_view(request, pk, "receive")


@manager
def consumable_issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_view(request, pk, "issue")


@manager
def consumable_count(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_view(request, pk, "count")


@manager
def consumable_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_view(request, pk, "transfer")


def _move_rows(moves: Iterable[StockMove]) -> Iterable[list[Any]]:
    yield [
        "日付",
        "区分",
        "品番",
        "品名",
        "場所",
        "数量",
        "実地棚卸数",
        "単価",
        "金額",
        "部門",
        "受取者",
        "備考",
        "記録者",
    ]
    for m in moves:
        yield [
            m.moved_on,
            m.get_kind_display(),
            m.consumable.code,
            m.consumable.name,
            m.location.name,
            m.quantity,
            m.counted_quantity if m.counted_quantity is not None else "",
            m.unit_cost,
            m.amount,
            m.department.name if m.department else "",
            m.employee.full_name if m.employee else "",
            m.note,
            m.created_by.display_name(),
        ]


@manager
def consumable_moves(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    form = MoveFilterForm(request.GET or None, company=company)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.move_list(
        **_r(request),
        consumable_id=f.get("item"),
        kind=f.get("kind", ""),
        start=f.get("start"),
        end=f.get("end"),
        department_id=_int(f.get("department")),
        location_id=_int(f.get("location")),
    )
    if _download(request):
        return table_download(request, _move_rows(qs), name="consumable-moves", title=_("入出庫"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "affairs/consumables/moves.html", {"form": form, "page_obj": page})


@manager
def consumable_reorder(request: HttpRequest) -> HttpResponse:
    rows = selectors.reorder_list(**_r(request))
    if _download(request):
        table: list[list[Any]] = [
            ["品番", "品名", "単位", "在庫数", "発注点", "発注の目安", "単価", "概算金額", "購入先"]
        ]
        table += [
            [
                r.code,
                r.name,
                r.unit,
                r.on_hand,
                r.reorder_point,
                r.suggested_quantity,
                r.unit_cost,
                r.estimated_amount,
                r.vendor_name,
            ]
            for r in rows
        ]
        return table_download(request, table, name="consumable-reorder", title=_("発注リスト"))
    total = sum((r.estimated_amount for r in rows), Decimal(0))
    return render(request, "affairs/consumables/reorder.html", {"rows": rows, "total": total})


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


# ------------------------------------------------------------------------------------ consumption
CHART_W, CHART_H, BAR_GAP = 640, 200, 8


def bar_chart(months: list[date], amounts: list[Decimal]) -> dict[str, Any]:
    """The geometry of a simple column chart (one bar per month), in whole pixels computed from
    Decimal amounts: the template writes an SVG from it."""
    top = max(amounts, default=Decimal(0))
    n = max(len(months), 1)
    width = (CHART_W - BAR_GAP * (n + 1)) // n
    bars = []
    for i, (month, amount) in enumerate(zip(months, amounts, strict=True)):
        h = int(amount * CHART_H / top) if top > 0 else 0
        bars.append(
            {
                "x": BAR_GAP + i * (width + BAR_GAP),
                "y": CHART_H - h + 20,
                "w": width,
                "h": h,
                "label": month.strftime("%Y-%m"),
                "amount": amount,
                "text_x": BAR_GAP + i * (width + BAR_GAP) + width // 2,
            }
        )
    return {"width": CHART_W, "height": CHART_H + 40, "base": CHART_H + 20, "bars": bars}


@manager
def consumable_consumption(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    form = ConsumptionForm(request.GET or None, company=company)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    months = f.get("months") or 6
    start = f.get("start") or selectors.add_months(timezone.localdate().replace(day=1), 1 - months)
    data = selectors.consumption(
        **_r(request), start=start, months=months, department_id=_int(f.get("department"))
    )
    if _download(request):
        head = [
            "部門",
            *(f"{m:%Y-%m} 数量" for m in data.months),
            *(f"{m:%Y-%m} 金額" for m in data.months),
            "数量計",
            "金額計",
        ]
        table: list[list[Any]] = [head]
        for row in data.rows:
            table.append(
                [
                    row.name,
                    *(c.quantity for c in row.cells),
                    *(c.amount for c in row.cells),
                    row.quantity,
                    row.amount,
                ]
            )
        return table_download(request, table, name="consumable-consumption", title=_("部門別・月別の消費"))
    return render(
        request,
        "affairs/consumables/consumption.html",
        {"form": form, "data": data, "chart": bar_chart(data.months, data.month_amounts)},
    )
