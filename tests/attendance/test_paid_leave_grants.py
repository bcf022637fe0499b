"""grant_paid_leave (automatic grants with the 8割 test and 比例付与), manual grants and corrections,
the policy, the 年5日 duties and warnings, the 管理簿, and the daily job."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from ennoshita.attendance.models import (
    AttendanceProfile,
    GrantSource,
    LeaveGrant,
    LeavePolicy,
    LeaveRequest,
    LeaveTaking,
    Punch,
)
from ennoshita.attendance.paid_leave_selectors import five_day_duties, leave_balance, leave_ledger
from ennoshita.attendance.rules.workday import TOKYO
from ennoshita.attendance.services.leave_grants import (
    LeavePart,
    PolicyInput,
    add_grant,
    adjust_grant,
    confirm_leave,
    ensure_annual_type,
    grant_paid_leave,
    hold_leave,
    send_five_day_warnings,
    update_policy,
)
from ennoshita.core.audit import AuditEvent
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.people.models import Employee
from tests.conftest import make_employee, make_member


def workdays(start: date, end: date):
    day = start
    while day <= end:
        if day.weekday() < 5:
            from ennoshita.core.dates import is_holiday

            if not is_holiday(day):
                yield day
        day += timedelta(days=1)


def punch_days(company, employee, days) -> None:
    Punch.objects.bulk_create(
        Punch(
            company=company,
            employee=employee,
            work_date=d,
            kind="in",
            at=datetime.combine(d, time(9), TOKYO),
            source="import",
        )
        for d in days
    )


@pytest.fixture
def hired(company, hr, department):
    member = make_member(company, "new1", ["employee"])
    return make_employee(
        company,
        hr,
        department,
        number="N001",
        hire_date=date(2024, 4, 1),
        user=member.user,
        email="n@example.com",
    )


def test_full_timer_gets_ten_days_at_six_months_then_eleven(company, hired):
    punch_days(company, hired, workdays(date(2024, 4, 1), date(2025, 9, 30)))
    result = grant_paid_leave(company=company, as_of=date(2024, 9, 30))
    assert result.granted == 0
    result = grant_paid_leave(company=company, as_of=date(2024, 10, 1))
    assert (result.granted, result.not_qualified) == (1, 0)
    first = LeaveGrant.objects.get()
    assert (first.granted_on, first.days, first.expires_on, first.service_months, first.attendance_rate) == (
        date(2024, 10, 1),
        10,
        date(2026, 9, 30),
        6,
        Decimal(1),
    )
    assert first.source == GrantSource.AUTOMATIC
    assert AuditEvent.objects.filter(action="attendance.leave_granted", object_id=str(first.pk)).exists()
    # idempotent
    assert grant_paid_leave(company=company, as_of=date(2024, 10, 1)).granted == 0
    grant_paid_leave(company=company, as_of=date(2025, 10, 1))
    assert list(LeaveGrant.objects.values_list("granted_on", "days")) == [
        (date(2024, 10, 1), 10),
        (date(2025, 10, 1), 11),
    ]


def test_under_eighty_percent_is_recorded_with_no_days(company, hired):
    days = list(workdays(date(2024, 4, 1), date(2024, 9, 30)))
    needed = -(-len(days) * 4 // 5)  # the least number of days that is 80 %
    punch_days(company, hired, days[: needed - 1])
    grant_paid_leave(company=company, as_of=date(2024, 10, 1))
    g = LeaveGrant.objects.get()
    assert g.attendance_rate is not None
    assert g.days == 0 and g.attendance_rate < Decimal("0.8")
    assert "8割未満" in g.note
    # with one more day it is exactly at or above 80 %
    g.delete()
    punch_days(company, hired, [days[needed - 1]])
    grant_paid_leave(company=company, as_of=date(2024, 10, 1))
    assert LeaveGrant.objects.get().days == 10


def test_annual_leave_counts_as_attended(company, hired):
    days = list(workdays(date(2024, 4, 1), date(2025, 9, 30)))
    punch_days(company, hired, [d for d in days if d < date(2024, 10, 1)])
    grant_paid_leave(company=company, as_of=date(2024, 10, 1))
    # in the second year: punches on only 70 % of the days, 10 days of 年休 on the others
    second = [d for d in days if d >= date(2024, 10, 1)]
    worked = second[: int(len(second) * 0.7)]
    punch_days(company, hired, worked)
    leave_days = second[len(worked) : len(worked) + 10]
    leave = LeaveRequest.objects.create(
        company=company,
        employee=hired,
        leave_type=ensure_annual_type(company=company),
        start_date=leave_days[0],
        end_date=leave_days[-1],
        requested_by=hired.user,
    )
    hold_leave(company=company, request=leave, parts=[LeavePart(d, Decimal(1), 0) for d in leave_days])
    confirm_leave(company=company, request=leave)
    grant_paid_leave(company=company, as_of=date(2025, 10, 1))
    second_grant = LeaveGrant.objects.get(granted_on=date(2025, 10, 1))
    attended = len(worked) + 10
    assert second_grant.attendance_rate == (Decimal(attended) / len(second)).quantize(
        Decimal("0.0001"), rounding="ROUND_DOWN"
    )
    assert second_grant.days == (11 if attended * 5 >= len(second) * 4 else 0)


def test_part_timer_three_days_a_week(company, hired):
    AttendanceProfile.objects.create(company=company, employee=hired, weekly_days=3, weekly_minutes=3 * 360)
    grant_paid_leave(company=company, as_of=date(2024, 10, 1))
    # the company has no punch at all yet: no record of an absence, the days count as attended
    assert LeaveGrant.objects.get().days == 5
    LeaveGrant.objects.all().delete()
    LeavePolicy.objects.create(company=company, records_from=date(2024, 4, 1))
    punch_days(company, hired, workdays(date(2024, 4, 1), date(2031, 9, 30)))
    for year in range(2024, 2031):
        grant_paid_leave(company=company, as_of=date(year, 10, 1))
    assert list(LeaveGrant.objects.order_by("granted_on").values_list("days", flat=True)) == [
        5,
        6,
        6,
        8,
        9,
        10,
        11,
    ]


def test_reference_date_policy_and_records_from(company, hired, hr):
    update_policy(
        company=company,
        actor=hr.user,
        membership=hr,
        data=PolicyInput(True, 4, 1, 6, 0, 3, records_from=date(2024, 9, 1)),
    )
    # no punches before 2024-09-01: deemed attended; punches from then on
    punch_days(company, hired, workdays(date(2024, 9, 1), date(2025, 3, 31)))
    grant_paid_leave(company=company, as_of=date(2025, 4, 1))
    assert list(
        LeaveGrant.objects.order_by("granted_on").values_list("granted_on", "days", "service_months")
    ) == [
        (date(2024, 10, 1), 10, 6),
        (date(2025, 4, 1), 11, 18),
    ]


def test_grants_older_than_two_years_or_before_records_are_not_made(company, hr, department):
    old = make_employee(company, hr, department, number="OLD", hire_date=date(2015, 4, 1))
    LeavePolicy.objects.create(company=company, records_from=date(2025, 4, 1))
    punch_days(company, old, workdays(date(2025, 4, 1), date(2025, 10, 1)))
    grant_paid_leave(company=company, as_of=date(2025, 10, 1))
    assert list(LeaveGrant.objects.values_list("granted_on", "days")) == [(date(2025, 10, 1), 20)]


def test_days_before_the_first_punch_count_as_attended(company, hr, department):
    old = make_employee(company, hr, department, number="OLD", hire_date=date(2015, 4, 1))
    punch_days(company, old, workdays(date(2025, 9, 1), date(2025, 9, 30)))
    grant_paid_leave(company=company, as_of=date(2025, 10, 1))
    # 2024-10-01 (step 114 months) and 2025-10-01 are still usable; the years before the first punch count
    assert list(
        LeaveGrant.objects.order_by("granted_on").values_list("granted_on", "days", "attendance_rate")
    ) == [
        (date(2024, 10, 1), 20, 1),
        (date(2025, 10, 1), 20, 1),
    ]


def test_retired_employees_get_nothing(company, hr, department):
    make_employee(
        company, hr, department, number="R1", hire_date=date(2024, 4, 1), retire_date=date(2024, 9, 30)
    )
    grant_paid_leave(company=company, as_of=date(2024, 10, 1))
    assert not LeaveGrant.objects.exists()


def test_only_hr_runs_grants_by_hand(company, employee_member):
    with pytest.raises(PermissionDeniedError):
        grant_paid_leave(company=company, as_of=date(2024, 10, 1), membership=employee_member)


def test_manual_grant_and_adjustment(company, hr, hired, employee_member, other_company, outsider):
    g = add_grant(
        company=company,
        actor=hr.user,
        membership=hr,
        employee_id=hired.pk,
        granted_on=date(2025, 10, 1),
        days=Decimal("12.5"),
        note="移行時の残日数",
        migrated=True,
    )
    assert (g.source, g.expires_on, g.days) == (GrantSource.MIGRATED, date(2027, 9, 30), Decimal("12.5"))
    with pytest.raises(ServiceError) as refused:
        add_grant(
            company=company,
            actor=hr.user,
            membership=hr,
            employee_id=hired.pk,
            granted_on=date(2025, 10, 1),
            days=Decimal(1),
            note="x",
        )
    assert "granted_on" in refused.value.field_errors
    with pytest.raises(ServiceError) as refused:
        add_grant(
            company=company,
            actor=hr.user,
            membership=hr,
            employee_id=hired.pk,
            granted_on=date(2025, 11, 1),
            days=Decimal(1),
            note="",
        )
    assert "note" in refused.value.field_errors
    with pytest.raises(PermissionDeniedError):
        add_grant(
            company=company,
            actor=employee_member.user,
            membership=employee_member,
            employee_id=hired.pk,
            granted_on=date(2025, 11, 1),
            days=Decimal(1),
            note="x",
        )
    with pytest.raises(NotFound):
        add_grant(
            company=other_company,
            actor=outsider.user,
            membership=outsider,
            employee_id=hired.pk,
            granted_on=date(2025, 11, 1),
            days=Decimal(1),
            note="x",
        )
    assert LeaveGrant.objects.count() == 1
    leave = LeaveRequest.objects.create(
        company=company,
        employee=hired,
        leave_type=g.leave_type,
        start_date=date(2025, 12, 1),
        end_date=date(2025, 12, 2),
        requested_by=hired.user,
    )
    hold_leave(
        company=company,
        request=leave,
        parts=[LeavePart(date(2025, 12, 1), Decimal(1), 0), LeavePart(date(2025, 12, 2), Decimal(1), 0)],
    )
    with pytest.raises(ServiceError) as refused:
        adjust_grant(
            company=company, actor=hr.user, membership=hr, grant_id=g.pk, days=Decimal("1.5"), note="訂正"
        )
    assert "2日" in refused.value.message
    adjust_grant(company=company, actor=hr.user, membership=hr, grant_id=g.pk, days=Decimal(2), note="訂正")
    g.refresh_from_db()
    assert (g.days, g.note) == (2, "訂正")
    assert AuditEvent.objects.filter(action="attendance.leave_grant_adjusted").count() == 1
    with pytest.raises(NotFound):
        adjust_grant(
            company=other_company,
            actor=outsider.user,
            membership=outsider,
            grant_id=g.pk,
            days=Decimal(5),
            note="x",
        )


def test_policy_refusals(company, hr, employee_member):
    with pytest.raises(ServiceError) as refused:
        update_policy(company=company, actor=hr.user, membership=hr, data=PolicyInput(True, 2, 30, 7, 6, 0))
    assert set(refused.value.field_errors) == {
        "reference_day",
        "first_grant_months",
        "hourly_days_per_year",
        "warn_five_days_before_months",
    }
    with pytest.raises(PermissionDeniedError):
        update_policy(
            company=company,
            actor=employee_member.user,
            membership=employee_member,
            data=PolicyInput(False, 4, 1, 6, 5, 3),
        )
    assert not LeavePolicy.objects.exists()


def _take(company, employee, days, unit="full", planned=False):
    leave_type = ensure_annual_type(company=company)
    leave = LeaveRequest.objects.create(
        company=company,
        employee=employee,
        leave_type=leave_type,
        start_date=days[0],
        end_date=days[-1],
        unit=unit,
        planned=planned,
        requested_by=employee.user,
    )
    amount = {"full": Decimal(1), "am": Decimal("0.5"), "hours": Decimal(0)}[unit]
    hold_leave(
        company=company,
        request=leave,
        parts=[LeavePart(d, amount, 2 if unit == "hours" else 0) for d in days],
    )
    confirm_leave(company=company, request=leave)
    return leave


def test_five_day_duty_counts_days_and_half_days_not_hours(
    company, hr, hired, department, django_capture_on_commit_callbacks
):
    LeavePolicy.objects.create(company=company, hourly_days_per_year=5)
    boss = make_member(company, "boss", ["manager"], email="boss@example.com")
    department.head = make_employee(company, hr, department, number="B001", user=boss.user)
    department.save()
    leave_type = ensure_annual_type(company=company)
    LeaveGrant.objects.create(
        company=company,
        employee=hired,
        leave_type=leave_type,
        granted_on=date(2024, 10, 1),
        expires_on=date(2026, 9, 30),
        days=10,
        source="automatic",
    )
    _take(company, hired, [date(2024, 11, 5), date(2024, 11, 6)])
    _take(company, hired, [date(2024, 12, 2)], unit="am")
    _take(company, hired, [date(2024, 12, 3)], unit="hours")
    _take(company, hired, [date(2025, 5, 1)], planned=True)  # 計画的付与, approved for later
    [duty] = five_day_duties(company=company, as_of=date(2025, 1, 10))
    assert (duty.required, duty.taken, duty.scheduled, duty.still_needed, duty.deadline) == (
        5,
        Decimal("2.5"),
        1,
        Decimal("1.5"),
        date(2025, 9, 30),
    )
    assert five_day_duties(company=company, as_of=date(2025, 10, 1)) == []

    # warnings: not yet (deadline more than 3 months ahead), then once, then not again within a week
    assert send_five_day_warnings(company=company, as_of=date(2025, 1, 10)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert send_five_day_warnings(company=company, as_of=date(2025, 7, 1)) == 1
    assert len(mail.outbox) == 1 and "1.5日" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["n@example.com", "boss@example.com"]
    assert "2025-09-30" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="attendance.five_day_warned").count() == 1
    assert send_five_day_warnings(company=company, as_of=date(2025, 7, 5)) == 0
    assert send_five_day_warnings(company=company, as_of=date(2025, 7, 8)) == 1


def test_five_days_prorated_after_front_loading(company, hired):
    leave_type = ensure_annual_type(company=company)
    for on, days in ((date(2024, 10, 1), 10), (date(2025, 4, 1), 11)):
        LeaveGrant.objects.create(
            company=company,
            employee=hired,
            leave_type=leave_type,
            granted_on=on,
            expires_on=on.replace(year=on.year + 2) - timedelta(days=1),
            days=days,
            source="automatic",
        )
    [duty] = five_day_duties(company=company, as_of=date(2025, 6, 1))
    assert (duty.start, duty.deadline, duty.required) == (
        date(2024, 10, 1),
        date(2026, 3, 31),
        Decimal("7.5"),
    )


def test_ledger_lists_each_date_taken_by_year(company, hired):
    LeavePolicy.objects.create(company=company, hourly_days_per_year=5)
    leave_type = ensure_annual_type(company=company)
    for on, days in ((date(2024, 10, 1), 10), (date(2025, 10, 1), 11)):
        LeaveGrant.objects.create(
            company=company,
            employee=hired,
            leave_type=leave_type,
            granted_on=on,
            expires_on=on.replace(year=on.year + 2) - timedelta(days=1),
            days=days,
            source="automatic",
        )
    _take(company, hired, [date(2024, 11, 5)])
    _take(company, hired, [date(2025, 10, 2)], unit="am")
    _take(company, hired, [date(2025, 10, 3)], unit="hours")
    ledger = leave_ledger(company=company, employee=hired, today=date(2026, 1, 1))
    assert [
        (y.granted_on, y.days, y.period_end, [d.date for d in y.taken], y.taken_days, y.taken_hours)
        for y in ledger.years
    ] == [
        (date(2024, 10, 1), 10, date(2025, 9, 30), [date(2024, 11, 5)], 1, 0),
        (date(2025, 10, 1), 11, date(2026, 9, 30), [date(2025, 10, 2), date(2025, 10, 3)], Decimal("0.5"), 2),
    ]
    assert [
        y.granted_on
        for y in leave_ledger(company=company, employee=hired, year=2025, today=date(2026, 1, 1)).years
    ] == [date(2025, 10, 1)]


def test_the_command_grants_for_every_company(company, hired):
    # records begin on the grant date: the half year before it has no record and counts as attended
    LeavePolicy.objects.create(company=company, records_from=date(2024, 10, 1))
    call_command("grant_paid_leave", "--date", "2024-10-01", "--no-warnings", stdout=io.StringIO())
    assert LeaveGrant.objects.get().days == 10
    bal = leave_balance(company=company, employee_id=hired.pk, as_of=date(2024, 10, 1))
    assert bal.remaining_days == 10 and bal.next_expiry == date(2026, 9, 30)
    assert LeaveTaking.objects.count() == 0
    assert Employee.objects.count() >= 1
