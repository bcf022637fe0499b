"""The demo builder of the visits part on a company set up like the demo's (logins by role)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ennoshita.frontdesk.demo_visits import build_demo_visits
from ennoshita.frontdesk.models import OfficeRequest, OfficeRequestType, PhoneMessage, Visit
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_demo_builds_today_a_month_and_messages_once(company):
    for name in ("admin", "frontdesk", "affairs", "employee", "manager"):
        make_member(company, name, [name] if name != "manager" else ["manager", "employee"])
    build_demo_visits(company)
    today = timezone.localdate()
    todays = [v for v in Visit.objects.filter(company=company) if timezone.localdate(v.expected_at) == today]
    assert len(todays) == 4 and any(v.status == "arrived" for v in todays)
    assert Visit.objects.filter(company=company).count() > 20
    assert PhoneMessage.objects.filter(recipient__username="employee", done_at__isnull=True).exists()
    assert PhoneMessage.objects.filter(recipient__username="manager", done_at__isnull=True).exists()
    assert set(OfficeRequestType.objects.values_list("name", flat=True)) == {
        "名刺の作成",
        "文房具",
        "修理・営繕",
        "データ入力",
    }
    assert OfficeRequest.objects.count() == 3
    count = Visit.objects.count()
    build_demo_visits(company)
    assert Visit.objects.count() == count
