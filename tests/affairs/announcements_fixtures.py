"""Personas and helpers of the announcements tests: 総務 (affairs), two departments (営業部 with
第一営業課 below it, 総務部), employees placed in them, an accountant, an outside assistant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ennoshita.affairs.services import announcements as services
from ennoshita.affairs.services import events as event_services
from tests.conftest import make_department, make_employee, make_member


def staffed(company, hr, username, roles, department, number, family="社員", given="太郎"):
    m = make_member(company, username, roles, last_name=family, first_name=given)
    if department is not None:
        make_employee(
            company, hr, department, number=number, family_name=family, given_name=given, user=m.user
        )
    return m


@pytest.fixture(name="world")
def world_fixture(company, hr):
    sales = make_department(company, hr, code="200", name="営業部")
    sales1 = make_department(company, hr, code="210", name="第一営業課", parent=sales)
    general = make_department(company, hr, code="100", name="総務部")
    affairs = staffed(company, hr, "soumu", ["affairs"], general, "A001", "総務", "一子")
    seller = staffed(company, hr, "seller", ["employee"], sales, "S001", "営業", "一郎")
    seller1 = staffed(company, hr, "seller1", ["employee"], sales1, "S002", "営業", "二郎")
    clerk = staffed(company, hr, "clerk", ["employee"], general, "G001", "総務", "三郎")
    accountant = staffed(company, hr, "acct", ["accounting"], general, "G002", "経理", "四郎")
    assistant = make_member(
        company, "helper", ["assistant"], expires_on=timezone.localdate() + timedelta(days=30)
    )
    return {
        "company": company,
        "hr": hr,
        "affairs": affairs,
        "sales": sales,
        "sales1": sales1,
        "general": general,
        "seller": seller,
        "seller1": seller1,
        "clerk": clerk,
        "accountant": accountant,
        "assistant": assistant,
    }


def ctx(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def announce(manager, **kw):
    data = {
        "title": "年末年始の休業について",
        "body": "12月29日から1月3日まで休業します。",
        "publish_at": timezone.now() - timedelta(hours=1),
    }
    data.update(kw)
    return services.create_announcement(**ctx(manager), data=services.AnnouncementInput(**data))


def make_event(manager, **kw):
    start = timezone.now() + timedelta(days=10)
    data = {
        "title": "忘年会",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "place": "本社 大会議室",
        "capacity": 3,
        "budget": 100000,
    }
    data.update(kw)
    return event_services.create_event(**ctx(manager), data=event_services.EventInput(**data))
