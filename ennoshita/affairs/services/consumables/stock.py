"""消耗品's writes: stock moves — 入庫, 出庫, 棚卸 and 移動 between places.

The stock row is locked before it is read, so two 出庫 of the last box cannot both pass. 入庫
re-averages the item's unit cost (移動平均法, rules/consumables.py); the other moves are costed at
the unit cost of the moment.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.affairs.models import (
    Consumable,
    ConsumableRequest,
    ConsumableStock,
    Location,
    MoveKind,
    StockMove,
)
from ennoshita.affairs.rules import consumables as rules
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department, Employee

from .base import MANAGE_ROLES, _date, _invalid, _note, _own, _quantity, _unit_cost
from .items import _locked_item

MOVE_FIELDS = (
    "consumable",
    "location",
    "kind",
    "moved_on",
    "quantity",
    "counted_quantity",
    "unit_cost",
    "amount",
    "department",
    "employee",
    "request",
    "note",
)


def _check_location(company: Company, location: Location | None, field: str = "location") -> Location:
    if location is None:
        raise _invalid(field, _("場所を選んでください。"))
    _own(company, location, field)
    return location


def _locked_stock(
    company: Company, item: Consumable, location: Location, *, create: bool
) -> ConsumableStock | None:
    qs = ConsumableStock.objects.for_company(company).select_for_update(of=("self",))
    stock = qs.filter(consumable=item, location=location).first()
    if stock is None and create:
        ConsumableStock.objects.get_or_create(company=company, consumable=item, location=location)
        stock = qs.filter(consumable=item, location=location).first()
    return stock


def _write_move(
    *,
    company: Company,
    actor: User,
    item: Consumable,
    location: Location,
    kind: str,
    quantity: int,
    **kw: Any,
) -> StockMove:
    unit_cost = kw.pop("unit_cost", item.unit_cost)
    move = StockMove(
        company=company,
        consumable=item,
        location=location,
        kind=kind,
        quantity=quantity,
        unit_cost=unit_cost,
        amount=rules.move_amount(quantity=quantity, unit_cost=unit_cost),
        created_by=actor,
        **kw,
    )
    move.save()
    record_event(
        company=company,
        actor=actor,
        action=kind,
        instance=move,
        object_repr=f"{item.code} {item.name} {move.get_kind_display()} {quantity:+d}{item.unit}",
        after=snapshot(move, MOVE_FIELDS),
    )
    return move


def _short(item: Consumable, location: Location, on_hand: int, wanted: int) -> ServiceError:
    message = _("%(item)s の %(place)s の在庫は %(n)s%(unit)s です。%(w)s%(unit)s は払い出せません。") % {
        "item": item.name,
        "place": location.name,
        "n": on_hand,
        "w": wanted,
        "unit": item.unit,
    }
    return ServiceError(message, code="insufficient_stock", field_errors={"quantity": [message]})


@transaction.atomic
def receive_stock(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    consumable: Consumable,
    location: Location | None,
    quantity: Any,
    unit_cost: Any = None,
    moved_on: date | None = None,
    note: str = "",
) -> StockMove:
    """入庫: ``quantity`` arrives at ``location`` at ``unit_cost`` (the item's cost when not given);
    the item's unit cost becomes the moving average over all its places."""
    require_role(membership, *MANAGE_ROLES)
    _own(company, consumable, "consumable")
    location = _check_location(company, location)
    n = _quantity(quantity)
    item = _locked_item(company, consumable)
    cost = item.unit_cost if unit_cost in (None, "") else _unit_cost(unit_cost)
    note = _note(note)
    stock = _locked_stock(company, item, location, create=True)
    assert stock is not None
    on_hand = sum(
        ConsumableStock.objects.for_company(company)
        .filter(consumable=item)
        .values_list("quantity", flat=True)
    )
    new_cost = rules.moving_average_cost(
        on_hand=on_hand, current_cost=item.unit_cost, received=n, received_cost=cost
    )
    stock.quantity += n
    stock.save(update_fields=["quantity"])
    move = _write_move(
        company=company,
        actor=actor,
        item=item,
        location=location,
        kind=MoveKind.RECEIPT,
        quantity=n,
        unit_cost=cost,
        moved_on=_date(moved_on),
        note=note,
    )
    if new_cost != item.unit_cost:
        before = {"unit_cost": item.unit_cost}
        item.unit_cost = new_cost
        item.save(update_fields=["unit_cost", "updated_at"])
        record_event(
            company=company,
            actor=actor,
            action="update",
            instance=item,
            before=before,
            after={"unit_cost": new_cost},
            extra={"reason": "移動平均(入庫)"},
        )
    return move


def _issue(
    *,
    company: Company,
    actor: User,
    item: Consumable,
    location: Location,
    quantity: int,
    moved_on: date,
    department: Department | None,
    employee: Employee | None,
    request: ConsumableRequest | None,
    note: str,
) -> StockMove:
    stock = _locked_stock(company, item, location, create=False)
    on_hand = stock.quantity if stock is not None else 0
    if stock is None or on_hand < quantity:
        raise _short(item, location, on_hand, quantity)
    stock.quantity -= quantity
    stock.save(update_fields=["quantity"])
    if department is None and employee is not None:
        placement = people_selectors.placement_as_of(company=company, employee=employee, as_of=moved_on)
        department = placement.department if placement is not None else None
    return _write_move(
        company=company,
        actor=actor,
        item=item,
        location=location,
        kind=MoveKind.ISSUE,
        quantity=-quantity,
        moved_on=moved_on,
        department=department,
        employee=employee,
        request=request,
        note=note,
    )


@transaction.atomic
def issue_stock(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    consumable: Consumable,
    location: Location | None,
    quantity: Any,
    department: Department | None = None,
    employee: Employee | None = None,
    moved_on: date | None = None,
    note: str = "",
) -> StockMove:
    """出庫 to a department and/or an employee (the employee's department on that day when no
    department is given). More than the place holds → ServiceError on ``quantity``, nothing written."""
    require_role(membership, *MANAGE_ROLES)
    for obj, field in ((consumable, "consumable"), (department, "department"), (employee, "employee")):
        _own(company, obj, field)
    location = _check_location(company, location)
    n = _quantity(quantity)
    item = _locked_item(company, consumable)
    return _issue(
        company=company,
        actor=actor,
        item=item,
        location=location,
        quantity=n,
        moved_on=_date(moved_on),
        department=department,
        employee=employee,
        request=None,
        note=_note(note),
    )


@transaction.atomic
def record_stock_count(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    consumable: Consumable,
    location: Location | None,
    counted_quantity: Any,
    moved_on: date | None = None,
    note: str = "",
) -> StockMove:
    """棚卸: the quantity counted at the place. The move records the count and the difference it
    made (0 when the books were right: the count itself is worth keeping)."""
    require_role(membership, *MANAGE_ROLES)
    _own(company, consumable, "consumable")
    location = _check_location(company, location)
    counted = _quantity(counted_quantity, "counted_quantity", allow_zero=True)
    item = _locked_item(company, consumable)
    stock = _locked_stock(company, item, location, create=True)
    assert stock is not None
    difference = counted - stock.quantity
    stock.quantity = counted
    stock.save(update_fields=["quantity"])
    return _write_move(
        company=company,
        actor=actor,
        item=item,
        location=location,
        kind=MoveKind.COUNT,
        quantity=difference,
        counted_quantity=counted,
        moved_on=_date(moved_on),
        note=_note(note),
    )


@transaction.atomic
def transfer_stock(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    consumable: Consumable,
    from_location: Location | None,
    to_location: Location | None,
    quantity: Any,
    moved_on: date | None = None,
    note: str = "",
) -> tuple[StockMove, StockMove]:
    """移動: two moves, out of one place and into another, at the item's unit cost."""
    require_role(membership, *MANAGE_ROLES)
    _own(company, consumable, "consumable")
    source = _check_location(company, from_location, "from_location")
    target = _check_location(company, to_location, "to_location")
    if source.pk == target.pk:
        raise _invalid("to_location", _("移動元と違う場所を選んでください。"))
    n = _quantity(quantity)
    item = _locked_item(company, consumable)
    # lock the two rows in one order (by place id) so that two opposite transfers cannot deadlock
    rows = {}
    for loc in sorted((source, target), key=lambda x: x.pk):
        rows[loc.pk] = _locked_stock(company, item, loc, create=loc.pk == target.pk)
    out_row = rows[source.pk]
    on_hand = out_row.quantity if out_row is not None else 0
    if out_row is None or on_hand < n:
        raise _short(item, source, on_hand, n)
    in_row = rows[target.pk]
    assert in_row is not None
    out_row.quantity -= n
    out_row.save(update_fields=["quantity"])
    in_row.quantity += n
    in_row.save(update_fields=["quantity"])
    day, text = _date(moved_on), _note(note)
    out_move = _write_move(
        company=company,
        actor=actor,
        item=item,
        location=source,
        kind=MoveKind.TRANSFER_OUT,
        quantity=-n,
        moved_on=day,
        note=text,
    )
    in_move = _write_move(
        company=company,
        actor=actor,
        item=item,
        location=target,
        kind=MoveKind.TRANSFER_IN,
        quantity=n,
        moved_on=day,
        note=text,
    )
    return out_move, in_move
