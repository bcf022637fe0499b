"""受付・一般事務 (frontdesk): one module per part; every model is importable from here."""

from .rooms import BookingSeries, BookingStatus, RecurrenceFrequency, Room, RoomBooking, RoomFeedToken
from .visits import (
    FrontdeskSettings,
    OfficeRequest,
    OfficeRequestStatus,
    OfficeRequestType,
    PhoneMessage,
    Team,
    Urgency,
    Visit,
    VisitStatus,
)

__all__ = [
    "BookingSeries",
    "BookingStatus",
    "FrontdeskSettings",
    "OfficeRequest",
    "OfficeRequestStatus",
    "OfficeRequestType",
    "PhoneMessage",
    "RecurrenceFrequency",
    "Room",
    "RoomBooking",
    "RoomFeedToken",
    "Team",
    "Urgency",
    "Visit",
    "VisitStatus",
]
