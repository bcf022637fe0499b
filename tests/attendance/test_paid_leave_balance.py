"""hold_leave / confirm_leave / release_leave and leave_balance: the interface the leave requests
use. Refusals write nothing; two holds at once on PostgreSQL cannot overspend."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from ennoshita.attendance.models import (
    AttendanceProfile,
    GrantSource,
    LeaveGrant,
    LeavePolicy,
    LeaveRequest,
    LeaveTaking,
    LeaveType,
)
from ennoshita.attendance.paid_leave_selectors import leave_balance
from ennoshita.attendance.rules.leave_grants import expiry_date
from ennoshita.attendance.services.leave_grants import (
    LeavePart,
    confirm_leave,
    ensure_annual_type,
    hold_leave,
    release_leave,
)
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.people.models import Employee

D1 = Decimal(1)
HALF = Decimal("0.5")


def grant(company, employee, on: date, days, leave_type=None) -> LeaveGrant:
    leave_type = leave_type or ensure_annual_type(company=company)
    return LeaveGrant.objects.create(
        company=company,
        employee=employee,
        leave_type=leave_type,
        granted_on=on,
        expires_on=expiry_date(on),
        days=Decimal(days),
        source=GrantSource.AUTOMATIC,
    )


def request_for(company, employee, day: date, unit="full", leave_type=None, user=None) -> LeaveRequest:
    leave_type = leave_type or ensure_annual_type(company=company)
    return LeaveRequest.objects.create(
        company=company,
        employee=employee,
        leave_type=leave_type,
        start_date=day,
        end_date=day,
        unit=unit,
        requested_by=user or employee.user,
    )


@pytest.fixture
def emp(employee_member, company):
    return Employee.objects.for_company(company).get(user=employee_member.user)


def test_a_full_day_and_a_half_day_are_drawn_oldest_first(company, emp):
    old = grant(company, emp, date(2024, 10, 1), "0.5")
    new = grant(company, emp, date(2025, 10, 1), 11)
    leave = request_for(company, emp, date(2026, 1, 5))
    rows = hold_leave(company=company, request=leave, parts=[LeavePart(date(2026, 1, 5), D1, 0)])
    assert [(t.grant_id, t.days, t.hours, t.approved) for t in rows] == [
        (old.pk, HALF, 0, False),
        (new.pk, HALF, 0, False),
    ]
    balance = leave_balance(company=company, employee_id=emp.pk, as_of=date(2026, 1, 5))
    assert (balance.remaining_days, balance.remaining_hours) == (Decimal("10.5"), 0)
    assert (balance.pending_days, balance.pending_hours) == (D1, 0)
    assert balance.next_expiry == date(2027, 9, 30)  # the old grant is used up
    assert [g.remaining_days for g in balance.grants] == [0, Decimal("10.5")]
    confirm_leave(company=company, request=leave)
    assert set(LeaveTaking.objects.values_list("approved", flat=True)) == {True}
    balance = leave_balance(company=company, employee_id=emp.pk, as_of=date(2026, 1, 5))
    assert balance.pending_days == 0 and balance.remaining_days == Decimal("10.5")
    release_leave(company=company, request=leave)
    assert not LeaveTaking.objects.exists()
    assert leave_balance(
        company=company, employee_id=emp.pk, as_of=date(2026, 1, 5)
    ).remaining_days == Decimal("11.5")


def test_hours_and_the_balance_in_days_and_hours(company, emp):
    LeavePolicy.objects.create(company=company, hourly_days_per_year=5)
    grant(company, emp, date(2025, 10, 1), 10)
    leave = request_for(company, emp, date(2026, 1, 6), unit="hours")
    hold_leave(company=company, request=leave, parts=[LeavePart(date(2026, 1, 6), Decimal(0), 3)])
    balance = leave_balance(company=company, employee_id=emp.pk, as_of=date(2026, 1, 6))
    assert (balance.remaining_days, balance.remaining_hours, balance.hours_per_day) == (9, 5, 8)
    assert balance.label == "9日と5時間"
    half = request_for(company, emp, date(2026, 1, 7), unit="am")
    hold_leave(company=company, request=half, parts=[LeavePart(date(2026, 1, 7), HALF, 0)])
    balance = leave_balance(company=company, employee_id=emp.pk, as_of=date(2026, 1, 7))
    assert (balance.remaining_days, balance.remaining_hours) == (9, 1)  # 10 − 3h − 4h


def test_a_day_is_the_scheduled_hours_rounded_up(company, emp):
    AttendanceProfile.objects.create(company=company, employee=emp, weekly_days=4, weekly_minutes=4 * 330)
    LeavePolicy.objects.create(company=company, hourly_days_per_year=1)
    grant(company, emp, date(2025, 10, 1), 7)
    balance = leave_balance(company=company, employee_id=emp.pk, as_of=date(2025, 10, 1))
    assert balance.hours_per_day == 6  # 5時間30分 → 6時間
    leave = request_for(company, emp, date(2026, 1, 6), unit="hours")
    hold_leave(company=company, request=leave, parts=[LeavePart(date(2026, 1, 6), Decimal(0), 6)])
    other = request_for(company, emp, date(2026, 1, 7), unit="hours")
    with pytest.raises(ServiceError) as refused:  # 1 day a year × 6 hours
        hold_leave(company=company, request=other, parts=[LeavePart(date(2026, 1, 7), Decimal(0), 1)])
    assert refused.value.code == "hourly_cap"
    assert "残り0時間" in refused.value.message
    assert LeaveTaking.objects.filter(request=other).count() == 0


def test_hours_refused_without_an_agreement(company, emp):
    grant(company, emp, date(2025, 10, 1), 10)
    leave = request_for(company, emp, date(2026, 1, 6), unit="hours")
    with pytest.raises(ServiceError) as refused:
        hold_leave(company=company, request=leave, parts=[LeavePart(date(2026, 1, 6), Decimal(0), 1)])
    assert refused.value.code == "hourly_cap"
    assert not LeaveTaking.objects.exists()


def test_short_balance_is_refused_and_nothing_is_written(company, emp):
    grant(company, emp, date(2025, 10, 1), "1.5")
    leave = request_for(company, emp, date(2026, 1, 5))
    parts = [LeavePart(date(2026, 1, 5), D1, 0), LeavePart(date(2026, 1, 6), D1, 0)]
    with pytest.raises(ServiceError) as refused:
        hold_leave(company=company, request=leave, parts=parts)
    assert refused.value.code == "insufficient_balance"
    assert "2026-01-06" in refused.value.message and "残り0.5日" in refused.value.message
    assert not LeaveTaking.objects.exists()


def test_an_expired_grant_is_never_used(company, emp):
    grant(company, emp, date(2024, 10, 1), 10)
    last_day = request_for(company, emp, date(2026, 9, 30))
    hold_leave(company=company, request=last_day, parts=[LeavePart(date(2026, 9, 30), D1, 0)])
    anniversary = request_for(company, emp, date(2026, 10, 1))
    with pytest.raises(ServiceError):
        hold_leave(company=company, request=anniversary, parts=[LeavePart(date(2026, 10, 1), D1, 0)])
    balance = leave_balance(company=company, employee_id=emp.pk, as_of=date(2026, 10, 1))
    assert balance.remaining_days == 0 and balance.grants[0].expired


def test_holding_again_replaces_the_rows(company, emp):
    grant(company, emp, date(2025, 10, 1), 2)
    leave = request_for(company, emp, date(2026, 1, 5))
    hold_leave(company=company, request=leave, parts=[LeavePart(date(2026, 1, 5), D1, 0)])
    hold_leave(
        company=company,
        request=leave,
        parts=[LeavePart(date(2026, 1, 5), D1, 0), LeavePart(date(2026, 1, 6), D1, 0)],
    )
    assert LeaveTaking.objects.filter(request=leave).count() == 2


def test_types_without_balance_get_rows_without_grant(company, emp):
    special = LeaveType.objects.create(company=company, code="sp", name="慶弔", kind="special")
    leave = request_for(company, emp, date(2026, 1, 5), leave_type=special)
    rows = hold_leave(company=company, request=leave, parts=[LeavePart(date(2026, 1, 5), D1, 0)])
    assert [(t.grant_id, t.days) for t in rows] == [(None, D1)]


def test_another_companys_request_and_employee(company, emp, other_company, outsider):
    grant(company, emp, date(2025, 10, 1), 2)
    leave = request_for(company, emp, date(2026, 1, 5))
    with pytest.raises(NotFound):
        hold_leave(company=other_company, request=leave, parts=[LeavePart(date(2026, 1, 5), D1, 0)])
    with pytest.raises(NotFound):
        leave_balance(company=other_company, employee_id=emp.pk, as_of=date(2026, 1, 5))
    assert not LeaveTaking.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_holds_at_once_cannot_overspend(employee_member, company):
    if connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]).startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL runs this")
    emp = Employee.objects.for_company(company).get(user=employee_member.user)
    grant(company, emp, date(2025, 10, 1), 3)
    requests = [request_for(company, emp, date(2026, 1, 5 + n)) for n in range(4)]
    results: list[object] = []

    def go(n: int) -> None:
        try:
            day = date(2026, 1, 5 + n)
            parts = (
                [LeavePart(day, D1, 0)]
                if n < 2
                else [LeavePart(day, D1, 0), LeavePart(date(2026, 2, 2), D1, 0)]
            )
            results.append(hold_leave(company=company, request=requests[n], parts=parts))
        except ServiceError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    taken = sum(LeaveTaking.objects.values_list("days", flat=True))
    assert taken <= 3
    assert any(isinstance(r, ServiceError) for r in results)
    assert (
        leave_balance(company=company, employee_id=emp.pk, as_of=date(2026, 1, 5)).remaining_days == 3 - taken
    )
