"""Home-page panels of the announcements part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py):
the unread announcements addressed to the member (important first) and the events they signed up for."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership, Role

from .selectors import announcements as announcement_selectors
from .selectors import events as event_selectors

LIMIT = 5


def panels(membership: Membership) -> list[dict[str, Any]]:
    if membership.has_any_role(Role.ASSISTANT):
        return []
    company = membership.company
    unread = announcement_selectors.visible_announcements(company=company, membership=membership, unread=True)
    rows = list(unread[: LIMIT + 1])
    items = [
        {
            "text": (_("【重要】") if a.is_important else "") + a.title,
            "url": reverse("affairs:announcement_detail", args=[a.pk]),
            "note": timezone.localtime(a.publish_at).strftime("%m/%d"),
        }
        for a in rows[:LIMIT]
    ]
    if len(rows) > LIMIT:
        items.append(
            {
                "text": _("未読のお知らせをすべて見る"),
                "url": reverse("affairs:announcement_list") + "?unread=1",
            }
        )
    events = list(
        event_selectors.event_list(company=company, membership=membership, when="upcoming", mine=True)[:LIMIT]
    )
    event_items = [
        {
            "text": e.title,
            "url": reverse("affairs:event_detail", args=[e.pk]),
            "note": timezone.localtime(e.starts_at).strftime("%m/%d %H:%M")
            + (f" {_('中止')}" if e.status == "cancelled" else ""),
        }
        for e in events
    ]
    return [
        {
            "key": "announcements",
            "title": _("未読のお知らせ"),
            "empty": _("未読のお知らせはありません。"),
            "items": items,
        },
        {"key": "my_events", "title": _("参加予定の社内行事"), "empty": "", "items": event_items},
    ]
