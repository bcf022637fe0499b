"""The demo company's year of punches: real figures in the 出勤簿, the demo 所属長 near the 36協定
limit, part-timers on short days; imported with one audit event per employee; idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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


def test_the_demo_has_leave_grants_a_summer_plan_and_requests(db):
    from ennoshita.attendance import paid_leave_selectors
    from ennoshita.attendance.demo import build_demo_leave, summer_days
    from ennoshita.attendance.models import LeaveGrant, LeaveRequest, OvertimeAgreement

    company = build_demo(employees=5)
    employee = Employee.objects.for_company(company).get(user__username="employee")
    requests = LeaveRequest.objects.for_company(company)
    planned = requests.filter(planned=True)
    assert {r.start_date for r in planned} == set(summer_days(date.today()))
    assert not Punch.objects.filter(
        company=company,
        work_date__in=summer_days(date.today()),
        employee_id__in=planned.values("employee_id"),
    ).exists()
    own = requests.filter(employee=employee, planned=False).order_by("start_date")
    assert [r.state for r in own] == ["approved", "pending"] and own[1].unit == "am"
    grants = LeaveGrant.objects.for_company(company).filter(employee=employee)
    assert grants.filter(source="migrated", expires_on__lt=date.today()).count() == 1  # expired
    assert grants.filter(source="automatic", days__gte=10).exists()
    balance = paid_leave_selectors.leave_balance(company=company, employee_id=employee.pk, as_of=date.today())
    assert balance.remaining_days > 0 and balance.pending_days == Decimal("0.5")
    assert OvertimeAgreement.objects.for_company(company).count() == 1
    count = requests.count()
    build_demo_leave(company)  # a second run adds nothing
    assert requests.count() == count
    assert verify_company_chain(company.pk) is None


def test_the_demo_has_a_flex_rule_a_supervisor_part_timers_and_next_months_shifts(db):
    from ennoshita.attendance.models import AttendanceProfile, Shift, WorkRule

    company = build_demo(employees=20)  # the generated staff include 契約社員 and part-timers
    flex = WorkRule.objects.for_company(company).get(employment_type__code="contract")
    assert flex.system == "flex" and flex.core_start is not None
    profiles = AttendanceProfile.objects.for_company(company)
    assert profiles.get(employee__user__username="admin").is_supervisor
    part_timers = profiles.filter(employee__employment_type__code__in=("part_time", "arbeit"))
    assert part_timers.exists() and all(p.weekly_days == 3 for p in part_timers)
    next_month = (date.today().replace(day=1) + date.resolution * 32).replace(day=1)
    shifts = Shift.objects.for_company(company).filter(date__gte=next_month)
    assert shifts.exists() and shifts.filter(published_at__isnull=False).count() == shifts.count()
    assert not Shift.objects.for_company(company).filter(date__lt=next_month).exists()
    if part_timers.exists():  # 比例付与: a 3-day week gets the smaller table
        from ennoshita.attendance.models import LeaveGrant

        grants = LeaveGrant.objects.for_company(company).filter(
            employee_id__in=part_timers.values("employee_id")
        )
        assert grants.exists() and all(g.days <= 11 for g in grants)
