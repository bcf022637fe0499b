"""Home-page panel of the 登記・機関 part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py): for
法務 and 管理者, the 登記 not yet filed (overdue first) and the officers whose term ends within 90
days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from .permissions_registry import manages_registry
from .selectors import registry as selectors

SHOWN = 5
DAYS = selectors.SOON_DAYS


def panels(membership: Membership) -> list[dict[str, Any]]:
    if not manages_registry(membership):
        return []
    company = membership.company
    today = timezone.localdate()
    reader: dict[str, Any] = {"company": company, "membership": membership}
    items: list[dict[str, Any]] = []
    for c in selectors.pending_changes(**reader).filter(filed_on__isnull=True)[:SHOWN]:
        left = (c.deadline_on - today).days
        items.append(
            {
                "text": _("登記: %(i)s「%(c)s」") % {"i": c.get_item_display(), "c": c.content[:30]},
                "url": reverse("legal:change_detail", args=[c.pk]),
                "note": (
                    _("期限 %(d)s を過ぎています(過料のおそれ)") if left < 0 else _("期限 %(d)s(あと%(n)s日)")
                )
                % {"d": c.deadline_on.isoformat(), "n": left},
            }
        )
    soon = selectors.officers(**reader).filter(term_ends_on__lte=today + timedelta(days=DAYS))
    for o in soon.order_by("term_ends_on", "pk")[:SHOWN]:
        items.append(
            {
                "text": _("任期満了: %(p)s %(n)s") % {"p": o.get_position_display(), "n": o.name},
                "url": reverse("legal:officer_detail", args=[o.pk]),
                "note": _("%(d)s ごろの定時株主総会まで") % {"d": o.term_ends_on.isoformat()},
            }
        )
    return [
        {
            "key": "registry",
            "title": _("登記・役員の任期"),
            "empty": _("期限が近い登記や任期満了はありません。"),
            "items": items,
        }
    ]
