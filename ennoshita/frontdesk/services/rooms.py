"""Writing 会議室 and their bookings: book, move, cancel, recurring bookings (定例), the rooms
master and the secret tokens of the iCalendar feeds.

No double booking: the service locks the room row (``select_for_update``) and looks for a confirmed
booking of the room that overlaps ``[starts_at, ends_at)``; the database refuses the same (the
exclusion constraint / triggers of migration 0002) and that refusal — a race the lock did not see,
or a writer that bypassed the service — becomes the same ``ServiceError``. Nothing is written when
a booking is refused.

Who may do what:
- book: every member of the company but the outside team (assistant);
- move or cancel a booking: the person who booked it, or 受付・総務・管理者;
- the rooms master and the room feed tokens: 受付・総務・管理者.

Attendees over the room's capacity are refused, not warned about: the capacity is the number of
seats (and the fire-safety limit of the room); a warning on a form is read once and then ignored,
and the front desk is the one left with the overfull room. A bigger room is the answer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.dates import is_business_day
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.notifications import notify
from ennoshita.core.permissions import require_role
from ennoshita.frontdesk.models.rooms import (
    BookingSeries,
    BookingStatus,
    RecurrenceFrequency,
    Room,
    RoomBooking,
    RoomFeedToken,
)
from ennoshita.frontdesk.rules import rooms as rules

ROOM_MANAGERS = (Role.ADMIN, Role.AFFAIRS, Role.FRONTDESK)
BOOKER_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)
BOOKING_FIELDS = ("room", "title", "starts_at", "ends_at", "status", "attendees", "note", "series")
ROOM_FIELDS = ("code", "name", "capacity", "floor", "equipment", "is_active", "sort_order")
SERIES_FIELDS = ("room", "title", "frequency", "starts_on", "until", "start_time", "end_time")


# ---------------------------------------------------------------- permissions
def can_book(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*BOOKER_ROLES)


def can_manage_rooms(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*ROOM_MANAGERS)


def can_change_booking(membership: Membership | None, booking: RoomBooking) -> bool:
    """The booker, or 受付・総務・管理者 (who rearrange rooms for the whole office)."""
    if membership is None:
        return False
    return booking.booked_by_id == membership.user_id or can_manage_rooms(membership)


def _require_booker(membership: Membership | None) -> None:
    if not can_book(membership):
        raise PermissionDeniedError(_("会議室を予約する権限がありません。"))


def _require_changer(membership: Membership | None, booking: RoomBooking) -> None:
    if not can_change_booking(membership, booking):
        raise PermissionDeniedError(_("この予約を変更・取消できるのは予約した本人か受付・総務です。"))


# ---------------------------------------------------------------- checks
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


def _local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y/%m/%d %H:%M")


def _local_hm(value: datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _check_times(starts_at: Any, ends_at: Any) -> tuple[datetime, datetime]:
    starts = _aware(starts_at, "starts_at")
    ends = _aware(ends_at, "ends_at")
    if ends <= starts:
        message = _("終了日時は開始日時より後にしてください(開始 %(s)s、終了 %(e)s)。") % {
            "s": _local(starts),
            "e": _local(ends),
        }
        raise ServiceError(message, code="ends_before_start", field_errors={"ends_at": [message]})
    if ends - starts > rules.MAX_BOOKING_LENGTH:
        message = _("1件の予約は%(d)s日以内にしてください。長い期間は定例予約で登録してください。") % {
            "d": rules.MAX_BOOKING_LENGTH.days
        }
        raise ServiceError(message, code="too_long", field_errors={"ends_at": [message]})
    return starts, ends


def _check_text(title: str, note: str) -> tuple[str, str]:
    title = (title or "").strip()
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("件名を入力してください。")]
    elif len(title) > 200:
        errors["title"] = [_("件名は200文字以内で入力してください。")]
    if len(note) > 300:
        errors["note"] = [_("備考は300文字以内で入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return title, note


def _check_attendees(room: Room, attendees: Any) -> int | None:
    if attendees in (None, ""):
        return None
    try:
        count = int(attendees)
    except (TypeError, ValueError):
        count = -1
    if count < 1:
        message = _("人数は1以上の数で入力してください。")
        raise ServiceError(message, code="validation", field_errors={"attendees": [message]})
    if count > room.capacity:
        message = _(
            "%(room)sの定員は%(cap)s名です(%(n)s名は入れません)。より大きな会議室を選んでください。"
        ) % {
            "room": room.name,
            "cap": room.capacity,
            "n": count,
        }
        raise ServiceError(message, code="over_capacity", field_errors={"attendees": [message]})
    return count


def _locked_room(company: Company, room: Room) -> Room:
    """The room row, locked until the transaction ends (PostgreSQL: FOR UPDATE; SQLite: the
    IMMEDIATE transaction already holds the write lock). Another company's room is a 404."""
    locked = Room.objects.for_company(company).select_for_update(of=("self",)).filter(pk=room.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _check_room_open(room: Room) -> None:
    if not room.is_active:
        message = _("%(room)sは現在予約を受け付けていません。") % {"room": room.name}
        raise ServiceError(message, code="room_inactive", field_errors={"room": [message]})


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
        "s": _local(other.starts_at),
        "e": _local_hm(other.ends_at)
        if timezone.localdate(other.ends_at) == timezone.localdate(other.starts_at)
        else _local(other.ends_at),
        "title": other.title,
        "who": who,
    }
    return ServiceError(message, code="overlap", field_errors={"starts_at": [message]})


def _db_refused(room: Room, starts: datetime) -> ServiceError:
    message = _("%(room)sは%(s)sの時間にすでに予約が入りました。時間か会議室を変えてください。") % {
        "room": room.name,
        "s": _local(starts),
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
        raise _db_refused(room, booking.starts_at) from exc


# ---------------------------------------------------------------- bookings
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
    _require_booker(membership)
    title, note = _check_text(title, note)
    starts, ends = _check_times(starts_at, ends_at)
    room = _locked_room(company, room)
    _check_room_open(room)
    count = _check_attendees(room, attendees)
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
    _require_changer(membership, booking)
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
            "s": _local(booking.starts_at),
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
    _require_changer(membership, booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise ServiceError(_("取り消された予約は変更できません。"), code="already_cancelled")
    starts, ends = _check_times(starts_at, ends_at)
    target = _locked_room(company, room or booking.room)
    if target.pk != booking.room_id:
        _check_room_open(target)
    if booking.attendees:
        _check_attendees(target, booking.attendees)
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
                "s": _local(starts),
                "room": target.name,
            },
        )
    return booking


# ---------------------------------------------------------------- recurring bookings (定例)
@dataclass(frozen=True)
class SeriesConflict:
    day: date
    starts_at: datetime
    title: str


def _series_times(day: date, start_time: time, end_time: time) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(day, start_time), tz),
        timezone.make_aware(datetime.combine(day, end_time), tz),
    )


def series_dates(frequency: str, starts_on: date, until: date) -> list[date]:
    return rules.occurrence_dates(frequency, starts_on, until, is_business_day=is_business_day)


def _check_series(frequency: str, starts_on: Any, until: Any, start_time: Any, end_time: Any) -> list[date]:
    errors: dict[str, list[str]] = {}
    if frequency not in RecurrenceFrequency.values:
        errors["frequency"] = [_("繰り返しを選んでください。")]
    if not isinstance(starts_on, date):
        errors["starts_on"] = [_("開始日を入力してください。")]
    if not isinstance(until, date):
        errors["until"] = [_("終了日を入力してください。")]
    if not isinstance(start_time, time):
        errors["start_time"] = [_("開始時刻を入力してください。")]
    if not isinstance(end_time, time):
        errors["end_time"] = [_("終了時刻を入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    if end_time <= start_time:
        errors["end_time"] = [_("終了時刻は開始時刻より後にしてください。")]
    if until < starts_on:
        errors["until"] = [_("終了日は開始日以降にしてください。")]
    elif until - starts_on > rules.MAX_SERIES_SPAN:
        errors["until"] = [_("定例予約は1年以内の期間で登録してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    days = series_dates(frequency, starts_on, until)
    if not days:
        errors["until"] = [_("この期間には該当する日がありません。")]
    elif len(days) > rules.MAX_OCCURRENCES:
        errors["until"] = [
            _("1つの定例予約は%(n)s回までです(この条件では%(c)s回)。終了日を早めてください。")
            % {"n": rules.MAX_OCCURRENCES, "c": len(days)}
        ]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return days


def series_conflicts(
    company: Company, room: Room, slots: list[tuple[datetime, datetime]]
) -> list[SeriesConflict]:
    """The occurrences that collide with a confirmed booking, in one query over the whole span."""
    if not slots:
        return []
    existing = list(
        RoomBooking.objects.for_company(company)
        .filter(
            room=room,
            status=BookingStatus.CONFIRMED,
            starts_at__lt=slots[-1][1],
            starts_at__gt=slots[0][0] - rules.MAX_BOOKING_LENGTH - timedelta(minutes=1),
            ends_at__gt=slots[0][0],
        )
        .order_by("starts_at")
        .values_list("starts_at", "ends_at", "title")
    )
    found: list[SeriesConflict] = []
    for starts, ends in slots:
        for b_start, b_end, title in existing:
            if rules.overlaps(starts, ends, b_start, b_end):
                found.append(SeriesConflict(timezone.localdate(starts), b_start, title))
                break
    return found


@transaction.atomic
def book_series(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    room: Room,
    title: str,
    frequency: str,
    starts_on: date,
    until: date,
    start_time: time,
    end_time: time,
    attendees: int | None = None,
    note: str = "",
) -> BookingSeries:
    """定例予約: every occurrence from ``starts_on`` to ``until`` is booked, or none is — a
    conflict on any date refuses the whole series with the list of the dates that collide."""
    _require_booker(membership)
    title, note = _check_text(title, note)
    days = _check_series(frequency, starts_on, until, start_time, end_time)
    room = _locked_room(company, room)
    _check_room_open(room)
    count = _check_attendees(room, attendees)
    slots = [_series_times(day, start_time, end_time) for day in days]
    clashes = series_conflicts(company, room, slots)
    if clashes:
        listed = "、".join(f"{c.day:%m/%d}({c.title})" for c in clashes[:20])
        more = len(clashes) - 20
        message = _("%(room)sは次の日に予約があるため、定例予約を登録できません(%(n)s日): %(days)s") % {
            "room": room.name,
            "n": len(clashes),
            "days": listed + (_(" ほか%(m)s日") % {"m": more} if more > 0 else ""),
        }
        raise ServiceError(message, code="overlap", field_errors={"starts_on": [message]})
    series = BookingSeries.objects.create(
        company=company,
        room=room,
        title=title,
        frequency=frequency,
        starts_on=starts_on,
        until=until,
        start_time=start_time,
        end_time=end_time,
        booked_by=actor,
    )
    rows = [
        RoomBooking(
            company=company,
            room=room,
            title=title,
            starts_at=s,
            ends_at=e,
            booked_by=actor,
            attendees=count,
            note=note,
            series=series,
        )
        for s, e in slots
    ]
    try:
        with transaction.atomic():
            RoomBooking.objects.bulk_create(rows, batch_size=500)
    except IntegrityError as exc:
        raise _db_refused(room, slots[0][0]) from exc
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "create",
                instance=series,
                after=snapshot(series, SERIES_FIELDS),
                extra={"occurrences": len(rows)},
            )
        ],
    )
    return series


@transaction.atomic
def cancel_series(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    series: BookingSeries,
    from_date: date | None = None,
    reason: str = "",
) -> int:
    """Cancel the occurrences of a 定例 from ``from_date`` on (default: today), and end the series
    the day before. Returns how many bookings were cancelled. Past occurrences stay as they were."""
    locked = (
        BookingSeries.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(pk=series.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    series = locked
    if not (series.booked_by_id == actor.pk or can_manage_rooms(membership)):
        raise PermissionDeniedError(_("この定例予約を取り消せるのは予約した本人か受付・総務です。"))
    start_day = from_date or timezone.localdate()
    tz = timezone.get_current_timezone()
    from_dt = timezone.make_aware(datetime.combine(start_day, time.min), tz)
    qs = RoomBooking.objects.for_company(company).filter(
        series=series, status=BookingStatus.CONFIRMED, starts_at__gte=from_dt
    )
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        raise ServiceError(
            _("%(d)s以降に取り消せる予約はありません。") % {"d": f"{start_day:%Y/%m/%d}"},
            code="nothing_to_cancel",
            field_errors={"from_date": [_("この日以降の予約はありません。")]},
        )
    now = timezone.now()
    RoomBooking.objects.filter(pk__in=ids).update(status=BookingStatus.CANCELLED, cancelled_at=now)
    before = snapshot(series, SERIES_FIELDS)
    new_until = max(series.starts_on, start_day - timedelta(days=1))
    if new_until < series.until:
        series.until = new_until
        series.save(update_fields=["until"])
    reason = (reason or "").strip()[:300]
    record_event(
        company=company,
        actor=actor,
        action="cancel_rest",
        instance=series,
        before=before,
        after=snapshot(series, SERIES_FIELDS),
        extra={"from": start_day, "cancelled": len(ids), **({"reason": reason} if reason else {})},
    )
    return len(ids)


# ---------------------------------------------------------------- rooms master
@dataclass(frozen=True)
class RoomInput:
    code: str
    name: str
    capacity: Any
    floor: str = ""
    equipment: str = ""
    is_active: bool = True
    sort_order: Any = 0


def _room_values(company: Company, data: RoomInput, *, exclude_id: int | None = None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    code = (data.code or "").strip()
    name = (data.name or "").strip()
    if not code:
        errors["code"] = [_("会議室コードを入力してください。")]
    elif len(code) > 20:
        errors["code"] = [_("会議室コードは20文字以内で入力してください。")]
    elif Room.objects.for_company(company).filter(code=code).exclude(pk=exclude_id).exists():
        errors["code"] = [_("会議室コード「%(c)s」はすでに使われています。") % {"c": code}]
    if not name:
        errors["name"] = [_("会議室名を入力してください。")]
    elif len(name) > 100:
        errors["name"] = [_("会議室名は100文字以内で入力してください。")]
    try:
        capacity = int(data.capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 1000:
        errors["capacity"] = [_("定員は1〜1000の数で入力してください。")]
    try:
        sort_order = int(data.sort_order or 0)
    except (TypeError, ValueError):
        sort_order = -1
    if not 0 <= sort_order <= 32767:
        errors["sort_order"] = [_("表示順は0以上の数で入力してください。")]
    floor = (data.floor or "").strip()
    equipment = (data.equipment or "").strip()
    if len(floor) > 100:
        errors["floor"] = [_("100文字以内で入力してください。")]
    if len(equipment) > 300:
        errors["equipment"] = [_("300文字以内で入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return {
        "code": code,
        "name": name,
        "capacity": capacity,
        "floor": floor,
        "equipment": equipment,
        "is_active": bool(data.is_active),
        "sort_order": sort_order,
    }


def new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def create_room(*, company: Company, actor: User, membership: Membership, data: RoomInput) -> Room:
    require_role(membership, *ROOM_MANAGERS)
    room = Room(company=company, feed_token=new_token(), **_room_values(company, data))
    room.save()
    record_event(
        company=company, actor=actor, action="create", instance=room, after=snapshot(room, ROOM_FIELDS)
    )
    return room


@transaction.atomic
def update_room(
    *, company: Company, actor: User, membership: Membership, room: Room, data: RoomInput
) -> Room:
    """Change a room. Closing it (``is_active`` off) keeps its bookings; new ones are refused."""
    require_role(membership, *ROOM_MANAGERS)
    room = _locked_room(company, room)
    values = _room_values(company, data, exclude_id=room.pk)
    before = snapshot(room, ROOM_FIELDS)
    for key, value in values.items():
        setattr(room, key, value)
    room.save()
    after = snapshot(room, ROOM_FIELDS)
    if after != before:
        record_event(company=company, actor=actor, action="update", instance=room, before=before, after=after)
    return room


@transaction.atomic
def regenerate_room_feed(*, company: Company, actor: User, membership: Membership, room: Room) -> Room:
    """A new secret for the room's calendar feed: the old URL stops working."""
    require_role(membership, *ROOM_MANAGERS)
    room = _locked_room(company, room)
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
    _require_booker(membership)
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
