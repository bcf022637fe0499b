"""消耗品's writes: the items themselves (品番・品名・単位・単価・発注点). Stock and requests lock an
item through ``_locked_item`` before they touch it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Consumable
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, search_key

from .base import MANAGE_ROLES, MAX_QUANTITY, _quantity, _unit_cost

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
