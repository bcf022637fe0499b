# ruff: noqa: F811 (the shared ``org`` fixture is imported from test_corrections)
"""打刻修正申請 screens and API: the form for one day (own, a 所属長's team, 人事 anyone), the
request with before/after and history, the lists with CSV, the edit after 差し戻し, 403 and 404."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from ennoshita.approvals import services as approval_services
from ennoshita.attendance.models import Punch, PunchCorrection
from ennoshita.core.models import AuditEvent

from ..apiclient import ApiClient
from ..conftest import login, make_department, make_employee, make_member
from .test_corrections import FIXED, TUE, approval_of, approve_all, org, submit, work  # noqa: F401

pytestmark = pytest.mark.django_db


def form_data(rows, *, reason="打刻漏れ", day="2026-11-10", employee=None):
    data = {
        "work_date": day,
        "reason": reason,
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "20",
    }
    for i, (kind, clock) in enumerate(rows):
        data[f"rows-{i}-kind"] = kind
        data[f"rows-{i}-time"] = clock
    if employee is not None:
        data["employee"] = str(employee.pk)
    return data


def written():
    return (PunchCorrection.objects.count(), AuditEvent.objects.count(), Punch.objects.count())


def test_employee_asks_for_own_day(client, org):
    work(org.emp, TUE, start=time(9, 30))
    login(client, org.emp)
    url = reverse("attendance:correction_new")
    r = client.get(url, {"date": "2026-11-10"})
    assert r.status_code == 200
    assert [f.initial for f in r.context["formset"].forms[:4]] == [
        {"kind": "in", "time": "9:30"}, {"kind": "break_start", "time": "12:00"},
        {"kind": "break_end", "time": "13:00"}, {"kind": "out", "time": "18:00"},
    ]  # fmt: skip
    before = written()
    r = client.post(url + "?date=2026-11-10", form_data([("in", "18:00"), ("out", "9:00")]))
    assert r.status_code == 400 and written() == before
    assert "退勤(9:00)が出勤(18:00)より前" in r.content.decode()
    r = client.post(url + "?date=2026-11-10", form_data([*FIXED, ("", "")]))  # a blank row is ignored
    correction = PunchCorrection.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "attendance:correction_detail", args=[correction.pk]
    )
    r = client.get(r["Location"])
    body = r.content.decode()
    assert r.status_code == 200 and 'id="approval"' in body and "出勤 9:30" in body and "退勤 20:00" in body
    assert r.context["timesheet_url"] == reverse("attendance:timesheet") + "?month=2026-11"
    r = client.get(reverse("attendance:correction_list"))
    assert [c.pk for c in r.context["page_obj"]] == [correction.pk]


def test_history_shows_voided_punches_after_approval(client, org):
    work(org.emp, TUE, start=time(9, 30))
    correction = approve_all(org, submit(org.emp, FIXED))
    login(client, org.emp)
    r = client.get(reverse("attendance:correction_detail", args=[correction.pk]))
    history = r.context["history"]
    assert [(p.kind, p.voided_at is not None, p.source) for p in history][:2] == [
        ("in", False, "correction"),
        ("in", True, "web"),
    ]
    assert r.content.decode().count('data-voided="1"') == 4 and "承認済み" in r.content.decode()


def test_manager_and_hr_open_the_form_for_others(client, org, other_company):
    work(org.emp, TUE, start=time(9, 30))
    url = reverse("attendance:correction_new")
    login(client, org.boss)
    assert client.get(url, {"employee": org.emp_e.pk, "date": "2026-11-10"}).status_code == 200
    assert client.get(url, {"employee": org.other_e.pk, "date": "2026-11-10"}).status_code == 403
    before = written()
    r = client.post(
        url,
        form_data([("in", "9:00"), ("out", "18:00")], employee=org.other_e) | {"employee": org.other_e.pk},
    )
    assert r.status_code == 403 and written() == before
    login(client, org.peer)
    assert client.get(url, {"employee": org.emp_e.pk, "date": "2026-11-10"}).status_code == 403
    stranger_hr = make_member(other_company, "hr-x", ["hr"])
    stranger = make_employee(
        other_company, stranger_hr, make_department(other_company, stranger_hr), number="X1"
    )
    login(client, org.hr)
    assert client.get(url, {"employee": org.other_e.pk, "date": "2026-11-10"}).status_code == 200
    r = client.get(url)  # 人事 without an employee record of their own: told why, sent to the list
    assert r.status_code == 302 and r["Location"] == reverse("attendance:correction_list")
    assert client.get(url, {"employee": stranger.pk, "date": "2026-11-10"}).status_code == 404


def test_who_sees_a_request(client, org):
    work(org.emp, TUE, start=time(9, 30))
    correction = submit(org.emp, FIXED)
    url = reverse("attendance:correction_detail", args=[correction.pk])
    for member, status in (
        (org.emp, 200),
        (org.boss, 200),
        (org.hr, 200),
        (org.peer, 404),
        (org.other, 404),
        (org.gm, 404),
    ):
        login(client, member)
        assert client.get(url).status_code == status, member.user.username


def test_hr_list_filters_and_csv(client, org):
    work(org.emp, TUE, start=time(9, 30))
    submit(org.emp, FIXED)
    submit(org.hr, [("in", "9:00"), ("out", "18:00")], employee=org.other_e)
    login(client, org.hr)
    url = reverse("attendance:correction_list")
    r = client.get(url, {"scope": "all"})
    assert len(r.context["page_obj"]) == 2
    r = client.get(url, {"scope": "all", "q": "総務"})
    assert [c.employee.number for c in r.context["page_obj"]] == ["G001"]
    r = client.get(url, {"scope": "all", "state": "approved"})
    assert len(r.context["page_obj"]) == 0
    r = client.get(url, {"scope": "all", "format": "csv"})
    text = r.content.decode("utf-8-sig")
    assert r.status_code == 200 and "E001,社員 一,承認待ち" in text and "出勤9:30" in text
    login(client, org.emp)
    r = client.get(url, {"scope": "all"})
    assert [c.employee.number for c in r.context["page_obj"]] == ["E001"]  # an employee: their own only


def test_returned_request_is_edited_on_screen(client, org):
    work(org.emp, TUE, start=time(9, 30))
    correction = submit(org.emp, FIXED)
    approval_services.send_back(
        company=org.company,
        actor=org.boss.user,
        membership=org.boss,
        request=approval_of(correction),
        reason="確認を",
    )
    login(client, org.emp)
    url = reverse("attendance:correction_edit", args=[correction.pk])
    r = client.get(url)
    assert r.status_code == 200 and r.context["formset"].forms[3].initial == {"kind": "out", "time": "20:00"}
    r = client.post(
        url,
        form_data(
            [("in", "9:00"), ("break_start", "12:00"), ("break_end", "13:00"), ("out", "19:00")],
            reason="19時でした",
        ),
    )
    assert r.status_code == 302
    correction.refresh_from_db()
    assert correction.state == "pending" and correction.reason == "19時でした"
    login(client, org.boss)
    assert client.get(url).status_code == 302  # not theirs to edit


def test_api(client, org, other_company):
    work(org.emp, TUE, start=time(9, 30))
    api = ApiClient(client, org.emp)
    body = {
        "work_date": "2026-11-10",
        "reason": "打刻漏れ",
        "rows": [{"kind": k, "time": t} for k, t in FIXED],
    }
    before = written()
    bad = api.post(
        "/attendance/corrections",
        {**body, "rows": [{"kind": "out", "time": "9:00"}, {"kind": "in", "time": "18:00"}]},
    )
    assert bad.status_code == 400 and written() == before
    r = api.post("/attendance/corrections", body)
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["state"] == "pending" and [p["time"] for p in created["proposed"]] == [
        "9:00",
        "12:00",
        "13:00",
        "20:00",
    ]
    assert created["before"][0]["time"] == "9:30"
    assert api.get(f"/attendance/corrections/{created['id']}").json()["id"] == created["id"]
    assert [c["id"] for c in api.get("/attendance/corrections").json()["items"]] == [created["id"]]
    assert ApiClient(client, org.peer).get(f"/attendance/corrections/{created['id']}").status_code == 404
    assert api.post("/attendance/corrections", {**body, "employee_id": org.peer_e.pk}).status_code == 403
    stranger_hr = make_member(other_company, "hr-x", ["hr"])
    stranger = make_employee(
        other_company, stranger_hr, make_department(other_company, stranger_hr), number="X1"
    )
    assert (
        ApiClient(client, org.hr)
        .post("/attendance/corrections", {**body, "employee_id": stranger.pk})
        .status_code
        == 404
    )
    assert ApiClient(client, stranger_hr).get(f"/attendance/corrections/{created['id']}").status_code == 404
