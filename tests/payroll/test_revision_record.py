"""Recording the 定時決定 / 随時改定 as 標準報酬月額 (payroll.services.revisions.record_revisions), by
the service, the screen's 「標準報酬月額に登録する」 and POST /api/v1/payroll/revisions/record: the
grades of the 法令の等級表 from the average, from September (定時決定) or the fourth month (随時改定),
all or nothing, a second press skips, a plain employee is refused, and those the law excludes
(健康保険法41条3項) are neither listed as recordable nor recorded."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll.models import StandardRemuneration
from ennoshita.payroll.rules.revision import EXCLUDED_ACQUIRED, EXCLUDED_INTERIM
from ennoshita.payroll.selectors import revisions as selectors
from ennoshita.payroll.services.revisions import record_revisions

from ..apiclient import ApiClient, field_errors
from ..conftest import login
from .confirm_builders import make_org, person
from .factories import make_group, make_profile
from .test_revisions import FIXED, grade, runs_for, slip

pytestmark = pytest.mark.django_db

RAISED = {**FIXED, "base_pay": 340_000}


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


@pytest.fixture
def case(org):
    """2026: a (22級, 4–5月 counted), b (no grade yet), c (資格取得 6月10日: excluded), d (fixed pay up
    in May, May–July 345,000: a 随時改定 from August, so no 定時決定)."""
    runs = runs_for(org, [date(2026, m, 25) for m in (3, 4, 5, 6, 7)])
    a = person(org, org.sales, "1001", given_name="一郎")
    b = person(org, org.sales, "1002", given_name="二郎")
    c = person(org, org.sales, "1003", given_name="三郎")
    d = person(org, org.sales, "1004", given_name="四郎")
    grade(org, a, date(2025, 9, 1), 22, 300_000, 19)
    grade(org, d, date(2025, 9, 1), 22, 300_000, 19)
    make_profile(c, org.hr.user, make_group(org.company), si_acquired_on=date(2026, 6, 10))
    # a: April pays March (31 days), May April (30), June May (31 − 15 = 16: left out).
    # (330,000 + 341,001) ÷ 2 = 335,500.5 → 335,500 → 健保24級 340,000 (330,000–350,000), 厚年21級.
    slip(runs[date(2026, 4, 25)], a, wage=330_000)
    slip(runs[date(2026, 5, 25)], a, wage=341_001)
    slip(runs[date(2026, 6, 25)], a, wage=200_000, absence_days="15")
    # b: 150,000 × 3 → 150,000 → 健保12級 150,000 (146,000–155,000), 厚年9級.
    for m in (4, 5, 6):
        slip(runs[date(2026, m, 25)], b, wage=150_000)
        slip(runs[date(2026, m, 25)], c, wage=250_000)
    # d: 300,000 (March, April), then 345,000 with the raised fixed pay from May: May–July average
    # 345,000 → 24級, current 22級 → +2 → 随時改定 from August.
    for m in (3, 4, 5, 6, 7):
        new = m >= 5
        slip(runs[date(2026, m, 25)], d, wage=345_000 if new else 300_000, fixed=RAISED if new else FIXED)
    return {"a": a, "b": b, "c": c, "d": d}


def test_the_annual_list_marks_the_exclusions(org, case):
    rows = {
        r.employee_number: r for r in selectors.annual_list(company=org.company, membership=org.hr, year=2026)
    }
    assert (rows["1001"].excluded, rows["1002"].excluded) == ("", "")
    assert rows["1003"].excluded == EXCLUDED_ACQUIRED and not rows["1003"].recordable
    assert rows["1004"].excluded == EXCLUDED_INTERIM and "随時改定" in rows["1004"].excluded_label
    # d's 随時改定 itself, as of the third month.
    (r,) = selectors.interim_list(company=org.company, membership=org.hr, as_of=date(2026, 7, 31))
    assert (r.employee_number, r.applies_from, r.new.health_grade, r.pay_change) == (
        "1004",
        date(2026, 8, 1),
        24,
        40_000,
    )


def test_a_recorded_revision_from_july_to_september_excludes_too(org, case):
    # b has no pay change, but a 随時改定 from September was recorded by hand.
    StandardRemuneration.objects.create(
        company=org.company,
        employee=case["b"],
        effective_from=date(2026, 9, 1),
        monthly_remuneration=150_000,
        health_grade=12,
        health_standard=150_000,
        pension_grade=9,
        pension_standard=150_000,
        reason="revision",
    )
    rows = {
        r.employee_number: r for r in selectors.annual_list(company=org.company, membership=org.hr, year=2026)
    }
    assert rows["1002"].excluded == EXCLUDED_INTERIM


def test_recording_creates_the_grades_from_september_and_a_second_press_skips(org, case):
    a, b = case["a"], case["b"]
    before = AuditEvent.objects.filter(company=org.company).count()
    result = record_revisions(
        company=org.company,
        actor=org.hr.user,
        membership=org.hr,
        kind="annual",
        year=2026,
        employee_ids=[a.pk, b.pk],
    )
    assert [r.employee_id for r in result.created] == [a.pk, b.pk] and result.skipped == []
    rows = {r.employee_id: r for r in StandardRemuneration.objects.filter(effective_from=date(2026, 9, 1))}
    ra, rb = rows[a.pk], rows[b.pk]
    assert (ra.monthly_remuneration, ra.health_grade, ra.health_standard, ra.pension_grade) == (
        335_500,
        24,
        340_000,
        21,
    )
    assert (ra.pension_standard, ra.reason) == (340_000, "annual") and "4月・5月" in ra.note
    assert (rb.monthly_remuneration, rb.health_grade, rb.health_standard, rb.pension_grade) == (
        150_000,
        12,
        150_000,
        9,
    )
    events = AuditEvent.objects.filter(company=org.company).order_by("seq")[before:]
    assert [e.action for e in events] == ["create", "create", "record_revisions"]
    # The list says so, and a second press writes nothing.
    listed = {
        r.employee_number: r for r in selectors.annual_list(company=org.company, membership=org.hr, year=2026)
    }
    assert listed["1001"].recorded and not listed["1001"].recordable
    again = record_revisions(
        company=org.company,
        actor=org.hr.user,
        membership=org.hr,
        kind="annual",
        year=2026,
        employee_ids=[a.pk, b.pk],
    )
    assert again.created == [] and [r.employee_id for r in again.skipped] == [a.pk, b.pk]
    assert StandardRemuneration.objects.filter(effective_from=date(2026, 9, 1)).count() == 2
    assert AuditEvent.objects.filter(company=org.company).count() == before + 3


@pytest.mark.parametrize("who", ["c", "unknown"])
def test_recording_is_all_or_nothing(org, case, who):
    other = case["c"].pk if who == "c" else 999_999
    with pytest.raises(ServiceError) as refused:
        record_revisions(
            company=org.company,
            actor=org.hr.user,
            membership=org.hr,
            kind="annual",
            year=2026,
            employee_ids=[case["a"].pk, case["b"].pk, other],
        )
    assert "employees" in refused.value.field_errors
    assert not StandardRemuneration.objects.filter(effective_from=date(2026, 9, 1)).exists()


def test_a_plain_employee_may_not_record(org, case, employee_member):
    with pytest.raises(PermissionDeniedError):
        record_revisions(
            company=org.company,
            actor=employee_member.user,
            membership=employee_member,
            kind="annual",
            year=2026,
            employee_ids=[case["a"].pk],
        )
    assert not StandardRemuneration.objects.filter(effective_from=date(2026, 9, 1)).exists()


def test_recording_a_revision_from_the_fourth_month(org, case):
    d = case["d"]
    result = record_revisions(
        company=org.company,
        actor=org.accountant.user,
        membership=org.accountant,
        kind="interim",
        as_of=date(2026, 7, 31),
        employee_ids=[d.pk],
    )
    (row,) = result.created
    assert (
        row.effective_from,
        row.monthly_remuneration,
        row.health_grade,
        row.pension_grade,
        row.reason,
    ) == (
        date(2026, 8, 1),
        345_000,
        24,
        21,
        "revision",
    )


def test_the_screen_records_everyone_ticked_or_all(client, org, case, employee_member):
    login(client, org.hr)
    page = client.get(reverse("payroll:revision_list") + "?year=2026").content.decode()
    assert "標準報酬月額に登録する" in page and "対象外" in page
    assert f'name="employee" value="{case["a"].pk}"' in page
    assert f'name="employee" value="{case["c"].pk}" aria-label="1003" disabled' in page
    url = reverse("payroll:revision_record")
    # One ticked row.
    r = client.post(url, {"kind": "annual", "year": "2026", "employee": [str(case["b"].pk)]}, follow=True)
    assert r.status_code == 200 and "1人の標準報酬月額を登録しました。" in r.content.decode()
    # 「全員」: the recordable ones (a); b is already recorded, c and d are excluded.
    r = client.post(url, {"kind": "annual", "year": "2026", "all": "1"}, follow=True)
    assert "1人の標準報酬月額を登録しました。" in r.content.decode()
    assert set(
        StandardRemuneration.objects.filter(effective_from=date(2026, 9, 1)).values_list(
            "employee__number", flat=True
        )
    ) == {"1001", "1002"}
    assert r.content.decode().count("登録済み") >= 2
    # An excluded one ticked by hand: refused, nothing written.
    r = client.post(url, {"kind": "annual", "year": "2026", "employee": [str(case["c"].pk)]}, follow=True)
    assert "対象外の人が含まれているため登録しませんでした。" in r.content.decode()
    assert StandardRemuneration.objects.filter(effective_from=date(2026, 9, 1)).count() == 2
    login(client, employee_member)
    assert client.post(url, {"kind": "annual", "year": "2026", "all": "1"}).status_code == 403


def test_the_api_lists_and_records(client, org, case, employee_member):
    api = ApiClient(client, org.hr)
    r = api.get("/payroll/revisions/annual", {"year": 2026})
    assert r.status_code == 200
    rows = {x["employee_number"]: x for x in r.json()}
    assert (rows["1001"]["average"], rows["1001"]["new"]["health_grade"], rows["1001"]["excluded"]) == (
        335_500,
        24,
        "",
    )
    assert [m["counted"] for m in rows["1001"]["months"]] == [True, True, False]
    assert rows["1003"]["excluded"] != ""
    r = api.get("/payroll/revisions/interim", {"as_of": "2026-07-31"})
    assert [(x["employee_number"], x["applies_from"]) for x in r.json()] == [("1004", "2026-08-01")]
    body = {"kind": "annual", "year": 2026, "employee_ids": [case["a"].pk]}
    r = api.post("/payroll/revisions/record", body)
    assert r.status_code == 200, r.content
    (created,) = r.json()["created"]
    assert (created["effective_from"], created["health_standard"], created["reason"]) == (
        "2026-09-01",
        340_000,
        "annual",
    )
    assert api.post("/payroll/revisions/record", body).json() == {"created": [], "skipped": [case["a"].pk]}
    bad = api.post("/payroll/revisions/record", {**body, "employee_ids": [case["c"].pk]})
    assert bad.status_code == 422 and "employees" in field_errors(bad)
    plain = ApiClient(client, employee_member)
    assert plain.get("/payroll/revisions/annual", {"year": 2026}).status_code == 403
    assert plain.post("/payroll/revisions/record", body).status_code == 403
    assert StandardRemuneration.objects.filter(effective_from=date(2026, 9, 1)).count() == 1


def test_the_lists_cost_the_same_queries_for_more_people(org, case):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as annual:
            selectors.annual_list(company=org.company, membership=org.hr, year=2026)
        with CaptureQueriesContext(connection) as interim:
            selectors.interim_list(company=org.company, membership=org.hr, as_of=date(2026, 7, 31))
        return len(annual), len(interim)

    few = count()
    runs = runs_for(org, [date(2026, m, 25) for m in (3, 4, 5, 6, 7)], group_code="more")
    for n in range(10):
        e = person(org, org.sales, f"20{n:02d}")
        make_profile(e, org.hr.user, make_group(org.company))
        grade(org, e, date(2025, 9, 1), 22, 300_000, 19)
        for m in (3, 4, 5, 6, 7):
            slip(
                runs[date(2026, m, 25)],
                e,
                wage=300_000 if m < 5 else 345_000,
                fixed=FIXED if m < 5 else RAISED,
            )
    assert count() == few
