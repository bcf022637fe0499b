"""What a bonus run computes from, read from the database in bulk (a fixed number of queries for the
whole run): who may be paid, the amounts entered, each payee's pay settings in force, and what the
confirmed runs already hold — the fiscal year's 標準賞与額 (健保 573万円), the month's (厚年 150万円)
and the previous month's salary after 社会保険料等 (the 算出率の表's row). Pure computation is in
calculation_bonus.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet, Sum

from ennoshita.core.models import Company
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors

from .calculation_bonus import BonusInput, fiscal_year_start
from .calculation_deductions import month_add
from .models import BonusPayment, PayGroup, PayrollRun, Payslip, RunKind, RunStatus
from .run_inputs import Payee, latest_profiles

__all__ = ["AmountRow", "ReportRow", "amount_rows", "bonus_inputs", "payees", "payments_of", "report_rows"]


def payees(*, company: Company, pay_group: PayGroup, pay_date: date) -> list[Payee]:
    """The group's employees who may receive the bonus: in service on the pay date and with a pay
    profile in force that month naming the group; in 社員番号 order (2 queries + placements)."""
    profiles = {
        pk: p
        for pk, p in latest_profiles(company=company, pay_month=pay_date.replace(day=1)).items()
        if p.pay_group_id == pay_group.pk
    }
    if not profiles:
        return []
    people = people_selectors.employees_in_service(company=company, as_of=pay_date)
    return [Payee(e, profiles[e.pk]) for e in people if e.pk in profiles]


def payments_of(run: PayrollRun) -> dict[int, BonusPayment]:
    """employee id → the amount entered for the run."""
    return {b.employee_id: b for b in BonusPayment.objects.filter(company_id=run.company_id, run=run)}


def _confirmed_bonuses(company: Company, ids: list[int], run: PayrollRun) -> QuerySet[Payslip]:
    return (
        Payslip.objects.for_company(company)
        .filter(employee_id__in=ids, run__kind=RunKind.BONUS, run__status=RunStatus.CONFIRMED)
        .exclude(run=run)
    )


def health_so_far(*, company: Company, ids: list[int], run: PayrollRun) -> dict[int, int]:
    """標準賞与額 (健保) of the confirmed bonuses paid from April 1 of the fiscal year up to the pay
    date (健康保険法45条1項: the 年度 April–March)."""
    rows = (
        _confirmed_bonuses(company, ids, run)
        .filter(run__pay_date__gte=fiscal_year_start(run.pay_date), run__pay_date__lte=run.pay_date)
        .values("employee_id")
        .annotate(total=Sum("standard_bonus_health"))
    )
    return {r["employee_id"]: int(r["total"] or 0) for r in rows}


def pension_so_far(*, company: Company, ids: list[int], run: PayrollRun) -> dict[int, int]:
    """標準賞与額 (厚年) of the confirmed bonuses paid in the same calendar month (厚生年金保険法
    24条の4第1項: 150万円 a month, the month's bonuses together)."""
    first = run.pay_date.replace(day=1)
    rows = (
        _confirmed_bonuses(company, ids, run)
        .filter(run__pay_date__gte=first, run__pay_date__lt=month_add(first, 1))
        .values("employee_id")
        .annotate(total=Sum("standard_bonus_pension"))
    )
    return {r["employee_id"]: int(r["total"] or 0) for r in rows}


def previous_month_salary(*, company: Company, ids: list[int], pay_date: date) -> dict[int, int]:
    """前月の社会保険料等控除後の給与等の金額: the confirmed salary paid (pay date) in the calendar
    month before the bonus's, 課税支給額 − 社会保険料等 (所得税法186条1項1号). Absent: none paid."""
    first = pay_date.replace(day=1)
    rows = (
        Payslip.objects.for_company(company)
        .filter(
            employee_id__in=ids,
            run__kind=RunKind.SALARY,
            run__status=RunStatus.CONFIRMED,
            run__pay_date__gte=month_add(first, -1),
            run__pay_date__lt=first,
        )
        .values("employee_id")
        .annotate(total=Sum(F("taxable") - F("social_insurance_total")))
    )
    return {r["employee_id"]: int(r["total"] or 0) for r in rows}


def _account(code: str, branch: str, kind: str, number: str, holder: str) -> dict[str, str] | None:
    if not (code and branch and number):
        return None
    return {
        "bank_code": code,
        "branch_code": branch,
        "account_type": kind,
        "account_number": number,
        "holder_kana": holder,
    }


def bonus_inputs(
    *, company: Company, run: PayrollRun, people: list[Payee], amounts: dict[int, tuple[int, str]]
) -> list[BonusInput]:
    """The computation's input for each payee with an amount > 0 (``amounts``: employee id →
    (amount, note)), in 社員番号 order."""
    paid = [p for p in people if amounts.get(p.employee.pk, (0, ""))[0] > 0]
    ids = [p.employee.pk for p in paid]
    health = health_so_far(company=company, ids=ids, run=run)
    pension = pension_so_far(company=company, ids=ids, run=run)
    previous = previous_month_salary(company=company, ids=ids, pay_date=run.pay_date)
    out: list[BonusInput] = []
    for payee in paid:
        e, p = payee.employee, payee.profile
        amount, note = amounts[e.pk]
        out.append(
            BonusInput(
                employee_id=e.pk,
                number=e.number,
                name=payee.name,
                amount=amount,
                note=note,
                department_id=getattr(e, "dept_id", None),
                department_name=getattr(e, "dept_name", None) or "",
                birth_date=e.birth_date,
                hire_date=e.hire_date,
                pay_type=p.pay_type,
                is_officer=p.is_officer,
                tax_column=p.tax_column,
                dependents=p.dependents,
                health_insured=p.health_insured,
                si_acquired_on=p.si_acquired_on,
                si_lost_on=p.si_lost_on,
                employment_insured=p.employment_insured,
                ei_acquired_on=p.ei_acquired_on,
                ei_lost_on=p.ei_lost_on,
                main_account=_account(
                    e.bank_code,
                    e.bank_branch_code,
                    e.bank_account_type,
                    e.bank_account_number,
                    e.bank_account_holder_kana,
                ),
                health_so_far=health.get(e.pk, 0),
                pension_so_far=pension.get(e.pk, 0),
                prev_month_after_si=previous.get(e.pk),
            )
        )
    return out


# ------------------------------------------------------------------------------ the screens' reads
@dataclass(frozen=True)
class AmountRow:
    """One line of the amounts screen: a payee (or someone with an amount who no longer is one)."""

    employee_id: int
    number: str
    name: str
    department: str
    amount: int | None
    note: str
    payee: bool
    payslip_id: int | None = None
    net: int | None = None


def amount_rows(*, company: Company, run: PayrollRun, q: str = "") -> list[AmountRow]:
    """Everyone the run may pay, with what was entered and the computed net, in 社員番号 order;
    ``q`` matches 社員番号 or 氏名 (each word). A fixed number of queries."""
    people = payees(company=company, pay_group=run.pay_group, pay_date=run.pay_date)
    entered = payments_of(run)
    slips = {
        employee_id: (pk, int(net))
        for employee_id, pk, net in Payslip.objects.filter(company_id=run.company_id, run=run).values_list(
            "employee_id", "pk", "net"
        )
    }
    rows: list[AmountRow] = []
    known: set[int] = set()
    for p in people:
        e = p.employee
        known.add(e.pk)
        b = entered.get(e.pk)
        slip = slips.get(e.pk)
        rows.append(
            AmountRow(
                employee_id=e.pk,
                number=e.number,
                name=p.name,
                department=getattr(e, "dept_name", None) or "",
                amount=int(b.amount) if b else None,
                note=b.note if b else "",
                payee=True,
                payslip_id=slip[0] if slip else None,
                net=slip[1] if slip else None,
            )
        )
    strays = [b for pk, b in entered.items() if pk not in known]
    if strays:
        for b in BonusPayment.objects.filter(pk__in=[s.pk for s in strays]).select_related("employee"):
            e = b.employee
            rows.append(
                AmountRow(e.pk, e.number, f"{e.family_name} {e.given_name}", "", int(b.amount), b.note, False)
            )
    rows.sort(key=lambda r: r.number)
    words = nfkc(q or "").split()
    if words:
        rows = [r for r in rows if all(w in r.number or w in r.name.replace(" ", "") for w in words)]
    return rows


@dataclass(frozen=True)
class ReportRow:
    """One line of the 被保険者賞与支払届 (日本年金機構): what the form asks for each insured person."""

    number: str
    name: str
    name_kana: str
    birth_date: date | None
    pay_date: date
    amount: int  # 賞与額 (通貨); 現物 is not paid by this system
    standard_bonus: int  # 1,000円未満切捨て
    standard_bonus_health: int  # after the 573万円 a year
    standard_bonus_pension: int  # after the 150万円 a month
    over_70: bool  # 70歳以上被用者
    note: str


def report_rows(*, company: Company, run: PayrollRun) -> list[ReportRow]:
    """The 賞与支払届 figures of a run: everyone paid who was insured (a 標準賞与額 decided), in
    社員番号 order (2 queries)."""
    rows = []
    for p in (
        Payslip.objects.for_company(company)
        .filter(run=run)
        .select_related("employee")
        .order_by("employee_number")
    ):
        inputs = p.inputs or {}
        if inputs.get("si_state", "none") == "none":
            continue
        e = p.employee
        rows.append(
            ReportRow(
                number=p.employee_number,
                name=p.employee_name,
                name_kana=f"{e.family_name_kana} {e.given_name_kana}".strip(),
                birth_date=e.birth_date,
                pay_date=run.pay_date,
                amount=int(p.gross),
                standard_bonus=int(p.standard_bonus),
                standard_bonus_health=int(p.standard_bonus_health),
                standard_bonus_pension=int(p.standard_bonus_pension),
                over_70=bool(inputs.get("over_70")),
                note=str(inputs.get("note", "")),
            )
        )
    return rows
