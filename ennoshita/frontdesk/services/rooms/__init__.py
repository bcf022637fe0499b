"""Writing 会議室 and their bookings, one module per part:

- ``bookings``: book, move, cancel one booking (no double booking: the room row is locked, and the
  database refuses an overlap too);
- ``series``: 定例予約, every occurrence booked or none, and cancelling the rest of a series;
- ``master``: the rooms master;
- ``feeds``: the secret tokens of the iCalendar feeds;
- ``permissions``: who may do what (book: every member but the outside team; move or cancel: the
  booker or 受付・総務・管理者; the master and the room feeds: 受付・総務・管理者).

Nothing is written when a write is refused. Every name is imported from here
(``from ennoshita.frontdesk.services import rooms``).
"""

from .bookings import BOOKING_FIELDS, book_room, cancel_booking, conflicts, move_booking
from .feeds import new_token, person_feed_token, regenerate_room_feed
from .master import ROOM_FIELDS, RoomInput, create_room, update_room
from .permissions import BOOKER_ROLES, ROOM_MANAGERS, can_book, can_change_booking, can_manage_rooms
from .series import (
    SERIES_FIELDS,
    SeriesConflict,
    book_series,
    cancel_series,
    series_conflicts,
    series_dates,
)

__all__ = [
    "BOOKER_ROLES",
    "BOOKING_FIELDS",
    "ROOM_FIELDS",
    "ROOM_MANAGERS",
    "SERIES_FIELDS",
    "RoomInput",
    "SeriesConflict",
    "book_room",
    "book_series",
    "can_book",
    "can_change_booking",
    "can_manage_rooms",
    "cancel_booking",
    "cancel_series",
    "conflicts",
    "create_room",
    "move_booking",
    "new_token",
    "person_feed_token",
    "regenerate_room_feed",
    "series_conflicts",
    "series_dates",
    "update_room",
]
