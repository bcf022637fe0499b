"""The 業務依頼 demo: four teams (one outside with the demo assistant), a catalogue, requests in every
working state with hours, a recurring month-end request; running it again changes nothing."""

from __future__ import annotations

import pytest

from ennoshita.requests.demo import build_demo_requests
from ennoshita.requests.models import RecurringRequest, Team, TimeEntry, WorkRequest
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_the_demo_and_it_is_idempotent(company, admin):
    for name, roles in (("employee", ["employee"]), ("accounting", ["accounting"]), ("affairs", ["affairs"])):
        make_member(company, name, roles)
    build_demo_requests(company)
    teams = {t.name: t for t in Team.objects.for_company(company)}
    assert set(teams) == {"経理", "総務", "一般事務", "オンラインアシスタント"}
    outside = teams["オンラインアシスタント"]
    assert (outside.hourly_rate, outside.inhouse_hourly_cost) == (2800, 4000)
    assert outside.members.get().user.username == "assistant"
    statuses = set(WorkRequest.objects.values_list("status", flat=True))
    assert {"open", "in_progress", "waiting", "done"} <= statuses
    assert TimeEntry.objects.exists() and RecurringRequest.objects.get().frequency == "month_end"
    count = WorkRequest.objects.count()
    build_demo_requests(company)
    assert WorkRequest.objects.count() == count
