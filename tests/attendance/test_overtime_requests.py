"""残業申請: where the rule requires approval, time outside the scheduled day counts only where an
approved request covers it (the rest is 未承認の時間外, out of every pay figure); requests go
through the approvals engine ("attendance.overtime", 所属長)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.urls import reverse

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.attendance.models import MonthClose, OvertimeRequest, RequestState, WorkRule
from ennoshita.attendance.services import overtime
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people.models import Department

from ..apiclient import ApiClient
from ..conftest import login, make_department, make_employee, make_member
from .test_timesheet import JST, employee_of, expect, nov, row, sheet, work

pytestmark = pytest.mark.django_db


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JST)


@pytest.fixture
def boss(company, hr, department, employee_member):
    m = make_member(company, "boss", ["manager"])
    make_employee(company, hr, department, number="M001", family_name="上司", user=m.user)
    Department.objects.filter(pk=department.pk).update(head=m.user.employee_records.get())
    return m


@pytest.fixture
def approval_rule(company):
    return WorkRule.objects.create(company=company, overtime_requires_approval=True)


def ask(member, day, start, end, employee_id=None, reason="月次の締め"):
    return overtime.request_overtime(
        company=member.company,
        actor=member.user,
        membership=member,
        data=overtime.OvertimeInput(work_date=day, start_at=start, end_at=end, reason=reason),
        employee_id=employee_id,
        now=at(nov(30), 23),
    )


def decide(member, row, action="approve", **kw):
    approval = approval_selectors.request_for(
        company=member.company, request_type="attendance.overtime", object_id=row.pk
    )
    getattr(approval_services, action)(
        company=member.company, actor=member.user, membership=member, request=approval, **kw
    )
    row.refresh_from_db()
    return row


def test_without_approval_the_time_outside_the_day_is_not_counted(employee_member, approval_rule):
    # Wed 11-04 8:00–20:00, lunch 12–13: punched 240 + 420 = 660. Scheduled 9:00–18:00: 8:00–9:00
    # (60) and 18:00–20:00 (120) have no approved request → 180 未承認, 480 counted, all 所定内
    work(employee_member, nov(4), start=time(8), end=time(20))
    ts = sheet(employee_member)
    d = row(ts, 4)
    assert d.unapproved_minutes == 180
    expect(d.minutes, worked=480, scheduled=480, overtime=0)
    expect(ts.totals, worked=480, overtime=0, unapproved=180)
    assert d.late_minutes == 0  # 8:00 is before 始業


def test_an_approved_request_counts_what_it_covers(employee_member, boss, approval_rule):
    work(employee_member, nov(4), start=time(8), end=time(20))
    asked = ask(employee_member, nov(4), at(nov(4), 18), at(nov(4), 19, 30))
    assert asked.state == RequestState.PENDING and asked.after_the_fact  # asked on 11-30 for 11-04
    # pending: nothing counts yet
    assert sheet(employee_member).totals.unapproved == 180
    decide(boss, asked)
    assert asked.state == RequestState.APPROVED and asked.decided_at is not None
    ts = sheet(employee_member)
    # 18:00–19:30 counts: 480 + 90 = 570 worked → 90 時間外 (over 8 h); 60 + 30 still 未承認
    expect(ts.totals, worked=570, scheduled=480, overtime=90, unapproved=90)
    actions = set(
        AuditEvent.objects.filter(object_type="attendance.overtimerequest").values_list("action", flat=True)
    )
    assert actions == {"submit", "approve"}


def test_a_rejected_request_counts_nothing(employee_member, boss, approval_rule):
    work(employee_member, nov(4), start=time(9), end=time(20))
    asked = ask(employee_member, nov(4), at(nov(4), 18), at(nov(4), 20))
    decide(boss, asked, "reject", reason="不要")
    assert asked.state == RequestState.REJECTED
    expect(sheet(employee_member).totals, worked=480, overtime=0, unapproved=120)


def test_without_the_rule_every_worked_minute_counts(employee_member):
    work(employee_member, nov(4), start=time(8), end=time(20))
    expect(sheet(employee_member).totals, worked=660, overtime=180, unapproved=0)


def test_bad_requests_are_refused_and_nothing_is_written(company, employee_member, boss):
    cases = [
        ((nov(4), at(nov(4), 20), at(nov(4), 18)), "end_at"),  # end before start
        ((nov(4), at(nov(6), 1), at(nov(6), 2)), "start_at"),  # outside the work day
        ((nov(4), at(nov(4), 18), at(nov(4), 19), None, "  "), "reason"),
    ]
    for args, field in cases:
        with pytest.raises(ServiceError) as refused:
            ask(employee_member, *args)
        assert field in refused.value.field_errors
    ask(employee_member, nov(4), at(nov(4), 18), at(nov(4), 20))
    with pytest.raises(ServiceError) as refused:  # overlapping an open request
        ask(employee_member, nov(4), at(nov(4), 19), at(nov(4), 21))
    assert refused.value.code == "duplicate"
    # a closed month
    MonthClose.objects.create(
        company=company,
        employee=employee_of(employee_member),
        month=date(2026, 10, 1),
        locked_at=at(nov(1), 9),
    )
    with pytest.raises(ServiceError) as refused:
        ask(employee_member, date(2026, 10, 5), at(date(2026, 10, 5), 18), at(date(2026, 10, 5), 19))
    assert refused.value.code == "month_closed"
    assert OvertimeRequest.objects.count() == 1


def test_who_may_ask_for_whom(company, hr, department, employee_member, boss, other_company, outsider):
    colleague = make_employee(company, hr, department, number="E002", family_name="同僚")
    with pytest.raises(PermissionDeniedError):
        ask(employee_member, nov(4), at(nov(4), 18), at(nov(4), 19), employee_id=colleague.pk)
    stranger = make_employee(other_company, outsider, make_department(other_company, outsider), number="X1")
    with pytest.raises(NotFound):
        ask(hr, nov(4), at(nov(4), 18), at(nov(4), 19), employee_id=stranger.pk)
    assert not OvertimeRequest.objects.exists()
    by_hr = ask(hr, nov(4), at(nov(4), 18), at(nov(4), 19), employee_id=colleague.pk)
    assert by_hr.employee_id == colleague.pk and by_hr.requested_by_id == hr.user_id


def test_screens(client, company, hr, department, employee_member, boss):
    login(client, employee_member)
    r = client.post(
        reverse("attendance:overtime_new"),
        {"work_date": "2026-11-04", "start_time": "18:00", "end_time": "20:00", "reason": "締め作業"},
    )
    assert r.status_code == 302
    asked = OvertimeRequest.objects.get()
    assert (asked.start_at, asked.end_at) == (at(nov(4), 18), at(nov(4), 20))
    page = client.get(reverse("attendance:overtime_detail", args=[asked.pk])).content.decode()
    assert "締め作業" in page and 'id="approval"' in page
    assert f'data-request="{asked.pk}"' in client.get(reverse("attendance:overtime_list")).content.decode()
    bad = client.post(reverse("attendance:overtime_new"), {"work_date": "2026-11-04", "start_time": "18:00"})
    assert bad.status_code == 400
    client.logout()
    login(client, boss)  # the 所属長 sees the team's
    team = client.get(reverse("attendance:overtime_list"), {"scope": "team"}).content.decode()
    assert f'data-request="{asked.pk}"' in team
    assert client.get(reverse("attendance:overtime_detail", args=[asked.pk])).status_code == 200
    client.logout()
    other = make_member(company, "other", ["employee"])
    make_employee(
        company, hr, make_department(company, hr, code="300", name="別部"), number="E9", user=other.user
    )
    login(client, other)
    assert client.get(reverse("attendance:overtime_detail", args=[asked.pk])).status_code == 404
    assert (
        f'data-request="{asked.pk}"'
        not in client.get(reverse("attendance:overtime_list"), {"scope": "team"}).content.decode()
    )


def test_the_api(client, employee_member, boss):
    api = ApiClient(client, employee_member)
    body = {
        "work_date": "2026-11-04",
        "start_at": "2026-11-04T18:00:00+09:00",
        "end_at": "2026-11-04T19:00:00+09:00",
        "reason": "対応",
    }
    r = api.post("/attendance/overtime-requests", body)
    assert r.status_code == 201 and r.json()["state"] == "pending"
    pk = r.json()["id"]
    assert api.get(f"/attendance/overtime-requests/{pk}").json()["reason"] == "対応"
    listing = api.get("/attendance/overtime-requests").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == pk
    assert (
        api.post("/attendance/overtime-requests", {**body, "end_at": "2026-11-04T17:00:00+09:00"}).status_code
        == 400
    )
