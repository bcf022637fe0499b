"""The stored monthly figures behind the 36協定 dashboard: what a read computes is stored, the
next read takes it, and every write to an employee's days (punches, imports, rules, 勤怠設定, the
employment type) makes the affected months computed again — never a stale figure shown."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from ennoshita.attendance import agreement_selectors, services
from ennoshita.attendance.models import MonthFigures
from ennoshita.attendance.services import agreements as agreement_services
from ennoshita.attendance.services.figures import SETTLE, read_and_keep
from ennoshita.core.errors import ServiceError
from ennoshita.people.models import EmploymentType

from ..conftest import login
from .test_timesheet import at, press
from .test_work_systems import rule as rule_input

pytestmark = pytest.mark.django_db

DEC = date(2026, 12, 1)
AS_OF = date(2026, 12, 20)


@pytest.fixture
def jiro(company, hr, employee_member):
    """E001 under a company-wide agreement from December; 12-01 9:00–20:30 without a break (3.5 h
    時間外) imported."""
    agreement_services.create_agreement(
        company=company,
        actor=hr.user,
        membership=hr,
        data=agreement_services.AgreementInput(name="2026年度", start_date=DEC, end_date=date(2027, 11, 30)),
    )
    csv = "社員番号,勤務日,種類,時刻,メモ\nE001,2026-12-01,出勤,9:00,\nE001,2026-12-01,退勤,20:30,\n"
    services.import_punches(company=company, actor=hr.user, membership=hr, data=csv.encode())
    settle()
    return employee_member.user.employee_records.get()


def settle():
    """Time passes: the marks written so far are older than SETTLE."""
    MonthFigures.objects.update(changed_at=F("changed_at") - SETTLE - timedelta(seconds=1))


def status(company, employee, as_of=AS_OF):
    hours = agreement_selectors.MonthHours(company)
    found = agreement_selectors.my_overtime_status(
        company=company, employee_id=employee.pk, as_of=as_of, hours=hours
    )
    return found, hours


def kept(company, employee, as_of=AS_OF):
    return read_and_keep(
        company=company,
        read=lambda hours: agreement_selectors.my_overtime_status(
            company=company, employee_id=employee.pk, as_of=as_of, hours=hours
        ),
    )


def stored(employee, month=DEC):
    return MonthFigures.objects.get(employee=employee, month=month)


def test_a_read_stores_what_it_computed_and_the_next_read_takes_it(company, jiro):
    first = kept(company, jiro)
    assert first.overtime == Decimal("3.5")
    row = stored(jiro)
    assert (row.fresh, row.overtime_minutes, row.holiday_minutes) == (True, 210, 0)
    assert row.employment_type_key == jiro.employment_type_id
    again, hours = status(company, jiro)
    assert again.overtime == Decimal("3.5") and hours.computed == {}  # nothing computed


def test_the_stored_figure_is_what_is_shown_while_fresh(company, jiro):
    kept(company, jiro)
    MonthFigures.objects.filter(employee=jiro, month=DEC).update(overtime_minutes=600)
    assert status(company, jiro)[0].overtime == Decimal(10)  # proves the read uses the store


def test_a_punch_out_marks_the_month_and_the_next_read_counts_it(company, jiro, employee_member):
    kept(company, jiro)
    press(employee_member, "in", at(date(2026, 12, 2), time(9)))
    assert stored(jiro).fresh  # a 出勤 ends no worked interval: nothing moves
    press(employee_member, "out", at(date(2026, 12, 2), time(20)))  # 11 h: 3 h 時間外
    assert not stored(jiro).fresh
    found, hours = status(company, jiro)
    assert found.overtime == Decimal("6.5") and (jiro.pk, DEC) in hours.computed


def test_a_change_just_before_a_read_is_not_stored_over(company, jiro, employee_member):
    """A write still in flight when the read began may not have been visible to it: a month
    marked within SETTLE of the read's start stays stale (computed again next time)."""
    kept(company, jiro)
    press(employee_member, "in", at(date(2026, 12, 3), time(9)))
    press(employee_member, "out", at(date(2026, 12, 3), time(19)))  # 10 h: 2 h 時間外
    assert kept(company, jiro).overtime == Decimal("5.5")
    assert not stored(jiro).fresh
    settle()
    assert kept(company, jiro).overtime == Decimal("5.5")
    row = stored(jiro)
    assert row.fresh and row.overtime_minutes == 330


def test_neighbouring_months_are_marked_too(company, jiro, employee_member):
    """A day's punches can move the month before (its last week) and after (the week or 変形期間
    running into it)."""
    kept(company, jiro)
    press(employee_member, "in", at(date(2026, 12, 30), time(9)))
    press(employee_member, "out", at(date(2026, 12, 30), time(18)))
    months = dict(MonthFigures.objects.filter(employee=jiro).values_list("month", "fresh"))
    assert months[date(2026, 11, 1)] is False and months[DEC] is False
    assert months[date(2027, 1, 1)] is False


def test_a_rule_change_marks_everyone(company, hr, jiro):
    kept(company, jiro)
    services.update_work_rule(
        company=company, actor=hr.user, membership=hr, data=rule_input(end_time=time(17))
    )
    assert not MonthFigures.objects.filter(fresh=True).exists()


def test_a_supervisor_has_no_overtime_once_marked(company, hr, jiro):
    kept(company, jiro)
    services.update_attendance_profile(
        company=company,
        actor=hr.user,
        membership=hr,
        employee=jiro,
        data=services.ProfileInput(is_supervisor=True),
    )
    assert not stored(jiro).fresh
    assert kept(company, jiro).overtime == 0  # 労基法41条2号


def test_another_employment_type_is_computed_again(company, hr, jiro):
    """A change of employment type (in 人事) may change the work rule: a row stored under another
    type is not used."""
    kept(company, jiro)
    MonthFigures.objects.filter(employee=jiro, month=DEC).update(overtime_minutes=600)
    other = EmploymentType.objects.for_company(company).exclude(pk=jiro.employment_type_id).first()
    jiro.employment_type = other
    jiro.save(update_fields=["employment_type"])
    found, hours = status(company, jiro)
    assert found.overtime == Decimal("3.5") and (jiro.pk, DEC) in hours.computed


def test_a_refused_write_leaves_the_figures_fresh(company, hr, jiro):
    """The mark is written in the write's transaction: an import refused as a whole marks nothing."""
    kept(company, jiro)
    bad = "社員番号,勤務日,種類,時刻,メモ\nE001,2026-12-04,出勤,9:00,\n"  # no 退勤
    with pytest.raises(ServiceError):
        services.import_punches(company=company, actor=hr.user, membership=hr, data=bad.encode())
    assert stored(jiro).fresh


def test_the_dashboard_and_the_daily_check_store_the_figures(client, company, hr, jiro):
    login(client, hr)
    response = client.get(reverse("attendance:overtime_dashboard"), {"month": "2026-12", "level": "all"})
    assert response.status_code == 200
    assert stored(jiro).fresh
    MonthFigures.objects.all().delete()
    agreement_services.check_overtime_limits(company=company, as_of=AS_OF)
    assert stored(jiro).overtime_minutes == 210


def test_many_missing_months_skip_those_without_punches(company, jiro, monkeypatch):
    """With many months to compute, a month without a punch on its days is 0 without building its
    出勤簿 (minutes belong to the day worked); the others are built with the rules read once."""
    from ennoshita.attendance import timesheet_selectors

    monkeypatch.setattr(agreement_selectors, "MANY_MISSING", 0)
    built = []
    real = timesheet_selectors.build_timesheet

    def counting(**kw):
        built.append(kw["month"])
        return real(**kw)

    monkeypatch.setattr(timesheet_selectors, "build_timesheet", counting)
    hours = agreement_selectors.MonthHours(company)
    found, _uncovered = agreement_selectors.statuses_in_service(company=company, as_of=AS_OF, hours=hours)
    (mine,) = [s for s in found if s.employee_id == jiro.pk]
    assert mine.overtime == Decimal("3.5")
    assert built == [DEC]  # only December has punches
    assert hours.computed[(jiro.pk, date(2026, 11, 1))][:2] == (0, 0)


def test_who_punched_reads_one_row_per_employee_not_per_punch(company, jiro):
    """The 36協定 dashboard asks, month by month, who punched at all; with Punch's default ordering
    in the DISTINCT that query returned every punch (a million rows at the benchmark's size)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ennoshita.attendance import selectors

    with CaptureQueriesContext(connection) as seen:
        found = selectors.employees_with_punches(company=company, start=DEC, end=date(2026, 12, 31))
    assert found == {jiro.pk}
    with connection.cursor() as cursor:
        cursor.execute(seen.captured_queries[-1]["sql"])
        rows = cursor.fetchall()
    assert len(rows) == 1  # two punches, one employee
