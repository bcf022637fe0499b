"""Runs and payslips written straight to the models, for the payslip part's tests (the runs and
confirm parts have their own tests). Figures are consistent: payment lines sum to 総支給額, the
deduction lines to 控除合計, and 差引支給額 = 総支給額 − 控除合計 = the transfers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ennoshita.core.models import User
from ennoshita.payroll.models import PayGroup, PayrollRun, Payslip, PayslipLine
from ennoshita.people.models import Employee

PAYMENT_NAMES = {
    "base": "基本給",
    "legal_overtime": "法定内残業手当",
    "overtime": "時間外手当",
    "holiday": "休日手当",
    "night": "深夜手当",
    "absence": "欠勤控除",
    "commute": "通勤手当",
    "bonus": "賞与",
}
NONTAXABLE = {"commute"}


def make_run(
    group: PayGroup,
    actor: User,
    *,
    pay_date: date,
    kind: str = "salary",
    status: str = "confirmed",
    title: str = "",
) -> PayrollRun:
    """A salary run paying the month before ``pay_date``'s (末締め翌月払い); a bonus pays itself."""
    pay_month = pay_date.replace(day=1)
    attendance_month = (pay_month - timedelta(days=1)).replace(day=1) if kind == "salary" else None
    return PayrollRun.objects.create(
        company=group.company,
        pay_group=group,
        kind=kind,
        pay_month=pay_month,
        attendance_month=attendance_month,
        closing_date=pay_month - timedelta(days=1),
        pay_date=pay_date,
        title=title,
        status=status,
        withholding_method="table",
        created_by=actor,
        confirmed_by=actor if status == "confirmed" else None,
        confirmed_at=timezone.now() if status == "confirmed" else None,
    )


def _month_end(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def make_payslip(
    run: PayrollRun,
    employee: Employee,
    *,
    payments: dict[str, int] | None = None,
    health: int = 0,
    care_applies: bool = False,
    child_support: int = 0,
    pension: int = 0,
    employment: int = 0,
    income_tax: int = 0,
    resident_tax: int = 0,
    other: dict[str, tuple[str, int]] | None = None,
    split: int = 0,
    dependents: int = 0,
    attendance: dict[str, Any] | None = None,
    published: bool | None = None,
) -> Payslip:
    """``payments``: code → amount (names of the legal codes filled in; "item:x" named as the code);
    ``other``: company deductions code → (name, amount). Published when the run is confirmed."""
    payments = payments if payments is not None else {"base": 300_000}
    other = other or {}
    gross = sum(payments.values())
    nontaxable = sum(v for k, v in payments.items() if k in NONTAXABLE)
    si = health + child_support + pension + employment
    other_total = sum(v for _n, v in other.values())
    deduction_total = si + income_tax + resident_tax + other_total
    net = gross - deduction_total
    if run.attendance_month:
        start = run.attendance_month
        period = {"period_start": start.isoformat(), "period_end": _month_end(start).isoformat()}
        month = f"{start:%Y-%m}"
    else:
        period, month = {}, ""
    inputs: dict[str, Any] = {
        "attendance_month": month,
        **period,
        "days_worked": 20,
        "worked_minutes": 160 * 60,
        "overtime_minutes": 0,
        "holiday_minutes": 0,
        "night_minutes": 0,
        "absences": 0,
        "leave_paid_days": "0",
        "insurance_months": [month] if month else [],
        "health_standard": 300_000,
        "pension_standard": 300_000,
        "dependents": dependents,
        "tax_column": "甲",
        "withholding_method": "table",
        "hourly_base": 1_875,
    }
    if run.kind == "bonus":  # a bonus reads no attendance
        for key in (
            "days_worked",
            "worked_minutes",
            "overtime_minutes",
            "holiday_minutes",
            "night_minutes",
            "absences",
            "leave_paid_days",
        ):
            inputs.pop(key)
    inputs.update(attendance or {})
    main = {
        "bank_code": "0005",
        "branch_code": "135",
        "account_type": "1",
        "account_number": "1234567",
        "holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ",
    }
    second = (
        {**main, "bank_code": "9900", "branch_code": "019", "account_number": "7654321"} if split else None
    )
    if published is None:
        published = run.status == "confirmed"
    payslip = Payslip.objects.create(
        company=run.company,
        run=run,
        employee=employee,
        employee_number=employee.number,
        employee_name=f"{employee.family_name} {employee.given_name}",
        department_name="総務部",
        pay_type="monthly",
        gross=gross,
        taxable=gross - nontaxable,
        nontaxable=nontaxable,
        social_insurance_wage=gross,
        employment_insurance_wage=gross,
        health=health,
        care_applies=care_applies,
        child_support=child_support,
        pension=pension,
        employment=employment,
        social_insurance_total=si,
        income_tax=income_tax,
        resident_tax=resident_tax,
        other_deductions=other_total,
        deduction_total=deduction_total,
        net=net,
        transfer_amount=net - split,
        split_transfer_amount=split,
        bank={"main": main, "split": second},
        inputs=inputs,
        published_at=timezone.now() if published else None,
    )
    lines: list[PayslipLine] = []
    for order, (code, amount) in enumerate(payments.items()):
        lines.append(
            PayslipLine(
                company=payslip.company,
                payslip=payslip,
                kind="payment",
                code=code,
                name=PAYMENT_NAMES.get(code, code.removeprefix("item:")),
                amount=Decimal(amount),
                taxable=code not in NONTAXABLE,
                sort_order=order * 10,
            )
        )
    legal = [
        ("health", "健康保険料(介護含む)" if care_applies else "健康保険料", health),
        ("child_support", "子ども・子育て支援金", child_support),
        ("pension", "厚生年金保険料", pension),
        ("employment", "雇用保険料", employment),
        ("income_tax", "所得税", income_tax),
        ("resident_tax", "住民税", resident_tax),
    ]
    for order, (code, name, amount) in enumerate(legal):
        if amount:
            lines.append(
                PayslipLine(
                    company=payslip.company,
                    payslip=payslip,
                    kind="deduction",
                    code=code,
                    name=name,
                    amount=amount,
                    sort_order=order * 10,
                )
            )
    for order, (code, (name, amount)) in enumerate(other.items(), start=100):
        lines.append(
            PayslipLine(
                company=payslip.company,
                payslip=payslip,
                kind="deduction",
                code=code,
                name=name,
                amount=amount,
                sort_order=order,
            )
        )
    PayslipLine.objects.bulk_create(lines)
    return payslip


# --------------------------------------------------------------------------- the shared scenario


class Scenario:
    """社員 次郎 (E001, 45歳: 介護 applies) paid in 2026: May and June salary and a July bonus, all
    confirmed; a July salary still a draft; a December 2025 salary. His colleague 同僚 三郎 (E002)
    paid in the May run. Figures worked by hand (and by payroll.rules) in ``build_scenario``."""

    may: Payslip
    june: Payslip
    bonus: Payslip
    draft: Payslip
    dec2025: Payslip
    colleague: Payslip
    employee: Employee
    colleague_employee: Employee


def build_scenario(
    company: Any, hr: Any, department: Any, employee_member: Any, colleague_member: Any
) -> Scenario:
    from ..conftest import make_employee
    from .factories import make_group

    s = Scenario()
    s.employee = Employee.objects.get(company=company, number="E001")
    s.colleague_employee = make_employee(
        company,
        hr,
        department,
        number="E002",
        family_name="同僚",
        given_name="三郎",
        family_name_kana="ドウリョウ",
        given_name_kana="サブロウ",
        user=colleague_member.user,
    )
    group = make_group(company)
    actor = hr.user
    may_run = make_run(group, actor, pay_date=date(2026, 5, 25))
    june_run = make_run(group, actor, pay_date=date(2026, 6, 25))
    bonus_run = make_run(group, actor, pay_date=date(2026, 7, 10), kind="bonus", title="夏季賞与")
    draft_run = make_run(group, actor, pay_date=date(2026, 7, 24), status="draft")
    dec_run = make_run(group, actor, pay_date=date(2025, 12, 25))
    union = {"item:union": ("組合費", 2_000)}
    # May 2026 (April's attendance): 基本給 300,000 + 時間外 23,438 (1,875円 × 1.25 × 10h = 23,437.5,
    # 50銭以上切上げ) + 通勤 12,000 (非課税) = 総支給 335,438, 課税 323,438.
    # 2026年4月分 premiums on 300,000 (東京都, 介護あり): 健保 17,205, 支援金 345, 厚年 27,450;
    # 雇用保険 335,438 × 5/1000 = 1,677.19 → 1,677. 社会保険料等 46,677.
    # 323,438 − 46,677 = 276,761 → 月額表 令和8年分 甲0人 (275,000–278,000) 7,080.
    # 控除 46,677 + 7,080 + 住民税 15,000 + 組合費 2,000 = 70,757; 差引 264,681.
    s.may = make_payslip(
        may_run,
        s.employee,
        payments={"base": 300_000, "overtime": 23_438, "commute": 12_000},
        health=17_205,
        care_applies=True,
        child_support=345,
        pension=27_450,
        employment=1_677,
        income_tax=7_080,
        resident_tax=15_000,
        other=union,
        split=50_000,
        attendance={
            "days_worked": 21,
            "worked_minutes": 178 * 60,
            "overtime_minutes": 600,
            "night_minutes": 90,
        },
    )
    # June: 基本給 300,000 + 通勤 12,000 = 312,000 (課税 300,000); 雇用 312,000 × 5/1000 = 1,560;
    # 社会保険料等 46,560; 300,000 − 46,560 = 253,440 → 甲0人 6,220; 控除 69,780; 差引 242,220.
    s.june = make_payslip(
        june_run,
        s.employee,
        payments={"base": 300_000, "commute": 12_000},
        health=17_205,
        care_applies=True,
        child_support=345,
        pension=27_450,
        employment=1_560,
        income_tax=6_220,
        resident_tax=15_000,
        other=union,
    )
    # Bonus 500,000 (標準賞与額 500,000): 健保 28,675, 支援金 575, 厚年 45,750, 雇用 2,500 = 77,500;
    # 422,500 × 4.084% (前月 253,440: 甲0人 94千–260千) = 17,254.9 → 17,254; 差引 405,246.
    s.bonus = make_payslip(
        bonus_run,
        s.employee,
        payments={"bonus": 500_000},
        health=28_675,
        care_applies=True,
        child_support=575,
        pension=45_750,
        employment=2_500,
        income_tax=17_254,
        attendance={},
    )
    s.draft = make_payslip(draft_run, s.employee, payments={"base": 300_000}, income_tax=8_000)
    s.dec2025 = make_payslip(dec_run, s.employee, payments={"base": 290_000}, income_tax=6_000)
    s.colleague = make_payslip(
        may_run, s.colleague_employee, payments={"base": 410_000}, pension=37_515, income_tax=12_345
    )
    return s
