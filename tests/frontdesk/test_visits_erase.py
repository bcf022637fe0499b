# ruff: noqa: F811 -- the shared fixtures are imported from a fixtures module
"""個人情報保護法22条: visitor personal data is erased after the company's retention period by a daily
job that is idempotent, keeps the visits for counts, and names itself in the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ennoshita.core.models import AuditEvent, Notification, ScheduledRun
from ennoshita.frontdesk import tasks_visits
from ennoshita.frontdesk.models import Visit
from ennoshita.frontdesk.rules.visits import VISIT_TRANSITIONS, badge_label, erase_before, may_move
from ennoshita.frontdesk.services import visits as svc

from .visits_fixtures import ctx, people, visit  # noqa: F401

pytestmark = pytest.mark.django_db


def test_erase_before_counts_whole_days():
    assert erase_before(date(2026, 11, 24), 365) == date(2025, 11, 24)
    assert erase_before(date(2026, 3, 1), 1) == date(2026, 2, 28)
    with pytest.raises(ValueError):
        erase_before(date(2026, 3, 1), 0)


def test_visit_transitions_and_badge_label():
    assert may_move(VISIT_TRANSITIONS, "expected", "arrived")
    assert not may_move(VISIT_TRANSITIONS, "left", "arrived")
    assert not may_move(VISIT_TRANSITIONS, "cancelled", "expected")
    assert badge_label(date(2026, 1, 5), 7) == "0105-007"


def _age(v: Visit, days: int) -> None:
    Visit.objects.filter(pk=v.pk).update(expected_at=v.expected_at - timedelta(days=days))


def test_old_visitors_are_erased_once_and_the_visits_stay(company, people):
    svc.update_settings(**ctx(people.desk), visitor_retention_days=30, notify_host_by_email=False)
    old = visit(
        people.host, visitor_phone="090-1111-2222", visitor_email="yamada@example.com", note="山田様 駐車場"
    )
    svc.check_in(**ctx(people.desk), visit=old)
    recent = visit(people.host, name="新しい 来客")
    _age(old, 40)
    _age(recent, 10)
    today = timezone.localdate()

    assert svc.erase_expired_visitor_data(company=company, today=today) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (
        old.visitor_name,
        old.visitor_company,
        old.visitor_phone,
        old.visitor_email,
        old.note,
        old.search_key,
    ) == (
        "",
        "",
        "",
        "",
        "",
        "",
    )
    assert old.personal_data_erased_at is not None and old.status == "arrived" and old.badge_number
    assert recent.visitor_name == "新しい 来客" and recent.personal_data_erased_at is None
    # the arrival notice loses the name too
    assert "山田" not in Notification.objects.get(object_id=str(old.pk)).text
    event = AuditEvent.objects.get(object_type="frontdesk.visit", action="erase_personal_data")
    assert event.actor is None and event.actor_label == svc.ERASE_JOB_LABEL
    assert event.object_repr == f"来訪 #{old.pk}"
    # the trail never held the name, so nothing of it survives anywhere in the visits' events
    assert not any("山田" in str(e.changes) for e in AuditEvent.objects.filter(object_type="frontdesk.visit"))

    # idempotent: a second run erases nothing and records nothing; the counts stay
    events = AuditEvent.objects.count()
    assert svc.erase_expired_visitor_data(company=company, today=today) == 0
    assert AuditEvent.objects.count() == events
    assert Visit.objects.count() == 2


def test_erasure_is_per_company(company, people, other_company):
    from tests.conftest import make_member

    outsider = make_member(other_company, "desk_b", ["frontdesk"])
    mine = visit(people.host)
    theirs = visit(outsider)
    _age(mine, 400)
    _age(theirs, 400)
    assert svc.erase_expired_visitor_data(company=company) == 1
    theirs.refresh_from_db()
    assert theirs.personal_data_erased_at is None


def test_the_daily_job_runs_over_every_company(company, people):
    _age(visit(people.host), 400)
    run = ScheduledRun.objects.create(name="frontdesk.erase_visitor_data", slot="2026-11-24")
    tasks_visits.erase_visitor_data.call(run.pk)
    run.refresh_from_db()
    assert run.status == ScheduledRun.Status.SUCCEEDED and run.message == "1 visit(s) anonymised"
    assert tasks_visits.DAILY_ERASE_VISITOR_DATA.due(timezone.localtime().replace(hour=4)) is not None
