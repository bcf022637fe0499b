"""The demo company's year of punches: real figures in the 出勤簿, the demo 所属長 near the 36協定
limit, part-timers on short days; imported with one audit event per employee; idempotent."""

from __future__ import annotations

from datetime import date

from ennoshita.attendance import timesheet_selectors
from ennoshita.attendance.demo import build_demo_attendance
from ennoshita.attendance.models import Punch
from ennoshita.core.audit import verify_company_chain
from ennoshita.core.models import AuditEvent
from ennoshita.people.management.commands.demo import build_demo
from ennoshita.people.models import Employee


def test_the_demo_has_a_year_of_punches(db):
    company = build_demo(employees=5)
    punches = Punch.objects.filter(company=company)
    assert punches.count() > 2000
    employees = Employee.objects.for_company(company)
    manager = employees.get(user__username="manager")
    last_month = (date.today().replace(day=1) - date.resolution).replace(day=1)
    near = timesheet_selectors.monthly_totals(company=company, employee_id=manager.pk, month=last_month)
    assert 60 * 60 <= near.overtime <= 100 * 60 and near.open_days == 0  # close to the 36協定 limits
    employee = employees.get(user__username="employee")
    usual = timesheet_selectors.monthly_totals(company=company, employee_id=employee.pk, month=last_month)
    assert usual.overtime < near.overtime and usual.days_worked >= 15 and usual.absences == 0
    imports = AuditEvent.objects.filter(company=company, action="import", object_type="people.employee")
    assert imports.count() == punches.values("employee").distinct().count()
    count = punches.count()
    build_demo_attendance(company)  # a second run adds nothing
    assert Punch.objects.filter(company=company).count() == count
    assert verify_company_chain(company.pk) is None
