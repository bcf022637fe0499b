"""休暇申請 screens and API: the employee's list with balance, the phone form, the detail page with the
approval panel and 取り消し, 人事's 一覧 with filters and CSV, 計画的付与, and the API endpoints."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from ennoshita.attendance.models import LeaveRequest, LeaveTaking
from tests.apiclient import ApiClient

from .test_leave_requests import approval_of, ask, counts, decide, grant, w  # noqa: F401 (fixture)


def test_own_list_shows_balance_and_requests(w, as_member):  # noqa: F811
    leave = ask(w, start_date=date(2027, 1, 6))
    client = as_member(w.emp)
    page = client.get(reverse("attendance:leave_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "休暇の残日数" in html and "9日" in html
    assert f'data-leave="{leave.pk}"' in html
    assert reverse("attendance:leave_new") in html


def test_the_form_on_a_phone_requests_a_half_day(w, as_member):  # noqa: F811
    client = as_member(w.emp)
    form = client.get(reverse("attendance:leave_new"), HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile")
    assert form.status_code == 200
    assert 'name="unit"' in form.content.decode() and 'name="employee"' not in form.content.decode()
    response = client.post(
        reverse("attendance:leave_new"),
        {"leave_type": w.annual.pk, "unit": "pm", "start_date": "2027-01-06", "reason": "通院"},
    )
    leave = LeaveRequest.objects.for_company(w.company).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "attendance:leave_detail", args=[leave.pk]
    )
    assert (leave.unit, leave.days, leave.reason) == ("pm", Decimal("0.5"), "通院")


def test_a_refused_form_says_why_and_writes_nothing(w, as_member):  # noqa: F811
    client = as_member(w.emp)
    before = counts(w.company)
    response = client.post(
        reverse("attendance:leave_new"),
        {"leave_type": w.annual.pk, "unit": "full", "start_date": "2027-01-09", "end_date": "2027-01-10"},
    )
    assert response.status_code == 400
    assert "所定労働日がありません" in response.content.decode()
    assert counts(w.company) == before


def test_detail_shows_the_route_and_the_manager_approves_from_it(w, as_member):  # noqa: F811
    leave = ask(w, start_date=date(2027, 1, 6))
    client = as_member(w.manager)
    page = client.get(reverse("attendance:leave_detail", args=[leave.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "所属長" in html and "人事" in html and 'value="approve"' in html
    approval = approval_of(w, leave)
    response = client.post(
        reverse("approvals:request_decide", args=[approval.pk]),
        {"action": "approve", "comment": "", "step": approval.current_step, "round": approval.round},
    )
    assert response.status_code == 302
    decide(w, w.hr, leave)
    leave.refresh_from_db()
    assert leave.state == "approved"


def test_cancel_from_the_detail_page(w, as_member):  # noqa: F811
    leave = ask(w, start_date=date(2027, 1, 6))
    client = as_member(w.emp)
    page = client.get(reverse("attendance:leave_detail", args=[leave.pk]))
    assert 'id="leave-cancel"' in page.content.decode()
    bad = client.post(reverse("attendance:leave_cancel", args=[leave.pk]), {"reason": ""})
    assert bad.status_code == 400
    ok = client.post(reverse("attendance:leave_cancel", args=[leave.pk]), {"reason": "予定変更"})
    assert ok.status_code == 302
    leave.refresh_from_db()
    assert leave.state == "cancelled"
    assert not LeaveTaking.objects.for_company(w.company).filter(request=leave).exists()


def test_colleagues_and_other_companies_get_404(w, as_member, outsider):  # noqa: F811
    leave = ask(w, start_date=date(2027, 1, 6))
    assert as_member(w.peer).get(reverse("attendance:leave_detail", args=[leave.pk])).status_code == 404
    assert as_member(w.peer).get(reverse("attendance:leave_all")).status_code == 403
    client = as_member(outsider)
    assert client.get(reverse("attendance:leave_detail", args=[leave.pk])).status_code == 404
    assert (
        client.post(reverse("attendance:leave_cancel", args=[leave.pk]), {"reason": "x"}).status_code == 404
    )
    leave.refresh_from_db()
    assert leave.state == "pending"


def test_hr_list_filters_and_csv(w, as_member):  # noqa: F811
    leave = ask(w, start_date=date(2027, 1, 6), reason="帰省")
    grant(w, w.peer_e, 10)
    other = ask(w, who=w.peer, start_date=date(2027, 2, 1))
    client = as_member(w.hr)
    page = client.get(reverse("attendance:leave_all"), {"month": "2027-01"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-leave="{leave.pk}"' in html and f'data-leave="{other.pk}"' not in html
    found = client.get(reverse("attendance:leave_all"), {"q": "三郎"}).content.decode()
    assert f'data-leave="{other.pk}"' in found and f'data-leave="{leave.pk}"' not in found
    csv = client.get(reverse("attendance:leave_all"), {"month": "2027-01", "format": "csv"})
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("申請ID,社員番号,氏名,休暇の種類")
    assert len(lines) == 2 and "E001,社員 次郎,年次有給休暇,全日,2027-01-06,2027-01-06" in lines[1]
    assert "帰省" in lines[1]
    assert client.get(reverse("attendance:leave_all"), {"month": "2027-13"}).status_code == 400


def test_manager_sees_the_team_list(w, as_member):  # noqa: F811
    leave = ask(w, start_date=date(2027, 1, 6))
    page = as_member(w.manager).get(reverse("attendance:leave_all"))
    assert page.status_code == 200 and f'data-leave="{leave.pk}"' in page.content.decode()
    assert "計画的付与" not in page.content.decode()


def test_plan_screen(w, as_member):  # noqa: F811
    client = as_member(w.hr)
    assert client.get(reverse("attendance:leave_plan")).status_code == 200
    response = client.post(
        reverse("attendance:leave_plan"),
        {"day": "2027-01-06", "employees": [w.emp_e.pk], "reason": "一斉休暇"},
    )
    assert response.status_code == 302
    leave = LeaveRequest.objects.for_company(w.company).get()
    assert (leave.planned, leave.state, leave.reason) == (True, "approved", "一斉休暇")
    refused = client.post(reverse("attendance:leave_plan"), {"day": "2027-01-07", "department": w.dept.pk})
    assert refused.status_code == 400 and "部長 一郎" in refused.content.decode()
    assert as_member(w.emp).get(reverse("attendance:leave_plan")).status_code == 403


# ------------------------------------------------------------------------------ API
def test_api_create_list_get_cancel(w, client):  # noqa: F811
    api = ApiClient(client, w.emp)
    types = api.get("/attendance/leave-types")
    assert types.status_code == 200
    assert [t["code"] for t in types.json()][:3] == ["annual", "special", "menstrual"]
    body = {
        "leave_type_id": w.annual.pk,
        "unit": "full",
        "start_date": "2027-01-08",
        "end_date": "2027-01-12",
    }
    created = api.post("/attendance/leave-requests", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["days"], data["state"], data["employee_number"]) == ("2.0", "pending", "E001")
    listed = api.get("/attendance/leave-requests")
    assert listed.json()["count"] == 1 and listed.json()["items"][0]["id"] == data["id"]
    assert api.get(f"/attendance/leave-requests/{data['id']}").status_code == 200
    refused = api.post(
        "/attendance/leave-requests", {**body, "start_date": "2027-01-09", "end_date": "2027-01-10"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "end_date"
    overlap = api.post("/attendance/leave-requests", body)
    assert overlap.status_code == 422
    cancelled = api.post(f"/attendance/leave-requests/{data['id']}/cancel", {"reason": "予定変更"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert LeaveRequest.objects.for_company(w.company).count() == 1


def test_api_other_company_and_colleague_get_404(w, client, outsider):  # noqa: F811
    leave = ask(w, start_date=date(2027, 1, 6))
    for who in (outsider, w.peer):
        api = ApiClient(client, who)
        assert api.get(f"/attendance/leave-requests/{leave.pk}").status_code == 404
        assert api.post(f"/attendance/leave-requests/{leave.pk}/cancel", {"reason": "x"}).status_code == 404
    hr_api = ApiClient(client, w.hr)
    assert hr_api.get("/attendance/leave-requests", {"scope": "all"}).json()["count"] == 1
    assert ApiClient(client, w.peer).get("/attendance/leave-requests", {"scope": "all"}).json()["count"] == 0
    leave.refresh_from_db()
    assert leave.state == "pending"


def test_returned_request_is_resubmitted_from_its_page(w, as_member):  # noqa: F811
    leave = ask(w, start_date=date(2027, 1, 6))
    decide(w, w.manager, leave, action="send_back", reason="理由を書いてください")
    client = as_member(w.emp)
    page = client.get(reverse("attendance:leave_detail", args=[leave.pk]))
    assert (
        page.status_code == 200
        and reverse("attendance:leave_resubmit", args=[leave.pk]) in page.content.decode()
    )
    assert client.post(reverse("attendance:leave_resubmit", args=[leave.pk])).status_code == 302
    leave.refresh_from_db()
    assert leave.state == "pending" and approval_of(w, leave).round == 2
    # a colleague cannot even reach it
    assert as_member(w.peer).post(reverse("attendance:leave_resubmit", args=[leave.pk])).status_code == 404


def test_list_pages_cost_the_same_queries_for_one_row_or_many(w, as_member, client):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ask(w, start_date=date(2027, 1, 4))
    hr = as_member(w.hr)
    api = ApiClient(client, w.hr)

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert hr.get(reverse("attendance:leave_all")).status_code == 200
        screen = len(ctx)
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/attendance/leave-requests", {"scope": "all"}).status_code == 200
        # the token's use is recorded at most once a minute: not a cost of the list
        return screen, sum(1 for q in ctx.captured_queries if "last_used_at" not in q["sql"])

    one = cost()
    for day in (5, 6, 7, 8):
        ask(w, start_date=date(2027, 1, day))
    assert cost() == one
