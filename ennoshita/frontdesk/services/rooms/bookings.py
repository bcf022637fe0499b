"""One 会議室 booking: book, move, cancel.

No double booking: the service locks the room row (``select_for_update``) and looks for a confirmed
booking of the room that overlaps ``[starts_at, ends_at)``; the database refuses the same (the
exclusion constraint / triggers of migration 0002) and that refusal becomes the same
``ServiceError``. Nothing is written when a booking is refused. The booker hears of a move or a
cancellation that someone else made.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify
from ennoshita.frontdesk.models.rooms import BookingStatus, Room, RoomBooking
from ennoshita.frontdesk.rules import rooms as rules

from ._checks import check_attendees, check_room_open, check_text, db_refused, local, locked_room
from .permissions import require_booker, require_changer

BOOKING_FIELDS = ("room", "title", "starts_at", "ends_at", "status", "attendees", "note", "series")


def _aware(value: Any, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise ServiceError(
            _("日時を入力してください。"),
            code="invalid",
            field_errors={field: [_("日時を入力してください。")]},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return rules.to_minute(value)


def _local_hm(value: datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _check_times(starts_at: Any, ends_at: Any) -> tuple[datetime, datetime]:
    starts = _aware(starts_at, "starts_at")
    ends = _aware(ends_at, "ends_at")
    if ends <= starts:
        message = _("終了日時は開始日時より後にしてください(開始 %(s)s、終了 %(e)s)。") % {
            "s": local(starts),
            "e": local(ends),
        }
        raise ServiceError(message, code="ends_before_start", field_errors={"ends_at": [message]})
    if ends - starts > rules.MAX_BOOKING_LENGTH:
        message = _("1件の予約は%(d)s日以内にしてください。長い期間は定例予約で登録してください。") % {
            "d": rules.MAX_BOOKING_LENGTH.days
        }
        raise ServiceError(message, code="too_long", field_errors={"ends_at": [message]})
    return starts, ends


def conflicts(
    company: Company, room: Room, starts: datetime, ends: datetime, *, exclude_id: int | None = None
) -> list[RoomBooking]:
    """Confirmed bookings of ``room`` that overlap ``[starts, ends)`` (a booking is at most
    MAX_BOOKING_LENGTH long, which bounds the index range to read)."""
    qs = RoomBooking.objects.for_company(company).filter(
        room=room,
        status=BookingStatus.CONFIRMED,
        starts_at__lt=ends,
        starts_at__gt=starts - rules.MAX_BOOKING_LENGTH - timedelta(minutes=1),
        ends_at__gt=starts,
    )
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.select_related("booked_by").order_by("starts_at")[:5])


def _conflict_error(room: Room, found: list[RoomBooking]) -> ServiceError:
    other = found[0]
    who = other.booked_by.display_name() if other.booked_by_id else ""
    message = _("%(room)sはその時間に予約があります: %(s)s〜%(e)s「%(title)s」(%(who)s)。") % {
        "room": room.name,
        "s": local(other.starts_at),
        "e": _local_hm(other.ends_at)
        if timezone.localdate(other.ends_at) == timezone.localdate(other.starts_at)
        else local(other.ends_at),
        "title": other.title,
        "who": who,
    }
    return ServiceError(message, code="overlap", field_errors={"starts_at": [message]})


def _save(booking: RoomBooking, room: Room, *, create: bool) -> None:
    """Write the row in a savepoint; the database's no-overlap refusal becomes a ServiceError."""
    try:
        with transaction.atomic():
            if create:
                booking.save(force_insert=True)
            else:
                booking.save()
    except IntegrityError as exc:
        raise db_refused(room, booking.starts_at) from exc


@transaction.atomic
def book_room(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    room: Room,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    attendees: int | None = None,
    note: str = "",
) -> RoomBooking:
    """Book ``room`` for ``[starts_at, ends_at)``. Refused (nothing written) when the times are
    the wrong way round, the room is closed or too small, or another confirmed booking overlaps."""
    require_booker(membership)
    title, note = check_text(title, note)
    starts, ends = _check_times(starts_at, ends_at)
    room = locked_room(company, room)
    check_room_open(room)
    count = check_attendees(room, attendees)
    found = conflicts(company, room, starts, ends)
    if found:
        raise _conflict_error(room, found)
    booking = RoomBooking(
        company=company,
        room=room,
        title=title,
        starts_at=starts,
        ends_at=ends,
        booked_by=actor,
        attendees=count,
        note=note,
    )
    _save(booking, room, create=True)
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=booking,
        after=snapshot(booking, BOOKING_FIELDS),
    )
    return booking


def _locked_booking(company: Company, booking: RoomBooking) -> RoomBooking:
    locked = (
        RoomBooking.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("room", "booked_by")
        .filter(pk=booking.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def _tell_booker(company: Company, actor: User, booking: RoomBooking, text: str) -> None:
    if booking.booked_by_id != actor.pk:
        notify(
            company=company,
            user=booking.booked_by,
            kind="room_booking",
            text=text,
            url=reverse("frontdesk:booking_detail", args=[booking.pk]),
            object_type="frontdesk.roombooking",
            object_id=booking.pk,
        )


@transaction.atomic
def cancel_booking(
    *, company: Company, actor: User, membership: Membership, booking: RoomBooking, reason: str = ""
) -> RoomBooking:
    """取消: the booking stays (with its history) as cancelled and frees the room."""
    booking = _locked_booking(company, booking)
    require_changer(membership, booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise ServiceError(_("この予約はすでに取り消されています。"), code="already_cancelled")
    reason = (reason or "").strip()[:300]
    before = snapshot(booking, BOOKING_FIELDS)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    record_event(
        company=company,
        actor=actor,
        action="cancel",
        instance=booking,
        before=before,
        after=snapshot(booking, BOOKING_FIELDS),
        extra={"reason": reason} if reason else None,
    )
    _tell_booker(
        company,
        actor,
        booking,
        _("会議室予約「%(t)s」(%(s)s %(room)s)が取り消されました。")
        % {
            "t": booking.title,
            "s": local(booking.starts_at),
            "room": booking.room.name,
        },
    )
    return booking


@transaction.atomic
def move_booking(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    booking: RoomBooking,
    starts_at: datetime,
    ends_at: datetime,
    room: Room | None = None,
) -> RoomBooking:
    """Move a confirmed booking to another time and/or room, under the same checks as booking."""
    booking = _locked_booking(company, booking)
    require_changer(membership, booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise ServiceError(_("取り消された予約は変更できません。"), code="already_cancelled")
    starts, ends = _check_times(starts_at, ends_at)
    target = locked_room(company, room or booking.room)
    if target.pk != booking.room_id:
        check_room_open(target)
    if booking.attendees:
        check_attendees(target, booking.attendees)
    found = conflicts(company, target, starts, ends, exclude_id=booking.pk)
    if found:
        raise _conflict_error(target, found)
    before = snapshot(booking, BOOKING_FIELDS)
    booking.room, booking.starts_at, booking.ends_at = target, starts, ends
    _save(booking, target, create=False)
    after = snapshot(booking, BOOKING_FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="move", instance=booking, before=before, after=after
        )
        _tell_booker(
            company,
            actor,
            booking,
            _("会議室予約「%(t)s」が %(s)s %(room)s に変更されました。")
            % {
                "t": booking.title,
                "s": local(starts),
                "room": target.name,
            },
        )
    return booking
