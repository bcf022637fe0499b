"""備品's writes: the categories (分類) an item is filed under, and whether items of one are lent out."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.affairs.models import EquipmentCategory
from ennoshita.core.audit import record_change, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc

from .base import WRITE_ROLES, _fail

CATEGORY_FIELDS = ("name", "is_lendable", "sort_order")


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
