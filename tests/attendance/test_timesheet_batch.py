"""The month for everyone read a few hundred people at a time gives exactly what each employee's
出勤簿 gives on its own — on the demo company, which has shifts, leave, フレックス, a 管理監督者,
part-timers and 残業申請 — in a handful of queries instead of five per person."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ennoshita.attendance import timesheet_selectors
from ennoshita.attendance.demo import summer_days
from ennoshita.people.management.commands.demo import build_demo
from ennoshita.people.models import Employee


@pytest.mark.parametrize("size", [3, 300])
def test_batched_months_equal_the_one_by_one_months(db, monkeypatch, size):
    monkeypatch.setattr(timesheet_selectors, "BATCH_SIZE", size)
    company = build_demo(employees=12)
    employees = list(Employee.objects.for_company(company).order_by("number"))
    last_month = (date.today().replace(day=1) - date.resolution).replace(day=1)
    summer = summer_days(date.today())[0].replace(day=1)  # the 計画的付与 days: leave in the month
    for month in (last_month, summer):
        batched = list(timesheet_selectors.timesheets_of(company=company, employees=employees, month=month))
        assert [s.employee.pk for s in batched] == [e.pk for e in employees]
        for sheet, employee in zip(batched, employees, strict=True):
            alone = timesheet_selectors.build_timesheet(company=company, employee=employee, month=month)
            assert sheet.totals == alone.totals, employee.number
            assert sheet.days == alone.days, employee.number
        assert sum(s.totals.worked for s in batched) > 0
        if month == summer:
            assert any(s.totals.leave_paid_days for s in batched)


def test_a_batch_reads_in_a_few_queries(db):
    company = build_demo(employees=12)
    employees = list(Employee.objects.for_company(company))
    month = (date.today().replace(day=1) - date.resolution).replace(day=1)
    with CaptureQueriesContext(connection) as one_by_one:
        for e in employees:
            timesheet_selectors.build_timesheet(company=company, employee=e, month=month)
    with CaptureQueriesContext(connection) as batched:
        list(timesheet_selectors.timesheets_of(company=company, employees=employees, month=month))
    assert len(batched) <= 8 < len(one_by_one)
