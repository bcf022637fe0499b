"""Screens of 消耗品 items: the list, one item (stock per place, its moves and history) and the
item form.

The 入庫・出庫・棚卸・移動 forms, the move history, the 発注リスト and consumption by department and
month are in ``views_consumable_stock``; the requests (総務's list with 払出 and 却下, an employee's
「消耗品を依頼する」 and 「私の依頼」) in ``views_consumable_requests``.

Views parse, call ``services.consumables`` / ``selectors.consumables`` and render; the services check
the roles again. Another company's id is a 404. Every list downloads as CSV or Excel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from .forms_consumables import ConsumableFilterForm, ConsumableForm
from .models import Consumable
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
