"""Home-page panels of the consumables part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py).

総務: the open requests and the items at or under their reorder point. Everyone: their own open
requests."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.affairs.models import RequestStatus
from ennoshita.affairs.selectors import consumables as selectors
from ennoshita.affairs.services.consumables import can_manage
from ennoshita.core.models import Membership

SHOW = 5


def panels(membership: Membership) -> list[dict[str, Any]]:
    company = membership.company
    found: list[dict[str, Any]] = []
    if can_manage(membership):
        items: list[dict[str, str]] = []
        waiting = selectors.request_list(company=company, membership=membership)
        count = waiting.count()
        if count:
            items.append(
                {
                    "text": _("消耗品の依頼が %(n)d 件あります") % {"n": count},
                    "url": reverse("affairs:consumable_requests"),
                }
            )
        low = selectors.reorder_list(company=company, membership=membership)
        if low:
            items.append(
                {
                    "text": _("発注点以下の消耗品が %(n)d 品目あります") % {"n": len(low)},
                    "url": reverse("affairs:consumable_reorder"),
                    "note": "、".join(r.name for r in low[:SHOW]),
                }
            )
        found.append(
            {
                "key": "affairs_consumables",
                "title": _("消耗品(総務)"),
                "empty": _("対応待ちはありません。"),
                "items": items,
            }
        )
    mine = selectors.my_requests(company=company, membership=membership, status=RequestStatus.REQUESTED)
    own = [
        {
            "text": _("%(item)s × %(n)s%(unit)s を依頼中")
            % {"item": r.consumable.name, "n": r.quantity, "unit": r.consumable.unit},
            "url": reverse("affairs:consumable_my_requests"),
        }
        for r in mine[:SHOW]
    ]
    found.append({"key": "my_consumable_requests", "title": _("私の消耗品の依頼"), "empty": "", "items": own})
    return found
