"""36協定 screens and API: the agreements (人事), 「36協定の状況」 (人事 all; a 所属長 their team;
anyone else 403), one's own figures, CSV."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ennoshita.attendance.models import OvertimeAgreement, OvertimeAlert
from ennoshita.attendance.rules.agreement_limits import one_year_end
from ennoshita.core.models import AuditEvent
from ennoshita.people.models import Employee

from ..apiclient import ApiClient, field_errors, token_for
from ..conftest import login
from .test_agreements_services import _run_on_commit, hours, office, record  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

FORM = {
    "name": "2026年度 全社",
    "department": "",
    "start_date": "2026-04-01",
    "end_date": "2027-03-31",
    "monthly_limit_hours": "45",
    "yearly_limit_hours": "360",
    "special_clause": "on",
    "special_monthly_hours": "80",
    "special_yearly_hours": "720",
    "special_months_allowed": "6",
    "warning_percent": "80",
    "note": "",
}


def this_month() -> date:
    return timezone.localdate().replace(day=1)


# ------------------------------------------------------------------------------ agreements


def test_hr_records_an_agreement_on_the_screen(client, hr):
    login(client, hr)
    assert client.get(reverse("attendance:agreement_new")).status_code == 200
    r = client.post(reverse("attendance:agreement_new"), FORM)
    assert r.status_code == 302, r.content.decode()
    a = OvertimeAgreement.objects.get()
    assert a.special_clause and a.special_monthly_hours == 80
    page = client.get(reverse("attendance:agreement_list")).content.decode()
    assert f'data-agreement="{a.pk}"' in page and "月80時間(休日含む)・年720時間・年6回まで" in page
    csv = client.get(reverse("attendance:agreement_list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "2026年度 全社,全社,2026-04-01,2027-03-31,45,360,あり,80,720,6,80," in csv


def test_a_limit_over_the_law_is_shown_on_its_field_and_nothing_is_saved(client, hr):
    login(client, hr)
    r = client.post(reverse("attendance:agreement_new"), {**FORM, "special_monthly_hours": "100"})
    assert r.status_code == 400
    assert "100時間未満にしてください(労基法36条5項・6項2号)" in r.content.decode()
    assert not OvertimeAgreement.objects.exists()


def test_edit_history_and_delete(client, hr):
    a = record(hr)
    login(client, hr)
    r = client.post(
        reverse("attendance:agreement_edit", args=[a.pk]), {**FORM, "special_clause": "", "name": "改"}
    )
    assert r.status_code == 302
    page = client.get(reverse("attendance:agreement_edit", args=[a.pk])).content.decode()
    assert "変更履歴" in page and "改" in page
    assert client.post(reverse("attendance:agreement_delete", args=[a.pk])).status_code == 302
    assert not OvertimeAgreement.objects.exists()


def test_employees_may_not_open_the_agreements(client, employee_member, hr):
    a = record(hr)
    login(client, employee_member)
    assert client.get(reverse("attendance:agreement_list")).status_code == 403
    assert client.post(reverse("attendance:agreement_new"), FORM).status_code == 403
    assert client.post(reverse("attendance:agreement_delete", args=[a.pk])).status_code == 403
    assert OvertimeAgreement.objects.count() == 1


def test_the_list_costs_the_same_queries_for_more_rows(client, hr, department):
    login(client, hr)
    record(hr)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("attendance:agreement_list")).status_code == 200
        return len(ctx)

    one = count()
    record(hr, name="翌年度", start_date=date(2027, 4, 1), end_date=date(2028, 3, 31))
    record(hr, name="総務部", department_id=department.pk)
    assert count() == one


# ------------------------------------------------------------------------------ the dashboard


@pytest.fixture
def busy(office, hours):  # noqa: F811 (the imported fixtures)
    """An agreement year from this month: 次郎 (総務部) 50 h of 時間外 (over 45), 営業 40 h (88 %),
    部下 10 h (ok), the head 0."""
    start = this_month()
    OvertimeAgreement.objects.update(start_date=start, end_date=one_year_end(start))
    hours[(office["jiro"].pk, start)] = (50, 0)
    hours[(office["seller"].user.employee_records.get().pk, start)] = (40, 0)
    hours[(Employee.objects.get(number="E002").pk, start)] = (10, 0)
    return office


def rows(page: str) -> list[tuple[str, str]]:
    return re.findall(r'data-employee="([^"]+)" data-level="([^"]+)"', page)


def test_hr_sees_everyone_worst_first_and_a_csv(client, hr, busy):
    login(client, hr)
    page = client.get(reverse("attendance:overtime_dashboard")).content.decode()
    assert rows(page) == [("E001", "breach"), ("S001", "warning")]  # the ok ones are not listed
    assert reverse("attendance:employee_timesheet", args=[busy["jiro"].pk]) in page
    assert "時間外労働は1か月45時間まで(36協定の限度時間・労基法36条4項)。" in page  # the rule in words
    every = client.get(reverse("attendance:overtime_dashboard"), {"level": "all"}).content.decode()
    assert [n for n, _level in rows(every)] == ["E001", "S001", "E002", "M001"]
    only = client.get(reverse("attendance:overtime_dashboard"), {"level": "warning"}).content.decode()
    assert rows(only) == [("S001", "warning")]
    sales = client.get(
        reverse("attendance:overtime_dashboard"), {"department": busy["sales"].pk, "level": "all"}
    )
    assert [n for n, _level in rows(sales.content.decode())] == ["S001"]
    csv = client.get(reverse("attendance:overtime_dashboard"), {"format": "csv"}).content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("社員番号,氏名,部署,36協定,状況,今月の時間外")
    assert lines[1].startswith("E001,社員 次郎,総務部,2026年度 全社,超過,50,50,50,")
    assert lines[2].startswith("S001,営業 太郎,営業部,2026年度 全社,注意,40,40,40,")


def test_a_manager_sees_only_their_team(client, busy):
    login(client, busy["boss"])
    page = client.get(reverse("attendance:overtime_dashboard"), {"level": "all"}).content.decode()
    assert [n for n, _level in rows(page)] == ["E001", "E002", "M001"]  # 総務部 only
    r = client.get(reverse("attendance:overtime_dashboard"), {"department": busy["sales"].pk})
    assert r.status_code == 404


def test_an_employee_gets_403_on_the_dashboard(client, employee_member, busy):
    login(client, employee_member)
    assert client.get(reverse("attendance:overtime_dashboard")).status_code == 403


def test_my_overtime_page(client, employee_member, busy):
    login(client, employee_member)
    page = client.get(reverse("attendance:my_overtime")).content.decode()
    assert 'data-figure="overtime">50<' in page
    assert 'data-code="month_45" data-level="breach"' in page
    assert "時間外労働が月45時間の限度時間を超えています(50時間、労基法36条4項)。" in page


def test_my_overtime_without_a_record_or_an_agreement(client, hr, employee_member):
    login(client, hr)
    assert "社員の記録が紐付いていません" in client.get(reverse("attendance:my_overtime")).content.decode()
    login(client, employee_member)
    assert "適用される36協定がありません" in client.get(reverse("attendance:my_overtime")).content.decode()


# ------------------------------------------------------------------------------ API


BODY = {
    "name": "API協定",
    "start_date": "2026-04-01",
    "end_date": "2027-03-31",
    "monthly_limit_hours": 45,
    "yearly_limit_hours": 360,
}


def test_api_agreements(client, hr, employee_member):
    api = ApiClient(client, hr)
    r = api.post("/attendance/agreements", BODY)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["department_name"] == "" and r.json()["warning_percent"] == 80
    assert [a["id"] for a in api.get("/attendance/agreements").json()] == [pk]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api.raw}"}
    r = client.put(
        f"/api/v1/attendance/agreements/{pk}",
        json.dumps({**BODY, "end_date": "2026-12-31"}),
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200 and r.json()["end_date"] == "2026-12-31"
    assert AuditEvent.objects.filter(object_type="attendance.overtimeagreement", action="update").count() == 1
    refused = api.post("/attendance/agreements", {**BODY, "name": "重複", "monthly_limit_hours": 46})
    assert refused.status_code == 400
    assert "45時間以内" in field_errors(refused)["monthly_limit_hours"][0]
    assert OvertimeAgreement.objects.count() == 1
    r = client.delete(f"/api/v1/attendance/agreements/{pk}", **auth)
    assert r.status_code == 204 and not OvertimeAgreement.objects.exists()
    worker = ApiClient(client, employee_member)
    assert worker.get("/attendance/agreements").status_code == 403
    assert worker.post("/attendance/agreements", BODY).status_code == 403


def test_api_status_and_mine(client, hr, employee_member, busy):
    r = ApiClient(client, hr).get("/attendance/overtime-limits/status")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [row["number"] for row in body["rows"]] == ["E001", "S001"]
    first = body["rows"][0]
    assert first["level"] == "breach" and first["overtime_hours"] == "50.00"
    assert {x["code"]: x["level"] for x in first["limits"]}["month_45"] == "breach"
    assert body["counts"] == {"breach": 1, "warning": 1, "ok": 2}
    assert ApiClient(client, employee_member).get("/attendance/overtime-limits/status").status_code == 403
    assert (
        ApiClient(client, busy["boss"])
        .get("/attendance/overtime-limits/status", {"level": "all"})
        .json()["rows"][0]["number"]
        == "E001"
    )
    mine = ApiClient(client, employee_member).get("/attendance/overtime-limits/me").json()["status"]
    assert mine["number"] == "E001" and mine["year_overtime_hours"] == "50.00"
    assert (
        ApiClient(client, hr).get("/attendance/overtime-limits/me").status_code == 404
    )  # no employee record
    assert (
        ApiClient(client, hr).get("/attendance/overtime-limits/status", {"month": "2026-13"}).status_code
        == 422
    )


def test_api_another_companys_agreement_is_404(client, hr, outsider):
    a = record(hr)
    raw = token_for(outsider)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/attendance/agreements/{a.pk}", **auth).status_code == 404
    assert client.delete(f"/api/v1/attendance/agreements/{a.pk}", **auth).status_code == 404
    login(client, outsider)
    assert client.get(reverse("attendance:agreement_edit", args=[a.pk])).status_code == 404
    assert OvertimeAgreement.objects.filter(pk=a.pk).exists() and not OvertimeAlert.objects.exists()


def test_the_nav_entries(client, hr, employee_member):
    login(client, hr)
    page = client.get(reverse("attendance:agreement_list")).content.decode()
    assert reverse("attendance:overtime_dashboard") in page
    login(client, employee_member)
    page = client.get(reverse("attendance:my_overtime")).content.decode()
    assert reverse("attendance:agreement_list") not in page


def test_the_status_box_for_other_screens(employee_member, busy):
    from django.template.loader import render_to_string

    from ennoshita.attendance import agreement_selectors

    status = agreement_selectors.my_overtime_status(
        company=employee_member.company,
        employee_id=busy["jiro"].pk,
        as_of=timezone.localdate(),
    )
    html = render_to_string("attendance/agreements/_status_box.html", {"status": status})
    assert 'data-level="breach"' in html and "今月の時間外 50時間" in html
    assert reverse("attendance:my_overtime") in html
    assert render_to_string("attendance/agreements/_status_box.html", {"status": None}).strip() == ""
