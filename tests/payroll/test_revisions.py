"""定時決定・随時改定 lists (payroll.selectors.revisions) read from confirmed salary payslips, and the
screen through a test-local urlconf (the lead includes urls_revisions in payroll/urls.py)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import include, path
from django.utils import timezone

from ennoshita.core.errors import PermissionDeniedError
from ennoshita.payroll import views_revisions
from ennoshita.payroll.models import PayrollRun, Payslip, StandardRemuneration
from ennoshita.payroll.selectors import revisions as selectors
from ennoshita.people.models import EmploymentType

from ..conftest import login
from .confirm_builders import add_slip, make_org, make_run, person

pytestmark = pytest.mark.django_db

# The whole site plus this screen, for the page test only.
urlpatterns = [
    path("revisions-under-test/", views_revisions.revision_list),
    path("", include("ennoshita.urls")),
]

FIXED = {"pay_type": "monthly", "base_pay": 300_000, "commute": 10_000, "items": {"role": 20_000}}


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


def add_month(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 25)


def runs_for(
    org, days: list[date], *, kind: str = "salary", group_code: str = "monthly"
) -> dict[date, PayrollRun]:
    """Confirmed runs paid on ``days``; the attendance month is the month before."""
    out = {}
    for day in days:
        run = make_run(org, pay_date=day, kind=kind, group_code=group_code)
        run.attendance_month = add_month(day, -1).replace(day=1)
        run.status = "confirmed"
        run.save()
        out[day] = run
    return out


def slip(run, employee, *, wage: int, pay_type: str = "monthly", fixed=None, **inputs) -> Payslip:
    s = add_slip(run, employee)
    s.pay_type = pay_type
    s.social_insurance_wage = wage
    s.inputs = {"fixed_pay": fixed or FIXED, **inputs}
    s.save()
    return s


def grade(org, employee, month: date, health_grade: int, health_standard: int, pension_grade: int) -> None:
    StandardRemuneration.objects.create(
        company=org.company,
        employee=employee,
        effective_from=month,
        monthly_remuneration=health_standard,
        health_grade=health_grade,
        health_standard=health_standard,
        pension_grade=pension_grade,
        pension_standard=health_standard,
        reason="manual",
    )


def test_annual_list_averages_april_to_june_and_leaves_out_short_months(org):
    runs = runs_for(org, [date(2026, 3, 25), date(2026, 4, 25), date(2026, 5, 25), date(2026, 6, 25)])
    a = person(org, org.sales, "1001", given_name="一郎")
    b = person(org, org.sales, "1002", given_name="二郎")
    grade(org, a, date(2025, 9, 1), 22, 300_000, 19)
    # a (月給): April pays March's attendance (31 days), May April's (30), June May's (31 − 15 欠勤 = 16).
    # Counted: April and May: (330,000 + 341,001) ÷ 2 = 335,500.5 → 335,500 → 健保24級 340,000, 厚年21級.
    slip(runs[date(2026, 3, 25)], a, wage=999_999)
    slip(runs[date(2026, 4, 25)], a, wage=330_000)
    slip(runs[date(2026, 5, 25)], a, wage=341_001, absence_days="0")
    slip(runs[date(2026, 6, 25)], a, wage=200_000, absence_days="15")
    # b (時給): 18, 16 and 10 days worked: only April counts → 150,000 → 健保12級 150,000.
    for day, wage, worked in ((date(2026, 4, 25), 150_000, 18), (date(2026, 5, 25), 140_000, 16)):
        slip(runs[day], b, wage=wage, pay_type="hourly", days_worked=worked)
    slip(runs[date(2026, 6, 25)], b, wage=90_000, pay_type="hourly", days_worked=10)
    # A draft run's payslip and a bonus are not read.
    draft = make_run(org, pay_date=date(2026, 5, 10), group_code="other")
    slip(draft, b, wage=9_999_999, pay_type="hourly", days_worked=25)
    bonus = runs_for(org, [date(2026, 6, 30)], kind="bonus", group_code="bonus")[date(2026, 6, 30)]
    slip(bonus, b, wage=9_999_999, pay_type="hourly", days_worked=25)

    rows = selectors.annual_list(company=org.company, membership=org.hr, year=2026)
    by = {r.employee_number: r for r in rows}
    ra = by["1001"]
    assert [(c.month, c.base_days, c.counted) for c in ra.months] == [
        (date(2026, 4, 1), 31, True),
        (date(2026, 5, 1), 30, True),
        (date(2026, 6, 1), 16, False),
    ]
    assert (ra.total, ra.average, ra.new.health_grade, ra.new.health_standard, ra.new.pension_grade) == (
        671_001,
        335_500,
        24,
        340_000,
        21,
    )
    assert ra.current is not None and ra.current.health_grade == 22 and ra.grade_changes
    assert ra.applies_from == date(2026, 9, 1) and not ra.recorded
    rb = by["1002"]
    assert [c.counted for c in rb.months] == [True, False, False]
    assert (rb.average, rb.new.health_grade, rb.current) == (150_000, 12, None)


def test_annual_part_timer_counts_15_days(org):
    runs = runs_for(org, [date(2026, 4, 25), date(2026, 5, 25), date(2026, 6, 25)])
    part = EmploymentType.objects.for_company(org.company).get(code="part_time")
    p = person(org, org.sales, "2001", employment_type=part)
    # 16, 15, 12 days: none reaches 17; April and May (≥ 15) count: (100,000 + 110,000) ÷ 2 = 105,000 → 6級.
    for (day, run), (wage, worked) in zip(
        runs.items(), ((100_000, 16), (110_000, 15), (120_000, 12)), strict=True
    ):
        slip(run, p, wage=wage, pay_type="hourly", days_worked=worked)
    (row,) = selectors.annual_list(company=org.company, membership=org.hr, year=2026)
    assert row.part_time and [c.counted for c in row.months] == [True, True, False]
    assert (row.average, row.new.health_grade) == (105_000, 6)


def test_interim_list_finds_a_two_grade_rise_from_the_fourth_month(org):
    days = [date(2026, m, 25) for m in (6, 7, 8, 9, 10)]
    runs = runs_for(org, days)
    a = person(org, org.sales, "1001", given_name="一郎")  # raised: revision
    b = person(org, org.sales, "1002", given_name="二郎")  # raised a little: 1 grade only
    grade(org, a, date(2025, 9, 1), 22, 300_000, 19)
    grade(org, b, date(2025, 9, 1), 23, 320_000, 20)
    raised = {**FIXED, "base_pay": 330_000}  # fixed pay 330,000 → 360,000 from the August pay
    for day in days:
        new = day.month >= 8
        slip(runs[day], a, wage=345_000 if new else 300_000, fixed=raised if new else FIXED)
        slip(runs[day], b, wage=335_000 if new else 315_000, fixed=raised if new else FIXED)
    # a: Aug–Oct 345,000 × 3 ÷ 3 = 345,000 → 健保24級 (330,000–350,000); current 22級 → +2, from November.
    # b: 335,000 → 24級; current 23級 → +1: none.
    rows = selectors.interim_list(company=org.company, membership=org.hr, as_of=date(2026, 10, 31))
    assert [r.employee_number for r in rows] == ["1001"]
    (r,) = rows
    assert r.changed_month == date(2026, 8, 1) and [c.month.month for c in r.months] == [8, 9, 10]
    assert [c.base_days for c in r.months] == [31, 31, 30]  # July, August, September attendance
    assert (r.total, r.average, r.current.health_grade, r.new.health_grade) == (1_035_000, 345_000, 22, 24)
    assert r.applies_from == date(2026, 11, 1) and not r.recorded
    # Before the third month is paid there is nothing yet.
    assert selectors.interim_list(company=org.company, membership=org.hr, as_of=date(2026, 9, 30)) == []
    # Once the new grade is recorded the row says so.
    grade(org, a, date(2026, 11, 1), 24, 340_000, 21)
    (r,) = selectors.interim_list(company=org.company, membership=org.hr, as_of=date(2026, 11, 30))
    assert r.recorded


def test_interim_list_needs_17_days_and_the_same_direction(org):
    days = [date(2026, m, 25) for m in (6, 7, 8, 9)]
    runs = runs_for(org, days)
    a = person(org, org.sales, "1001")  # May attendance short: August pay 31 − 15 = 16 days
    b = person(org, org.sales, "1002")  # fixed pay cut, pay up by overtime
    for e in (a, b):
        grade(org, e, date(2025, 9, 1), 22, 300_000, 19)
    cut = {**FIXED, "commute": 0}
    for day in days:
        new = day.month >= 7
        slip(
            runs[day],
            a,
            wage=345_000 if new else 300_000,
            fixed={**FIXED, "base_pay": 340_000} if new else FIXED,
            absence_days="15" if day.month == 8 else "0",
        )
        slip(runs[day], b, wage=345_000 if new else 300_000, fixed=cut if new else FIXED)
    assert selectors.interim_list(company=org.company, membership=org.hr, as_of=date(2026, 9, 30)) == []


def test_lists_are_for_hr_and_accounting(org, company, employee_member):
    with pytest.raises(PermissionDeniedError):
        selectors.annual_list(company=company, membership=employee_member, year=2026)
    with pytest.raises(PermissionDeniedError):
        selectors.interim_list(company=company, membership=employee_member, as_of=date(2026, 9, 30))
    assert selectors.annual_list(company=company, membership=org.accountant, year=2026) == []


def test_fixed_pay_key_is_stable_and_sums_the_fixed_pay():
    one = selectors.fixed_pay_of(
        {"fixed_pay": {"base_pay": 300_000, "commute": 10_000, "items": {"a": 1, "b": "2"}}}
    )
    two = selectors.fixed_pay_of(
        {"fixed_pay": {"items": {"b": "2", "a": 1}, "commute": 10_000, "base_pay": 300_000}}
    )
    assert one == two and one[1] == 310_003


@pytest.mark.urls(__name__)
def test_the_page_shows_both_lists_and_downloads_csv(client, org, employee_member):
    today = timezone.localdate()
    runs = runs_for(org, [date(2026, m, 25) for m in (4, 5, 6)])
    a = person(org, org.sales, "1001", given_name="一郎")
    grade(org, a, date(2025, 9, 1), 22, 300_000, 19)
    for run in runs.values():
        slip(run, a, wage=335_000)
    # 随時改定 as of today: fixed pay up three months ago, those three months paid (another pay group).
    b = person(org, org.sales, "1002", given_name="二郎")
    grade(org, b, date(2020, 4, 1), 22, 300_000, 19)
    recent = runs_for(org, [add_month(today, n) for n in (-4, -3, -2, -1)], group_code="recent")
    raised = {**FIXED, "base_pay": 340_000}
    for i, run in enumerate(recent.values()):
        slip(run, b, wage=300_000 if i == 0 else 345_000, fixed=FIXED if i == 0 else raised)

    login(client, org.hr)
    page = client.get("/revisions-under-test/?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="annual-list"' in text and 'data-employee="1001"' in text and "335,000" in text
    assert 'id="interim-list"' in text and 'data-employee="1002"' in text and "345,000" in text

    download = client.get("/revisions-under-test/?year=2026&format=csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["種類", "社員番号", "氏名"]
    assert [row[:2] for row in table[1:]] == [["定時決定", "1001"], ["随時改定", "1002"]]

    login(client, employee_member)
    assert client.get("/revisions-under-test/").status_code == 403
