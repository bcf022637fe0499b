"""Deciding requests: approve through the steps, reject, send back, resubmit, withdraw; the owner's
callback; the rules on who may decide."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.approvals import selectors, services
from ennoshita.approvals.models import ApprovalAction, ApprovalAssignment, ApprovalRequest
from ennoshita.approvals.routing import StepSpec
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent

from .conftest import FAIL, act, outcomes, submit

pytestmark = pytest.mark.django_db


def test_approve_through_every_step_calls_the_owner_once(org):
    request = submit(org, amount=30_000)
    assert request.status == "pending" and request.current_step == 1
    request = act(services.approve, org, org.manager, request, comment="確認しました")
    assert (request.status, request.current_step) == ("pending", 2)
    assert outcomes == []
    request = act(services.approve, org, org.director, request)
    assert request.current_step == 3
    request = act(services.approve, org, org.accountant, request)
    assert request.status == "approved" and request.decided_at is not None
    assert outcomes == [(request.pk, "approved")]
    actions = [
        (a.action, a.step_order, a.actor_id) for a in selectors.history(company=org.company, request=request)
    ]
    assert actions == [
        ("submit", 0, org.applicant.user_id),
        ("approve", 1, org.manager.user_id),
        ("approve", 2, org.director.user_id),
        ("approve", 3, org.accountant.user_id),
    ]
    assert not ApprovalAssignment.objects.filter(request=request, is_open=True).exists()
    assert list(
        AuditEvent.objects.filter(object_type="approvals.approvalrequest", object_id=str(request.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["submit", "approve", "approve", "approve"]


def test_decided_request_cannot_be_decided_again(org):
    request = submit(org)
    request = act(services.approve, org, org.manager, request)
    request = act(services.approve, org, org.accountant, request)
    with pytest.raises(services.AlreadyDecided):
        act(services.approve, org, org.accountant, request)
    with pytest.raises(services.AlreadyDecided):
        act(services.reject, org, org.accountant, request, reason="やはり")
    assert outcomes == [(request.pk, "approved")]


def test_a_stale_view_of_the_request_is_refused(org):
    """Two approvers looked at the same step; the second click finds it decided (select_for_update)."""
    routes_admin = org.admin
    services.save_route(
        company=org.company,
        actor=routes_admin.user,
        membership=routes_admin,
        name="経理2名",
        request_type="test",
        priority=1,
        steps=[StepSpec("people", users=[org.accountant.user, org.admin.user])],
    )
    request = submit(org)
    seen_by_first = ApprovalRequest.objects.get(pk=request.pk)
    seen_by_second = ApprovalRequest.objects.get(pk=request.pk)
    act(services.approve, org, org.accountant, seen_by_first)
    with pytest.raises(services.AlreadyDecided):
        act(services.approve, org, org.admin, seen_by_second)
    assert ApprovalAction.objects.filter(request=request, action="approve").count() == 1
    assert outcomes == [(request.pk, "approved")]


@pytest.mark.parametrize("fn", [services.reject, services.send_back])
def test_reject_and_send_back_need_a_reason(org, fn):
    request = submit(org)
    with pytest.raises(services.InvalidInput) as exc:
        act(fn, org, org.manager, request, reason="  ")
    assert list(exc.value.field_errors) == ["reason"]
    assert exc.value.status == 422
    request.refresh_from_db()
    assert request.status == "pending"
    assert ApprovalAction.objects.filter(request=request).count() == 1


def test_reject_ends_the_request(org):
    request = act(services.reject, org, org.manager, submit(org), reason="予算超過")
    assert request.status == "rejected"
    assert outcomes == [(request.pk, "rejected")]
    assert ApprovalAction.objects.get(request=request, action="reject").comment == "予算超過"


def test_send_back_then_resubmit_restarts_from_step_one(org):
    request = submit(org, amount=10_000)
    request = act(services.approve, org, org.manager, request)
    request = act(services.send_back, org, org.accountant, request, reason="領収書がありません")
    assert request.status == "returned"
    assert outcomes == [(request.pk, "returned")]
    with pytest.raises(services.AlreadyDecided):
        submit(org, amount=10_000)  # the same record: resubmit, not a second request
    with pytest.raises(PermissionDeniedError):
        act(services.resubmit, org, org.colleague, request)
    request = act(services.resubmit, org, org.applicant, request, amount=Decimal(40_000))
    assert (request.status, request.current_step, request.round) == ("pending", 1, 2)
    assert len(request.steps) == 3  # 40,000円 takes the longer route now
    assert list(
        ApprovalAssignment.objects.filter(request=request, is_open=True).values_list("user", flat=True)
    ) == [org.manager.user_id]
    # the manager approved in the first round and may approve again in the second
    request = act(services.approve, org, org.manager, request)
    assert request.current_step == 2


def test_withdraw_only_by_the_applicant_while_pending(org):
    request = submit(org)
    with pytest.raises(PermissionDeniedError):
        act(services.withdraw, org, org.manager, request)
    request = act(services.withdraw, org, org.applicant, request)
    assert request.status == "withdrawn"
    assert outcomes == [(request.pk, "withdrawn")]
    with pytest.raises(services.AlreadyDecided):
        act(services.withdraw, org, org.applicant, request)
    assert not ApprovalAssignment.objects.filter(request=request, is_open=True).exists()
    # a withdrawn record may be applied for again
    assert submit(org).pk != request.pk


def test_nobody_approves_their_own_request_even_as_a_delegate(org):
    today = timezone.localdate()
    services.set_delegation(
        company=org.company,
        actor=org.manager.user,
        membership=org.manager,
        approver=org.manager.user,
        substitute=org.applicant.user,
        start=today,
        end=today,
    )
    request = submit(org)
    assert selectors.can_decide(company=org.company, user=org.applicant.user, request=request) == (
        False,
        None,
    )
    with pytest.raises(PermissionDeniedError) as exc:
        act(services.approve, org, org.applicant, request)
    assert "自分の申請" in exc.value.message
    assert not selectors.inbox(company=org.company, user=org.applicant.user).exists()


def test_a_person_may_not_decide_two_steps_unless_the_route_allows(org):
    def route(allow):
        return services.save_route(
            company=org.company,
            actor=org.admin.user,
            membership=org.admin,
            name="二段",
            request_type="test",
            priority=1,
            allow_same_approver=allow,
            steps=[StepSpec("people", users=[org.accountant.user]), StepSpec("role", role="accounting")],
        )

    r = route(False)
    with pytest.raises(ServiceError) as exc:
        act(services.approve, org, org.accountant, submit(org, object_id="a"))
    assert exc.value.code == "no_approver"
    assert not ApprovalAction.objects.filter(action="approve").exists()
    services.save_route(
        company=org.company,
        actor=org.admin.user,
        membership=org.admin,
        route=r,
        name="二段",
        request_type="test",
        priority=1,
        allow_same_approver=True,
        steps=[StepSpec("people", users=[org.accountant.user]), StepSpec("role", role="accounting")],
    )
    request = submit(org, object_id="b")
    request = act(services.approve, org, org.accountant, request)
    request = act(services.approve, org, org.accountant, request)
    assert request.status == "approved"


def test_owner_callback_failing_rolls_the_decision_back(org):
    request = submit(org)
    request = act(services.approve, org, org.manager, request)
    FAIL["on"] = True
    with pytest.raises(RuntimeError):
        act(services.approve, org, org.accountant, request)
    request.refresh_from_db()
    assert (request.status, request.current_step) == ("pending", 2)
    assert ApprovalAction.objects.filter(request=request, action="approve").count() == 1
    assert ApprovalAssignment.objects.filter(request=request, is_open=True).count() == 1


def test_unknown_request_type_is_refused(org):
    with pytest.raises(ServiceError) as exc:
        submit(org, request_type="unknown")
    assert list(exc.value.field_errors) == ["request_type"]


def test_request_for_finds_the_latest(org):
    first = submit(org, object_id="42")
    act(services.withdraw, org, org.applicant, first)
    second = submit(org, object_id=42)
    assert selectors.request_for(company=org.company, request_type="test", object_id="42") == second
    assert selectors.request_for(company=org.company, request_type="test", object_id="43") is None


def test_database_refuses_the_applicant_as_approver(org):
    from django.db import IntegrityError, transaction

    request = submit(org)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalAssignment.objects.create(
            company=org.company,
            request=request,
            step_order=1,
            user=org.applicant.user,
            applicant=org.applicant.user,
        )


def test_inbox_is_oldest_first_and_has_no_other_company(org, other_company):
    a = submit(org, object_id="1")
    b = submit(org, object_id="2")
    ApprovalRequest.objects.filter(pk=b.pk).update(step_started_at=timezone.now() - timedelta(days=3))
    assert list(selectors.inbox(company=org.company, user=org.manager.user)) == [b, a]
    assert not selectors.inbox(company=other_company, user=org.manager.user).exists()
