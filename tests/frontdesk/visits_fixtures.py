"""Shared set-up of the visits-part tests (来訪者, 伝言メモ, 依頼): a desk member, hosts, a room."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ennoshita.frontdesk.services import messages as message_services
from ennoshita.frontdesk.services import office_requests as request_services
from ennoshita.frontdesk.services import rooms as room_services
from ennoshita.frontdesk.services import visits as visit_services
from tests.conftest import make_member


def at(day: date, hm: str) -> datetime:
    h, m = (int(x) for x in hm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(h, m)))


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def member(company, username, roles, last, first, email=""):
    m = make_member(company, username, roles, last_name=last, first_name=first)
    if email:
        m.user.email = email
        m.user.save(update_fields=["email"])
    return m


def ctx(m) -> dict:
    return {"company": m.company, "actor": m.user, "membership": m}


def visit(
    m,
    *,
    day=None,
    start="10:00",
    end=None,
    room=None,
    host=None,
    name="山田 太郎",
    company="株式会社ABC商事",
    **kw,
):
    day = day or tomorrow()
    data = visit_services.VisitInput(
        visitor_name=name,
        visitor_company=company,
        expected_at=at(day, start),
        expected_until=at(day, end) if end else None,
        host_id=host.user.pk if host else None,
        room_id=room.pk if room else None,
        **kw,
    )
    return visit_services.register_visit(**ctx(m), data=data)


def walk_in(desk_member, host, name="飛込 花子", company="有限会社ウォーク"):
    data = visit_services.VisitInput(
        visitor_name=name, visitor_company=company, expected_at=timezone.now(), host_id=host.user.pk
    )
    return visit_services.register_walk_in(**ctx(desk_member), data=data)


def make_room(company, manager, code="A", name="会議室A", capacity=8):
    return room_services.create_room(
        **ctx(manager), data=room_services.RoomInput(code=code, name=name, capacity=capacity)
    )


def message(m, recipient, urgency="normal", caller="鈴木 一郎", text="明日の件で折り返しください"):
    data = message_services.MessageInput(
        recipient_id=recipient.user.pk,
        caller_name=caller,
        caller_company="株式会社ミナト",
        caller_phone="03-1234-5678",
        message=text,
        urgency=urgency,
    )
    return message_services.take_message(**ctx(m), data=data)


def request_type(m, name="名刺の作成", team="affairs"):
    return request_services.create_request_type(
        **ctx(m), data=request_services.RequestTypeInput(name=name, team=team)
    )


def office_request(m, kind, title="名刺100枚"):
    return request_services.create_request(
        **ctx(m), data=request_services.OfficeRequestInput(request_type_id=kind.pk, title=title)
    )


@pytest.fixture
def people(company, admin):
    """desk (受付), affairs (総務), host and colleague (一般社員) with e-mail addresses."""
    return SimpleNamespace(
        admin=admin,
        desk=member(company, "desk1", ["frontdesk"], "受付", "桜", "desk@example.jp"),
        affairs=member(company, "affairs1", ["affairs"], "総務", "実", "affairs@example.jp"),
        host=member(company, "host1", ["employee"], "本田", "広", "host@example.jp"),
        colleague=member(company, "colleague1", ["employee"], "同僚", "三郎", "colleague@example.jp"),
    )


@pytest.fixture
def room(company, people):
    return make_room(company, people.desk)
