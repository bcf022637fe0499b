"""Writing 備品: the register (register, change, status, dispose), the categories, and 貸与・返却.

Every input is checked before anything is written; messages name the field. Lending an item that
is already lent is refused with the holder's name — and when two people lend the same item at the
same moment, the database's one-open-loan constraint refuses the second with the same message.
The item's ``status`` and ``holder`` move together with its open loan (the loan is the record;
the columns let lists filter without a join).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Equipment, EquipmentCategory, EquipmentLoan, EquipmentStatus, Location
from ennoshita.core.audit import EventInput, record_change, record_event, record_events, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, search_key
from ennoshita.people.models import Employee

WRITE_ROLES = (Role.ADMIN, Role.AFFAIRS)
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
STATE_FIELDS = ("status", "holder", "disposed_on")
CATEGORY_FIELDS = ("name", "is_lendable", "sort_order")
LOAN_FIELDS = ("equipment", "employee", "lent_on", "due_on", "returned_on", "note", "return_note")
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


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


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


def _locked(company: Company, item: Equipment) -> Equipment:
    found = (
        Equipment.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("holder", "category")
        .filter(pk=item.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


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


def _refuse(field: str, message: str, code: str = "invalid") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _lent_message(item: Equipment, holder_employee: Employee | None = None) -> str:
    person = holder_employee or item.holder
    holder = person.full_name if person is not None else "?"
    return _("「%(item)s」は %(holder)s さんに貸出中です。先に返却を記録してください。") % {
        "item": f"{item.asset_number} {item.name}",
        "holder": holder,
    }


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


# ------------------------------------------------------------------------------ categories
def _save_category(category: EquipmentCategory) -> None:
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        message = _("分類「%(name)s」は既にあります。") % {"name": category.name}
        raise ServiceError(message, code="validation", field_errors={"name": [message]}) from None


def _category_values(
    company: Company, name: str, sort_order: Any, category: EquipmentCategory | None
) -> tuple[str, int]:
    errors: dict[str, list[str]] = {}
    text = " ".join(nfkc(name or "").split())
    if not text:
        errors["name"] = [_("分類名を入力してください。")]
    elif len(text) > 50:
        errors["name"] = [_("50文字以内で入力してください。")]
    else:
        clash = EquipmentCategory.objects.for_company(company).filter(name=text)
        if category is not None:
            clash = clash.exclude(pk=category.pk)
        if clash.exists():
            errors["name"] = [_("分類「%(name)s」は既にあります。") % {"name": text}]
    order_text = nfkc(str(sort_order if sort_order is not None else 0)).strip()
    if not order_text.isdigit() or int(order_text) > 32767:
        errors["sort_order"] = [_("表示順は0〜32767の整数で入力してください。")]
    _fail(errors)
    return text, int(order_text)


@transaction.atomic
def create_category(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    name: str,
    is_lendable: bool = True,
    sort_order: Any = 0,
) -> EquipmentCategory:
    require_role(membership, *WRITE_ROLES)
    text, order = _category_values(company, name, sort_order, None)
    category = EquipmentCategory(company=company, name=text, is_lendable=bool(is_lendable), sort_order=order)
    _save_category(category)
    record_change(company=company, actor=actor, instance=category, fields=CATEGORY_FIELDS, before=None)
    return category


@transaction.atomic
def update_category(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    category: EquipmentCategory,
    name: str,
    is_lendable: bool,
    sort_order: Any,
) -> EquipmentCategory:
    require_role(membership, *WRITE_ROLES)
    found = (
        EquipmentCategory.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(pk=category.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    before = snapshot(found, CATEGORY_FIELDS)
    found.name, found.sort_order = _category_values(company, name, sort_order, found)
    found.is_lendable = bool(is_lendable)
    _save_category(found)
    record_change(company=company, actor=actor, instance=found, fields=CATEGORY_FIELDS, before=before)
    return found


# ------------------------------------------------------------------------------ lending
def _employee(company: Company, employee: Employee | None) -> Employee:
    if employee is None or employee.company_id != company.pk:
        raise _refuse("employee", _("貸与先の社員を選んでください。"), code="validation")
    return employee


@transaction.atomic
def lend_equipment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    equipment: Equipment,
    employee: Employee | None,
    lent_on: date,
    due_on: date | None = None,
    note: str = "",
) -> EquipmentLoan:
    """貸与: the item goes to the employee from ``lent_on``. Refused (nothing written) when the item
    is lent already, under repair, lost or disposed, when its category is not lent out, when the
    employee has left by ``lent_on``, or when the dates do not add up."""
    require_role(membership, *WRITE_ROLES)
    item = _locked(company, equipment)
    person = _employee(company, employee)
    today = timezone.localdate()
    if item.status == EquipmentStatus.LENT:
        raise _refuse("equipment", _lent_message(item), code="already_lent")
    if item.status != EquipmentStatus.IN_STOCK:
        raise _refuse(
            "equipment",
            _("「%(item)s」は%(status)sのため貸し出せません。")
            % {"item": f"{item.asset_number} {item.name}", "status": item.get_status_display()},
            code="not_available",
        )
    if not item.category.is_lendable:
        raise _refuse(
            "equipment",
            _("分類「%(c)s」の備品は貸与の対象外です。") % {"c": item.category.name},
            code="not_lendable",
        )
    if lent_on is None:
        raise _refuse("lent_on", _("貸出日を入力してください。"), code="validation")
    if lent_on > today:
        raise _refuse("lent_on", _("貸出日に未来の日付は指定できません。"), code="validation")
    if person.retire_date is not None and person.retire_date < lent_on:
        raise _refuse(
            "employee",
            _("%(name)s さんは %(date)s に退職しています。退職者には貸与できません。")
            % {"name": person.full_name, "date": person.retire_date.isoformat()},
            code="retired",
        )
    if due_on is not None and due_on < lent_on:
        raise _refuse("due_on", _("返却予定日は貸出日以降の日付にしてください。"), code="validation")
    loan = EquipmentLoan(
        company=company,
        equipment=item,
        employee=person,
        lent_on=lent_on,
        due_on=due_on,
        lent_by=actor,
        note=" ".join(nfkc(note or "").split())[:300],
    )
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError:
        # another lending of this item committed between our read and our write
        other = (
            EquipmentLoan.objects.for_company(company)
            .filter(equipment=item, returned_on__isnull=True)
            .select_related("employee")
            .first()
        )
        holder = other.employee if other is not None else None
        raise _refuse("equipment", _lent_message(item, holder), code="already_lent") from None
    before = snapshot(item, STATE_FIELDS)
    item.status = EquipmentStatus.LENT
    item.holder = person
    item.save(update_fields=["status", "holder", "updated_at"])
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "lend",
                instance=item,
                before=before,
                after=snapshot(item, STATE_FIELDS),
                extra={"loan": loan.pk, "lent_on": lent_on, "due_on": due_on},
            ),
            EventInput("create", instance=loan, after=snapshot(loan, LOAN_FIELDS)),
        ],
    )
    return loan


@transaction.atomic
def return_equipment(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    equipment: Equipment,
    returned_on: date,
    return_note: str = "",
    needs_repair: bool = False,
) -> EquipmentLoan:
    """返却: closes the open loan; the item is 保管中 again (修理中 when it came back broken)."""
    require_role(membership, *WRITE_ROLES)
    item = _locked(company, equipment)
    loan = (
        EquipmentLoan.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(equipment=item, returned_on__isnull=True)
        .first()
    )
    if loan is None or item.status != EquipmentStatus.LENT:
        raise _refuse(
            "equipment",
            _("「%(item)s」は貸出中ではありません。") % {"item": f"{item.asset_number} {item.name}"},
            code="not_lent",
        )
    if returned_on is None:
        raise _refuse("returned_on", _("返却日を入力してください。"), code="validation")
    if returned_on > timezone.localdate():
        raise _refuse("returned_on", _("返却日に未来の日付は指定できません。"), code="validation")
    if returned_on < loan.lent_on:
        raise _refuse(
            "returned_on",
            _("返却日は貸出日(%(d)s)以降の日付にしてください。") % {"d": loan.lent_on.isoformat()},
            code="validation",
        )
    loan_before = snapshot(loan, LOAN_FIELDS)
    loan.returned_on = returned_on
    loan.returned_by = actor
    loan.return_note = " ".join(nfkc(return_note or "").split())[:300]
    loan.save()
    before = snapshot(item, STATE_FIELDS)
    item.status = EquipmentStatus.REPAIR if needs_repair else EquipmentStatus.IN_STOCK
    item.holder = None
    item.save(update_fields=["status", "holder", "updated_at"])
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "return",
                instance=item,
                before=before,
                after=snapshot(item, STATE_FIELDS),
                extra={"loan": loan.pk, "returned_on": returned_on},
            ),
            EventInput("update", instance=loan, before=loan_before, after=snapshot(loan, LOAN_FIELDS)),
        ],
    )
    return loan
