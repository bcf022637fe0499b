"""Home-page panels of the welfare part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py).

The member's own 福利厚生 applications that wait for approval or were sent back to them. 総務 gets
no count of approved uses: nothing in it needs their action, and what waits for their decision is
already in the approvals inbox.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from .models import BenefitUseStatus
from .selectors import welfare as selectors


def panels(membership: Membership) -> list[dict[str, Any]]:
    uses = selectors.pending_uses_of(company=membership.company, user_id=membership.user_id)
    if not uses:
        return []
    items = [
        {
            "text": f"{u.benefit.name} {u.used_on:%Y-%m-%d}",
            "url": reverse("affairs:benefit_use_detail", args=[u.pk]),
            "note": _("差し戻し") if u.status == BenefitUseStatus.DRAFT else _("承認待ち"),
        }
        for u in uses
    ]
    return [{"key": "welfare_pending", "title": _("福利厚生の申請"), "items": items}]
