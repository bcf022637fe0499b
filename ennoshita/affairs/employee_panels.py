"""The 備品 panel on an employee's record in the people app (settings.ENNOSHITA_EMPLOYEE_PANELS):
what the employee holds now, for 人事・総務・経理 and for the employee themselves."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.models import Company, Membership
from ennoshita.people.models import Employee

from .selectors import equipment as selectors


def equipment_panels(*, company: Company, membership: Membership, employee: Employee) -> list[dict[str, Any]]:
    if not selectors.may_see_holdings(membership=membership, employee=employee):
        return []
    register_reader = selectors.can_read(membership)
    items = []
    for loan in selectors.held_items(company=company, employee=employee):
        item = loan.equipment
        items.append(
            {
                "text": f"{item.asset_number} {item.name}({item.category.name})",
                "url": reverse("affairs:equipment_detail", args=[item.pk]) if register_reader else "",
                "note": _("%(date)s から貸与") % {"date": loan.lent_on.isoformat()},
            }
        )
    link = (
        reverse("affairs:equipment_employee_loans", args=[employee.pk])
        if register_reader
        else reverse("affairs:equipment_mine")
    )
    return [
        {
            "key": "equipment",
            "title": _("貸与中の備品"),
            "items": items,
            "empty": _("貸与中の備品はありません。"),
            "link": link,
            "link_text": _("貸与履歴を見る"),
        }
    ]
