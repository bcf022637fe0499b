"""消耗品's writes: who may do what, and the reading of typed quantities, unit costs and notes that
every write shares (the message always lands on the field that is wrong)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role
from ennoshita.core.text import nfkc

MANAGE_ROLES = (Role.ADMIN, Role.AFFAIRS)
# everyone in the company may ask for stationery; the outside assistant team is not "in" it
REQUEST_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)
MAX_QUANTITY = 1_000_000
MAX_UNIT_COST = Decimal("100000000")


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
