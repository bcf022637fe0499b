"""Screens of 消耗品 stock: the 入庫・出庫・棚卸・移動 forms of one item, the move history, the 発注リスト
and consumption by department and month (with its column chart).

The items are in ``views_consumables``. Views parse, call ``services.consumables`` /
``selectors.consumables`` and render; the services check the roles again.
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

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error

from .forms_consumables import (
    ConsumptionForm,
    CountForm,
    IssueForm,
    MoveFilterForm,
    ReceiveForm,
    TransferForm,
)
from .models import Consumable, StockMove
from .selectors import consumables as selectors
from .services import consumables as services
from .views_consumables import PAGE_SIZE, _download, _int, _item, _r, _w, manager

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
