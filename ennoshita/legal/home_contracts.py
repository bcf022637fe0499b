"""Home-page panel of the contracts part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py):
the contracts whose notice deadline or expiry comes in the next 30 days — the member's own, and for
法務 (and 管理者) every contract of the company."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from . import permissions
from .selectors import contracts as selectors

SHOWN = 5
DAYS = 30


def panels(membership: Membership) -> list[dict[str, Any]]:
    if not permissions.can_register(membership):
        return []
    company = membership.company
    items = selectors.upcoming(company=company, membership=membership, days=DAYS)
    if not permissions.manages_contracts(membership):
        items = [i for i in items if membership.user_id in (i.contract.owner_id, i.contract.created_by_id)]
    if not items:
        return []
    rows = [
        {
            "text": _("%(n)s %(t)s: %(k)s")
            % {"n": i.contract.number, "t": i.contract.title, "k": i.kind_label},
            "url": reverse("legal:contract_detail", args=[i.contract.pk]),
            "note": _("%(d)s(あと%(l)d日)") % {"d": i.due_on.isoformat(), "l": i.days_left},
        }
        for i in items[:SHOWN]
    ]
    if len(items) > SHOWN:
        rows.append(
            {
                "text": _("期限が近い契約をすべて見る"),
                "url": reverse("legal:contract_upcoming") + f"?days={DAYS}",
            }
        )
    return [{"key": "contracts_upcoming", "title": _("期限が近い契約(30日以内)"), "empty": "", "items": rows}]
