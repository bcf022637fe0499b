"""Who may do what with 会議室:

- book: every member of the company but the outside team (assistant);
- move or cancel a booking (or a 定例): the person who booked it, or 受付・総務・管理者;
- the rooms master and the room feed tokens: 受付・総務・管理者.

The screens ask ``can_*`` to show or hide a button; the services call ``require_*`` again.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ennoshita.core.errors import PermissionDeniedError
from ennoshita.core.models import Membership, Role
from ennoshita.frontdesk.models.rooms import RoomBooking

ROOM_MANAGERS = (Role.ADMIN, Role.AFFAIRS, Role.FRONTDESK)
BOOKER_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)


def can_book(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*BOOKER_ROLES)


def can_manage_rooms(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*ROOM_MANAGERS)


def can_change_booking(membership: Membership | None, booking: RoomBooking) -> bool:
    """The booker, or 受付・総務・管理者 (who rearrange rooms for the whole office)."""
    if membership is None:
        return False
    return booking.booked_by_id == membership.user_id or can_manage_rooms(membership)


def require_booker(membership: Membership | None) -> None:
    if not can_book(membership):
        raise PermissionDeniedError(_("会議室を予約する権限がありません。"))


def require_changer(membership: Membership | None, booking: RoomBooking) -> None:
    if not can_change_booking(membership, booking):
        raise PermissionDeniedError(_("この予約を変更・取消できるのは予約した本人か受付・総務です。"))
