"""Home-page panel of the 知的財産 part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py): for
法務 and 管理者, the rights whose next deadline (更新・年金・分割納付・満了) is within 30 days or already
in its late period."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from .permissions_ip import manages_ip
from .rules.ip import label_of
from .selectors import ip as selectors

SHOWN = 5
DAYS = 30


def panels(membership: Membership) -> list[dict[str, Any]]:
    if not manages_ip(membership):
        return []
    today = timezone.localdate()
    rights = list(
        selectors.upcoming(company=membership.company, membership=membership, days=DAYS)[: SHOWN + 1]
    )
    items = []
    for r in rights[:SHOWN]:
        assert r.next_deadline_on is not None
        late = r.next_deadline_on < today
        items.append(
            {
                "text": _("%(ref)s「%(t)s」: %(what)s")
                % {"ref": r.reference, "t": r.title, "what": label_of(r.next_deadline_kind)},
                "url": reverse("legal:ip_detail", args=[r.pk]),
                "note": (_("期限 %(d)s を過ぎています(割増が必要)") if late else _("期限 %(d)s"))
                % {"d": r.next_deadline_on.isoformat()},
            }
        )
    if len(rights) > SHOWN:
        items.append(
            {"text": _("期限が近い権利をすべて見る"), "url": reverse("legal:ip_upcoming") + f"?days={DAYS}"}
        )
    return [
        {
            "key": "ip_deadlines",
            "title": _("知的財産の期限(30日以内)"),
            "empty": _("30日以内に期限が来る権利はありません。"),
            "items": items,
        }
    ]
