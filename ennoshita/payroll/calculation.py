"""One employee's monthly pay, computed from plain inputs (calculation_inputs.py) with no
database: payments (基本給, 日割, 欠勤控除, 割増賃金, company items, 通勤手当), then the deductions
(calculation_deductions.py). The legal figures come from ``payroll.rules`` and
``attendance.rules``; this module applies them in the order the law and jp-rules §1–§4.1 give.

Every amount is whole yen (int); fractions are rounded once, by the rule named where it happens.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ennoshita.attendance import rules as attendance_rules
from ennoshita.attendance.rules import round_half_yen

from .calculation_arrears import Arrears, arrears_message, component_of
from .calculation_deductions import add_deductions
from .calculation_inputs import EmployeeInput, ItemInput, LineOut, PayslipOut, RunContext
from .calculation_items import formula_amounts, formula_names, payment_amounts

__all__ = ["compute_payslip", "fixed_pay_of", "hours_label"]

MINUTES = Decimal(60)
# MonthlyTotals fields that are not minutes (counts of days or times, or hours): an attendance item
# multiplies these as they are; every other field is minutes and is turned into hours (÷ 60).
NOT_MINUTES = {
    "days_worked",
    "absences",
    "late_count",
    "early_leave_count",
    "open_days",
    "core_missing_days",
    "leave_paid_days",
    "leave_unpaid_days",
    "leave_hours",
    "leave_days",
}
# sort order of the legal lines; company items come after them by their own order
ORDER = {
    "base": 10,
    "absence": 20,
    "legal_overtime": 30,
    "overtime": 40,
    "holiday": 50,
    "night": 60,
    "commute": 900,
    "commute_taxable": 901,
}


def hours_label(minutes: int) -> str:
    """480 → "8:00" (what the payslip shows for a time)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def fixed_pay_of(e: EmployeeInput) -> dict[str, Any]:
    """The 固定的賃金 as it stood for this pay: compared with the next run's to flag a change that
    may need a 随時改定 (健康保険法43条, 厚生年金保険法23条)."""
    return {
        "pay_type": e.pay_type,
        "base_pay": e.base_pay,
        "commute": e.commute_allowance,
        "items": {i.code: i.amount for i in e.items if i.source == "fixed" and i.kind == "payment"},
    }


class _Pay:
    """The payments being built for one employee."""

    def __init__(self) -> None:
        self.lines: list[LineOut] = []
        self.names: dict[str, Decimal] = {}  # for formula items: codes and figures

    def add(
        self,
        code: str,
        name: str,
        amount: int,
        *,
        quantity: str = "",
        taxable: bool = True,
        si: bool = True,
        ei: bool = True,
        order: int | None = None,
    ) -> None:
        if amount == 0:
            return
        self.lines.append(
            LineOut(
                "payment",
                code,
                name,
                amount,
                quantity,
                taxable,
                ORDER.get(code, 500) if order is None else order,
                si,
                ei,
            )
        )


def _month_days(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def _in_service_days(e: EmployeeInput, ctx: RunContext) -> tuple[int, int, bool]:
    """(calendar days in service in the attendance month, days of the month, whether cut)."""
    month = ctx.attendance_month
    last = month.replace(day=_month_days(month))
    first_day = max(month, e.hire_date)
    last_day = min(last, e.retire_date) if e.retire_date else last
    days = max((last_day - first_day).days + 1, 0)
    return days, _month_days(month), days < _month_days(month)


def _monthly_base(e: EmployeeInput, ctx: RunContext, inputs: dict[str, Any]) -> int:
    """月給: the whole month's pay, or the part for the days in service when hired or leaving
    within the attendance month (日割). The law sets no method (労基法24条: pay for work done);
    the company's 賃金規程 chooses — calendar days, or scheduled workdays — and the result is
    rounded by the 50銭 rule (通貨の単位及び貨幣の発行等に関する法律3条)."""
    days, month_days, cut = _in_service_days(e, ctx)
    if not cut:
        return e.base_pay
    att = e.attendance
    if ctx.proration_rule == "scheduled" and att is not None and att.workdays > 0:
        share, whole = Decimal(att.workdays_in_service), Decimal(att.workdays)
        inputs["proration"] = f"所定労働日 {att.workdays_in_service}/{att.workdays}"
    else:
        share, whole = Decimal(days), Decimal(month_days)
        inputs["proration"] = f"暦日 {days}/{month_days}"
    return round_half_yen(Decimal(e.base_pay) * share / whole)


def _premium_base_items(e: EmployeeInput, pay: _Pay) -> int:
    """The company items in the 割増賃金の基礎 (労基法37条5項・労基則21条 leave out 家族手当,
    通勤手当, 別居手当, 子女教育手当, 住宅手当 …: the item's ``premium_base`` flag says so)."""
    codes = {f"item:{i.code}" for i in e.items if i.kind == "payment" and i.premium_base}
    return sum(line.amount for line in pay.lines if line.code in codes)


def _hourly_wage(e: EmployeeInput, ctx: RunContext, items: int) -> int:
    """割増賃金の基礎となる1時間あたりの賃金 (労基則19条1項), 50銭 rule (昭63.3.14基発150号):
    月給 → (月給 + 手当) ÷ 1年間の1月平均所定労働時間 (4号); 日給 → 日給 ÷ 1日の所定労働時間 (2号),
    with monthly items ÷ the monthly average (7号: the sum of each part); 時給 → 時給 (1号) +
    monthly items ÷ the monthly average."""
    annual = ctx.annual_scheduled_hours
    if e.pay_type == "monthly":
        return attendance_rules.hourly_base_wage(
            monthly_wage=e.base_pay + items, annual_scheduled_hours=annual
        )
    monthly_part = Decimal(items) * 12 / annual if items else Decimal(0)
    if e.pay_type == "daily":
        daily_minutes = e.attendance.daily_minutes if e.attendance else 480
        return round_half_yen(Decimal(e.base_pay) * MINUTES / Decimal(max(daily_minutes, 1)) + monthly_part)
    return round_half_yen(Decimal(e.base_pay) + monthly_part)


def _base_and_absence(e: EmployeeInput, ctx: RunContext, pay: _Pay, inputs: dict[str, Any]) -> None:
    att = e.attendance
    t = att.totals if att else None
    if e.pay_type == "monthly":
        base = _monthly_base(e, ctx, inputs)
        pay.add("base", "基本給", base)
        if not e.is_officer and t is not None and att is not None:
            _absence(e, ctx, pay, base, att.workdays, inputs)
    elif e.pay_type == "daily":
        # 日給: the day's pay for each day worked and each day of paid leave (労基法39条9項: 有給の
        # 日は通常の賃金); half days of leave count as halves
        days = Decimal(t.days_worked if t else 0) + (t.leave_paid_days if t else Decimal(0))
        pay.add("base", "基本給", round_half_yen(Decimal(e.base_pay) * days), quantity=f"{days}日")
    else:
        # 時給: the hours worked at 100 % — 時間外 and 法定休日 hours are paid whole (125 %, 135 %)
        # by their own lines, so they are left out here (an officer has no such lines: all hours
        # here) — plus paid leave as 通常の賃金 (労基法39条9項): the 所定 minutes of each leave day
        # as its plan (shift or work rule) gives them, halves for half days.
        worked = t.worked if t else 0
        premium_minutes = 0 if e.is_officer or t is None else t.overtime + t.holiday
        minutes = worked - premium_minutes + (att.paid_leave_minutes if att else 0)
        amount = round_half_yen(Decimal(e.base_pay) * Decimal(minutes) / MINUTES)
        pay.add("base", "基本給", amount, quantity=hours_label(minutes))
        inputs["base_minutes"] = minutes


def _absence(
    e: EmployeeInput, ctx: RunContext, pay: _Pay, base: int, workdays: int, inputs: dict[str, Any]
) -> None:
    """欠勤控除 (ノーワーク・ノーペイ, 労基法24条; the method is the 賃金規程's): 月給 ÷ the month's
    scheduled workdays × (欠勤 + 無給休暇の日数), plus 遅刻・早退 minutes × the hourly wage of the
    月給 (月給 ÷ 月平均所定労働時間). 50銭 rule; never more than the month's 基本給. Shown as a
    NEGATIVE payment line ``absence`` (it lowers 総支給額, 課税支給額 and the insurance wages)."""
    t = e.attendance.totals if e.attendance else None
    if t is None:
        return
    days = Decimal(t.absences) + t.leave_unpaid_days
    minutes = t.late_minutes + t.early_leave_minutes
    if not days and not minutes:
        return
    amount = Decimal(0)
    if days and workdays:
        amount += Decimal(e.base_pay) * days / Decimal(workdays)
    if minutes:
        hourly = Decimal(e.base_pay) * 12 / ctx.annual_scheduled_hours
        amount += hourly * Decimal(minutes) / MINUTES
    deduction = min(round_half_yen(amount), base)
    inputs["absence_days"] = str(days)
    inputs["late_early_minutes"] = minutes
    pay.add("absence", "欠勤控除", -deduction, quantity=f"{days}日 {hours_label(minutes)}")


def _premiums(e: EmployeeInput, ctx: RunContext, pay: _Pay, inputs: dict[str, Any]) -> None:
    """割増賃金 (労基法37条, 平成6年政令第5号; attendance.rules.premium_pay): 時間外 125 % (60時間超
    150 %), 法定休日 135 %, 深夜 +25 %, from the month's exact minutes ÷ 60. Officers (役員: not
    workers under 労基法9条) and 管理監督者 (41条2号: attendance reports no 時間外・休日 for them)
    get no 時間外・休日 but keep 深夜. 法定内残業 (legal_overtime) at 100 % for 月給・日給 (the 時給
    base already pays every hour worked)."""
    hourly = _hourly_wage(e, ctx, _premium_base_items(e, pay))
    inputs["hourly_base"] = hourly
    att = e.attendance
    if att is None:
        return
    t = att.totals
    no_overtime = e.is_officer or t.supervisor
    overtime = 0 if no_overtime else t.overtime
    overtime_night = 0 if no_overtime else t.overtime_night
    holiday = 0 if no_overtime else t.holiday
    holiday_night = 0 if no_overtime else t.holiday_night
    # ``night`` counts every night minute; premium_pay wants those outside 時間外 and 休日 apart
    night = t.night - overtime_night - holiday_night
    p = attendance_rules.premium_pay(
        hourly_wage=hourly,
        overtime_hours=Decimal(overtime) / MINUTES,
        overtime_night_hours=Decimal(overtime_night) / MINUTES,
        holiday_hours=Decimal(holiday) / MINUTES,
        holiday_night_hours=Decimal(holiday_night) / MINUTES,
        night_hours=Decimal(max(night, 0)) / MINUTES,
    )
    if e.pay_type in ("monthly", "daily") and not e.is_officer and t.legal_overtime:
        amount = round_half_yen(Decimal(hourly) * Decimal(t.legal_overtime) / MINUTES)
        pay.add("legal_overtime", "法定内残業手当", amount, quantity=hours_label(t.legal_overtime))
    pay.add("overtime", "時間外手当", p.overtime, quantity=hours_label(overtime))
    pay.add("holiday", "休日手当", p.holiday, quantity=hours_label(holiday))
    pay.add("night", "深夜手当", p.night, quantity=hours_label(t.night))


def _figure(e: EmployeeInput, key: str) -> Decimal:
    """An attendance figure by its MonthlyTotals name: minutes as hours, counts as they are."""
    if e.attendance is None or not key:
        return Decimal(0)
    value = getattr(e.attendance.totals, key, 0)
    if not isinstance(value, int | Decimal) or isinstance(value, bool):
        return Decimal(0)
    return Decimal(value) if key in NOT_MINUTES else Decimal(value) / MINUTES


def _items(e: EmployeeInput, pay: _Pay, sources: tuple[str, ...]) -> None:
    """Company payment items (PayItem) of fixed amount or from attendance (rate × figure, 50銭
    rule). Each line carries the item's flags (課税, 社会保険, 雇用保険)."""
    for item in sorted(e.items, key=lambda i: (i.sort_order, i.code)):
        if item.kind == "payment" and item.source in sources:
            amount = (
                item.amount
                if item.source == "fixed"
                else round_half_yen(item.rate * _figure(e, item.attendance_key))
            )
            _item_line(pay, item, amount)


def _item_line(pay: _Pay, item: ItemInput, amount: int) -> None:
    pay.add(
        f"item:{item.code}",
        item.name,
        amount,
        taxable=item.taxable,
        si=item.social_insurance,
        ei=item.employment_insurance,
        order=100 + item.sort_order,
    )


def _formula_items(
    e: EmployeeInput,
    ctx: RunContext,
    pay: _Pay,
    kind: str,
    inputs: dict[str, Any],
    anomalies: list[dict[str, str]],
) -> dict[str, int]:
    """Company items computed by a 計算式 (payroll.formula), after the payments they may read."""
    items = [i for i in e.items if i.kind == kind and i.source == "formula"]
    if not items:
        return {}

    def names_of(amounts: dict[str, int]) -> dict[str, Decimal]:
        return formula_names(e, amounts, ctx.item_codes, int(inputs.get("hourly_base", 0)))

    return formula_amounts(items, names_of, payment_amounts(pay.lines), anomalies)


def _commute(e: EmployeeInput, pay: _Pay) -> None:
    """通勤手当: free of 所得税 up to the employee's 非課税限度額 (所得税法9条1項5号, 令20条の2),
    the excess taxable; always in the 社会保険の報酬 (健康保険法3条5項) and 雇用保険の賃金
    (労働保険徴収法2条2項)."""
    allowance = e.commute_allowance
    exempt = min(allowance, e.commute_exempt_limit)
    pay.add("commute", "通勤手当", exempt, taxable=False)
    pay.add("commute_taxable", "通勤手当(課税分)", allowance - exempt, taxable=True)


def _info(e: EmployeeInput) -> list[LineOut]:
    if e.attendance is None:
        return []
    t = e.attendance.totals
    rows = [
        ("days_worked", "出勤日数", f"{t.days_worked}日"),
        ("absences", "欠勤日数", f"{t.absences}日"),
        ("worked_minutes", "労働時間", hours_label(t.worked)),
        ("overtime_minutes", "時間外", hours_label(t.overtime)),
        ("holiday_minutes", "休日", hours_label(t.holiday)),
        ("night_minutes", "深夜", hours_label(t.night)),
        ("leave_paid_days", "有休取得", f"{t.leave_paid_days.normalize():f}日"),
    ]
    return [LineOut("info", code, name, 0, qty, False, i) for i, (code, name, qty) in enumerate(rows)]


def _attendance_inputs(e: EmployeeInput, ctx: RunContext) -> dict[str, Any]:
    t = e.attendance.totals if e.attendance else None
    return {
        "attendance_month": ctx.attendance_month.strftime("%Y-%m"),
        "period_start": ctx.period_start.isoformat(),
        "period_end": ctx.period_end.isoformat(),
        "days_worked": t.days_worked if t else 0,
        "worked_minutes": t.worked if t else 0,
        "overtime_minutes": t.overtime if t else 0,
        "overtime_over_60_minutes": t.overtime_over_60 if t else 0,
        "legal_overtime_minutes": t.legal_overtime if t else 0,
        "holiday_minutes": t.holiday if t else 0,
        "night_minutes": t.night if t else 0,
        "absences": t.absences if t else 0,
        "leave_paid_days": str(t.leave_paid_days) if t else "0",
        "leave_unpaid_days": str(t.leave_unpaid_days) if t else "0",
        "open_days": t.open_days if t else 0,
        "supervisor": bool(t and t.supervisor),
        "workdays": e.attendance.workdays if e.attendance else 0,
        "workdays_in_service": e.attendance.workdays_in_service if e.attendance else 0,
        "pay_type": e.pay_type,
        "base_pay": e.base_pay,
        "is_officer": e.is_officer,
        "fixed_pay": fixed_pay_of(e),
    }


def _attendance_anomalies(e: EmployeeInput) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if e.attendance is None:
        return out
    t = e.attendance.totals
    if t.open_days:
        out.append(
            {
                "level": "error",
                "code": "open_days",
                "message": f"退勤の打刻がない日が{t.open_days}日あります。勤怠を直してから計算し直してください。",
            }
        )
    if not e.is_officer and not t.supervisor:
        overtime, holiday = Decimal(t.overtime) / MINUTES, Decimal(t.holiday) / MINUTES
        # 労基法36条6項2号 (時間外 + 休日 < 100h) holds whatever the agreement says
        for v in attendance_rules.overtime_limit_violations(
            months=[(overtime, holiday)], special_clause=True
        ):
            out.append({"level": "warning", "code": "overtime_limit", "message": v.message})
        if overtime > 45:
            out.append(
                {
                    "level": "warning",
                    "code": "overtime_limit",
                    "message": f"時間外労働が月45時間の限度時間を超えています({overtime.quantize(Decimal('0.01'))}時間、"
                    "労基法36条4項)。特別条項の回数と36協定の状況を確認してください。",
                }
            )
    return out


def _arrears(
    e: EmployeeInput, pay: _Pay, arrears: Sequence[Arrears], anomalies: list[dict[str, str]]
) -> EmployeeInput:
    """遡及差額 (calculation_arrears): a positive difference is a payment line of its own with the
    component's flags (課税, 報酬, 雇用保険の賃金: wages of the month paid); a negative one (a cut
    dated back) a deduction line — passed to the deductions as a fixed company deduction of the
    employee, so that net pay and the transfer count it. Listed on the checklist."""
    items = list(e.items)
    for a in arrears:
        if a.difference > 0:
            pay.add(
                a.line_code,
                a.label,
                a.difference,
                taxable=a.taxable,
                si=a.social_insurance,
                ei=a.employment_insurance,
                order=800,
            )
        elif a.difference < 0:
            items.append(
                ItemInput(
                    code=a.line_code,
                    name=a.label,
                    kind="deduction",
                    source="fixed",
                    premium_base=False,
                    amount=-a.difference,
                    sort_order=700,
                )
            )
    if arrears:
        anomalies.append({"level": "warning", "code": "arrears", "message": arrears_message(list(arrears))})
    return dataclasses.replace(e, items=tuple(items)) if len(items) != len(e.items) else e


def _offset(pay: _Pay, offsets: Mapping[str, int]) -> None:
    """A month recomputed for a correction: the arrears already paid for it in later runs are taken
    off its components (they are paid), so that the difference does not pay them twice."""
    for code, amount in offsets.items():
        if not amount:
            continue
        line = next((x for x in pay.lines if x.code == code), None)
        if line is None:
            line = next((x for x in pay.lines if component_of(x.code) == code), None)
        if line is None:
            pay.add(code, code, -amount)
        else:
            line.amount -= amount


def compute_payslip(
    e: EmployeeInput,
    ctx: RunContext,
    arrears: Sequence[Arrears] = (),
    offsets: Mapping[str, int] | None = None,
) -> PayslipOut:
    """The employee's pay for the run. Raises ValueError only where the rules have no table for a
    date (the caller refuses the run); everything else doubtful is an anomaly on the payslip.
    ``arrears``: 遡及差額 of earlier months paid with this pay; ``offsets``: component → arrears
    already paid for this month (a correction's recomputation)."""
    inputs = _attendance_inputs(e, ctx)
    anomalies = _attendance_anomalies(e)
    pay = _Pay()
    _base_and_absence(e, ctx, pay, inputs)
    _items(e, pay, ("fixed", "attendance"))
    _premiums(e, ctx, pay, inputs)
    computed = _formula_items(e, ctx, pay, "payment", inputs, anomalies)
    for item in sorted(e.items, key=lambda i: (i.sort_order, i.code)):
        if item.code in computed and item.kind == "payment":
            _item_line(pay, item, computed[item.code])
    _commute(e, pay)
    if offsets:
        _offset(pay, offsets)
    e = _arrears(e, pay, arrears, anomalies)
    if arrears:
        inputs["arrears"] = [a.as_dict() for a in arrears]
    lines = pay.lines
    fields = {
        "gross": sum(line.amount for line in lines),
        "taxable": sum(line.amount for line in lines if line.taxable),
        "social_insurance_wage": sum(line.amount for line in lines if line.social_insurance),
        "employment_insurance_wage": sum(line.amount for line in lines if line.employment_insurance),
    }
    fields["nontaxable"] = fields["gross"] - fields["taxable"]
    formula_deductions = _formula_items(e, ctx, pay, "deduction", inputs, anomalies)
    deductions = add_deductions(e, ctx, fields, inputs, anomalies, formula_deductions)
    return PayslipOut(fields=fields, lines=lines + deductions + _info(e), inputs=inputs, anomalies=anomalies)
