"""品目 (products and services): register, change, deactivate, delete an unused one.

Unit prices keep at most 4 decimal places (``core.money.unit_price``) and are never negative;
the 税区分 is one of ``SalesTax``. Every write checks ``permissions.WRITE_ROLES``, runs in one
transaction and records an audit event.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.money import UNIT_PRICE_PLACES, to_decimal, unit_price
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.sales.models import Product, SalesTax
from ennoshita.sales.permissions import WRITE_ROLES

from .customers import KEEP

CODE_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.\-/]*")
# unit_price_field: 19 digits with 4 decimal places → at most 15 digits before the point
MAX_UNIT_PRICE = Decimal("999999999999999.9999")
_FIELDS = ("code", "name", "unit", "unit_price", "tax", "is_active")


def _invalid(errors: dict[str, list[str]]) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _has_control(value: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in value)


def parse_unit_price(value: Any) -> Decimal:
    """ "1,234.5" / "１２３４．５" / Decimal → Decimal with ≤ 4 places; ValueError with the reason
    in the user's language."""
    if isinstance(value, bool) or value is None:
        raise ValueError(_("単価を数値で入力してください。"))
    text = nfkc(value).strip().replace(",", "").replace("円", "") if isinstance(value, str) else value
    if isinstance(text, str) and not text:
        raise ValueError(_("単価を入力してください。"))
    if isinstance(text, float):
        text = str(text)
    try:
        number = to_decimal(text)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ValueError(_("単価を数値で入力してください。")) from exc
    if abs(number) > MAX_UNIT_PRICE:
        raise ValueError(_("単価が大きすぎます。"))
    try:
        price = unit_price(number)
    except (ValueError, ArithmeticError) as exc:
        raise ValueError(_("単価は小数点以下4桁までで入力してください。")) from exc
    if price < 0:
        raise ValueError(_("単価は0以上で入力してください。"))
    return price.quantize(Decimal(1).scaleb(-UNIT_PRICE_PLACES))


def format_unit_price(value: Decimal) -> str:
    """1234.5000 → "1,234.5", 1000.0000 → "1,000" (no trailing zeros)."""
    return f"{Decimal(value).normalize():,f}"


def _clean(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    code = nfkc(str(values["code"] or "")).strip()
    if not code:
        errors["code"] = [_("品目コードを入力してください。")]
    elif not CODE_RE.fullmatch(code):
        errors["code"] = [_("品目コードは半角英数字と - _ . / で入力してください(先頭は英数字)。")]
    elif len(code) > 30:
        errors["code"] = [_("%(n)d文字以内で入力してください。") % {"n": 30}]
    out["code"] = code
    for field, limit, required in (("name", 200, True), ("unit", 10, False)):
        text = str(values[field] or "").strip()
        if required and not text:
            errors[field] = [_("品名を入力してください。")]
        elif _has_control(text):
            errors[field] = [_("改行や制御文字は使えません。")]
        elif len(text) > limit:
            errors[field] = [_("%(n)d文字以内で入力してください。") % {"n": limit}]
        out[field] = text
    try:
        out["unit_price"] = parse_unit_price(values["unit_price"])
    except ValueError as exc:
        errors["unit_price"] = [str(exc)]
    if values["tax"] not in SalesTax.values:
        errors["tax"] = [_("税区分を選んでください。")]
    out["tax"] = values["tax"]
    out["is_active"] = bool(values["is_active"])
    return out, errors


def _code_taken(code: str) -> ServiceError:
    message = _("品目コード「%(code)s」は使われています。") % {"code": code}
    return ServiceError(message, code="duplicate", field_errors={"code": [message]})


def _save(*, company: Company, actor: User, product: Product | None, values: dict[str, Any]) -> Product:
    cleaned, errors = _clean(values)
    row = product if product is not None else Product(company=company)
    before = snapshot(row) if product is not None else None
    if "code" not in errors and (
        Product.objects.for_company(company).filter(code=cleaned["code"]).exclude(pk=row.pk).exists()
    ):
        errors["code"] = [_code_taken(cleaned["code"]).message]
    if errors:
        raise _invalid(errors)
    for field, value in cleaned.items():
        setattr(row, field, value)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # a concurrent writer took the code first
        raise _code_taken(row.code) from exc
    record_event(
        company=company,
        actor=actor,
        action="update" if before is not None else "create",
        instance=row,
        before=before,
        after=snapshot(row),
    )
    return row


def _locked(company: Company, product: Product) -> Product:
    if product.company_id != company.pk:
        raise NotFound()
    row = Product.objects.for_company(company).select_for_update().filter(pk=product.pk).first()
    if row is None:
        raise NotFound()
    return row


def create_product(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    code: str,
    name: str,
    unit: str = "個",
    unit_price: Decimal | int | str = Decimal(0),
    tax: str = SalesTax.S10,
    is_active: bool = True,
) -> Product:
    """Register a 品目."""
    arguments = dict(locals())
    values = {k: v for k, v in arguments.items() if k in _FIELDS}
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        return _save(company=company, actor=actor, product=None, values=values)


def update_product(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    product: Product,
    code: str = KEEP,
    name: str = KEEP,
    unit: str = KEEP,
    unit_price: Decimal | int | str = KEEP,
    tax: str = KEEP,
    is_active: bool = KEEP,
) -> Product:
    """Change a 品目; arguments left out keep their value. Documents already made keep the price
    and 税区分 they were made with (their lines copy them)."""
    arguments = dict(locals())
    given = {k: v for k, v in arguments.items() if k in _FIELDS}
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        row = _locked(company, product)
        values = {f: (getattr(row, f) if given[f] is KEEP else given[f]) for f in _FIELDS}
        return _save(company=company, actor=actor, product=row, values=values)


def _set_active(
    *, company: Company, actor: User, membership: Membership, product: Product, active: bool
) -> Product:
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        row = _locked(company, product)
        if row.is_active == active:
            return row
        before = snapshot(row)
        row.is_active = active
        row.save(update_fields=["is_active", "updated_at"])
        record_event(
            company=company, actor=actor, action="update", instance=row, before=before, after=snapshot(row)
        )
        return row


def deactivate_product(*, company: Company, actor: User, membership: Membership, product: Product) -> Product:
    """使用停止: kept for the documents that use it, no longer offered for new lines."""
    return _set_active(company=company, actor=actor, membership=membership, product=product, active=False)


def reactivate_product(*, company: Company, actor: User, membership: Membership, product: Product) -> Product:
    return _set_active(company=company, actor=actor, membership=membership, product=product, active=True)


def product_in_use(product: Product) -> bool:
    """Whether a quote, order or invoice line uses the product."""
    return (
        product.quoteline_set.exists() or product.orderline_set.exists() or product.invoiceline_set.exists()
    )


def delete_product(*, company: Company, actor: User, membership: Membership, product: Product) -> None:
    """Delete a 品目 that no document line uses; a used one is deactivated instead."""
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        row = _locked(company, product)
        if product_in_use(row):
            raise ServiceError(
                _(
                    "「%(name)s」は見積書・受注・請求書で使われているため削除できません。使用停止にしてください。"
                )
                % {"name": row.name},
                code="in_use",
            )
        record_event(
            company=company, actor=actor, action="delete", instance=row, before=snapshot(row), after=None
        )
        row.delete()
