"""The demo of お知らせ and 社内行事 on a small company: what the issue asks for, idempotent."""

from __future__ import annotations

import pytest

from ennoshita.affairs.demo_announcements import build_demo_announcements
from ennoshita.affairs.models import Announcement, Event, EventSignup
from ennoshita.affairs.selectors import announcements as selectors
from tests.conftest import make_department, make_employee, make_member

pytestmark = pytest.mark.django_db


def test_demo_builds_once(company, hr):
    hq = make_department(company, hr, code="300", name="営業本部")
    make_member(company, "affairs", ["affairs"])
    employee = make_member(company, "employee", ["employee"])
    make_employee(company, hr, hq, number="D001", user=employee.user)
    make_member(company, "manager", ["manager", "employee"])
    build_demo_announcements(company)
    build_demo_announcements(company)
    titles = set(Announcement.objects.values_list("title", flat=True))
    assert {
        "年末年始の休業について",
        "健康診断のご案内",
        "社内報 12月号",
        "夏季休暇の取得について",
        "年末の売上締めについて(営業本部)",
    } <= titles
    statuses = {selectors.status_of(a) for a in Announcement.objects.all()}
    assert statuses == {"published", "expired", "scheduled"}
    visible = {a.title for a in selectors.visible_announcements(company=company, membership=employee)}
    assert "年末の売上締めについて(営業本部)" in visible
    party = Event.objects.get(title="忘年会")
    assert party.capacity == 40 and EventSignup.objects.filter(event=party).count() == 2
    assert Event.objects.get(title="夏のBBQ大会").cost == 142800
