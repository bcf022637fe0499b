"""What the pay computation of one employee reads (calculation.py), as plain frozen dataclasses:
run_inputs.py fills them from the database in bulk; the tests may build them by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ennoshita.attendance.timesheet_selectors import MonthlyTotals
from ennoshita.payroll.rules.insurance import UnionRates, UnionRateSchedule


@dataclass(frozen=True)
class RunContext:
    """The run's dates and the company's settings (payroll.models.PayrollSettings)."""

    pay_month: date  # first day of the pay month
    attendance_month: date  # first day of the month of attendance it pays
    period_start: date  # 賃金計算期間
    period_end: date  # = closing_date (締切日: chooses the 雇用保険 rate)
    pay_date: date  # chooses the 源泉徴収税額表
    withholding_method: str  # table | formula
    prefecture: str
    business: str
    proration_rule: str  # calendar | scheduled
    annual_scheduled_hours: Decimal
    anomaly_percent: int = 20
    item_codes: tuple[str, ...] = ()  # every active item's code (a formula may name any of them)
    # 健康保険の保険者: None = 協会けんぽ (``prefecture``'s rate); a 健康保険組合's own rates otherwise,
    # dated (the services give a schedule; a hand-built context may give one set of rates)
    insurer: UnionRates | UnionRateSchedule | None = None


def insurer_at(insurer: UnionRates | UnionRateSchedule | None, month: date) -> UnionRates | None:
    """The union's rates for the insurance month ``month``; ValueError when none is registered."""
    if isinstance(insurer, UnionRateSchedule):
        return insurer.at(month.replace(day=1))
    return insurer


def insurer_record(insurer: UnionRates) -> dict[str, str]:
    """The 健康保険組合 and its rates (per 1,000) as a payslip's ``inputs["health_insurer"]``."""
    return {
        "name": insurer.name,
        "health_rate": str(insurer.health_rate),
        "health_employee_rate": str(insurer.health_employee_rate),
        "care_rate": str(insurer.care_rate),
        "care_employee_rate": str(insurer.care_employee_rate),
    }


@dataclass(frozen=True)
class ItemInput:
    """A company pay item (PayItem) as the run applies it to one employee. ``amount`` is the
    employee's fixed amount (source FIXED); attendance and formula items are computed."""

    code: str
    name: str
    kind: str  # payment | deduction
    source: str  # fixed | attendance | formula
    taxable: bool = True
    social_insurance: bool = True
    employment_insurance: bool = True
    premium_base: bool = True
    amount: int = 0
    attendance_key: str = ""
    rate: Decimal = Decimal(0)
    formula: str = ""
    sort_order: int = 0


@dataclass(frozen=True)
class GradeInput:
    effective_from: date  # first day of the insurance month it applies from
    health_standard: int
    pension_standard: int


@dataclass(frozen=True)
class AttendanceInput:
    """The attendance month of one employee: attendance's MonthlyTotals and what the pay rules
    need besides (scheduled workdays of the month, of them those in service, and the 所定 minutes
    of the days taken as paid leave — 労基法39条9項's 通常の賃金 for 時給者)."""

    totals: MonthlyTotals
    workdays: int
    workdays_in_service: int
    daily_minutes: int  # the work rule's 所定 of a day (始業〜終業 − 休憩)
    paid_leave_minutes: int = 0


@dataclass(frozen=True)
class PreviousSlip:
    """The employee's last confirmed salary payslip (for the checklist)."""

    pay_month: date
    net: int
    fixed_pay: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EmployeeInput:
    employee_id: int
    number: str
    name: str
    department_id: int | None
    department_name: str
    birth_date: date | None
    hire_date: date
    retire_date: date | None
    pay_type: str  # monthly | daily | hourly
    base_pay: int
    is_officer: bool = False
    commute_allowance: int = 0
    commute_exempt_limit: int = 150_000
    tax_column: str = "甲"
    dependents: int = 0
    health_insured: bool = True
    si_acquired_on: date | None = None
    si_lost_on: date | None = None
    employment_insured: bool = True
    ei_acquired_on: date | None = None
    ei_lost_on: date | None = None
    main_account: dict[str, str] | None = None
    split_account: dict[str, str] | None = None
    split_amount: int = 0
    items: tuple[ItemInput, ...] = ()
    grades: tuple[GradeInput, ...] = ()  # oldest first
    resident_tax: tuple[int, int] | None = None  # (June, each of July–May) of the 年度
    # 退職時の住民税一括徴収の申出 (地方税法321条の5第2項1号: leaving June–December)
    resident_tax_lump_sum: bool = False
    attendance: AttendanceInput | None = None
    previous: PreviousSlip | None = None


@dataclass
class LineOut:
    kind: str  # payment | deduction | info
    code: str
    name: str
    amount: int = 0
    quantity: str = ""
    taxable: bool = False
    sort_order: int = 0
    social_insurance: bool = False  # in the 報酬 (not stored on the line)
    employment_insurance: bool = False  # in the 賃金 (not stored on the line)


@dataclass
class PayslipOut:
    """One employee's computed pay: the Payslip fields, its lines, inputs and anomalies."""

    fields: dict[str, Any]
    lines: list[LineOut]
    inputs: dict[str, Any]
    anomalies: list[dict[str, str]]

    @property
    def has_error(self) -> bool:
        return any(a["level"] == "error" for a in self.anomalies)
