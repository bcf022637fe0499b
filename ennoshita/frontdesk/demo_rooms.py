"""Demo data of the rooms part: five rooms and a month of bookings around today, incl. a weekly 定例."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.frontdesk.models.rooms import Room
from ennoshita.frontdesk.services import rooms as services

ROOMS = [
    ("L1", "大会議室", 20, "3F", "プロジェクター, Web会議, マイク"),
    ("A", "会議室A", 8, "3F", "モニター, ホワイトボード"),
    ("B", "会議室B", 8, "3F", "モニター, Web会議"),
    ("G", "応接室", 4, "2F 受付横", "ソファ"),
    ("W", "Web会議ブース", 1, "4F", "Web会議, ヘッドセット"),
]
# (room code, weekday offset within each week, start, minutes, title, attendees)
WEEKLY_PATTERN = [
    ("A", 0, "13:00", 60, "営業部 案件レビュー", 6),
    ("B", 1, "15:00", 90, "採用面接", 3),
    ("G", 2, "11:00", 60, "来客: 株式会社さくら商事", 4),
    ("L1", 3, "16:00", 60, "全社朝会の準備", 10),
    ("W", 4, "10:00", 30, "取引先とWeb会議", 1),
    ("A", 2, "09:30", 30, "経理 月次締め打合せ", 4),
]


def _member(company: Company, *roles: str) -> Membership | None:
    for m in Membership.objects.for_company(company).filter(is_active=True).select_related("user", "company"):
        if m.has_any_role(*roles):
            return m
    return None


def _at(day, hm: str) -> datetime:
    h, m = (int(x) for x in hm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(h, m)))


def build_demo_rooms(company: Company) -> None:
    if Room.objects.for_company(company).exists():
        return
    desk = _member(company, "frontdesk", "affairs", "admin")
    if desk is None:
        return
    booker = _member(company, "manager") or desk
    w: dict[str, Any] = {"company": company, "actor": desk.user, "membership": desk}
    rooms = {}
    for order, (code, name, capacity, floor, equipment) in enumerate(ROOMS):
        rooms[code] = services.create_room(
            **w,
            data=services.RoomInput(
                code=code,
                name=name,
                capacity=capacity,
                floor=floor,
                equipment=equipment,
                sort_order=order * 10,
            ),
        )
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    # 週次定例: every Monday 10:00–11:00 in 大会議室, from two weeks ago for three months
    services.book_series(
        company=company,
        actor=booker.user,
        membership=booker,
        room=rooms["L1"],
        title="週次定例(部長会)",
        frequency="weekly",
        starts_on=monday - timedelta(weeks=2),
        until=monday + timedelta(weeks=12),
        start_time=time(10),
        end_time=time(11),
        attendees=12,
    )
    people = [
        m for m in (desk, booker, _member(company, "employee"), _member(company, "hr")) if m is not None
    ]
    n = 0
    for week in range(-2, 3):
        for code, offset, start, minutes, title, attendees in WEEKLY_PATTERN:
            day = monday + timedelta(weeks=week, days=offset)
            who = people[n % len(people)]
            n += 1
            starts = _at(day, start)
            try:
                services.book_room(
                    company=company,
                    actor=who.user,
                    membership=who,
                    room=rooms[code],
                    title=title,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=minutes),
                    attendees=attendees,
                )
            except ServiceError:
                continue
