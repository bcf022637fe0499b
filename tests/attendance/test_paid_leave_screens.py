"""Screens and API of 年次有給休暇: 「有給休暇」, 年5日, 管理簿 (screen, CSV, PDF), grants, policy;
who may see what; another company's ids are 404; list reads cost a fixed number of queries."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.attendance.models import LeaveGrant, LeavePolicy, LeaveRequest
from ennoshita.attendance.paid_leave_selectors import five_day_duties
from ennoshita.attendance.rules.leave_grants import expiry_date
from ennoshita.attendance.services.leave_grants import (
    LeavePart,
    confirm_leave,
    ensure_annual_type,
    hold_leave,
)
from ennoshita.people.models import Employee

from ..apiclient import ApiClient, field_errors
from ..conftest import login, make_employee, make_member

pytestmark = pytest.mark.django_db


def _grant(company, employee, on, days):
    return LeaveGrant.objects.create(
        company=company,
        employee=employee,
        leave_type=ensure_annual_type(company=company),
        granted_on=on,
        expires_on=expiry_date(on),
        days=Decimal(days),
        source="automatic",
    )


def _take(company, employee, day, unit="full"):
    leave = LeaveRequest.objects.create(
        company=company,
        employee=employee,
        leave_type=ensure_annual_type(company=company),
        start_date=day,
        end_date=day,
        unit=unit,
        requested_by=employee.user,
    )
    amount = Decimal(1) if unit == "full" else Decimal("0.5")
    hold_leave(company=company, request=leave, parts=[LeavePart(day, amount, 0)])
    confirm_leave(company=company, request=leave)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def emp(company, employee_member):
    return Employee.objects.for_company(company).get(user=employee_member.user)


@pytest.fixture
def granted(company, emp, today):
    g = _grant(company, emp, today - timedelta(days=60), 10)
    _take(company, emp, today - timedelta(days=30))
    _take(company, emp, today - timedelta(days=20), unit="am")
    return g


def test_employee_sees_own_balance_grants_and_duty(client, employee_member, granted, today):
    login(client, employee_member)
    page = client.get(reverse("attendance:my_paid_leave")).content.decode()
    assert 'id="remaining">8.5日<' in page
    assert expiry_date(granted.granted_on).isoformat() in page
    assert "年5日の取得義務" in page and "3.5日" in page  # 5 − 1.5
    assert (today - timedelta(days=30)).isoformat() in page  # a date taken this year


def test_employee_cannot_see_a_colleague_and_other_company_is_404(
    client, company, hr, department, employee_member, outsider, other_company
):
    colleague = make_employee(company, hr, department, number="C9")
    login(client, employee_member)
    assert client.get(reverse("attendance:employee_paid_leave", args=[colleague.pk])).status_code == 403
    assert client.get(reverse("attendance:leave_ledger", args=[colleague.pk])).status_code == 403
    assert client.get(reverse("attendance:five_day_list")).status_code == 403
    assert client.get(reverse("attendance:paid_leave_admin")).status_code == 403
    assert client.get(reverse("attendance:leave_grants")).status_code == 403
    login(client, outsider)
    assert client.get(reverse("attendance:employee_paid_leave", args=[colleague.pk])).status_code == 404
    assert client.get(reverse("attendance:leave_ledger", args=[colleague.pk])).status_code == 404


def test_manager_sees_the_team_five_days(client, company, hr, department, emp, granted):
    boss = make_member(company, "boss", ["manager"])
    department.head = make_employee(company, hr, department, number="B1", user=boss.user)
    department.save()
    login(client, boss)
    page = client.get(reverse("attendance:five_day_list")).content.decode()
    assert f'data-employee="{emp.pk}"' in page
    assert client.get(reverse("attendance:employee_paid_leave", args=[emp.pk])).status_code == 200
    assert client.get(reverse("attendance:leave_ledger", args=[emp.pk])).status_code == 403


def test_hr_five_days_csv_and_admin_index(client, hr, emp, granted):
    login(client, hr)
    assert "1人がまだ足りません" in client.get(reverse("attendance:paid_leave_admin")).content.decode()
    csv = client.get(reverse("attendance:five_day_list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith(f"{emp.number},社員 次郎,")
    assert ",5,1.5,0,3.5," in csv.splitlines()[1]


def test_ledger_screen_csv_and_pdf(client, hr, emp, granted, today):
    login(client, hr)
    index = client.get(reverse("attendance:leave_ledger_index"), {"q": "シャイン"}).content.decode()
    assert reverse("attendance:leave_ledger", args=[emp.pk]) in index
    url = reverse("attendance:leave_ledger", args=[emp.pk])
    page = client.get(url).content.decode()
    assert granted.granted_on.isoformat() in page and (today - timedelta(days=30)).isoformat() in page
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("社員番号,氏名,基準日")
    assert len(csv) == 3 and "午前半休" in csv[2]
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_own_ledger(client, employee_member, granted):
    login(client, employee_member)
    assert client.get(reverse("attendance:my_leave_ledger")).status_code == 200


def test_policy_screen(client, hr, employee_member):
    login(client, hr)
    data = {
        "uses_reference_date": "on",
        "reference_month": "4",
        "reference_day": "1",
        "first_grant_months": "6",
        "hourly_days_per_year": "6",
        "warn_five_days_before_months": "3",
    }
    r = client.post(reverse("attendance:leave_policy"), data)
    assert r.status_code == 400 and not LeavePolicy.objects.exists()
    r = client.post(reverse("attendance:leave_policy"), {**data, "hourly_days_per_year": "5"})
    assert r.status_code == 302
    policy = LeavePolicy.objects.get()
    assert (policy.uses_reference_date, policy.reference_month, policy.hourly_days_per_year) == (True, 4, 5)
    login(client, employee_member)
    assert client.get(reverse("attendance:leave_policy")).status_code == 403


def test_grant_screens(client, hr, emp, granted, other_company, outsider):
    login(client, hr)
    r = client.post(
        reverse("attendance:leave_grants"),
        {"number": emp.number, "granted_on": "2020-04-01", "days": "3", "note": "移行", "migrated": "on"},
    )
    assert r.status_code == 302
    assert LeaveGrant.objects.filter(source="migrated", days=3).exists()
    r = client.post(
        reverse("attendance:leave_grants"),
        {"number": "NOPE", "granted_on": "2020-04-01", "days": "3", "note": "x"},
    )
    assert r.status_code == 400 and "社員番号" in r.content.decode()
    page = client.get(reverse("attendance:leave_grants"), {"q": emp.number}).content.decode()
    assert "移行" in page
    url = reverse("attendance:leave_grant_adjust", args=[granted.pk])
    r = client.post(url, {"days": "1", "note": "誤り"})
    assert r.status_code == 400  # 1.5 days already drawn
    r = client.post(url, {"days": "11", "note": "訂正"})
    assert r.status_code == 302
    granted.refresh_from_db()
    assert granted.days == 11
    r = client.post(reverse("attendance:leave_grants_run"), {"as_of": "2026-01-01"})
    assert r.status_code == 302
    login(client, outsider)
    assert client.get(url).status_code == 404


def test_five_day_reads_cost_the_same_for_more_employees(company, hr, department, emp, granted, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert len(five_day_duties(company=company, as_of=today)) == 1
    for n in range(3):
        other = make_employee(company, hr, department, number=f"X{n}")
        _grant(company, other, today - timedelta(days=10), 10)
    with CaptureQueriesContext(connection) as four:
        assert len(five_day_duties(company=company, as_of=today)) == 4
    assert len(one) == len(four)


# --- API -------------------------------------------------------------------------------------


def test_api_balance_mine_and_others(
    client, company, hr, department, employee_member, emp, granted, outsider
):
    body = ApiClient(client, employee_member).get("/attendance/paid-leave/balance/me").json()
    assert (body["remaining_days"], body["label"], body["hours_per_day"]) == ("8.5", "8.5日", 8)
    assert body["grants"][0]["grant_id"] == granted.pk
    colleague = make_employee(company, hr, department, number="C9")
    r = ApiClient(client, employee_member).get(f"/attendance/paid-leave/balance/{colleague.pk}")
    assert r.status_code == 403
    r = ApiClient(client, hr).get(f"/attendance/paid-leave/balance/{emp.pk}", {"as_of": "2099-01-01"})
    assert r.status_code == 200 and r.json()["remaining_days"] == "0"
    assert ApiClient(client, outsider).get(f"/attendance/paid-leave/balance/{emp.pk}").status_code == 404


def test_api_grants_run_ledger_five_days_policy(client, hr, employee_member, emp, granted, today):
    api = ApiClient(client, hr)
    r = api.post(
        "/attendance/paid-leave/grants",
        {"employee_id": emp.pk, "granted_on": "2019-04-01", "days": "2.5", "note": "移行", "migrated": True},
    )
    assert r.status_code == 201, r.content
    assert (r.json()["days"], r.json()["source"], r.json()["expires_on"]) == ("2.5", "migrated", "2021-03-31")
    r = api.post(
        "/attendance/paid-leave/grants",
        {"employee_id": emp.pk, "granted_on": "2019-04-01", "days": 1, "note": "x"},
    )
    assert r.status_code == 400 and "granted_on" in field_errors(r)
    r = api.patch(f"/attendance/paid-leave/grants/{granted.pk}", {"days": "1", "note": "x"})
    assert r.status_code == 400
    r = api.patch(f"/attendance/paid-leave/grants/{granted.pk}", {"days": "12", "note": "訂正"})
    assert r.status_code == 200 and r.json()["days"] == "12.0"
    assert len(api.get("/attendance/paid-leave/grants", {"employee_id": emp.pk}).json()) == 2
    assert api.post("/attendance/paid-leave/run-grants", {"as_of": "2026-01-01"}).status_code == 200
    ledger = api.get(f"/attendance/paid-leave/ledger/{emp.pk}").json()
    year = next(y for y in ledger["years"] if y["granted_on"] == granted.granted_on.isoformat())
    assert [d["unit"] for d in year["taken"]] == ["full", "am"] and year["taken_days"] == "1.5"
    duties = api.get("/attendance/paid-leave/five-days").json()
    assert [(d["employee_id"], d["still_needed"]) for d in duties] == [(emp.pk, "3.5")]
    r = api.client.put(
        "/api/v1/attendance/paid-leave/policy",
        json.dumps({"uses_reference_date": True, "reference_month": 4, "hourly_days_per_year": 5}),
        content_type="application/json",
        **api._headers(),
    )
    assert r.status_code == 200 and r.json()["hourly_days_per_year"] == 5
    mine = ApiClient(client, employee_member)
    assert mine.get("/attendance/paid-leave/ledger/me").status_code == 200
    assert mine.get("/attendance/paid-leave/grants").status_code == 403
    assert mine.post("/attendance/paid-leave/run-grants", {}).status_code == 403
    assert mine.get("/attendance/paid-leave/five-days").status_code == 403
