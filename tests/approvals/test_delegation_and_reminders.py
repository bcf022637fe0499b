"""代理承認 and 催促."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from ennoshita.approvals import selectors, services
from ennoshita.approvals.models import ApprovalAction, ApprovalAssignment, ApprovalRequest, Delegation
from ennoshita.core.errors import PermissionDeniedError

from .conftest import act, outcomes, submit

pytestmark = pytest.mark.django_db


def delegate(org, approver, substitute, start, end, actor=None):
    actor = actor or approver
    return services.set_delegation(
        company=org.company,
        actor=actor.user,
        membership=actor,
        approver=approver.user,
        substitute=substitute.user,
        start=start,
        end=end,
    )


def test_substitute_sees_and_decides_only_within_the_range(org):
    today = timezone.localdate()
    delegate(org, org.manager, org.colleague, today + timedelta(days=1), today + timedelta(days=5))
    request = submit(org)
    inbox = lambda day: list(selectors.inbox(company=org.company, user=org.colleague.user, as_of=day))
    assert inbox(today) == []
    assert inbox(today + timedelta(days=1)) == [request]
    assert inbox(today + timedelta(days=5)) == [request]
    assert inbox(today + timedelta(days=6)) == []
    assert selectors.can_decide(company=org.company, user=org.colleague.user, request=request) == (
        False,
        None,
    )
    with pytest.raises(PermissionDeniedError):
        act(services.approve, org, org.colleague, request)


def test_decision_by_substitute_records_on_behalf_of_and_approver_keeps_deciding(org):
    today = timezone.localdate()
    delegate(org, org.manager, org.colleague, today, today)
    first = submit(org, object_id="1")
    second = submit(org, object_id="2")
    ok, whom = selectors.can_decide(company=org.company, user=org.colleague.user, request=first)
    assert ok and whom == org.manager.user
    act(services.approve, org, org.colleague, first)
    action = ApprovalAction.objects.get(request=first, action="approve")
    assert (action.actor_id, action.on_behalf_of_id) == (org.colleague.user_id, org.manager.user_id)
    act(services.approve, org, org.manager, second)  # the approver still may decide
    assert ApprovalAction.objects.get(request=second, action="approve").on_behalf_of_id is None


def test_delegation_rules(org):
    today = date(2026, 4, 1)
    with pytest.raises(services.InvalidInput) as exc:
        delegate(org, org.manager, org.manager, today, today)
    assert "substitute" in exc.value.field_errors
    with pytest.raises(services.InvalidInput) as exc:
        delegate(org, org.manager, org.colleague, today, today - timedelta(days=1))
    assert "end" in exc.value.field_errors
    d = delegate(org, org.manager, org.colleague, today, today + timedelta(days=9))
    with pytest.raises(services.InvalidInput) as exc:
        delegate(org, org.manager, org.director, today + timedelta(days=9), today + timedelta(days=20))
    assert exc.value.code == "overlap"
    with pytest.raises(PermissionDeniedError):
        delegate(org, org.manager, org.director, today, today, actor=org.colleague)
    services.end_delegation(company=org.company, actor=org.manager.user, membership=org.manager, delegation=d)
    assert delegate(org, org.manager, org.director, today, today).pk
    # an admin may set one for somebody else
    assert delegate(org, org.director, org.colleague, today, today, actor=org.admin).pk
    assert Delegation.objects.filter(company=org.company).count() == 3


def test_reminders_once_per_n_days(org):
    request = submit(org)
    now = timezone.now()
    assert services.remind_waiting(company=org.company, older_than_days=3) == 0
    ApprovalAssignment.objects.filter(request=request).update(created_at=now - timedelta(days=4))
    mail.outbox.clear()
    assert services.remind_waiting(company=org.company, older_than_days=3) == 1
    assert [m.to for m in mail.outbox] == [["bucho@example.jp"]]
    assert "テスト 1" in mail.outbox[0].body
    assert services.remind_waiting(company=org.company, older_than_days=3) == 0
    assert services.remind_waiting(company=org.company, older_than_days=3, now=now + timedelta(days=2)) == 0
    assert services.remind_waiting(company=org.company, older_than_days=3, now=now + timedelta(days=4)) == 1
    assert len(mail.outbox) == 2


def test_reminder_command_runs_for_every_company(org):
    request = submit(org)
    ApprovalAssignment.objects.filter(request=request).update(created_at=timezone.now() - timedelta(days=10))
    mail.outbox.clear()
    call_command("send_approval_reminders")
    assert len(mail.outbox) == 1
    call_command("send_approval_reminders")
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_make_one_decision(org):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL and file SQLite run this")
    from ennoshita.approvals.routing import StepSpec

    services.save_route(
        company=org.company,
        actor=org.admin.user,
        membership=org.admin,
        name="二人",
        request_type="test",
        priority=1,
        steps=[StepSpec("people", users=[org.accountant.user, org.admin.user])],
    )
    request = submit(org)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def click(member):
        try:
            seen = ApprovalRequest.objects.get(pk=request.pk)
            barrier.wait()
            act(services.approve, org, member, seen)
            results.append("ok")
        except services.AlreadyDecided:
            results.append("already")
        except BaseException as exc:  # pragma: no cover
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(m,)) for m in (org.accountant, org.admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["already", "ok"]
    assert ApprovalAction.objects.filter(request=request, action="approve").count() == 1
    assert outcomes == [(request.pk, "approved")]
