"""/api/v1/approvals/."""

from __future__ import annotations

import pytest

from ennoshita.approvals.models import ApprovalAction, ApprovalRoute

from ..apiclient import ApiClient, field_errors
from ..conftest import make_member
from .conftest import outcomes, submit

pytestmark = pytest.mark.django_db


def test_inbox_detail_and_approve(client, org):
    request = submit(org)
    api = ApiClient(client, org.manager)
    inbox = api.get("/approvals/inbox").json()
    assert inbox["count"] == 1 and inbox["items"][0]["id"] == request.pk
    detail = api.get(f"/approvals/requests/{request.pk}").json()
    assert detail["can_decide"] is True and detail["on_behalf_of"] is None
    assert [a["action"] for a in detail["actions"]] == ["submit"]
    assert detail["steps"][0]["approvers"] == [
        {"id": org.manager.user_id, "name": org.manager.user.display_name()}
    ]
    response = api.post(f"/approvals/requests/{request.pk}/approve", {"comment": "OK"})
    assert response.status_code == 200, response.content
    assert response.json()["current_step"] == 2 and response.json()["can_decide"] is False
    # the applicant sees it among their requests
    mine = ApiClient(client, org.applicant).get("/approvals/requests").json()
    assert [r["id"] for r in mine["items"]] == [request.pk]


def test_reject_without_reason_is_422_and_decided_is_409(client, org):
    request = submit(org)
    api = ApiClient(client, org.manager)
    response = api.post(f"/approvals/requests/{request.pk}/reject", {"reason": " "})
    assert response.status_code == 422
    assert "reason" in field_errors(response)
    response = api.post(f"/approvals/requests/{request.pk}/reject", {})
    assert response.status_code == 422
    assert not ApprovalAction.objects.filter(action="reject").exists()
    assert (
        api.post(f"/approvals/requests/{request.pk}/send-back", {"reason": "直してください"}).status_code
        == 200
    )
    assert outcomes == [(request.pk, "returned")]
    response = api.post(f"/approvals/requests/{request.pk}/approve", {})
    assert response.status_code == 409
    assert field_errors(response) == {}


def test_not_my_step_is_403_and_unseen_is_404(client, org):
    request = submit(org)
    assert (
        ApiClient(client, org.accountant).post(f"/approvals/requests/{request.pk}/approve", {}).status_code
        == 403
    )
    assert ApiClient(client, org.colleague).get(f"/approvals/requests/{request.pk}").status_code == 404
    assert (
        ApiClient(client, org.applicant).post(f"/approvals/requests/{request.pk}/approve", {}).status_code
        == 403
    )
    assert (
        ApiClient(client, org.applicant).post(f"/approvals/requests/{request.pk}/withdraw").status_code == 200
    )


def test_other_company_ids_are_404(client, org, other_company):
    request = submit(org)
    outsider = ApiClient(client, make_member(other_company, "yoso", ["admin", "accounting"]))
    assert outsider.get(f"/approvals/requests/{request.pk}").status_code == 404
    assert outsider.post(f"/approvals/requests/{request.pk}/approve", {}).status_code == 404
    assert outsider.get(f"/approvals/routes/{request.route_id}").status_code == 404
    assert (
        outsider.client.delete(
            f"/api/v1/approvals/routes/{request.route_id}", HTTP_AUTHORIZATION=f"Bearer {outsider.raw}"
        ).status_code
        == 404
    )
    assert ApprovalRoute.objects.filter(pk=request.route_id).exists()


def test_routes_crud(client, org):
    assert ApiClient(client, org.manager).get("/approvals/routes").status_code == 403
    api = ApiClient(client, org.accountant)
    body = {
        "name": "営業本部 高額",
        "request_type": "test",
        "priority": 1,
        "min_amount": "100,000",
        "department_id": org.hq.pk,
        "steps": [{"kind": "manager"}, {"kind": "people", "user_ids": [org.admin.user_id]}],
    }
    response = api.post("/approvals/routes", body)
    assert response.status_code == 201, response.content
    route = response.json()
    assert route["min_amount"] == "100000" and [s["kind"] for s in route["steps"]] == ["manager", "people"]
    bad = api.post("/approvals/routes", {**body, "steps": [{"kind": "role", "role": ""}]})
    assert bad.status_code == 400 and "steps" in field_errors(bad)
    response = api.client.put(
        f"/api/v1/approvals/routes/{route['id']}",
        {**body, "is_active": False},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.raw}",
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert [r["id"] for r in api.get("/approvals/routes").json()] == [route["id"]]
    response = api.client.delete(
        f"/api/v1/approvals/routes/{route['id']}", HTTP_AUTHORIZATION=f"Bearer {api.raw}"
    )
    assert response.status_code == 204
    assert not ApprovalRoute.objects.exists()
