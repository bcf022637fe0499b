"""給与計算 screens and API: list, new (dates shown first), detail (checklist, changes, table,
totals), export, recompute, discard, the background path, and /api/v1/payroll/runs."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ennoshita.payroll.models import PayrollRun, Payslip, RunStatus
from ennoshita.payroll.services import runs as services

from ..apiclient import ApiClient
from ..conftest import login, make_employee
from .factories import make_grade, make_group, make_profile
from .test_runs import BANK, close, punch_month

pytestmark = pytest.mark.django_db

APRIL, MAY = date(2026, 4, 1), date(2026, 5, 1)


@pytest.fixture
def staff(company, hr, department):
    """Two monthly employees with April 2026 punched and closed; one without a bank account."""
    group = make_group(company)
    people = []
    for number, bank in (("0001", BANK), ("0002", {})):
        e = make_employee(company, hr, department, number=number, birth_date=date(1991, 4, 10), **bank)
        make_profile(e, hr.user, group, commute_allowance=12_000, dependents=1)
        make_grade(e, 300_000, effective_from=date(2025, 9, 1))
        punch_month(company, e, APRIL)
        people.append(e)
    close(company, hr, APRIL)
    return people


def test_new_run_shows_the_dates_then_creates(client, hr, staff):
    login(client, hr)
    group = make_group(hr.company)
    r = client.get(reverse("payroll:run_new"), {"pay_group": group.pk, "pay_month": "2026-05"})
    body = r.content.decode()
    assert r.status_code == 200 and "2026年4月" in body and "2026-04-30" in body and "2026-05-25" in body
    assert not PayrollRun.objects.exists()
    r = client.post(reverse("payroll:run_new"), {"pay_group": group.pk, "pay_month": "2026-05", "title": ""})
    run = PayrollRun.objects.get()
    assert r.status_code == 302 and r.url == reverse("payroll:run_detail", args=[run.pk])
    # a second one: the service's refusal on the form, nothing written
    r = client.post(reverse("payroll:run_new"), {"pay_group": group.pk, "pay_month": "2026-05"})
    assert r.status_code == 200 and "既にあります" in r.content.decode()
    assert PayrollRun.objects.count() == 1


def test_detail_list_and_export(client, hr, staff):
    run = services.create_run(
        company=hr.company, actor=hr.user, membership=hr, pay_group=make_group(hr.company), pay_month=MAY
    )
    login(client, hr)
    body = client.get(reverse("payroll:run_detail", args=[run.pk])).content.decode()
    assert "振込口座が登録されていません" in body  # 0002's warning on the checklist
    assert "263,160" in body and "526,320" in body  # each net and the totals row
    body = client.get(reverse("payroll:run_detail", args=[run.pk]), {"q": "0002"}).content.decode()
    assert 'data-employee="0002"' in body and 'data-employee="0001"' not in body
    body = client.get(reverse("payroll:run_list"), {"year": "2026"}).content.decode()
    assert f'data-run="{run.pk}"' in body
    r = client.get(reverse("payroll:run_export", args=[run.pk]))
    text = r.content.decode("utf-8-sig")
    assert r["Content-Type"].startswith("text/csv") and text.splitlines()[0].startswith("社員番号,氏名")
    assert "0001,山田 太郎," in text and "263160" in text
    r = client.get(reverse("payroll:run_export", args=[run.pk]), {"format": "xlsx"})
    assert r.content[:2] == b"PK"


def test_list_query_count_does_not_grow(client, hr, staff, django_assert_max_num_queries):
    run = services.create_run(
        company=hr.company, actor=hr.user, membership=hr, pay_group=make_group(hr.company), pay_month=MAY
    )
    login(client, hr)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("payroll:run_detail", args=[run.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("payroll:run_list")).status_code == 200


def test_recompute_and_discard_screens(client, hr, staff):
    run = services.create_run(
        company=hr.company, actor=hr.user, membership=hr, pay_group=make_group(hr.company), pay_month=MAY
    )
    login(client, hr)
    assert client.post(reverse("payroll:run_recompute", args=[run.pk])).status_code == 302
    r = client.post(reverse("payroll:run_discard", args=[run.pk]), {"reason": ""}, follow=True)
    assert "破棄の理由" in r.content.decode()
    client.post(reverse("payroll:run_discard", args=[run.pk]), {"reason": "やり直し"})
    run.refresh_from_db()
    assert run.status == RunStatus.DISCARDED


def test_employees_cannot_open_runs(client, employee_member, staff):
    login(client, employee_member)
    assert client.get(reverse("payroll:run_list")).status_code == 403
    assert client.get(reverse("payroll:run_new")).status_code == 403


def test_a_large_group_runs_in_the_background(client, hr, staff, monkeypatch):
    monkeypatch.setattr(services, "BACKGROUND_OVER", 1)
    login(client, hr)
    group = make_group(hr.company)
    r = client.post(reverse("payroll:run_new"), {"pay_group": group.pk, "pay_month": "2026-05"})
    assert r.status_code == 302 and "/runs/jobs/" in r.url
    run = PayrollRun.objects.get()  # the test task backend runs the job at once
    assert run.headcount == 2
    body = client.get(r.url).content.decode()
    assert reverse("payroll:run_detail", args=[run.pk]) in body
    # its progress panel, as HTMX polls it
    assert client.get(r.url, HTTP_HX_REQUEST="true").status_code == 200


def test_api(client, hr, staff, other_company, outsider):
    api = ApiClient(client, hr)
    group = make_group(hr.company)
    r = api.post("/payroll/runs", {"pay_group_id": group.pk, "pay_month": "2026-05"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["headcount"] == 2 and body["pay_date"] == "2026-05-25" and body["attendance_month"] == "2026-04"
    )
    assert [p["net"] for p in body["payslips"]] == [263_160, 263_160]
    run_id = body["id"]
    r = api.post("/payroll/runs", {"pay_group_id": group.pk, "pay_month": "2026-05"})
    assert r.status_code == 400 and r.json()["code"] == "duplicate"
    assert api.get("/payroll/runs", {"year": 2026}).json()["count"] == 1
    assert (
        api.get(f"/payroll/runs/{run_id}").json()["payslips"][1]["anomalies"][0]["code"] == "no_bank_account"
    )
    assert api.post(f"/payroll/runs/{run_id}/recompute").status_code == 200
    assert ApiClient(client, outsider).get(f"/payroll/runs/{run_id}").status_code == 404
    r = api.post(f"/payroll/runs/{run_id}/discard", {"reason": "テスト"})
    assert r.status_code == 200 and r.json()["status"] == "discarded"
    assert Payslip.objects.filter(run_id=run_id).count() == 2


def test_changes_since_the_last_confirmed_run(client, hr, staff, company, department):
    from ennoshita.payroll.models import PayProfile

    group = make_group(company)
    for e in staff:
        punch_month(company, e, MAY)
    close(company, hr, MAY)
    april = services.create_run(company=company, actor=hr.user, membership=hr, pay_group=group, pay_month=MAY)
    PayrollRun.objects.filter(pk=april.pk).update(status=RunStatus.CONFIRMED)  # as the confirm part would
    # 0001 gets a raise from June; a new employee joins (hired 2026-05-01)
    PayProfile.objects.create(
        company=company,
        employee=staff[0],
        effective_from=date(2026, 6, 1),
        pay_group=group,
        base_pay=330_000,
        commute_allowance=12_000,
        dependents=1,
        si_acquired_on=staff[0].hire_date,
        created_by=hr.user,
    )
    new = make_employee(company, hr, department, number="0003", hire_date=MAY, birth_date=date(2000, 1, 1))
    make_profile(new, hr.user, group, effective_from=MAY)
    make_grade(new, 300_000, effective_from=MAY)
    punch_month(company, new, MAY)
    close(company, hr, MAY)
    june = services.create_run(
        company=company, actor=hr.user, membership=hr, pay_group=group, pay_month=date(2026, 6, 1)
    )
    login(client, hr)
    body = client.get(reverse("payroll:run_detail", args=[june.pk])).content.decode()
    assert "0003" in body and "新しく支給する人" in body
    assert "基本給 300000 → 330000" in body
    slip = Payslip.objects.get(run=june, employee=staff[0])
    # 330,000 against 300,000: the 固定的賃金 changed (随時改定?); net moved 10 % < 20 %: no net_changed
    assert [a["code"] for a in slip.anomalies] == ["fixed_pay_changed"]
