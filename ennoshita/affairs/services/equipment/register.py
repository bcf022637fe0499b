"""備品's writes: the register — an item registered, its facts changed, its state set by hand
(保管中・修理中・紛失), and 廃棄. Every input is checked before anything is written; messages name
the field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Equipment, EquipmentCategory, EquipmentStatus, Location
from ennoshita.core.audit import record_change, record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, search_key

from .base import STATE_FIELDS, WRITE_ROLES, _fail, _lent_message, _locked, _refuse

EQUIPMENT_FIELDS = (
    "asset_number",
    "name",
    "category",
    "location",
    "maker",
    "serial_number",
    "purchase_date",
    "purchase_price",
    "vendor_name",
    "warranty_end",
    "note",
)
MAX_PRICE = Decimal(10**13)
# the states an item not on loan may be put in by hand (貸出中 only through lending, 廃棄 through dispose)
MANUAL_STATES = (EquipmentStatus.IN_STOCK, EquipmentStatus.REPAIR, EquipmentStatus.LOST)


@dataclass(frozen=True)
class EquipmentInput:
    """An item as typed. ``purchase_price`` may come as "128,000" or with full-width digits."""

    asset_number: str
    name: str
    category_id: int | None
    location_id: int | None = None
    maker: str = ""
    serial_number: str = ""
    purchase_date: date | None = None
    purchase_price: Any = None
    vendor_name: str = ""
    warranty_end: date | None = None
    note: str = ""


def _text(errors: dict[str, list[str]], name: str, value: str, limit: int, *, required: str = "") -> str:
    text = " ".join(nfkc(value or "").split()) if name != "note" else (value or "").strip()
    if required and not text:
        errors[name] = [required]
    elif len(text) > limit:
        errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": limit}]
    return text


def _price(errors: dict[str, list[str]], value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        errors["purchase_price"] = [_("金額は円単位の整数で入力してください。")]
        return None
    text = nfkc(str(value)).strip().replace(",", "").replace("円", "").replace("¥", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        errors["purchase_price"] = [_("金額は円単位の整数で入力してください。")]
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        errors["purchase_price"] = [
            _("金額は円単位の整数で入力してください(1円未満の端数は入力できません)。")
        ]
    elif amount < 0:
        errors["purchase_price"] = [_("購入価額に負の金額は入力できません。")]
    elif amount > MAX_PRICE:
        errors["purchase_price"] = [_("購入価額が大きすぎます。")]
    else:
        return amount.quantize(Decimal(1))
    return None


def _clean(company: Company, data: EquipmentInput, item: Equipment | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    number = "".join(nfkc(data.asset_number or "").split()).upper()
    if not number:
        errors["asset_number"] = [_("資産番号を入力してください。")]
    elif len(number) > 30:
        errors["asset_number"] = [_("30文字以内で入力してください。")]
    else:
        clash = Equipment.objects.for_company(company).filter(asset_number=number)
        if item is not None:
            clash = clash.exclude(pk=item.pk)
        if clash.exists():
            errors["asset_number"] = [_("資産番号「%(n)s」は既に使われています。") % {"n": number}]
    category = None
    if data.category_id:
        category = EquipmentCategory.objects.for_company(company).filter(pk=data.category_id).first()
    if category is None:
        errors["category"] = [_("分類を選んでください。")]
    location = None
    if data.location_id:
        location = Location.objects.for_company(company).filter(pk=data.location_id).first()
        if location is None or (not location.is_active and (item is None or item.location_id != location.pk)):
            errors["location"] = [_("使用中の場所を選んでください。")]
    values: dict[str, Any] = {
        "asset_number": number,
        "name": _text(errors, "name", data.name, 200, required=_("品名を入力してください。")),
        "category": category,
        "location": location,
        "maker": _text(errors, "maker", data.maker, 200),
        "serial_number": _text(errors, "serial_number", data.serial_number, 100),
        "purchase_date": data.purchase_date,
        "purchase_price": _price(errors, data.purchase_price),
        "vendor_name": _text(errors, "vendor_name", data.vendor_name, 200),
        "warranty_end": data.warranty_end,
        "note": _text(errors, "note", data.note, 2000),
    }
    if data.purchase_date and data.warranty_end and data.warranty_end < data.purchase_date:
        errors["warranty_end"] = [_("保証期限は購入日以降の日付にしてください。")]
    _fail(errors)
    return values


def _search_key(item: Equipment) -> str:
    parts = (item.asset_number, item.name, item.serial_number, item.maker, item.vendor_name)
    return "|".join(search_key(p) for p in parts)[:600]


def _save_unique(item: Equipment) -> None:
    """Save; a concurrent register of the same 資産番号 loses on the constraint with the same message."""
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        message = _("資産番号「%(n)s」は既に使われています。") % {"n": item.asset_number}
        raise ServiceError(message, code="validation", field_errors={"asset_number": [message]}) from None


@transaction.atomic
def register_equipment(
    *, company: Company, actor: User, membership: Membership, data: EquipmentInput
) -> Equipment:
    """A new item, 保管中. Any error → nothing written, the messages on their fields."""
    require_role(membership, *WRITE_ROLES)
    values = _clean(company, data, None)
    item = Equipment(company=company, status=EquipmentStatus.IN_STOCK, **values)
    item.search_key = _search_key(item)
    _save_unique(item)
    record_change(
        company=company, actor=actor, instance=item, fields=(*EQUIPMENT_FIELDS, "status"), before=None
    )
    return item


@transaction.atomic
def update_equipment(
    *, company: Company, actor: User, membership: Membership, equipment: Equipment, data: EquipmentInput
) -> Equipment:
    """Change the register's facts of an item (not its state: lend, return, dispose do that)."""
    require_role(membership, *WRITE_ROLES)
    item = _locked(company, equipment)
    values = _clean(company, data, item)
    before = snapshot(item, EQUIPMENT_FIELDS)
    for name, value in values.items():
        setattr(item, name, value)
    item.search_key = _search_key(item)
    _save_unique(item)
    record_change(company=company, actor=actor, instance=item, fields=EQUIPMENT_FIELDS, before=before)
    return item


@transaction.atomic
def set_equipment_status(
    *, company: Company, actor: User, membership: Membership, equipment: Equipment, status: str
) -> Equipment:
    """保管中・修理中・紛失 for an item that is not on loan (a lent item is returned first)."""
    require_role(membership, *WRITE_ROLES)
    item = _locked(company, equipment)
    if status not in MANUAL_STATES:
        raise _refuse("status", _("保管中・修理中・紛失のいずれかを選んでください。"), code="validation")
    if item.status == EquipmentStatus.LENT:
        raise _refuse("status", _lent_message(item), code="lent")
    if item.status == EquipmentStatus.DISPOSED:
        raise _refuse("status", _("廃棄済みの備品の状態は変えられません。"), code="disposed")
    if item.status == status:
        return item
    before = snapshot(item, STATE_FIELDS)
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    record_change(company=company, actor=actor, instance=item, fields=STATE_FIELDS, before=before)
    return item


@transaction.atomic
def dispose_equipment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    equipment: Equipment,
    disposed_on: date,
    note: str = "",
) -> Equipment:
    """廃棄: the item stays in the register (and its loans in the history) as 廃棄済み."""
    require_role(membership, *WRITE_ROLES)
    item = _locked(company, equipment)
    if item.status == EquipmentStatus.LENT:
        raise _refuse("disposed_on", _lent_message(item), code="lent")
    if item.status == EquipmentStatus.DISPOSED:
        raise _refuse("disposed_on", _("この備品は既に廃棄済みです。"), code="disposed")
    if disposed_on is None:
        raise _refuse("disposed_on", _("廃棄日を入力してください。"), code="validation")
    if disposed_on > timezone.localdate():
        raise _refuse("disposed_on", _("廃棄日に未来の日付は指定できません。"), code="validation")
    if item.purchase_date and disposed_on < item.purchase_date:
        raise _refuse("disposed_on", _("廃棄日は購入日以降の日付にしてください。"), code="validation")
    before = snapshot(item, (*STATE_FIELDS, "note"))
    item.status = EquipmentStatus.DISPOSED
    item.disposed_on = disposed_on
    extra = " ".join(nfkc(note or "").split())[:300]
    if extra:
        item.note = f"{item.note}\n{_('廃棄')}: {extra}".strip()
    item.save()
    record_event(
        company=company,
        actor=actor,
        action="dispose",
        instance=item,
        before=before,
        after=snapshot(item, (*STATE_FIELDS, "note")),
    )
    return item
