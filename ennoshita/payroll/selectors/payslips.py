"""Reads of 給与明細: one's own published payslips, one payslip for whoever may open it, and the
payslip laid out as a Japanese 給与明細 (勤怠・支給・控除・差引支給額・振込) for the screen, the
PDF and the API.

Who may open a payslip (issue 9; ARCHITECTURE.md "An employee sees their own payslips … never a
colleague's"):
- its own employee, once it is published (the run confirmed and ``published_at`` set);
- 人事, 経理 and the admin (RUN_ROLES): any payslip of their company, drafts included (marked
  「下書き」).
Anyone else gets the same answer as for an id that does not exist (404), so that a colleague's
payslip id reveals nothing; another company's id is a 404 by construction (the company's queryset).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from ennoshita.core import banks
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.payroll.models import Payslip, PayslipLine, RunKind, RunStatus
from ennoshita.payroll.permissions import RUN_ROLES
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import AccountType

ZERO = Decimal(0)


def can_see_all_payslips(membership: Membership) -> bool:
    return membership.has_any_role(*RUN_ROLES)


def _published(qs: QuerySet[Payslip]) -> QuerySet[Payslip]:
    return qs.filter(run__status=RunStatus.CONFIRMED, published_at__isnull=False)


def _with_lines(qs: QuerySet[Payslip]) -> QuerySet[Payslip]:
    lines = PayslipLine.objects.order_by("kind", "sort_order", "pk")
    return qs.select_related("run", "run__pay_group").prefetch_related(Prefetch("lines", queryset=lines))


# ------------------------------------------------------------------------------------ own payslips


@dataclass(frozen=True)
class MyPayslips:
    employee_id: int | None
    years: list[int]  # years (of the pay date) that hold a published payslip, newest first
    year: int | None  # the year shown
    payslips: list[Payslip]  # newest first (run loaded)


def my_payslips(*, company: Company, membership: Membership, year: int | None = None) -> MyPayslips:
    """The signed-in member's own published payslips of one year (the pay date's; the newest year
    when not given), newest first: 3 queries (own record, the years, the year's payslips) through
    the (company, employee) index."""
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if own is None:
        return MyPayslips(employee_id=None, years=[], year=None, payslips=[])
    mine = _published(Payslip.objects.for_company(company).filter(employee=own))
    years = sorted(
        {d.year for d in mine.order_by().values_list("run__pay_date", flat=True).distinct()}, reverse=True
    )
    if year not in years:
        year = years[0] if years else None
    payslips: list[Payslip] = []
    if year is not None:
        payslips = list(
            mine.filter(run__pay_date__year=year).select_related("run").order_by("-run__pay_date", "-run_id")
        )
    return MyPayslips(employee_id=own.pk, years=years, year=year, payslips=payslips)


def get_payslip(*, company: Company, membership: Membership, payslip_id: int) -> Payslip:
    """One payslip with its run and lines (2 queries for 人事/経理, 3 for the employee), or
    NotFound for anyone the rule above does not admit."""
    qs = _with_lines(Payslip.objects.for_company(company).filter(pk=payslip_id))
    if not can_see_all_payslips(membership):
        own = people_selectors.own_employee_record(company=company, membership=membership)
        if own is None:
            raise NotFound()
        qs = _published(qs.filter(employee_id=own.pk))
    payslip = qs.first()
    if payslip is None:
        raise NotFound()
    return payslip


# ------------------------------------------------------------------------------ the sheet (明細)


@dataclass(frozen=True)
class Cell:
    code: str
    label: str
    value: str  # as shown: "20日", "168:30", "¥300,000" is left to the template: amounts stay Decimal
    amount: Decimal | None = None


@dataclass(frozen=True)
class Transfer:
    label: str  # 本人口座 / 第2口座
    bank: str  # 三菱ＵＦＪ銀行 渋谷支店 普通
    account: str  # ****567
    amount: Decimal


@dataclass
class PayslipSheet:
    payslip: Payslip
    title: str  # 給与明細書 / 賞与明細書
    draft: bool  # not yet confirmed: shown as 「下書き」
    status_label: str
    pay_date: date
    period_start: date | None
    period_end: date | None
    attendance: list[Cell] = field(default_factory=list)
    payments: list[Cell] = field(default_factory=list)
    deductions: list[Cell] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    cash: Decimal = ZERO  # net pay not transferred (paid otherwise)
    bonus: list[Cell] = field(default_factory=list)  # 賞与: 標準賞与額 and how the tax was found


def minutes_label(minutes: Any) -> str:
    """540 → "9:00" (hours:minutes, as attendance shows them)."""
    try:
        m = int(minutes or 0)
    except (TypeError, ValueError):
        return "0:00"
    sign = "-" if m < 0 else ""
    return f"{sign}{abs(m) // 60}:{abs(m) % 60:02d}"


def days_label(days: Any) -> str:
    text = str(days if days not in (None, "") else 0)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}日"


def mask_account(number: str) -> str:
    """An account number on a payslip shows only its last 3 digits: 1234567 → ****567."""
    digits = (number or "").strip()
    return f"****{digits[-3:]}" if digits else ""


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# 勤怠: (inputs key, label, kind) — the figures the run read from attendance (brief: inputs keys)
ATTENDANCE_KEYS = (
    ("days_worked", "出勤日数", "days"),
    ("absences", "欠勤日数", "days"),
    ("leave_paid_days", "有休日数", "days"),
    ("worked_minutes", "労働時間", "minutes"),
    ("overtime_minutes", "時間外労働", "minutes"),
    ("holiday_minutes", "休日労働", "minutes"),
    ("night_minutes", "深夜労働", "minutes"),
)

# 控除: the legal deductions, always shown (0 included) in this order, from the payslip's fields
LEGAL_DEDUCTIONS = (
    ("health", "健康保険料"),
    ("child_support", "子ども・子育て支援金"),
    ("pension", "厚生年金保険料"),
    ("employment", "雇用保険料"),
    ("income_tax", "所得税"),
    ("resident_tax", "住民税"),
)
LEGAL_DEDUCTION_CODES = frozenset(code for code, _label in LEGAL_DEDUCTIONS)


def health_label(care_applies: bool) -> str:
    # 介護保険第2号被保険者 (40歳以上65歳未満): 介護保険料 is collected with 健康保険料 (介護保険法129条)
    return "健康保険料(介護含む)" if care_applies else "健康保険料"


def attendance_cells(payslip: Payslip) -> list[Cell]:
    inputs = payslip.inputs or {}
    cells: list[Cell] = []
    if payslip.run.kind == RunKind.SALARY or any(k in inputs for k, _l, _t in ATTENDANCE_KEYS):
        for key, label, kind in ATTENDANCE_KEYS:
            value = inputs.get(key, 0)
            cells.append(Cell(key, label, minutes_label(value) if kind == "minutes" else days_label(value)))
        if inputs.get("late_early_minutes"):
            # what a 欠勤控除 with no day absent comes from
            cells.append(
                Cell("late_early_minutes", "遅刻・早退", minutes_label(inputs["late_early_minutes"]))
            )
    known = {c.code for c in cells}
    for line in payslip.lines.all():
        if line.kind == PayslipLine.Kind.INFO and line.code not in known:
            cells.append(Cell(line.code, line.name, line.quantity or f"{line.amount:,}"))
    return cells


def payment_cells(payslip: Payslip) -> list[Cell]:
    """Each payment line in the run's order; 欠勤控除 is a negative payment line (it lowers 総支給額)."""
    return [
        Cell(line.code, line.name, "", line.amount)
        for line in payslip.lines.all()
        if line.kind == PayslipLine.Kind.PAYMENT
    ]


def _lump_of(payslip: Payslip) -> int:
    """The 住民税 collected in a lump from a leaver's final pay (地方税法321条の5第2項): part of
    ``Payslip.resident_tax`` (the books and the 納付 list count it as 住民税), shown as its own cell."""
    lump = (payslip.inputs or {}).get("resident_tax_lump") or {}
    try:
        return int(lump.get("amount", 0))
    except (TypeError, ValueError):
        return 0


def deduction_cells(payslip: Payslip) -> list[Cell]:
    lump = _lump_of(payslip)
    cells = [
        Cell(
            code,
            health_label(payslip.care_applies) if code == "health" else label,
            "",
            getattr(payslip, code) - (lump if code == "resident_tax" else 0),
        )
        for code, label in LEGAL_DEDUCTIONS
    ]
    if lump:
        cells.append(Cell("resident_tax_lump", "住民税(一括徴収)", "", Decimal(lump)))
    cells += [
        Cell(line.code, line.name, "", line.amount)
        for line in payslip.lines.all()
        if line.kind == PayslipLine.Kind.DEDUCTION and line.code not in LEGAL_DEDUCTION_CODES
    ]
    return cells


def _bank_label(account: dict[str, Any]) -> str:
    """「三菱ＵＦＪ 渋谷 普通」: the names as the 全銀 code list has them, or the codes when unknown."""
    code = str(account.get("bank_code", ""))
    branch_code = str(account.get("branch_code", ""))
    bank = banks.bank(code) if code else None
    branch = banks.branch(code, branch_code) if code and branch_code else None
    kind = dict(AccountType.choices).get(str(account.get("account_type", "")), "")
    parts = [bank.name if bank else code, branch.name if branch else branch_code, str(kind)]
    return " ".join(p for p in parts if p)


def transfers_of(payslip: Payslip) -> list[Transfer]:
    bank = payslip.bank or {}
    out: list[Transfer] = []
    for key, label, amount in (
        ("main", "本人口座", payslip.transfer_amount),
        ("split", "第2口座", payslip.split_transfer_amount),
    ):
        account = bank.get(key)
        if account and amount:
            out.append(
                Transfer(
                    label, _bank_label(account), mask_account(str(account.get("account_number", ""))), amount
                )
            )
    return out


def bonus_cells(payslip: Payslip) -> list[Cell]:
    """A bonus's 標準賞与額 (1,000円未満切捨て; 健保 after the 573万円 a year, 厚年 after the 150万円 a
    month — 健康保険法45条, 厚生年金保険法24条の4) and how its 所得税 was found (所得税法186条)."""
    if payslip.run.kind != RunKind.BONUS:
        return []
    inputs = payslip.inputs or {}
    cells = [
        Cell("standard_bonus", "標準賞与額", "", payslip.standard_bonus),
        Cell("standard_bonus_health", "標準賞与額(健康保険)", "", payslip.standard_bonus_health),
        Cell("standard_bonus_pension", "標準賞与額(厚生年金)", "", payslip.standard_bonus_pension),
        Cell(
            "prev_month_after_si",
            "前月の社会保険料等控除後の給与",
            "",
            _decimal(inputs.get("prev_month_after_si")),
        ),
    ]
    if inputs.get("withholding_method") == "bonus_rate":
        cells.append(Cell("bonus_rate", "算出率", f"{inputs.get('bonus_rate', '')}%"))
    elif inputs.get("withholding_method") == "bonus_monthly":
        cells.append(Cell("bonus_rate", "税額の求め方", "月額表"))
    return cells


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else ZERO
    except ArithmeticError:
        return ZERO


def payslip_sheet(payslip: Payslip) -> PayslipSheet:
    """The payslip laid out as a 給与明細 (no query beyond the prefetched lines)."""
    run = payslip.run
    inputs = payslip.inputs or {}
    transfers = transfers_of(payslip)
    transferred = sum((t.amount for t in transfers), ZERO)
    return PayslipSheet(
        payslip=payslip,
        title="賞与明細書" if run.kind == RunKind.BONUS else "給与明細書",
        draft=run.status != RunStatus.CONFIRMED,
        status_label=str(run.get_status_display()),
        pay_date=run.pay_date,
        period_start=_iso(inputs.get("period_start")),
        period_end=_iso(inputs.get("period_end")),
        attendance=attendance_cells(payslip),
        payments=payment_cells(payslip),
        deductions=deduction_cells(payslip),
        transfers=transfers,
        cash=max(payslip.net - transferred, ZERO),
        bonus=bonus_cells(payslip),
    )
