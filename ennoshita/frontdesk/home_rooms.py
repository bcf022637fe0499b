"""Home-page panels of the rooms part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py): the
member's room bookings of today."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from .selectors import rooms as selectors
from .services import rooms as services


def panels(membership: Membership) -> list[dict[str, Any]]:
    if not services.can_book(membership):
        return []
    today = timezone.localdate()
    bookings = selectors.bookings_of_day(company=membership.company, user=membership.user, day=today)
    items = [
        {
            "text": f"{b.title}({b.room.name})",
            "url": reverse("frontdesk:booking_detail", args=[b.pk]),
            "note": f"{timezone.localtime(b.starts_at):%H:%M}–{timezone.localtime(b.ends_at):%H:%M}",
        }
        for b in bookings
    ]
    return [
        {
            "key": "room_bookings_today",
            "title": _("今日の会議室予約"),
            "empty": _("今日の会議室予約はありません。"),
            "items": items,
        }
    ]
