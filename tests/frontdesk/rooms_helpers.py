"""Shared set-up of the rooms tests: a company with rooms and the people who book them."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from ennoshita.frontdesk.services import rooms as svc

from ..conftest import make_member


def at(day: date, hm: str) -> datetime:
    h, m = (int(x) for x in hm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(h, m)))


DAY = date(2026, 12, 8)  # a Tuesday


def make_room(company, manager, code="A", name="会議室A", capacity=8, **kw):
    return svc.create_room(
        company=company,
        actor=manager.user,
        membership=manager,
        data=svc.RoomInput(code=code, name=name, capacity=capacity, **kw),
    )


def book(member, room, start, end, title="打合せ", **kw):
    return svc.book_room(
        company=member.company,
        actor=member.user,
        membership=member,
        room=room,
        title=title,
        starts_at=start,
        ends_at=end,
        **kw,
    )


@pytest.fixture
def desk(company):
    return make_member(company, "desk1", ["frontdesk"], last_name="受付", first_name="桜")


@pytest.fixture
def alice(company):
    return make_member(company, "alice", ["employee"], last_name="青木", first_name="アリス")


@pytest.fixture
def bob(company):
    return make_member(company, "bob", ["employee"], last_name="坂本", first_name="ボブ")


@pytest.fixture
def room(company, desk):
    return make_room(company, desk)
