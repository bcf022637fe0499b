"""Reads of 消耗品: the item list with stock totals, stock per place, the move history, the
発注リスト, requests (open ones for 総務, one's own for everyone), and consumption by department
and month — also for the 間接経費 view (``consumption_cost_by_department_month``).

Lists are querysets with everything they show joined or annotated, so a page costs the same few
queries for any number of rows (tests pin them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from ennoshita.affairs.models import (
    Consumable,
    ConsumableRequest,
    ConsumableStock,
    Location,
    MoveKind,
    RequestStatus,
    StockMove,
)
from ennoshita.affairs.rules import consumables as rules
from ennoshita.affairs.services.consumables import can_manage
from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.text import search_key
from ennoshita.people.models import Department

MAX_MONTHS = 12
ZERO = Decimal(0)


def _check(membership: Membership) -> None:
    if not can_manage(membership):
        raise PermissionDeniedError()


def add_months(month: date, n: int) -> date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return date(y, m + 1, 1)


# ------------------------------------------------------------------------------------ places
def locations(*, company: Company, include_inactive: bool = False) -> QuerySet[Location]:
    qs = Location.objects.for_company(company).order_by("name", "pk")
    return qs if include_inactive else qs.filter(is_active=True)


def get_location(*, company: Company, location_id: int) -> Location:
    found = Location.objects.for_company(company).filter(pk=location_id).first()
    if found is None:
        raise NotFound()
    return found


# ------------------------------------------------------------------------------------ items
def item_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    location_id: int | None = None,
    below_reorder: bool = False,
    active: bool | None = True,
) -> QuerySet[Any]:
    """Items by code, each with ``on_hand`` (all places, or the chosen place) annotated.
    ``q`` matches code, name or vendor (width, case and kana folded)."""
    _check(membership)
    qs = Consumable.objects.for_company(company).order_by("code", "pk")
    if active is not None:
        qs = qs.filter(is_active=active)
    for word in (q or "").split()[:5]:
        qs = qs.filter(search_key__contains=search_key(word))
    stock_filter = Q(stocks__location_id=location_id) if location_id else Q()
    qs = qs.annotate(
        on_hand=Coalesce(Sum("stocks__quantity", filter=stock_filter), Value(0), output_field=IntegerField())
    )
    if location_id:
        qs = qs.filter(stocks__location_id=location_id).distinct()
    if below_reorder:
        qs = qs.filter(reorder_point__gt=0, on_hand__lte=F("reorder_point"))
    return qs


def active_items(*, company: Company) -> QuerySet[Consumable]:
    """What an employee may ask for (any member may read the catalogue)."""
    return Consumable.objects.for_company(company).filter(is_active=True).order_by("code", "pk")


def get_item(*, company: Company, membership: Membership, consumable_id: int) -> Consumable:
    _check(membership)
    return get_active_or_any_item(company=company, consumable_id=consumable_id)


def get_active_or_any_item(*, company: Company, consumable_id: int) -> Consumable:
    found = Consumable.objects.for_company(company).filter(pk=consumable_id).first()
    if found is None:
        raise NotFound()
    return found


def stock_by_location(*, company: Company, consumable: Consumable) -> QuerySet[ConsumableStock]:
    return (
        ConsumableStock.objects.for_company(company)
        .filter(consumable=consumable)
        .select_related("location")
        .order_by("location__name", "pk")
    )


def stock_list(
    *, company: Company, membership: Membership, location_id: int | None = None, q: str = ""
) -> QuerySet[ConsumableStock]:
    """Every (item, place) row with its quantity (the API's /stock)."""
    _check(membership)
    qs = (
        ConsumableStock.objects.for_company(company)
        .select_related("consumable", "location")
        .order_by("consumable__code", "location__name", "pk")
    )
    if location_id:
        qs = qs.filter(location_id=location_id)
    key = search_key(q or "")
    if key:
        qs = qs.filter(consumable__search_key__contains=key)
    return qs


def item_history(*, company: Company, consumable: Consumable) -> QuerySet[AuditEvent]:
    return core_selectors.audit_events_for_object(
        company=company, object_type="affairs.consumable", object_id=str(consumable.pk)
    )


# ------------------------------------------------------------------------------------ moves
def move_list(
    *,
    company: Company,
    membership: Membership,
    consumable_id: int | None = None,
    kind: str = "",
    start: date | None = None,
    end: date | None = None,
    department_id: int | None = None,
    location_id: int | None = None,
) -> QuerySet[StockMove]:
    """Moves, newest first, with item, place, department, employee and who recorded it."""
    _check(membership)
    qs = (
        StockMove.objects.for_company(company)
        .select_related("consumable", "location", "department", "employee", "created_by")
        .order_by("-moved_on", "-pk")
    )
    if consumable_id:
        qs = qs.filter(consumable_id=consumable_id)
    if kind:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(moved_on__gte=start)
    if end:
        qs = qs.filter(moved_on__lte=end)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if location_id:
        qs = qs.filter(location_id=location_id)
    return qs


# ------------------------------------------------------------------------------------ reorder
@dataclass(frozen=True)
class ReorderRow:
    consumable_id: int
    code: str
    name: str
    unit: str
    vendor_name: str
    on_hand: int
    reorder_point: int
    suggested_quantity: int
    unit_cost: Decimal
    estimated_amount: Decimal


def reorder_list(*, company: Company, membership: Membership) -> list[ReorderRow]:
    """Items in use whose stock of all places is at or under the 発注点, with how many to order
    (rules.suggested_order_quantity) and roughly what it costs at the current unit cost. One query."""
    rows = []
    for item in item_list(company=company, membership=membership, below_reorder=True):
        n = rules.suggested_order_quantity(
            on_hand=item.on_hand, reorder_point=item.reorder_point, reorder_quantity=item.reorder_quantity
        )
        rows.append(
            ReorderRow(
                item.pk,
                item.code,
                item.name,
                item.unit,
                item.vendor_name,
                item.on_hand,
                item.reorder_point,
                n,
                item.unit_cost,
                rules.move_amount(quantity=n, unit_cost=item.unit_cost),
            )
        )
    return rows


# ------------------------------------------------------------------------------------ requests
def request_list(
    *,
    company: Company,
    membership: Membership,
    status: str = RequestStatus.REQUESTED,
    q: str = "",
    department_id: int | None = None,
) -> QuerySet[ConsumableRequest]:
    """Requests for 総務 (open ones by default; ``status=""`` for all), oldest open first."""
    _check(membership)
    qs = ConsumableRequest.objects.for_company(company).select_related(
        "consumable", "requested_by", "employee", "department", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    if department_id:
        qs = qs.filter(department_id=department_id)
    key = search_key(q or "")
    if key:
        qs = qs.filter(
            Q(consumable__search_key__contains=key)
            | Q(employee__family_name__contains=q.strip())
            | Q(requested_by__last_name__contains=q.strip())
            | Q(requested_by__username__icontains=q.strip())
        )
    order = ["created_at", "pk"] if status == RequestStatus.REQUESTED else ["-created_at", "-pk"]
    return qs.order_by(*order)


def my_requests(*, company: Company, membership: Membership, status: str = "") -> QuerySet[ConsumableRequest]:
    """The member's own requests, newest first."""
    qs = (
        ConsumableRequest.objects.for_company(company)
        .filter(requested_by_id=membership.user_id)
        .select_related("consumable", "decided_by")
        .order_by("-created_at", "-pk")
    )
    return qs.filter(status=status) if status else qs


def get_request(*, company: Company, membership: Membership, request_id: int) -> ConsumableRequest:
    """One request: 総務 sees any; a member only their own (another's is a 404)."""
    qs = ConsumableRequest.objects.for_company(company).select_related("consumable", "requested_by")
    if not can_manage(membership):
        qs = qs.filter(requested_by_id=membership.user_id)
    found = qs.filter(pk=request_id).first()
    if found is None:
        raise NotFound()
    return found


def open_request_count(*, company: Company) -> int:
    return ConsumableRequest.objects.for_company(company).filter(status=RequestStatus.REQUESTED).count()


# ------------------------------------------------------------------------------------ consumption
@dataclass(frozen=True)
class ConsumptionCost:
    """The cost of the consumables issued to one department in one month (whole yen).
    ``department_id`` None: issued without a department (共通)."""

    department_id: int | None
    month: date
    amount: Decimal


def _issues(company: Company, start: date, end: date) -> QuerySet[StockMove]:
    return StockMove.objects.for_company(company).filter(
        kind=MoveKind.ISSUE, moved_on__gte=start, moved_on__lte=end
    )


def consumption_cost_by_department_month(
    *, company: Company, start: date, end: date
) -> list[ConsumptionCost]:
    """The public read for the 間接経費 view: the cost of 出庫 by department and month between
    ``start`` and ``end`` (inclusive), at the unit cost of each issue. One grouped query."""
    rows = (
        _issues(company, start, end)
        .annotate(month=TruncMonth("moved_on"))
        .values("department_id", "month")
        .annotate(amount=Sum("amount"))
        .order_by("month", "department_id")
    )
    return [
        ConsumptionCost(r["department_id"], _as_date(r["month"]), -Decimal(r["amount"] or 0)) for r in rows
    ]


def _as_date(value: date) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # datetime on some DBs


@dataclass(frozen=True)
class ConsumptionCell:
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class ConsumptionRow:
    department_id: int | None
    name: str
    cells: list[ConsumptionCell]
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class Consumption:
    months: list[date]
    rows: list[ConsumptionRow]
    month_amounts: list[Decimal]
    total_quantity: int
    total_amount: Decimal


def check_period(*, start: date, months: int) -> tuple[date, date]:
    if not 1 <= months <= MAX_MONTHS:
        message = _("期間は1〜%(n)sか月で指定してください。") % {"n": MAX_MONTHS}
        raise ServiceError(message, code="validation", field_errors={"months": [message]})
    first = start.replace(day=1)
    return first, add_months(first, months) - timedelta(days=1)


def consumption(
    *,
    company: Company,
    membership: Membership,
    start: date,
    months: int = 6,
    consumable_id: int | None = None,
    department_id: int | None = None,
) -> Consumption:
    """Issued quantity and cost by department × month over ``months`` months from ``start``
    (at most 12). One grouped query and one for the department names."""
    _check(membership)
    first, last = check_period(start=start, months=months)
    window = [add_months(first, i) for i in range(months)]
    qs = _issues(company, first, last)
    if consumable_id:
        qs = qs.filter(consumable_id=consumable_id)
    if department_id:
        qs = qs.filter(department_id=department_id)
    grouped = (
        qs.annotate(month=TruncMonth("moved_on"))
        .values("department_id", "month")
        .annotate(qty=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    )
    cells: dict[tuple[int | None, date], ConsumptionCell] = {}
    for r in grouped:
        cells[r["department_id"], _as_date(r["month"])] = ConsumptionCell(
            -int(r["qty"] or 0), -Decimal(r["amount"] or 0)
        )
    dept_ids = {d for d, _m in cells}
    depts = {
        d.pk: d
        for d in Department.objects.for_company(company)
        .filter(pk__in=[i for i in dept_ids if i])
        .only("pk", "code", "name", "sort_order")
    }
    empty = ConsumptionCell(0, ZERO)
    ordered: list[int | None] = [d.pk for d in sorted(depts.values(), key=lambda d: (d.sort_order, d.code))]
    if None in dept_ids:
        ordered.append(None)
    rows = []
    for dept in ordered:
        line = [cells.get((dept, m), empty) for m in window]
        rows.append(
            ConsumptionRow(
                dept,
                depts[dept].name if dept is not None else _("部門なし(共通)"),
                line,
                sum(c.quantity for c in line),
                sum((c.amount for c in line), ZERO),
            )
        )
    month_amounts = [sum((r.cells[i].amount for r in rows), ZERO) for i in range(months)]
    return Consumption(
        months=window,
        rows=rows,
        month_amounts=month_amounts,
        total_quantity=sum(r.quantity for r in rows),
        total_amount=sum(month_amounts, ZERO),
    )
