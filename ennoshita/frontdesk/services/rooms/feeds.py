"""The secret tokens of the iCalendar feeds: one per room (for the room's calendar) and one per
member and company (for 私の予約). The token in the URL is the only key a calendar app has, so a
new token is how an old URL is made to stop working.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from ennoshita.core.audit import record_event
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.frontdesk.models.rooms import Room, RoomFeedToken

from ._checks import locked_room
from .permissions import ROOM_MANAGERS, require_booker


def new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def regenerate_room_feed(*, company: Company, actor: User, membership: Membership, room: Room) -> Room:
    """A new secret for the room's calendar feed: the old URL stops working."""
    require_role(membership, *ROOM_MANAGERS)
    room = locked_room(company, room)
    room.feed_token = new_token()
    room.save(update_fields=["feed_token"])
    record_event(company=company, actor=actor, action="regenerate_feed", instance=room)
    return room


@transaction.atomic
def person_feed_token(
    *, company: Company, actor: User, membership: Membership, regenerate: bool = False
) -> RoomFeedToken:
    """The secret of the actor's own calendar feed in this company, made on first use; with
    ``regenerate`` a new one replaces it (the old URL stops working)."""
    require_booker(membership)
    feed = (
        RoomFeedToken.objects.for_company(company).select_for_update(of=("self",)).filter(user=actor).first()
    )
    if feed is None:
        feed = RoomFeedToken.objects.create(company=company, user=actor, token=new_token())
        record_event(company=company, actor=actor, action="create", instance=feed)
    elif regenerate:
        feed.token = new_token()
        feed.save(update_fields=["token"])
        record_event(company=company, actor=actor, action="regenerate_feed", instance=feed)
    return feed
