"""Runs and payslips for the confirm part's tests, written straight to the models with figures that
add up (the run computation has its own tests): gross = payment lines, deductions = 社会保険料等 +
所得税 + 住民税 + company deductions, net = gross − deductions, transfers = net (less a split)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from ennoshita.core.models import Company, Membership
from ennoshita.payroll.models import PayrollRun, Payslip, PayslipLine
from ennoshita.people.models import Department, Employee

from ..conftest import make_department, make_employee, make_member
from .factories import make_group, settings_of

_numbers = itertools.count(1)
MAIN = {
    "bank_code": "0001",  # みずほ
    "branch_code": "001",  # 東京営業部
    "account_type": "1",
    "account_number": "1234567",
    "holder_kana": "ヤマダ タロウ",
}
SPLIT = {
    "bank_code": "0005",  # 三菱ＵＦＪ
    "branch_code": "002",  # 丸の内
    "account_type": "4",
    "account_number": "7654321",
    "holder_kana": "ヤマダ タロウ",
}
TRANSFER_SETTINGS = {
    "transfer_requester_code": "1234567890",
    "transfer_requester_name": "カブシキガイシャ テスト",
    "transfer_bank_code": "0009",  # 三井住友
    "transfer_branch_code": "001",  # 神保町
    "transfer_account_type": "1",
    "transfer_account_number": "0012345",
}


def pay_day() -> date:
    """The 25th of this month: inside the books' open fiscal years whatever today is."""
    return timezone.localdate().replace(day=25)


@dataclass
class Org:
    company: Company
    admin: Membership
    hr: Membership
    accountant: Membership
    sales: Department
    office: Department


def make_org(company: Company, admin: Membership, hr: Membership) -> Org:
    accountant = make_member(
        company, f"keiri{next(_numbers)}", ["accounting"], last_name="経理", first_name="一"
    )
    sales = make_department(company, hr, "310", "営業部")
    office = make_department(company, hr, "500", "経理部")
    settings_of(company, **TRANSFER_SETTINGS)
    return Org(company, admin, hr, accountant, sales, office)


def person(org: Org, department: Department, number: str, **fields: Any) -> Employee:
    values = {
        "family_name": "山田",
        "given_name": f"{number}",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "タロウ",
    }
    values.update(fields)
    return make_employee(org.company, org.hr, department, number=number, **values)


def make_run(
    org: Org, *, kind: str = "salary", pay_date: date | None = None, group_code: str = "monthly"
) -> PayrollRun:
    day = pay_date or pay_day()
    return PayrollRun.objects.create(
        company=org.company,
        pay_group=make_group(org.company, code=group_code, name="月給者"),
        kind=kind,
        pay_month=day.replace(day=1),
        attendance_month=day.replace(day=1),
        closing_date=day.replace(day=1),
        pay_date=day,
        withholding_method="table",
        created_by=org.hr.user,
        computed_at=timezone.now(),
    )


def add_slip(
    run: PayrollRun,
    employee: Employee,
    *,
    department: Department | None = None,
    base: int = 300_000,
    commute: int = 10_000,
    health: int = 14_850,
    child_support: int = 690,
    pension: int = 27_450,
    employment: int = 1_550,
    income_tax: int = 6_640,
    resident_tax: int = 12_000,
    items: tuple[tuple[str, str, int], ...] = (),
    employer: tuple[int, int, int] | None = None,
    contribution: int = 0,
    is_officer: bool = False,
    bank: dict[str, Any] | None = MAIN,
    split: int = 0,
    anomalies: list[dict[str, str]] | None = None,
) -> Payslip:
    """One payslip whose figures add up; ``items`` are company deductions (code, name, amount);
    ``employer`` the company's (health, child_support, pension), by default equal to the
    employee's; the net goes to ``bank`` (less ``split`` to the second account), or is paid by hand
    when ``bank`` is None."""
    gross = base + commute
    si_total = health + child_support + pension + employment
    other = sum(a for _c, _n, a in items)
    deductions = si_total + income_tax + resident_tax + other
    net = gross - deductions
    e_health, e_child, e_pension = employer if employer is not None else (health, child_support, pension)
    dept = department
    slip = Payslip.objects.create(
        company=run.company,
        run=run,
        employee=employee,
        employee_number=employee.number,
        employee_name=f"{employee.family_name} {employee.given_name}",
        department_id=dept.pk if dept else None,
        department_name=dept.name if dept else "",
        pay_type="monthly",
        is_officer=is_officer,
        gross=gross,
        taxable=base,
        nontaxable=commute,
        social_insurance_wage=gross,
        employment_insurance_wage=gross,
        health=health,
        child_support=child_support,
        pension=pension,
        employment=employment,
        social_insurance_total=si_total,
        income_tax=income_tax,
        resident_tax=resident_tax,
        other_deductions=other,
        deduction_total=deductions,
        net=net,
        employer_health=e_health,
        employer_child_support=e_child,
        employer_pension=e_pension,
        transfer_amount=(net - split) if bank else 0,
        split_transfer_amount=split if bank else 0,
        bank={"main": bank, "split": SPLIT if split else None} if bank else {"main": None, "split": None},
        inputs={"employer_child_contribution": contribution} if contribution else {},
        anomalies=anomalies or [],
    )
    lines = [
        ("payment", "base", "基本給", base),
        ("payment", "commute", "通勤手当", commute),
        ("deduction", "health", "健康保険料", health),
        ("deduction", "child_support", "子ども・子育て支援金", child_support),
        ("deduction", "pension", "厚生年金保険料", pension),
        ("deduction", "employment", "雇用保険料", employment),
        ("deduction", "income_tax", "所得税", income_tax),
        ("deduction", "resident_tax", "住民税", resident_tax),
        *(("deduction", code, name, amount) for code, name, amount in items),
    ]
    PayslipLine.objects.bulk_create(
        PayslipLine(
            company=slip.company, payslip=slip, kind=k, code=c, name=n, amount=Decimal(a), sort_order=i
        )
        for i, (k, c, n, a) in enumerate(lines)
    )
    return slip


def finish(run: PayrollRun) -> PayrollRun:
    """The run's totals from its payslips, as the run computation stores them."""
    sums = Payslip.objects.filter(run=run).aggregate(g=Sum("gross"), d=Sum("deduction_total"), n=Sum("net"))
    run.headcount = Payslip.objects.filter(run=run).count()
    run.gross_total = sums["g"] or 0
    run.deduction_total = sums["d"] or 0
    run.net_total = sums["n"] or 0
    run.save()
    return run
