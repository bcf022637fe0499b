"""Bonus runs for the bonus tests: people with pay settings (tests/payroll/factories.py), confirmed
salary payslips of the previous month written straight to the models (the salary run has its own
tests), and bonus runs made and filled through services/bonus.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ennoshita.core.models import Company, Membership
from ennoshita.payroll.models import PayrollRun, Payslip, RunKind, RunStatus
from ennoshita.payroll.services import bonus as bonus_services
from ennoshita.payroll.services import runs as run_services
from ennoshita.people.models import Department, Employee

from ..conftest import make_employee
from .factories import make_group, make_profile

BANK = {
    "bank_code": "0005",
    "bank_branch_code": "001",
    "bank_account_type": "1",
    "bank_account_number": "1234567",
    "bank_account_holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ",
}


def person(
    company: Company,
    hr: Membership,
    department: Department,
    number: str,
    *,
    birth_date: date,
    profile: dict[str, Any] | None = None,
    **fields: Any,
) -> Employee:
    """An employee of the 月給者 group (hired 2020-04-01, insured from then, with a bank account)."""
    e = make_employee(
        company,
        hr,
        department,
        number=number,
        birth_date=birth_date,
        given_name=f"太郎{number}",
        **{**BANK, **fields},
    )
    make_profile(e, hr.user, make_group(company), **(profile or {}))
    return e


def bonus_run(
    company: Company, member: Membership, pay_date: date, *, title: str = "", months: int = 6
) -> PayrollRun:
    return run_services.create_run(
        company=company,
        actor=member.user,
        membership=member,
        pay_group=make_group(company),
        pay_month=pay_date,
        kind="bonus",
        pay_date=pay_date,
        title=title,
        bonus_period_months=months,
    )


def pay(
    company: Company,
    member: Membership,
    run: PayrollRun,
    amounts: dict[str, int | None],
    source: str = "screen",
) -> PayrollRun:
    return bonus_services.set_bonus_amounts(
        company=company,
        actor=member.user,
        membership=member,
        run=run,
        rows=[bonus_services.AmountIn(number, amount) for number, amount in amounts.items()],
        source=source,
    )


def mark_confirmed(run: PayrollRun) -> PayrollRun:
    """A run taken as confirmed for what later runs read (the confirm flow has its own tests)."""
    PayrollRun.objects.filter(pk=run.pk).update(status=RunStatus.CONFIRMED)
    run.refresh_from_db()
    return run


def salary_paid(
    company: Company, member: Membership, employee: Employee, pay_date: date, *, taxable: int, si_total: int
) -> Payslip:
    """A confirmed salary payslip paid on ``pay_date`` with 課税支給額 and 社会保険料等 as given."""
    run = PayrollRun.objects.filter(
        company=company, kind=RunKind.SALARY, pay_date=pay_date, status=RunStatus.CONFIRMED
    ).first() or PayrollRun.objects.create(
        company=company,
        pay_group=make_group(company, code=f"s{pay_date:%Y%m%d}", name=f"給与{pay_date:%m%d}"),
        kind=RunKind.SALARY,
        pay_month=pay_date.replace(day=1),
        attendance_month=pay_date.replace(day=1),
        closing_date=pay_date,
        pay_date=pay_date,
        withholding_method="table",
        status=RunStatus.CONFIRMED,
        created_by=member.user,
    )
    return Payslip.objects.create(
        company=company,
        run=run,
        employee=employee,
        employee_number=employee.number,
        employee_name=f"{employee.family_name} {employee.given_name}",
        pay_type="monthly",
        gross=Decimal(taxable),
        taxable=Decimal(taxable),
        social_insurance_total=Decimal(si_total),
        health=Decimal(si_total),
        deduction_total=Decimal(si_total),
        net=Decimal(taxable - si_total),
    )


def slip_of(run: PayrollRun, employee: Employee | str) -> Payslip:
    """The run's payslip of an employee, given as the Employee or as the 社員番号."""
    if isinstance(employee, str):
        return Payslip.objects.get(run=run, employee_number=employee)
    return Payslip.objects.get(run=run, employee=employee)
