# ruff: noqa: F811 (the shared ``org`` fixture is imported from test_corrections)
"""勤怠締め screens and API: 人事's board (with open problems, CSV, a fixed query count), the bulk
lock with its confirmation, one employee's month and the panel's buttons (htmx), roles and 404s."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.attendance.models import MonthClose, MonthCloseEvent
from ennoshita.core.models import AuditEvent

from ..apiclient import ApiClient
from ..conftest import login, make_department, make_employee, make_member
from .test_corrections import FIXED, org, press, submit, work  # noqa: F401

pytestmark = pytest.mark.django_db
TUE = date(2026, 11, 10)


def written():
    return (MonthClose.objects.count(), MonthCloseEvent.objects.count(), AuditEvent.objects.count())


def test_board_lists_every_employee_with_problems(client, org):
    work(org.emp, TUE, end=None)  # 退勤なし
    work(org.peer, TUE, start=time(9, 30))
    submit(org.peer, FIXED)  # an open correction
    login(client, org.hr)
    r = client.get(reverse("attendance:close_board"), {"month": "2026-11"})
    assert r.status_code == 200
    body = r.content.decode()
    rows = {row.employee.number: row for row in r.context["rows"]}
    assert set(rows) == {"C001", "M001", "E001", "E002", "G001", "G000"}
    assert (rows["E001"].open_days, rows["E001"].pending_corrections) == (1, 0)
    assert (rows["E002"].open_days, rows["E002"].pending_corrections) == (0, 1)
    assert not rows["M001"].has_problems
    assert "退勤なし 1日" in body and "修正申請 1件" in body
    r = client.get(reverse("attendance:close_board"), {"month": "2026-11", "format": "csv"})
    text = r.content.decode("utf-8-sig")
    assert r.status_code == 200 and "E001,社員 一,営業部,,,,1,0,0" in text


def test_board_costs_the_same_queries_for_more_employees(client, org):
    login(client, org.hr)
    url = reverse("attendance:close_board")
    client.get(url, {"month": "2026-11"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"month": "2026-11"})
    for n in range(6):
        make_employee(org.company, org.hr, org.sales, number=f"N{n:03d}")
    with CaptureQueriesContext(connection) as more:
        r = client.get(url, {"month": "2026-11"})
    assert len(r.context["rows"]) == 12
    assert len(more) == len(few)


def test_only_hr_sees_the_board(client, org):
    for member in (org.emp, org.boss):
        login(client, member)
        assert client.get(reverse("attendance:close_board")).status_code == 403
        assert client.get(reverse("attendance:close_lock_all")).status_code == 403


def test_bulk_lock_asks_for_a_confirmation(client, org):
    work(org.emp, TUE, end=None)
    login(client, org.hr)
    r = client.get(reverse("attendance:close_lock_all"), {"month": "2026-11"})
    assert r.status_code == 200 and r.context["open_count"] == 6 and len(r.context["with_problems"]) == 1
    before = written()
    r = client.post(reverse("attendance:close_lock_all"), {"month": "2026-11", "scope": "all"})
    assert r.status_code == 400 and written() == before  # the confirmation box was not ticked
    r = client.post(reverse("attendance:close_lock_all"), {"month": "2026-11", "scope": "all", "agree": "on"})
    assert r.status_code == 302
    assert MonthClose.objects.filter(locked_at__isnull=False).count() == 6
    assert MonthCloseEvent.objects.filter(action="lock", without_confirmation=True).count() == 6


def test_the_panel_buttons_with_htmx(client, org):
    login(client, org.emp)
    url = reverse("attendance:close_detail", args=[org.emp_e.pk])
    r = client.get(url, {"month": "2026-11"})
    assert r.status_code == 200 and "この月の勤怠を確認した" in r.content.decode()
    r = client.post(
        reverse("attendance:close_confirm", args=[org.emp_e.pk]),
        {"month": "2026-11", "next": url},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and 'data-confirmed="1"' in r.content.decode()
    assert "本人確認を取り消す" in r.content.decode() and "<html" not in r.content.decode()
    before = written()
    r = client.post(reverse("attendance:close_lock", args=[org.emp_e.pk]), {"month": "2026-11"})
    assert r.status_code == 403 and written() == before  # an employee cannot lock

    login(client, org.hr)
    r = client.post(reverse("attendance:close_lock", args=[org.emp_e.pk]), {"month": "2026-11", "next": url})
    assert r.status_code == 302 and r["Location"] == url
    before = written()
    r = client.post(
        reverse("attendance:close_reopen", args=[org.emp_e.pk]),
        {"month": "2026-11", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 400 and written() == before and "理由" in r.content.decode()
    r = client.post(
        reverse("attendance:close_reopen", args=[org.emp_e.pk]),
        {"month": "2026-11", "reason": "修正のため"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        r.status_code == 200
        and 'data-locked="0"' in r.content.decode()
        and "修正のため" in r.content.decode()
    )


def test_month_page_roles_and_other_companies(client, org, other_company):
    stranger_hr = make_member(other_company, "hr-x", ["hr"])
    stranger = make_employee(
        other_company, stranger_hr, make_department(other_company, stranger_hr), number="X1"
    )
    login(client, org.peer)
    assert client.get(reverse("attendance:close_detail", args=[org.emp_e.pk])).status_code == 403
    before = written()
    assert (
        client.post(
            reverse("attendance:close_confirm", args=[org.emp_e.pk]), {"month": "2026-11"}
        ).status_code
        == 403
    )
    assert written() == before
    login(client, org.hr)
    assert client.get(reverse("attendance:close_detail", args=[stranger.pk])).status_code == 404
    for name in ("close_confirm", "close_unconfirm", "close_lock", "close_reopen"):
        r = client.post(
            reverse(f"attendance:{name}", args=[stranger.pk]), {"month": "2026-11", "reason": "x"}
        )
        assert r.status_code == 404, name
    assert written() == before


def test_api(client, org, other_company):
    emp, hr = ApiClient(client, org.emp), ApiClient(client, org.hr)
    path = f"/attendance/closing/{org.emp_e.pk}"
    r = emp.get(path, {"month": "2026-11"})
    assert r.status_code == 200 and r.json()["can_confirm"] is True and r.json()["history"] == []
    r = emp.post(path + "/confirm", {"month": "2026-11"})
    assert r.status_code == 200 and r.json()["confirmed_by"]
    assert emp.post(path + "/lock", {"month": "2026-11"}).status_code == 403
    assert ApiClient(client, org.peer).get(path, {"month": "2026-11"}).status_code == 403
    r = hr.post(path + "/lock", {"month": "2026-11"})
    assert r.status_code == 200 and r.json()["locked_at"] and r.json()["locked_without_confirmation"] is False
    assert hr.post(path + "/reopen", {"month": "2026-11", "reason": " "}).status_code == 400
    assert hr.post(path + "/reopen", {"month": "2026-11"}).status_code == 422
    r = hr.post(path + "/reopen", {"month": "2026-11", "reason": "修正"})
    assert r.status_code == 200 and [h["action"] for h in r.json()["history"]] == [
        "confirm",
        "lock",
        "reopen",
    ]
    stranger_hr = make_member(other_company, "hr-x", ["hr"])
    stranger = make_employee(
        other_company, stranger_hr, make_department(other_company, stranger_hr), number="X1"
    )
    assert hr.get(f"/attendance/closing/{stranger.pk}", {"month": "2026-11"}).status_code == 404
    assert hr.post(f"/attendance/closing/{stranger.pk}/lock", {"month": "2026-11"}).status_code == 404
