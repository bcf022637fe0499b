"""Writing 消耗品: items, stock moves (入庫・出庫・棚卸・移動) and employees' requests.

Every function is keyword-only, runs in one transaction, checks the role, writes an audit event and
raises ``ServiceError`` with the message on the wrong field — nothing is half-written.

- 総務 (affairs) and admin manage items and stock; every member (not the outside assistant team) may
  ask for an item and cancel their own open request.
- Stock never goes below zero: the stock row is locked (``select_for_update``) before it is read, so
  two 出庫 of the last box cannot both pass; the database check (quantity ≥ 0) stands behind it.
- 単価: 移動平均法 (rules/consumables.py). 入庫 re-averages the item's unit cost; 出庫・棚卸・移動 are
  costed at the unit cost of the moment. 金額 = 数量 × 単価, 四捨五入 to whole yen.
- A request moves by the table ``REQUEST_TRANSITIONS``; 払出 of a request is an 出庫 of its quantity
  to its requester and department (refused whole when the stock is short: the request stays open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
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
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.notifications import notify
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, search_key
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department, Employee

MANAGE_ROLES = (Role.ADMIN, Role.AFFAIRS)
# everyone in the company may ask for stationery; the outside assistant team is not "in" it
REQUEST_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)
ITEM_FIELDS = (
    "code",
    "name",
    "unit",
    "unit_cost",
    "reorder_point",
    "reorder_quantity",
    "vendor_name",
    "is_active",
)
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
MAX_QUANTITY = 1_000_000
MAX_UNIT_COST = Decimal("100000000")

# 依頼の状態遷移: action → (states it may start from, state it ends in)
REQUEST_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "issue": (frozenset({RequestStatus.REQUESTED}), RequestStatus.ISSUED),
    "reject": (frozenset({RequestStatus.REQUESTED}), RequestStatus.REJECTED),
    "cancel": (frozenset({RequestStatus.REQUESTED}), RequestStatus.CANCELLED),
}


def can_manage(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*MANAGE_ROLES)


def _invalid(field: str, message: str) -> ServiceError:
    return ServiceError(message, code="validation", field_errors={field: [message]})


# ------------------------------------------------------------------------------------ inputs
def _quantity(value: Any, field: str = "quantity", *, allow_zero: bool = False) -> int:
    try:
        n = int(nfkc(str(value)).strip().replace(",", "")) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise _invalid(field, _("数量は整数で入力してください。")) from None
    if isinstance(value, bool) or n < (0 if allow_zero else 1) or n > MAX_QUANTITY:
        low = 0 if allow_zero else 1
        raise _invalid(
            field, _("数量は%(low)s〜%(max)sで入力してください。") % {"low": low, "max": f"{MAX_QUANTITY:,}"}
        )
    return n


def _unit_cost(value: Any, field: str = "unit_cost") -> Decimal:
    message = _("単価は0以上の数値(小数点以下4桁まで)で入力してください。")
    if isinstance(value, bool | float):
        raise _invalid(field, message)
    try:
        cost = Decimal(nfkc(str(value)).strip().replace(",", "") or "0")
    except InvalidOperation:
        raise _invalid(field, message) from None
    if not cost.is_finite() or cost < 0 or cost >= MAX_UNIT_COST or cost != cost.quantize(Decimal("0.0001")):
        raise _invalid(field, message)
    return cost.quantize(Decimal("0.0001"))


def _date(value: date | None) -> date:
    return value or timezone.localdate()


def _note(value: str, field: str = "note") -> str:
    text = (value or "").strip()
    if len(text) > 300:
        raise _invalid(field, _("300文字以内で入力してください。"))
    return text


def _own(company: Company, obj: Any, field: str) -> None:
    """An object passed in belongs to this company (views look them up through the company; this
    keeps a caller's mistake from crossing companies)."""
    if obj is not None and obj.company_id != company.pk:
        raise NotFound()


@dataclass(frozen=True)
class ConsumableInput:
    code: str
    name: str
    unit: str = "個"
    unit_cost: Any = 0
    reorder_point: Any = 0
    reorder_quantity: Any = 0
    vendor_name: str = ""
    is_active: bool = True


def _clean_item(company: Company, data: ConsumableInput, item: Consumable | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    code = nfkc(data.code or "").strip()
    if not code:
        errors["code"] = [_("品番を入力してください。")]
    elif len(code) > 30:
        errors["code"] = [_("30文字以内で入力してください。")]
    else:
        clash = Consumable.objects.for_company(company).filter(code=code)
        if item is not None:
            clash = clash.exclude(pk=item.pk)
        if clash.exists():
            errors["code"] = [_("品番「%(c)s」は既に使われています。") % {"c": code}]
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("品名を入力してください。")]
    elif len(name) > 200:
        errors["name"] = [_("200文字以内で入力してください。")]
    unit = (data.unit or "").strip()
    if not unit:
        errors["unit"] = [_("単位を入力してください(個、箱、本など)。")]
    elif len(unit) > 10:
        errors["unit"] = [_("10文字以内で入力してください。")]
    vendor = (data.vendor_name or "").strip()
    if len(vendor) > 200:
        errors["vendor_name"] = [_("200文字以内で入力してください。")]
    values: dict[str, Any] = {"code": code, "name": name, "unit": unit, "vendor_name": vendor}
    values["is_active"] = bool(data.is_active)
    try:
        values["unit_cost"] = _unit_cost(data.unit_cost)
    except ServiceError as exc:
        errors.update(exc.field_errors)
    for field, raw in (("reorder_point", data.reorder_point), ("reorder_quantity", data.reorder_quantity)):
        try:
            values[field] = _quantity(raw, field, allow_zero=True)
        except ServiceError:
            errors[field] = [_("0〜%(max)sの整数で入力してください。") % {"max": f"{MAX_QUANTITY:,}"}]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    values["search_key"] = search_key(" ".join([code, name, vendor]))[:400]
    return values


# ------------------------------------------------------------------------------------ items
@transaction.atomic
def create_consumable(
    *, company: Company, actor: User, membership: Membership, data: ConsumableInput
) -> Consumable:
    require_role(membership, *MANAGE_ROLES)
    values = _clean_item(company, data, None)
    item = Consumable(company=company, **values)
    item.save()
    record_event(
        company=company, actor=actor, action="create", instance=item, after=snapshot(item, ITEM_FIELDS)
    )
    return item


def _locked_item(company: Company, item: Consumable) -> Consumable:
    found = Consumable.objects.for_company(company).select_for_update(of=("self",)).filter(pk=item.pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def update_consumable(
    *, company: Company, actor: User, membership: Membership, consumable: Consumable, data: ConsumableInput
) -> Consumable:
    """Change an item. Moves already recorded keep their own unit cost and amount."""
    require_role(membership, *MANAGE_ROLES)
    item = _locked_item(company, consumable)
    values = _clean_item(company, data, item)
    before = snapshot(item, ITEM_FIELDS)
    for name, value in values.items():
        setattr(item, name, value)
    item.save()
    after = snapshot(item, ITEM_FIELDS)
    if after != before:
        record_event(company=company, actor=actor, action="update", instance=item, before=before, after=after)
    return item


# ------------------------------------------------------------------------------------ stock
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


# ------------------------------------------------------------------------------------ requests
REQUEST_FIELDS = ("consumable", "quantity", "employee", "department", "note", "status", "decision_note")


@transaction.atomic
def request_consumable(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    consumable: Consumable,
    quantity: Any,
    note: str = "",
) -> ConsumableRequest:
    """An employee asks 総務 for an item (their employee record and department of today are kept
    on the request, so that the 出庫 is charged to them)."""
    require_role(membership, *REQUEST_ROLES)
    _own(company, consumable, "consumable")
    if not consumable.is_active:
        raise _invalid("consumable", _("この消耗品は現在取り扱っていません。"))
    n = _quantity(quantity)
    today = timezone.localdate()
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    department = people_selectors.employee_department(company=company, user=actor, as_of=today)
    req = ConsumableRequest(
        company=company,
        consumable=consumable,
        quantity=n,
        requested_by=actor,
        employee=employee,
        department=department,
        note=_note(note),
    )
    req.save()
    record_event(
        company=company,
        actor=actor,
        action="submit",
        instance=req,
        object_repr=f"{consumable.name} × {n}{consumable.unit}",
        after=snapshot(req, REQUEST_FIELDS),
    )
    return req


def _locked_request(company: Company, request: ConsumableRequest, action: str) -> ConsumableRequest:
    found = (
        ConsumableRequest.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("consumable")
        .filter(pk=request.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    allowed, _target = REQUEST_TRANSITIONS[action]
    if found.status not in allowed:
        message = _("この依頼は「%(s)s」のため、この操作はできません。") % {"s": found.get_status_display()}
        raise ServiceError(message, code="invalid_state", field_errors={"status": [message]})
    return found


def _decide(
    company: Company, actor: User, req: ConsumableRequest, action: str, note: str, event_action: str
) -> None:
    before = snapshot(req, REQUEST_FIELDS)
    req.status = REQUEST_TRANSITIONS[action][1]
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_note = note
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        company=company,
        actor=actor,
        action=event_action,
        instance=req,
        object_repr=f"{req.consumable.name} × {req.quantity}{req.consumable.unit}",
        before=before,
        after=snapshot(req, REQUEST_FIELDS),
    )


def _tell_requester(company: Company, actor: User, req: ConsumableRequest, text: str) -> None:
    if req.requested_by_id != actor.pk:
        notify(
            company=company,
            user=req.requested_by,
            kind="affairs.consumable_request",
            text=text,
            url=reverse("affairs:consumable_my_requests"),
            object_type="affairs.consumablerequest",
            object_id=req.pk,
        )


@transaction.atomic
def issue_request(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: ConsumableRequest,
    location: Location | None,
    moved_on: date | None = None,
    note: str = "",
) -> StockMove:
    """払出: an 出庫 of the requested quantity from ``location`` to the requester (and the
    department they had when asking). Short stock → ServiceError, the request stays 依頼中."""
    require_role(membership, *MANAGE_ROLES)
    location = _check_location(company, location)
    req = _locked_request(company, request, "issue")
    item = _locked_item(company, req.consumable)
    text = _note(note)
    move = _issue(
        company=company,
        actor=actor,
        item=item,
        location=location,
        quantity=req.quantity,
        moved_on=_date(moved_on),
        department=req.department,
        employee=req.employee,
        request=req,
        note=text,
    )
    _decide(company, actor, req, "issue", text, "issue")
    _tell_requester(
        company,
        actor,
        req,
        _("依頼した %(item)s × %(n)s%(unit)s を払い出しました(%(place)s)。")
        % {"item": item.name, "n": req.quantity, "unit": item.unit, "place": location.name},
    )
    return move


@transaction.atomic
def reject_request(
    *, company: Company, actor: User, membership: Membership, request: ConsumableRequest, note: str = ""
) -> ConsumableRequest:
    """却下, with the reason told to the requester."""
    require_role(membership, *MANAGE_ROLES)
    text = _note(note, "decision_note")
    if not text:
        raise _invalid("decision_note", _("却下の理由を入力してください。"))
    req = _locked_request(company, request, "reject")
    _decide(company, actor, req, "reject", text, "reject")
    _tell_requester(
        company,
        actor,
        req,
        _("%(item)s の依頼は却下されました: %(why)s") % {"item": req.consumable.name, "why": text},
    )
    return req


@transaction.atomic
def cancel_request(
    *, company: Company, actor: User, membership: Membership, request: ConsumableRequest
) -> ConsumableRequest:
    """取消 of an open request, by the person who asked (or 総務)."""
    require_role(membership, *REQUEST_ROLES)
    if request.requested_by_id != actor.pk and not can_manage(membership):
        raise PermissionDeniedError(_("自分の依頼だけを取り消せます。"))
    req = _locked_request(company, request, "cancel")
    _decide(company, actor, req, "cancel", "", "withdraw")
    return req
