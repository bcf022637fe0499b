"""Home-page panels of the equipment part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py):
for 人事・総務・admin the leavers who still hold items, for 経理 the fixed-asset candidates, and for
everyone what they hold themselves (a count with a link)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership, Role

from .selectors import equipment as selectors


def panels(membership: Membership) -> list[dict[str, Any]]:
    company = membership.company
    items: list[dict[str, Any]] = []
    if membership.has_any_role(*selectors.LEAVER_ROLES):
        people, count = selectors.leaver_item_count(company=company)
        if count:
            items.append(
                {
                    "text": _("退職者・退職予定者 %(p)d 名の備品 %(n)d 点が返却待ちです")
                    % {"p": people, "n": count},
                    "url": reverse("affairs:equipment_leavers"),
                }
            )
    if membership.has_any_role(Role.ACCOUNTING):
        count = selectors.fixed_asset_candidates(company=company, membership=membership).count()
        if count:
            items.append(
                {
                    "text": _("固定資産候補の備品が %(n)d 点あります(取得価額 %(t)s 円以上)")
                    % {"n": count, "t": f"{int(selectors.threshold_of(company)):,}"},
                    "url": reverse("affairs:equipment_fixed_assets"),
                }
            )
    employee = selectors.own_employee(company=company, membership=membership)
    if employee is not None:
        held = selectors.held_items(company=company, employee=employee).count()
        if held:
            items.append(
                {
                    "text": _("貸与中の備品が %(n)d 点あります") % {"n": held},
                    "url": reverse("affairs:equipment_mine"),
                }
            )
    if not items:
        return []
    return [{"key": "equipment", "title": _("備品"), "empty": "", "items": items}]
