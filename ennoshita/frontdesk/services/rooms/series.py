"""定例予約 (recurring bookings): book every occurrence of a series or none, and cancel the rest of a
series from a day on.

The occurrences are checked against the existing bookings in one query over the whole span, and
written with one bulk insert; the database's no-overlap refusal still guards the insert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.dates import is_business_day
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.frontdesk.models.rooms import (
    BookingSeries,
    BookingStatus,
    RecurrenceFrequency,
    Room,
    RoomBooking,
)
from ennoshita.frontdesk.rules import rooms as rules

from ._checks import check_attendees, check_room_open, check_text, db_refused, locked_room
from .permissions import can_manage_rooms, require_booker

SERIES_FIELDS = ("room", "title", "frequency", "starts_on", "until", "start_time", "end_time")


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
    require_booker(membership)
    title, note = check_text(title, note)
    days = _check_series(frequency, starts_on, until, start_time, end_time)
    room = locked_room(company, room)
    check_room_open(room)
    count = check_attendees(room, attendees)
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
        raise db_refused(room, slots[0][0]) from exc
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
