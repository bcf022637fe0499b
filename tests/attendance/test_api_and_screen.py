"""/api/v1/attendance/rules/ and the simulator page (勤怠の法定計算): the same figures and steps as
the rules, for any member; bad figures refused with a message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..apiclient import ApiClient, field_errors
from ..conftest import login

pytestmark = pytest.mark.django_db


def test_hourly_base_wage(client, employee_member):
    r = ApiClient(client, employee_member).post(
        "/attendance/rules/hourly-base-wage", {"monthly_wage": 340000, "annual_scheduled_hours": 2040}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["hourly_wage"] == 2000
    assert body["steps"][0] == {
        "label": "1か月平均所定労働時間",
        "value": "2040時間 ÷ 12 = 170時間",
        "rule": "労基則19条1項4号",
    }


def test_premium_pay(client, hr):
    r = ApiClient(client, hr).post(
        "/attendance/rules/premium-pay",
        {
            "hourly_wage": 2000,
            "overtime_hours": "70",
            "overtime_night_hours": 5,
            "holiday_hours": 8,
            "night_hours": "2.5",
        },
    )
    assert r.status_code == 200, r.content
    body = r.json()
    # 60×2,000×1.25 + 10×2,000×1.5; 8×2,000×1.35; (5 + 2.5)×2,000×0.25
    assert (body["overtime"], body["holiday"], body["night"]) == (180000, 21600, 3750)
    assert body["total"] == 205350 and len(body["steps"]) == 5


def test_overtime_limit_violations(client, hr):
    api = ApiClient(client, hr)
    r = api.post("/attendance/rules/overtime-limit-violations", {"months": [[90, 0], [75, 0]]})
    assert r.status_code == 200, r.content
    (violation,) = r.json()["violations"]
    assert violation["code"] == "average_80" and "36条6項3号" in violation["message"]
    r = api.post(
        "/attendance/rules/overtime-limit-violations", {"months": [[50, 0]], "special_clause": False}
    )
    assert [v["code"] for v in r.json()["violations"]] == ["month_45"]


def test_paid_leave_days(client, hr):
    api = ApiClient(client, hr)
    r = api.post(
        "/attendance/rules/paid-leave-days", {"service_months": 78, "weekly_days": 5, "weekly_hours": 40}
    )
    assert r.status_code == 200 and r.json()["days"] == 20
    r = api.post(
        "/attendance/rules/paid-leave-days",
        {"service_months": 6, "weekly_days": 0, "weekly_hours": 20, "annual_days": 100},
    )
    assert r.json()["days"] == 3


def test_bad_figures_are_refused_with_a_message(client, hr):
    api = ApiClient(client, hr)
    r = api.post(
        "/attendance/rules/premium-pay",
        {"hourly_wage": 1000, "overtime_hours": 10, "overtime_night_hours": 11},
    )
    assert r.status_code == 422
    assert field_errors(r) == {
        "overtime_night_hours": ["時間外のうち深夜の時間は、時間外労働の時間以下で入れてください。"]
    }
    r = api.post("/attendance/rules/premium-pay", {"hourly_wage": -1})
    assert r.status_code == 422 and "hourly_wage" in field_errors(r)
    r = api.post("/attendance/rules/overtime-limit-violations", {"months": []})
    assert r.status_code == 422 and "months" in field_errors(r)
    r = api.post("/attendance/rules/overtime-limit-violations", {"months": [[1, 0]] * 13})
    assert r.status_code == 422
    r = api.post(
        "/attendance/rules/paid-leave-days",
        {"service_months": 6, "weekly_days": 5, "weekly_hours": 40, "x": 1},
    )
    assert r.status_code == 422  # an unknown field is an error


def test_the_api_needs_a_token(client):
    r = client.post("/api/v1/attendance/rules/paid-leave-days", "{}", content_type="application/json")
    assert r.status_code == 401


def test_the_simulator_page(client, hr):
    login(client, hr)
    url = reverse("attendance:rules_simulator")
    page = client.get(url)
    assert page.status_code == 200
    assert "勤怠の法定計算" in page.content.decode()
    r = client.get(
        url,
        {
            "calc": "premium",
            "premium-hourly_wage": "2000",
            "premium-overtime_hours": "70",
            "premium-overtime_night_hours": "0",
            "premium-holiday_hours": "8",
            "premium-holiday_night_hours": "0",
            "premium-night_hours": "0",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "201,600円" in html and "労基法37条1項ただし書" in html
    r = client.get(url, {"calc": "limits", "limits-months": "９０，０\n75 0", "limits-special_clause": "on"})
    html = r.content.decode()
    assert 'data-code="average_80"' in html and "82.5時間" in html
    r = client.get(
        url,
        {
            "calc": "leave",
            "leave-service_months": "18",
            "leave-weekly_days": "4",
            "leave-weekly_hours": "29.5",
        },
    )
    assert "8日" in r.content.decode() and "比例付与" in r.content.decode()


def test_the_simulator_refuses_what_it_cannot_read(client, employee_member):
    login(client, employee_member)  # any member may use it
    url = reverse("attendance:rules_simulator")
    r = client.get(url, {"calc": "limits", "limits-months": "45, 0\nたくさん"})
    assert r.status_code == 400
    assert "2行目" in r.content.decode()
    r = client.get(
        url,
        {
            "calc": "premium",
            "premium-hourly_wage": "1000",
            "premium-holiday_hours": "1",
            "premium-holiday_night_hours": "2",
        },
    )
    assert r.status_code == 400 and "「うち深夜」は元の時間以下" in r.content.decode()


def test_the_menu_offers_it_to_hr_not_to_employees(client, hr, employee_member):
    url = reverse("attendance:rules_simulator")
    login(client, hr)
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()
    client.logout()
    login(client, employee_member)
    assert f'href="{url}"' not in client.get(reverse("home")).content.decode()
