"""Reading 会議室 and bookings: the rooms list, the day view (every room of one day), the week
view (one room, seven days), a person's bookings, the search with CSV / Excel, the free rooms for a
time range, and the bookings of the iCalendar feeds.

The grids cost two queries whatever the number of rooms and bookings: one for the rooms, one for
the bookings that touch the shown range (bounded by the longest booking allowed, so the
``(company, starts_at)`` / ``(company, room, starts_at)`` indexes read only that range).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.text import nfkc
from ennoshita.frontdesk.models.rooms import (
    BookingSeries,
    BookingStatus,
    Room,
    RoomBooking,
    RoomFeedToken,
)
from ennoshita.frontdesk.rules import rooms as rules

GRID_START_HOUR = 8
GRID_END_HOUR = 21
SLOT = timedelta(minutes=rules.SLOT_MINUTES)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


# ---------------------------------------------------------------- rooms
def room_list(
    *,
    company: Company,
    q: str = "",
    active: bool | None = None,
    min_capacity: int | None = None,
) -> QuerySet[Room]:
    qs = Room.objects.for_company(company)
    if q:
        text = nfkc(q).strip()
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(name__icontains=text)
            | Q(floor__icontains=text)
            | Q(equipment__icontains=text)
        )
    if active is not None:
        qs = qs.filter(is_active=active)
    if min_capacity:
        qs = qs.filter(capacity__gte=min_capacity)
    return qs.order_by("sort_order", "code")


def get_room(*, company: Company, room_id: Any) -> Room:
    room = Room.objects.for_company(company).filter(pk=room_id).first() if str(room_id).isdigit() else None
    if room is None:
        raise NotFound()
    return room


def get_booking(*, company: Company, booking_id: Any) -> RoomBooking:
    booking = (
        RoomBooking.objects.for_company(company)
        .select_related("room", "booked_by", "series")
        .filter(pk=booking_id)
        .first()
        if str(booking_id).isdigit()
        else None
    )
    if booking is None:
        raise NotFound()
    return booking


def get_series(*, company: Company, series_id: Any) -> BookingSeries:
    series = (
        BookingSeries.objects.for_company(company)
        .select_related("room", "booked_by")
        .filter(pk=series_id)
        .first()
        if str(series_id).isdigit()
        else None
    )
    if series is None:
        raise NotFound()
    return series


def series_bookings(*, company: Company, series: BookingSeries) -> QuerySet[RoomBooking]:
    return RoomBooking.objects.for_company(company).filter(series=series).order_by("starts_at")


def _touching(qs: QuerySet[RoomBooking], start: datetime, end: datetime) -> QuerySet[RoomBooking]:
    """Bookings that overlap ``[start, end)``; the lower bound on starts_at keeps it an index range."""
    return qs.filter(
        starts_at__lt=end,
        starts_at__gt=start - rules.MAX_BOOKING_LENGTH - timedelta(minutes=1),
        ends_at__gt=start,
    )


# ---------------------------------------------------------------- grids
@dataclass
class Block:
    """A booking placed on a grid column: ``top`` slots from the grid start, ``span`` slots tall."""

    booking: RoomBooking
    top: int
    span: int


@dataclass
class Column:
    key: Any  # a Room (day view) or a date (week view)
    day: date
    blocks: list[Block] = field(default_factory=list)
    room: Room | None = None


@dataclass
class Grid:
    slots: list[datetime | time]
    columns: list[Column]
    start: datetime
    end: datetime

    @property
    def slot_count(self) -> int:
        return len(self.slots)


def _slot_times() -> list[time]:
    out: list[time] = []
    minutes = GRID_START_HOUR * 60
    while minutes < GRID_END_HOUR * 60:
        out.append(time(minutes // 60, minutes % 60))
        minutes += rules.SLOT_MINUTES
    return out


def _place(booking: RoomBooking, day: date) -> Block | None:
    start = _aware(day, time(GRID_START_HOUR))
    end = _aware(day, time(GRID_END_HOUR))
    s = max(booking.starts_at, start)
    e = min(booking.ends_at, end)
    if e <= s:
        return None
    slot = SLOT.total_seconds()
    top = int((s - start).total_seconds() // slot)
    bottom = int(-(-(e - start).total_seconds() // slot))  # ceiling
    return Block(booking, top, max(1, bottom - top))


def day_grid(*, company: Company, day: date, rooms: Iterable[Room] | None = None) -> Grid:
    """Every active room (or the given ones) as columns, the day's 30-minute slots as rows. Two
    queries: the rooms, the confirmed bookings of the day."""
    room_list_ = list(rooms) if rooms is not None else list(room_list(company=company, active=True))
    start, end = _aware(day, time.min), _aware(day + timedelta(days=1), time.min)
    bookings = list(
        _touching(
            RoomBooking.objects.for_company(company).filter(
                status=BookingStatus.CONFIRMED, room__in=[r.pk for r in room_list_]
            ),
            start,
            end,
        )
        .select_related("booked_by")
        .order_by("starts_at")
    )
    columns = {r.pk: Column(key=r, day=day, room=r) for r in room_list_}
    for b in bookings:
        block = _place(b, day)
        if block is not None and b.room_id in columns:
            columns[b.room_id].blocks.append(block)
    return Grid(slots=list(_slot_times()), columns=list(columns.values()), start=start, end=end)


def week_grid(*, company: Company, room: Room, first_day: date) -> Grid:
    """One room over seven days from ``first_day``: one query for the bookings."""
    days = [first_day + timedelta(days=n) for n in range(7)]
    start, end = _aware(days[0], time.min), _aware(days[-1] + timedelta(days=1), time.min)
    bookings = list(
        _touching(
            RoomBooking.objects.for_company(company).filter(room=room, status=BookingStatus.CONFIRMED),
            start,
            end,
        )
        .select_related("booked_by")
        .order_by("starts_at")
    )
    columns = [Column(key=d, day=d, room=room) for d in days]
    for b in bookings:
        for col in columns:
            block = _place(b, col.day)
            if block is not None:
                col.blocks.append(block)
    return Grid(slots=list(_slot_times()), columns=columns, start=start, end=end)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


# ---------------------------------------------------------------- lists
def my_bookings(
    *, company: Company, user: User, upcoming: bool = True, now: datetime | None = None
) -> QuerySet[RoomBooking]:
    """The person's bookings: from now on (confirmed), or the past and cancelled ones."""
    now = now or timezone.now()
    qs = RoomBooking.objects.for_company(company).filter(booked_by=user).select_related("room", "series")
    if upcoming:
        return qs.filter(status=BookingStatus.CONFIRMED, ends_at__gt=now).order_by("starts_at")
    return qs.filter(Q(ends_at__lte=now) | Q(status=BookingStatus.CANCELLED)).order_by("-starts_at")


def bookings_of_day(*, company: Company, user: User, day: date) -> list[RoomBooking]:
    start, end = _aware(day, time.min), _aware(day + timedelta(days=1), time.min)
    return list(
        _touching(
            RoomBooking.objects.for_company(company).filter(booked_by=user, status=BookingStatus.CONFIRMED),
            start,
            end,
        )
        .select_related("room")
        .order_by("starts_at")
    )


def booking_search(
    *,
    company: Company,
    q: str = "",
    room_id: int | None = None,
    booked_by_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str = "",
) -> QuerySet[RoomBooking]:
    """Search by title / note / booker's name, room, booker, the days the booking starts on, status."""
    qs = RoomBooking.objects.for_company(company).select_related("room", "booked_by", "series")
    if q:
        text = nfkc(q).strip()
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(note__icontains=text)
            | Q(booked_by__last_name__icontains=text)
            | Q(booked_by__first_name__icontains=text)
            | Q(booked_by__username__icontains=text)
        )
    if room_id:
        qs = qs.filter(room_id=room_id)
    if booked_by_id:
        qs = qs.filter(booked_by_id=booked_by_id)
    if date_from:
        qs = qs.filter(starts_at__gte=_aware(date_from, time.min))
    if date_to:
        qs = qs.filter(starts_at__lt=_aware(date_to + timedelta(days=1), time.min))
    if status in BookingStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-pk")


def booking_rows(bookings: Iterable[RoomBooking]) -> Iterable[list[Any]]:
    """The search as a table for CSV / Excel."""
    yield ["会議室コード", "会議室", "件名", "開始", "終了", "人数", "予約者", "状態", "定例", "備考"]
    for b in bookings:
        yield [
            b.room.code,
            b.room.name,
            b.title,
            timezone.localtime(b.starts_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(b.ends_at).strftime("%Y-%m-%d %H:%M"),
            b.attendees if b.attendees is not None else "",
            b.booked_by.display_name(),
            str(b.get_status_display()),
            "○" if b.series_id else "",
            b.note,
        ]


def free_rooms(
    *, company: Company, starts_at: datetime, ends_at: datetime, capacity: int | None = None
) -> QuerySet[Room]:
    """Active rooms with at least ``capacity`` seats and no confirmed booking in the range (one query)."""
    busy = _touching(
        RoomBooking.objects.filter(room=OuterRef("pk"), company=company, status=BookingStatus.CONFIRMED),
        starts_at,
        ends_at,
    )
    qs = room_list(company=company, active=True, min_capacity=capacity)
    return qs.filter(~Exists(busy))


# ---------------------------------------------------------------- iCalendar feeds
FEED_PAST = timedelta(days=31)
FEED_FUTURE = timedelta(days=366)


def room_by_feed_token(*, room_id: Any, token: str) -> Room | None:
    """The room whose feed secret is ``token`` (any company: the token is the key), or None."""
    if not token or not str(room_id).isdigit():
        return None
    room = Room.objects.select_related("company").filter(pk=room_id).exclude(feed_token="").first()
    if room is None:
        return None
    import hmac

    return room if hmac.compare_digest(room.feed_token, token) else None


def person_feed_by_token(*, token: str) -> RoomFeedToken | None:
    """The person feed of ``token`` while its owner is still an active member of the company."""
    if not token or len(token) > 64:
        return None
    feed = RoomFeedToken.objects.select_related("company", "user").filter(token=token).first()
    if feed is None:
        return None
    active = Membership.objects.filter(company=feed.company, user=feed.user, is_active=True).exists()
    return feed if active else None


def person_feed_of(*, company: Company, user: User) -> RoomFeedToken | None:
    return RoomFeedToken.objects.for_company(company).filter(user=user).first()


def feed_bookings(
    *, company: Company, room: Room | None = None, user: User | None = None, now: datetime | None = None
) -> list[RoomBooking]:
    """The bookings a feed shows: a month back to a year ahead, cancelled ones included (a calendar
    app removes an event only when the feed says it is CANCELLED)."""
    now = now or timezone.now()
    qs = RoomBooking.objects.for_company(company).filter(
        starts_at__gte=now - FEED_PAST, starts_at__lt=now + FEED_FUTURE
    )
    if room is not None:
        qs = qs.filter(room=room)
    if user is not None:
        qs = qs.filter(booked_by=user)
    return list(qs.select_related("room", "booked_by").order_by("starts_at")[:5000])


# ---------------------------------------------------------------- grid → table rows
@dataclass
class Cell:
    """One table cell of a grid: a free slot (``start``/``end`` to book), the top of a booking
    block (``blocks``, ``span`` rows tall), or a slot covered by the block above (``covered``)."""

    column: Column
    start: datetime
    end: datetime
    blocks: list[Block] = field(default_factory=list)
    span: int = 1
    covered: bool = False

    # formatted here once rather than by template filters in each of a grid's hundreds of cells
    @property
    def start_value(self) -> str:
        return timezone.localtime(self.start).strftime("%Y-%m-%dT%H:%M")

    @property
    def end_value(self) -> str:
        return timezone.localtime(self.end).strftime("%Y-%m-%dT%H:%M")

    @property
    def label(self) -> str:
        """The free slot as a screen reader says it (「11/24 10:00から予約」)."""
        at = timezone.localtime(self.start)
        return _("%(day)s %(time)sから予約") % {"day": f"{at.month}/{at.day}", "time": f"{at:%H:%M}"}


def grid_rows(grid: Grid) -> list[tuple[time, list[Cell]]]:
    """The grid as table rows (one per slot) for a template with ``rowspan``; blocks that meet in
    one slot (10:00–10:10 and 10:10–10:40) share one cell."""
    times = [t for t in grid.slots if isinstance(t, time)]
    table: list[list[Cell]] = [[] for _ in times]
    for col in grid.columns:
        cells = [Cell(col, _aware(col.day, t), _aware(col.day, t) + SLOT) for t in times]
        cursor_cell: Cell | None = None
        cursor_end = 0
        for block in sorted(col.blocks, key=lambda b: b.top):
            if cursor_cell is not None and block.top < cursor_end:
                cursor_cell.blocks.append(block)
                new_end = min(len(times), max(cursor_end, block.top + block.span))
                for i in range(cursor_end, new_end):
                    cells[i].covered = True
                cursor_cell.span += new_end - cursor_end
                cursor_end = new_end
                continue
            top = min(block.top, len(times) - 1)
            end = min(len(times), top + block.span)
            cursor_cell = cells[top]
            cursor_cell.blocks.append(block)
            cursor_cell.span = end - top
            for i in range(top + 1, end):
                cells[i].covered = True
            cursor_end = end
        for i, cell in enumerate(cells):
            table[i].append(cell)
    return list(zip(times, table, strict=True))
