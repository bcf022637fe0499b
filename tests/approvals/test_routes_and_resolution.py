"""Which route a request takes, and who decides each of its steps."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ennoshita.approvals import routing, services
from ennoshita.approvals.models import ApprovalAction, ApprovalAssignment, ApprovalRequest, ApprovalRoute
from ennoshita.approvals.routing import StepSpec
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people import services as people_services

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_first_request_creates_the_default_routes(org):
    assert not ApprovalRoute.objects.filter(company=org.company).exists()
    submit(org)
    routes = list(ApprovalRoute.objects.filter(company=org.company, request_type="test").order_by("priority"))
    assert [(r.min_amount, r.max_amount) for r in routes] == [(None, Decimal(30000)), (Decimal(30000), None)]
    assert [[s.kind for s in r.steps.order_by("order")] for r in routes] == [
        ["manager", "role"],
        ["manager", "upper_manager", "role"],
    ]


@pytest.mark.parametrize(("amount", "steps"), [(29_999, 2), (30_000, 3), (0, 2)])
def test_route_by_amount_boundary(org, amount, steps):
    request = submit(org, amount=amount)
    assert len(request.steps) == steps
    assert request.route.name.endswith("3万円未満)" if steps == 2 else "3万円以上)")


def _route(org, admin, name, priority, steps=None, **kw):
    return services.save_route(
        company=org.company,
        actor=admin.user,
        membership=admin,
        name=name,
        request_type="test",
        priority=priority,
        steps=steps or [StepSpec("role", role="accounting")],
        **kw,
    )


def test_department_route_matches_sub_departments_only(org):
    routing.ensure_default_routes(company=org.company, actor=None, request_type="test")
    special = _route(org, org.admin, "営業本部", 1, department=org.hq)
    pick = lambda dept: routing.choose_route(
        company=org.company, request_type="test", amount=Decimal(100), department=dept
    )
    assert pick(org.team) == special  # 営業一課 sits under 営業本部
    assert pick(org.hq) == special
    assert pick(org.other) != special
    assert pick(None) != special


def test_account_route_matches_any_of_the_codes(org):
    routing.ensure_default_routes(company=org.company, actor=None, request_type="test")
    travel = _route(org, org.admin, "旅費", 1, account_code="7110")
    pick = lambda codes: routing.choose_route(
        company=org.company,
        request_type="test",
        amount=Decimal(100),
        department=org.sales,
        account_codes=codes,
    )
    assert pick(["5000", "7110"]) == travel
    assert pick(["5000"]) != travel
    assert pick([]) != travel


def test_inactive_route_is_skipped_and_no_route_is_refused(org):
    route = _route(org, org.admin, "唯一", 1)
    services.save_route(
        company=org.company,
        actor=org.admin.user,
        membership=org.admin,
        route=route,
        name="唯一",
        request_type="test",
        priority=1,
        steps=[StepSpec("role", role="accounting")],
        is_active=False,
    )
    with pytest.raises(ServiceError) as exc:
        submit(org)
    assert exc.value.code == "no_route"
    assert not ApprovalRequest.objects.exists()


def test_manager_is_the_head_of_the_applicants_department(org):
    request = submit(org, amount=30_000)
    assert list(ApprovalAssignment.objects.filter(request=request).values_list("user", flat=True)) == [
        org.manager.user_id
    ]


def test_head_applying_goes_to_the_parent_departments_head(org):
    request = submit(org, member=org.manager, amount=100)
    assigned = list(ApprovalAssignment.objects.filter(request=request).values_list("user", flat=True))
    assert assigned == [org.director.user_id]


def test_sub_department_without_head_is_refused_naming_the_step(org):
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        submit(org, member=org.clerk)
    assert exc.value.code == "no_approver"
    assert "承認者が見つかりません: 所属長(営業一課)" in exc.value.message
    assert not ApprovalRequest.objects.exists()
    assert not ApprovalAction.objects.exists()
    assert AuditEvent.objects.count() == events


def test_upper_manager_missing_is_refused_at_advance_and_nothing_written(org):
    request = submit(org, amount=50_000)
    # the 本部長's post is left empty before the first step is approved
    hr = _hr(org)
    people_services.update_department(
        company=org.company,
        actor=hr.user,
        membership=hr,
        department=org.hq,
        head=None,
    )
    with pytest.raises(ServiceError) as exc:
        services.approve(company=org.company, actor=org.manager.user, membership=org.manager, request=request)
    assert "上位所属長(営業本部)" in exc.value.message
    request.refresh_from_db()
    assert request.current_step == 1 and request.status == "pending"
    assert not ApprovalAction.objects.filter(action="approve").exists()


def _hr(org):
    from ennoshita.core.models import Membership

    return Membership.objects.get(company=org.company, user__username="hr1")


def test_route_validation_reports_fields(org):
    with pytest.raises(ServiceError) as exc:
        services.save_route(
            company=org.company,
            actor=org.admin.user,
            membership=org.admin,
            name="",
            request_type="nope",
            min_amount=Decimal(100),
            max_amount=Decimal(100),
            steps=[StepSpec("role", role=""), StepSpec("people")],
        )
    errors = exc.value.field_errors
    assert set(errors) == {"name", "request_type", "max_amount", "steps"}
    assert errors["steps"] == [
        "1段目: ロールを選んでください。",
        "2段目: 承認する人を1人以上選んでください。",
    ]
    assert not ApprovalRoute.objects.exists()


def test_only_admin_and_accounting_keep_routes(org):
    from ennoshita.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        _route(org, org.manager, "x", 1)
    assert _route(org, org.accountant, "経理が作成", 1).pk


def test_used_route_cannot_be_deleted(org):
    request = submit(org)
    with pytest.raises(ServiceError) as exc:
        services.delete_route(
            company=org.company, actor=org.admin.user, membership=org.admin, route=request.route
        )
    assert exc.value.code == "in_use"
    unused = _route(org, org.admin, "未使用", 50)
    services.delete_route(company=org.company, actor=org.admin.user, membership=org.admin, route=unused)
    assert not ApprovalRoute.objects.filter(pk=unused.pk).exists()
