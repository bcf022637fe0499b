"""The approval screens: inbox, my requests, a request's page and its buttons, routes, delegations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.approvals.models import ApprovalAction, ApprovalRoute, Delegation

from ..conftest import login, make_member
from .conftest import outcomes, submit

pytestmark = pytest.mark.django_db


def test_inbox_lists_what_waits_and_exports_csv(client, org):
    request = submit(org)
    login(client, org.manager)
    page = client.get(reverse("approvals:inbox"))
    assert page.status_code == 200
    assert f'data-request="{request.pk}"' in page.content.decode()
    assert (
        client.get(reverse("approvals:inbox"), {"q": "存在しない"}).content.decode().count("data-request=")
        == 0
    )
    csv = client.get(reverse("approvals:inbox_export"))
    assert csv.status_code == 200
    body = csv.content.decode("utf-8-sig")
    assert "申請者" in body.splitlines()[0]
    assert "テスト 1" in body.splitlines()[1]
    login(client, org.colleague)
    assert "data-request=" not in client.get(reverse("approvals:inbox")).content.decode()


def test_detail_shows_buttons_only_to_who_may_use_them(client, org):
    request = submit(org)
    url = reverse("approvals:request_detail", args=[request.pk])
    login(client, org.manager)
    html = client.get(url).content.decode()
    assert 'value="approve"' in html and 'value="withdraw"' not in html
    login(client, org.applicant)
    html = client.get(url).content.decode()
    assert 'value="approve"' not in html and 'value="withdraw"' in html
    login(client, org.colleague)
    assert client.get(url).status_code == 404  # not theirs to see
    login(client, org.accountant)  # 経理 sees every request, may not decide step 1
    html = client.get(url).content.decode()
    assert 'value="approve"' not in html


def test_approve_and_reject_by_post(client, org):
    request = submit(org)
    url = reverse("approvals:request_decide", args=[request.pk])
    login(client, org.manager)
    response = client.post(url, {"action": "reject", "comment": "", "step": 1, "round": 1})
    assert response.status_code == 400
    assert "却下の理由を入力してください。" in response.content.decode()
    assert not ApprovalAction.objects.filter(action="reject").exists()
    response = client.post(url, {"action": "approve", "comment": "OK", "step": 1, "round": 1})
    assert response.status_code == 302
    # the same page posted again (the step moved on) → a clear message, nothing written
    response = client.post(url, {"action": "approve", "step": 1, "round": 1})
    assert response.status_code in (400, 404)
    assert ApprovalAction.objects.filter(action="approve").count() == 1
    login(client, org.accountant)
    response = client.post(
        url, {"action": "send_back", "comment": "領収書を添付してください", "step": 2, "round": 1}
    )
    assert response.status_code == 302
    assert outcomes == [(request.pk, "returned")]


def test_decision_from_an_owner_page_goes_back_there(client, org):
    request = submit(org)
    login(client, org.manager)
    url = reverse("approvals:request_decide", args=[request.pk])
    response = client.post(url, {"action": "reject", "comment": "", "next": "/owner/1/"})
    assert response.status_code == 302 and response["Location"] == "/owner/1/"
    response = client.post(url, {"action": "approve", "next": "https://evil.example/"})
    assert response["Location"] == reverse("approvals:request_detail", args=[request.pk])


def test_my_requests_and_withdraw(client, org):
    request = submit(org)
    login(client, org.applicant)
    html = client.get(reverse("approvals:my_requests")).content.decode()
    assert f'data-request="{request.pk}"' in html
    response = client.post(reverse("approvals:request_decide", args=[request.pk]), {"action": "withdraw"})
    assert response.status_code == 302
    assert outcomes == [(request.pk, "withdrawn")]
    assert 'data-status="withdrawn"' in client.get(reverse("approvals:my_requests")).content.decode()


def test_routes_screens_for_admin_and_accounting_only(client, org):
    login(client, org.manager)
    assert client.get(reverse("approvals:route_list")).status_code == 403
    assert client.post(reverse("approvals:route_new"), {}).status_code == 403
    login(client, org.accountant)
    assert client.get(reverse("approvals:route_new")).status_code == 200
    data = {
        "name": "高額",
        "request_type": "test",
        "priority": "5",
        "min_amount": "100000",
        "max_amount": "",
        "department": "",
        "account_code": "",
        "is_active": "on",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "10",
        "steps-0-name": "部長",
        "steps-0-kind": "manager",
        "steps-1-name": "指名",
        "steps-1-kind": "people",
    }
    response = client.post(reverse("approvals:route_new"), data)
    assert response.status_code == 400
    assert "2段目: 承認する人を1人以上選んでください。" in response.content.decode()
    assert not ApprovalRoute.objects.exists()
    data["steps-1-users"] = [str(org.admin.user_id)]
    response = client.post(reverse("approvals:route_new"), data)
    assert response.status_code == 302
    route = ApprovalRoute.objects.get(name="高額")
    assert [s.kind for s in route.steps.order_by("order")] == ["manager", "people"]
    assert client.get(reverse("approvals:route_edit", args=[route.pk])).status_code == 200
    response = client.post(reverse("approvals:settings"), {"reminder_days": "0"})
    assert response.status_code == 400
    assert client.post(reverse("approvals:settings"), {"reminder_days": "5"}).status_code == 302


def test_delegation_screen(client, org):
    login(client, org.manager)
    today = timezone.localdate()
    response = client.post(
        reverse("approvals:delegation_list"),
        {"approver": org.manager.user_id, "substitute": org.manager.user_id, "start": today, "end": today},
    )
    assert response.status_code == 400
    assert "自分自身を代理人にはできません。" in response.content.decode()
    response = client.post(
        reverse("approvals:delegation_list"),
        {
            "approver": org.manager.user_id,
            "substitute": org.colleague.user_id,
            "start": today,
            "end": today + timedelta(days=3),
        },
    )
    assert response.status_code == 302
    d = Delegation.objects.get()
    login(client, org.colleague)
    assert f'data-delegation="{d.pk}"' in client.get(reverse("approvals:delegation_list")).content.decode()
    assert (
        client.post(reverse("approvals:delegation_end", args=[d.pk])).status_code == 404
    )  # only the approver
    login(client, org.manager)
    assert client.post(reverse("approvals:delegation_end", args=[d.pk])).status_code == 302
    d.refresh_from_db()
    assert d.ended_at is not None


def test_another_companys_ids_are_404(client, org, other_company):
    request = submit(org)
    route = request.route
    d = Delegation.objects.create(
        company=org.company,
        approver=org.manager.user,
        substitute=org.colleague.user,
        start=timezone.localdate(),
        end=timezone.localdate(),
        created_by=org.manager.user,
    )
    outsider = make_member(other_company, "yoso", ["admin", "accounting"])
    login(client, outsider)
    assert client.get(reverse("approvals:request_detail", args=[request.pk])).status_code == 404
    assert (
        client.post(reverse("approvals:request_decide", args=[request.pk]), {"action": "approve"}).status_code
        == 404
    )
    assert client.get(reverse("approvals:route_edit", args=[route.pk])).status_code == 404
    assert client.post(reverse("approvals:route_delete", args=[route.pk])).status_code == 404
    assert client.post(reverse("approvals:delegation_end", args=[d.pk])).status_code == 404
    assert ApprovalRoute.objects.filter(pk=route.pk).exists()


def test_home_panel_and_navigation(client, org):
    submit(org)
    login(client, org.manager)
    html = client.get(reverse("home")).content.decode()
    assert "承認待ちの申請が 1 件あります" in html
    assert reverse("approvals:inbox") in html
    assert reverse("approvals:route_list") not in html
