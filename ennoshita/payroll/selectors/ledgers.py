"""賃金台帳 and the figures of the 源泉徴収簿, per employee and calendar year (the pay date's year),
made from the confirmed payslips only. 人事, 経理 and the admin (RUN_ROLES) read them.

賃金台帳 (労働基準法108条; 労働基準法施行規則54条1項): 氏名, 性別, 賃金計算期間, 労働日数, 労働時間数,
時間外労働・休日労働・深夜労働の時間数, 基本給・手当その他賃金の種類ごとの額, 控除の額 — one column per
payment (salary and bonus, by pay date), one row per item, and the year's total. Kept readable for
5 years from the last entry (労基法109条; 当分の間3年, 同143条1項): confirmed runs and payslips have no
deletion path, so every year stays readable.

源泉徴収簿 (所得税法 — the 年末調整 builds on it): per payment 総支給額, 課税支給額 (the 源泉徴収簿's
総支給金額: 非課税の通勤手当 left out, 所得税法9条1項5号), 社会保険料等 (健康保険 + 子ども・子育て支援金 +
厚生年金 + 雇用保険, 所得税法74条), 社会保険料等控除後の金額 (課税支給額 − 社会保険料等: what the
税額表 is read with, 所得税法185条・186条), 扶養親族等の数 and the tax withheld; salary and bonus
separately, each with its year total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.payroll.models import PayrollRun, Payslip, PayslipLine, RunKind, RunStatus
from ennoshita.payroll.permissions import RUN_ROLES
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from .payslips import LEGAL_DEDUCTIONS, ZERO, _with_lines, health_label, minutes_label

RETENTION_YEARS = 5  # 労基法109条 (当分の間3年: 同143条1項); nothing here is ever deleted


def _require_reader(membership: Membership) -> None:
    if not membership.has_any_role(*RUN_ROLES):
        raise PermissionDeniedError()


def _employee(company: Company, employee_id: int | None) -> Employee:
    employee = (
        people_selectors.employee_by_id(company=company, employee_id=employee_id) if employee_id else None
    )
    if employee is None:
        raise NotFound()
    return employee


def confirmed_payslips(*, company: Company, employee_id: int, year: int) -> list[Payslip]:
    """The employee's payslips of confirmed runs paid in ``year``, by pay date, with their run and
    lines: 2 queries. A correction (訂正) counts in the year and place of the run it corrects: its
    payslip holds the difference and follows the original's column (so the year's totals are the
    originals plus their corrections)."""
    qs = Payslip.objects.for_company(company).filter(
        Q(run__pay_date__year=year, run__corrects__isnull=True)
        | Q(run__kind=RunKind.CORRECTION, run__corrects__pay_date__year=year),
        employee_id=employee_id,
        run__status=RunStatus.CONFIRMED,
    )
    slips = list(_with_lines(qs.select_related("run__corrects")))
    return sorted(slips, key=_place)


def _place(p: Payslip) -> tuple[date, int, date, int]:
    """Where a payslip goes in the year: by its pay date, a correction right after the original."""
    run = p.run
    origin = run.corrects if run.kind == RunKind.CORRECTION and run.corrects else run
    return (origin.pay_date, origin.pk, run.pay_date if run is not origin else date.min, run.pk)


def effective_pay_date(p: Payslip) -> date:
    """The pay date a payslip is counted on: a correction's is that of the run it corrects."""
    run = p.run
    return run.corrects.pay_date if run.kind == RunKind.CORRECTION and run.corrects else run.pay_date


def ledger_years(*, company: Company, today: date) -> list[int]:
    """Years with a confirmed run, and this year, newest first."""
    years = {
        d.year
        for d in PayrollRun.objects.for_company(company)
        .filter(status=RunStatus.CONFIRMED)
        .dates("pay_date", "year")
    }
    years.add(today.year)
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class EmployeeChoice:
    employee_id: int
    number: str
    name: str


def ledger_employees(
    *, company: Company, membership: Membership, q: str = "", year: int | None = None, limit: int = 50
) -> list[EmployeeChoice]:
    """The employee picker: people with a confirmed payslip (in ``year`` when given), whose 社員番号
    or 氏名 (as on the payslip) contains every word of ``q``; by 社員番号."""
    _require_reader(membership)
    qs = Payslip.objects.for_company(company).filter(run__status=RunStatus.CONFIRMED)
    if year:
        qs = qs.filter(run__pay_date__year=year)
    for word in nfkc(q).split():
        qs = qs.filter(_word_q(word))
    rows = qs.order_by("employee_number", "-run__pay_date").values_list(
        "employee_id", "employee_number", "employee_name"
    )
    seen: dict[int, EmployeeChoice] = {}
    for employee_id, number, name in rows[: limit * 30]:
        if employee_id not in seen:
            seen[employee_id] = EmployeeChoice(employee_id, number, name)
            if len(seen) >= limit:
                break
    return list(seen.values())


def _word_q(word: str) -> Q:
    compact = word.replace(" ", "").replace("\u3000", "")
    return Q(employee_number__icontains=compact) | Q(employee_name__icontains=compact)


# ---------------------------------------------------------------------------------------- 賃金台帳


@dataclass(frozen=True)
class LedgerColumn:
    payslip_id: int
    run_id: int
    kind: str  # salary / bonus
    label: str  # 2026年5月分 給与 / 賞与
    pay_date: date
    period_start: str  # ISO, "" for a bonus without one
    period_end: str


def value_text(value: Decimal, unit: str) -> str:
    """A ledger figure as shown: minutes as 時:分, days as a number, yen with thousands commas."""
    if unit == "minutes":
        return minutes_label(value)
    if unit == "days":
        return f"{value.normalize():f}" if value else "0"
    n = int(value)
    return f"-{abs(n):,}" if n < 0 else f"{n:,}"


@dataclass(frozen=True)
class LedgerRow:
    section: str  # 勤怠 / 支給 / 控除 / 合計
    code: str
    label: str
    unit: str  # yen / minutes / days
    values: list[Decimal]  # one per column (0 where the item is absent)
    total: Decimal
    bold: bool = False

    @property
    def texts(self) -> list[str]:
        return [value_text(v, self.unit) for v in self.values]

    @property
    def total_text(self) -> str:
        return value_text(self.total, self.unit)


@dataclass
class WageLedger:
    employee: Employee
    year: int
    columns: list[LedgerColumn] = field(default_factory=list)
    rows: list[LedgerRow] = field(default_factory=list)

    @property
    def gender_label(self) -> str:
        return str(self.employee.get_gender_display())

    def row(self, code: str) -> LedgerRow:
        return next(r for r in self.rows if r.code == code)


# legal payment lines first, in this order (the brief's codes); company items (item:…) after them
PAYMENT_ORDER = ("base", "legal_overtime", "overtime", "holiday", "night", "absence", "commute")

ATTENDANCE_ROWS = (
    ("days_worked", "労働日数", "days"),
    ("worked_minutes", "労働時間数", "minutes"),
    ("overtime_minutes", "時間外労働時間数", "minutes"),
    ("holiday_minutes", "休日労働時間数", "minutes"),
    ("night_minutes", "深夜労働時間数", "minutes"),
    ("absences", "欠勤日数", "days"),
    ("leave_paid_days", "有給休暇の日数", "days"),
)


def _number(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else ZERO
    except ArithmeticError:
        return ZERO


def _column(p: Payslip) -> LedgerColumn:
    run = p.run
    inputs = p.inputs or {}
    kind_label = "賞与" if run.kind == RunKind.BONUS else "給与"
    if run.kind == RunKind.SALARY:
        label = f"{run.pay_month.year}年{run.pay_month.month}月分 {kind_label}"
    elif run.kind == RunKind.CORRECTION:
        label = f"{run.pay_month.year}年{run.pay_month.month}月分 訂正({run.pay_date:%Y-%m-%d}支給)"
    else:
        label = f"{kind_label} {run.title}".strip()
    return LedgerColumn(
        payslip_id=p.pk,
        run_id=run.pk,
        kind=run.kind,
        label=label,
        pay_date=run.pay_date,
        period_start=str(inputs.get("period_start", "")),
        period_end=str(inputs.get("period_end", "")),
    )


def _row(
    section: str, code: str, label: str, unit: str, values: list[Decimal], bold: bool = False
) -> LedgerRow:
    return LedgerRow(section, code, label, unit, values, sum(values, ZERO), bold)


def _line_rows(payslips: list[Payslip], kind: str, section: str, skip: frozenset[str]) -> list[LedgerRow]:
    """One row per line code of ``kind`` that appears in the year, in a stable order: the legal
    payments in PAYMENT_ORDER, then the others by their smallest sort order and code; each named as
    on its latest payslip; amounts of one code on one payslip added up."""
    ranks: dict[str, tuple[int, int, str]] = {}
    names: dict[str, str] = {}
    amounts: list[dict[str, Decimal]] = []
    for p in payslips:
        by_code: dict[str, Decimal] = {}
        for line in p.lines.all():
            if line.kind != kind or line.code in skip:
                continue
            legal = PAYMENT_ORDER.index(line.code) if line.code in PAYMENT_ORDER else len(PAYMENT_ORDER)
            rank = (legal, line.sort_order, line.code)
            ranks[line.code] = min(ranks.get(line.code, rank), rank)
            names[line.code] = line.name
            by_code[line.code] = by_code.get(line.code, ZERO) + line.amount
        amounts.append(by_code)
    codes = sorted(ranks, key=lambda c: ranks[c])
    return [_row(section, c, names[c], "yen", [a.get(c, ZERO) for a in amounts]) for c in codes]


def _attendance_values(payslips: list[Payslip], key: str) -> list[Decimal]:
    """One attendance figure per column. A bonus pays no period of work: 0 even if the run noted
    figures. A correction recorded the month's attendance as corrected: its column shows the change
    from what the month's earlier columns already count, so the year's total stays right."""
    values: list[Decimal] = []
    counted: dict[int, Decimal] = {}  # run paid (the original) → the figure counted so far
    for p in payslips:
        run = p.run
        value = _number((p.inputs or {}).get(key))
        if run.kind == RunKind.SALARY:
            counted[run.pk] = value
            values.append(value)
        elif run.kind == RunKind.CORRECTION and run.corrects_id in counted:
            values.append(value - counted[run.corrects_id])
            counted[run.corrects_id] = value
        else:
            values.append(ZERO)
    return values


def wage_ledger(
    *, company: Company, membership: Membership, employee_id: int | None, year: int
) -> WageLedger:
    """The 賃金台帳 of one employee for one calendar year (3 queries: the employee, the payslips,
    their lines)."""
    _require_reader(membership)
    employee = _employee(company, employee_id)
    payslips = confirmed_payslips(company=company, employee_id=employee.pk, year=year)
    ledger = WageLedger(employee=employee, year=year, columns=[_column(p) for p in payslips])
    if not payslips:
        return ledger
    rows: list[LedgerRow] = []
    for key, label, unit in ATTENDANCE_ROWS:
        rows.append(_row("勤怠", key, label, unit, _attendance_values(payslips, key)))
    rows += _line_rows(payslips, PayslipLine.Kind.PAYMENT, "支給", frozenset())
    rows.append(_row("支給", "gross", "総支給額", "yen", [p.gross for p in payslips], bold=True))
    rows.append(_row("支給", "nontaxable", "うち非課税額", "yen", [p.nontaxable for p in payslips]))
    care = any(p.care_applies for p in payslips)
    for code, label in LEGAL_DEDUCTIONS:
        shown = health_label(care) if code == "health" else label
        rows.append(_row("控除", code, shown, "yen", [getattr(p, code) for p in payslips]))
    legal = frozenset(code for code, _label in LEGAL_DEDUCTIONS)
    rows += _line_rows(payslips, PayslipLine.Kind.DEDUCTION, "控除", legal)
    rows.append(
        _row("控除", "deduction_total", "控除合計", "yen", [p.deduction_total for p in payslips], bold=True)
    )
    rows.append(_row("合計", "net", "差引支給額", "yen", [p.net for p in payslips], bold=True))
    ledger.rows = rows
    return ledger


# -------------------------------------------------------------------------------------- 源泉徴収簿


@dataclass(frozen=True)
class BookLine:
    payslip_id: int
    kind: str
    month: int  # the pay date's month (月区分)
    pay_date: date
    gross: Decimal  # 総支給額
    taxable: Decimal  # 課税支給額 (源泉徴収簿の「総支給金額」)
    social_insurance: Decimal  # 社会保険料等の控除額
    after_insurance: Decimal  # 社会保険料等控除後の給与等の金額 (課税対象額)
    dependents: int
    tax_column: str
    income_tax: Decimal
    # 賞与: the 算出率 (所得税法186条1項, e.g. "4.084") or "月額表" when the exception applied
    # (告示第115号第3項); "" for salary
    rate: str = ""


@dataclass(frozen=True)
class BookTotals:
    gross: Decimal
    taxable: Decimal
    social_insurance: Decimal
    after_insurance: Decimal
    income_tax: Decimal


@dataclass
class WithholdingBook:
    employee: Employee
    year: int
    salary: list[BookLine]
    bonus: list[BookLine]
    salary_total: BookTotals
    bonus_total: BookTotals
    total: BookTotals


def _totals(lines: list[BookLine]) -> BookTotals:
    def s(name: str) -> Decimal:
        return sum((getattr(x, name) for x in lines), ZERO)

    return BookTotals(s("gross"), s("taxable"), s("social_insurance"), s("after_insurance"), s("income_tax"))


def _book_line(p: Payslip) -> BookLine:
    inputs = p.inputs or {}
    # 社会保険料等 = 健康保険(介護を含む) + 子ども・子育て支援金 + 厚生年金 + 雇用保険 (所得税法74条2項)
    si = p.health + p.child_support + p.pension + p.employment
    try:
        dependents = int(inputs.get("dependents") or 0)
    except (TypeError, ValueError):
        dependents = 0
    return BookLine(
        payslip_id=p.pk,
        kind=p.run.kind,
        month=effective_pay_date(p).month,
        pay_date=p.run.pay_date,
        gross=p.gross,
        taxable=p.taxable,
        social_insurance=si,
        after_insurance=p.taxable - si,
        dependents=dependents,
        tax_column=str(inputs.get("tax_column", "")),
        income_tax=p.income_tax,
        rate=_bonus_rate(p.run.kind, inputs),
    )


def _bonus_rate(kind: str, inputs: dict[str, Any]) -> str:
    if kind != RunKind.BONUS:
        return ""
    if inputs.get("withholding_method") == "bonus_monthly":
        return "月額表"
    return str(inputs.get("bonus_rate") or "")


def withholding_book(
    *, company: Company, membership: Membership, employee_id: int | None, year: int
) -> WithholdingBook:
    """The 源泉徴収簿's figures of one employee for one calendar year (3 queries)."""
    _require_reader(membership)
    employee = _employee(company, employee_id)
    lines = [_book_line(p) for p in confirmed_payslips(company=company, employee_id=employee.pk, year=year)]
    # a correction (訂正) is a line of its own under the month it corrects, counted with salary
    salary = [x for x in lines if x.kind in (RunKind.SALARY, RunKind.CORRECTION)]
    bonus = [x for x in lines if x.kind == RunKind.BONUS]
    return WithholdingBook(
        employee=employee,
        year=year,
        salary=salary,
        bonus=bonus,
        salary_total=_totals(salary),
        bonus_total=_totals(bonus),
        total=_totals(lines),
    )
