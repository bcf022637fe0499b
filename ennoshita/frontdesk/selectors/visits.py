"""Reads of 来訪: the desk's board for a day, the visitor log (search, filters, paginated by keys
first), one visit with its history, a host's own visits, and the choices of the forms."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.selectors import audit_events_for_object
from ennoshita.core.text import search_key
from ennoshita.frontdesk.models import FrontdeskSettings, Room, RoomBooking, Visit, VisitStatus
from ennoshita.frontdesk.permissions_visits import DESK_ROLES, is_desk


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _base(company: Company) -> QuerySet[Visit]:
    return Visit.objects.for_company(company).select_related("host", "booking__room")


def get_visit(*, company: Company, membership: Membership, visit_id: int) -> Visit:
    """One visit: for its host, whoever registered it, and the desk; another company's is a 404."""
    visit = _base(company).select_related("created_by", "checked_in_by").filter(pk=visit_id).first()
    if visit is None:
        raise NotFound()
    if not (is_desk(membership) or membership.user_id in (visit.host_id, visit.created_by_id)):
        raise PermissionDeniedError()
    return visit


def visit_history(*, company: Company, visit: Visit) -> QuerySet[AuditEvent]:
    return audit_events_for_object(company=company, object_type="frontdesk.visit", object_id=str(visit.pk))


@dataclass
class Board:
    """受付の本日一覧: who is expected, who is in the building, who has left."""

    day: date
    expected: list[Visit] = field(default_factory=list)
    arrived: list[Visit] = field(default_factory=list)
    left: list[Visit] = field(default_factory=list)
    other: list[Visit] = field(default_factory=list)  # cancelled, no-show

    @property
    def finished(self) -> list[Visit]:
        return [*self.left, *self.other]


def today_board(*, company: Company, membership: Membership, day: date | None = None) -> Board:
    """The day's visits in time order, in one query (desk roles)."""
    require_role(membership, *DESK_ROLES)
    day = day or timezone.localdate()
    start, end = _day_range(day)
    board = Board(day)
    rows = _base(company).filter(expected_at__gte=start, expected_at__lt=end).order_by("expected_at", "pk")
    for v in rows:
        {
            VisitStatus.EXPECTED: board.expected,
            VisitStatus.ARRIVED: board.arrived,
            VisitStatus.LEFT: board.left,
        }.get(VisitStatus(v.status), board.other).append(v)
    return board


def visitor_log(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    host_id: int | None = None,
    status: str = "",
) -> QuerySet[Visit]:
    """来訪記録 (desk roles), newest first. ``q`` matches 会社名 and 氏名 (each word, ignoring
    width, case and hiragana/katakana); the dates bound the expected day. Erased visits stay in the
    list (for counts) without a name. Page with core.paging.KeysFirstPaginator."""
    require_role(membership, *DESK_ROLES)
    qs = _base(company).order_by("-expected_at", "-pk")
    if date_from is not None:
        qs = qs.filter(expected_at__gte=_day_range(date_from)[0])
    if date_to is not None:
        qs = qs.filter(expected_at__lt=_day_range(date_to)[1])
    if host_id is not None:
        qs = qs.filter(host_id=host_id)
    if status in VisitStatus.values:
        qs = qs.filter(status=status)
    for word in (q or "").split()[:5]:
        key = search_key(word)
        if key:
            qs = qs.filter(search_key__contains=key)
    return qs


def my_visits(*, company: Company, user: User, days_back: int = 0, days_ahead: int = 60) -> QuerySet[Visit]:
    """A host's visits from ``days_back`` days ago on (today's first), not cancelled."""
    start = _day_range(timezone.localdate() - timedelta(days=days_back))[0]
    end = _day_range(timezone.localdate() + timedelta(days=days_ahead))[1]
    return (
        _base(company)
        .filter(Q(host=user) | Q(created_by=user), expected_at__gte=start, expected_at__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .order_by("expected_at", "pk")
    )


def host_today(*, company: Company, user: User) -> list[Visit]:
    """The host's visitors of today, those in the building first (for the home page)."""
    start, end = _day_range(timezone.localdate())
    rows = list(
        _base(company)
        .filter(host=user, expected_at__gte=start, expected_at__lt=end)
        .exclude(status__in=(VisitStatus.CANCELLED, VisitStatus.NO_SHOW))
        .order_by("expected_at", "pk")
    )
    order = {VisitStatus.ARRIVED: 0, VisitStatus.EXPECTED: 1, VisitStatus.LEFT: 2}
    return sorted(rows, key=lambda v: order.get(VisitStatus(v.status), 3))


def room_choices(*, company: Company) -> list[tuple[int, str]]:
    rooms = Room.objects.for_company(company).filter(is_active=True).order_by("sort_order", "code")
    return [(r.pk, f"{r.name}(定員{r.capacity}名)") for r in rooms]


def free_rooms(*, company: Company, start: datetime, end: datetime) -> list[Room]:
    """Active rooms with no confirmed booking overlapping [start, end), in display order."""
    taken = (
        RoomBooking.objects.for_company(company)
        .filter(status="confirmed", starts_at__lt=end, ends_at__gt=start)
        .values("room_id")
    )
    return list(
        Room.objects.for_company(company)
        .filter(is_active=True)
        .exclude(pk__in=taken)
        .order_by("sort_order", "code")
    )


def settings_history(*, company: Company) -> QuerySet[AuditEvent]:
    found = FrontdeskSettings.objects.for_company(company).first()
    if found is None:
        return AuditEvent.objects.none()
    return audit_events_for_object(
        company=company, object_type="frontdesk.frontdesksettings", object_id=str(found.pk)
    )


LOG_HEADER = [
    "来訪番号",
    "来訪予定日時",
    "会社名",
    "氏名",
    "人数",
    "用件",
    "担当者",
    "会議室",
    "状態",
    "飛び込み",
    "入館証番号",
    "受付時刻",
    "退館時刻",
    "個人情報削除",
]


def log_rows(visits: Iterable[Visit]) -> Iterator[list[Any]]:
    """The visitor log as rows for CSV / Excel (core.downloads.table_download)."""
    yield list(LOG_HEADER)
    for v in visits:
        yield [
            v.pk,
            timezone.localtime(v.expected_at).strftime("%Y-%m-%d %H:%M"),
            v.visitor_company,
            v.visitor_name,
            v.visitor_count,
            v.purpose,
            v.host.display_name(),
            v.booking.room.name if v.booking_id and v.booking else "",
            v.get_status_display(),
            "○" if v.is_walk_in else "",
            v.badge_number,
            timezone.localtime(v.checked_in_at).strftime("%H:%M") if v.checked_in_at else "",
            timezone.localtime(v.checked_out_at).strftime("%H:%M") if v.checked_out_at else "",
            timezone.localtime(v.personal_data_erased_at).strftime("%Y-%m-%d")
            if v.personal_data_erased_at
            else "",
        ]
