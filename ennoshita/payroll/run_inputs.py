"""Everything a run computes from, read from the database in bulk (a fixed number of queries for
the group, plus attendance's month per employee): who is paid, their pay settings, items, grades,
住民税, bank accounts, the last confirmed payslip, and the attendance month.

Other apps are read through their selectors: people (``employees_in_service``), attendance
(``closing_selectors.locked_months``, ``timesheet_selectors.build_timesheet`` with the work
rules read once by ``timesheet_inputs.rules_with_default``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q

from ennoshita.attendance import closing_selectors, timesheet_inputs, timesheet_selectors
from ennoshita.core.models import Company
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from .calculation_arrears import AMOUNT_FIELDS, PaidMonth, PaidSlip, component_of, is_arrears_code
from .calculation_deductions import month_add
from .calculation_inputs import (
    AttendanceInput,
    EmployeeInput,
    GradeInput,
    ItemInput,
    PreviousSlip,
)
from .models import (
    EmployeePayItem,
    PayGroup,
    PayItem,
    PayProfile,
    PayrollRun,
    Payslip,
    PayslipLine,
    ResidentTax,
    RunKind,
    RunStatus,
    StandardRemuneration,
)
from .rules import resident_tax_leaving as rules_leaving

Progress = Callable[[int, int, str], None]
PREVIOUS_RUNS = 3  # pay months looked back for an employee's last confirmed payslip


@dataclass(frozen=True)
class Payee:
    employee: Employee
    profile: PayProfile

    @property
    def name(self) -> str:
        return f"{self.employee.family_name} {self.employee.given_name}"


def month_end(month: date) -> date:
    return month_add(month, 1) - timedelta(days=1)


def latest_profiles(*, company: Company, pay_month: date) -> dict[int, PayProfile]:
    """employee id → their PayProfile in force for the pay month (the latest with effective_from ≤ it)."""
    found: dict[int, PayProfile] = {}
    for p in (
        PayProfile.objects.for_company(company)
        .filter(effective_from__lte=pay_month)
        .order_by("employee_id", "-effective_from")
    ):
        found.setdefault(p.employee_id, p)
    return found


def payees(*, company: Company, pay_group: PayGroup, pay_month: date, attendance_month: date) -> list[Payee]:
    """The group's employees for the pay month: their latest pay profile is in this group and they
    were in service during the attendance month (hired by its end, not retired before it), in
    社員番号 order. The department is the placement at the month's end (or on the last day)."""
    profiles = {
        pk: p for pk, p in latest_profiles(company=company, pay_month=pay_month).items()
        if p.pay_group_id == pay_group.pk
    }  # fmt: skip
    if not profiles:
        return []
    last = month_end(attendance_month)
    seen: dict[int, Employee] = {}
    for as_of in (last, attendance_month):
        for e in people_selectors.employees_in_service(company=company, as_of=as_of):
            if e.pk in profiles:
                seen.setdefault(e.pk, e)
    return [Payee(e, profiles[e.pk]) for e in sorted(seen.values(), key=lambda e: e.number)]


def unlocked(*, company: Company, people: Iterable[Payee], attendance_month: date) -> list[Payee]:
    """Those paid from attendance (not officers) whose attendance month is not closed (勤怠締め)."""
    from_attendance = [p for p in people if not p.profile.is_officer]
    if not from_attendance:
        return []
    locked = closing_selectors.locked_months(
        company=company,
        employee_ids={p.employee.pk for p in from_attendance},
        start=attendance_month,
        end=attendance_month,
    )
    return [p for p in from_attendance if (p.employee.pk, attendance_month) not in locked]


def item_codes(*, company: Company) -> tuple[str, ...]:
    """Every active item's code: a formula may name any of them (0 where an employee has none)."""
    return tuple(PayItem.objects.for_company(company).filter(is_active=True).values_list("code", flat=True))


def _items(company: Company, ids: list[int], pay_month: date) -> dict[int, list[ItemInput]]:
    items = {i.pk: i for i in PayItem.objects.for_company(company).filter(is_active=True)}
    fixed: dict[tuple[int, int], int] = {}
    for employee_id, item_id, amount in (
        EmployeePayItem.objects.for_company(company)
        .filter(employee_id__in=ids, effective_from__lte=pay_month)
        .order_by("employee_id", "item_id", "-effective_from")
        .values_list("employee_id", "item_id", "amount")
    ):
        fixed.setdefault((employee_id, item_id), int(amount))
    by_employee: dict[int, list[ItemInput]] = defaultdict(list)
    for (employee_id, item_id), amount in fixed.items():
        item = items.get(item_id)
        if item is not None and item.source == "fixed" and amount > 0:
            by_employee[employee_id].append(_item_input(item, amount))
    computed = [_item_input(i, 0) for i in items.values() if i.source in ("attendance", "formula")]
    return {pk: by_employee.get(pk, []) + computed for pk in ids}


def _item_input(item: PayItem, amount: int) -> ItemInput:
    return ItemInput(
        code=item.code,
        name=item.name,
        kind=item.kind,
        source=item.source,
        taxable=item.taxable,
        social_insurance=item.social_insurance,
        employment_insurance=item.employment_insurance,
        premium_base=item.premium_base,
        amount=amount,
        attendance_key=item.attendance_key,
        rate=Decimal(item.rate),
        formula=item.formula,
        sort_order=item.sort_order,
    )


def _grades(company: Company, ids: list[int], pay_month: date) -> dict[int, tuple[GradeInput, ...]]:
    rows: dict[int, list[GradeInput]] = defaultdict(list)
    for employee_id, start, health, pension in (
        StandardRemuneration.objects.for_company(company)
        .filter(employee_id__in=ids, effective_from__lte=pay_month)
        .order_by("employee_id", "effective_from")
        .values_list("employee_id", "effective_from", "health_standard", "pension_standard")
    ):
        rows[employee_id].append(GradeInput(start, int(health), int(pension)))
    return {pk: tuple(v) for pk, v in rows.items()}


def resident_tax_year(pay_month: date) -> int:
    """住民税の年度: June to May (地方税法321条の5第1項)."""
    return rules_leaving.resident_tax_year(pay_month)


def _resident_taxes(company: Company, ids: list[int], pay_month: date) -> dict[int, tuple[int, int]]:
    return {
        employee_id: (int(june), int(monthly))
        for employee_id, june, monthly in ResidentTax.objects.for_company(company)
        .filter(employee_id__in=ids, fiscal_year=resident_tax_year(pay_month))
        .values_list("employee_id", "june", "monthly")
    }


def _previous(company: Company, ids: list[int], pay_month: date) -> dict[int, PreviousSlip]:
    months = list(
        PayrollRun.objects.for_company(company)
        .filter(kind=RunKind.SALARY, status=RunStatus.CONFIRMED, pay_month__lt=pay_month)
        .order_by("-pay_month")
        .values_list("pay_month", flat=True)
        .distinct()[:PREVIOUS_RUNS]
    )
    found: dict[int, PreviousSlip] = {}
    if not months:
        return found
    for employee_id, month, net, inputs in (
        Payslip.objects.for_company(company)
        .filter(
            employee_id__in=ids,
            run__kind=RunKind.SALARY,
            run__status=RunStatus.CONFIRMED,
            run__pay_month__in=months,
        )
        .order_by("employee_id", "-run__pay_month")
        .values_list("employee_id", "run__pay_month", "net", "inputs")
    ):
        if employee_id not in found:
            found[employee_id] = PreviousSlip(month, int(net), (inputs or {}).get("fixed_pay") or {})
    return found


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


def _daily_minutes(rule: Any) -> int:
    start = datetime.combine(date(2000, 1, 3), rule.start_time)
    end = datetime.combine(date(2000, 1, 3), rule.end_time)
    minutes = int((end - start).total_seconds() // 60) - int(rule.break_minutes)
    return minutes if minutes > 0 else 480


def attendance_from(sheet: Any) -> AttendanceInput:
    """What pay needs of a month's 出勤簿."""
    workdays = [d for d in sheet.days if d.kind == "workday"]
    paid_leave = 0
    for d in sheet.days:
        for m in d.leave:
            if m.paid:
                paid_leave += m.hours * 60 if m.unit == "hours" else int(d.planned_minutes * m.days)
    return AttendanceInput(
        totals=sheet.totals,
        workdays=len(workdays),
        workdays_in_service=sum(1 for d in workdays if d.in_service),
        daily_minutes=_daily_minutes(sheet.rule),
        paid_leave_minutes=paid_leave,
    )


def employee_inputs(
    *,
    company: Company,
    people: list[Payee],
    pay_month: date,
    attendance_month: date,
    progress: Progress | None = None,
) -> list[EmployeeInput]:
    """The computation's input for each payee (attendance built one by one: the long part)."""
    ids = [p.employee.pk for p in people]
    items = _items(company, ids, pay_month)
    grades = _grades(company, ids, pay_month)
    taxes = _resident_taxes(company, ids, pay_month)
    previous = _previous(company, ids, pay_month)
    rules_by_type = timesheet_inputs.rules_with_default(company=company)
    # the 出勤簿 of everyone, their inputs read a few hundred people at a time
    sheets = timesheet_selectors.timesheets_of(
        company=company,
        employees=[p.employee for p in people],
        month=attendance_month,
        rules_by_type=rules_by_type,
    )
    out: list[EmployeeInput] = []
    for n, (payee, sheet) in enumerate(zip(people, sheets, strict=True), start=1):
        e, p = payee.employee, payee.profile
        out.append(
            EmployeeInput(
                employee_id=e.pk,
                number=e.number,
                name=payee.name,
                department_id=getattr(e, "dept_id", None),
                department_name=getattr(e, "dept_name", None) or "",
                birth_date=e.birth_date,
                hire_date=e.hire_date,
                retire_date=e.retire_date,
                pay_type=p.pay_type,
                base_pay=int(p.base_pay),
                is_officer=p.is_officer,
                commute_allowance=int(p.commute_allowance),
                commute_exempt_limit=int(p.commute_exempt_limit),
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
                split_account=_account(
                    p.split_bank_code,
                    p.split_branch_code,
                    p.split_account_type,
                    p.split_account_number,
                    p.split_account_holder_kana,
                ),
                split_amount=int(p.split_amount),
                items=tuple(items.get(e.pk, ())),
                grades=grades.get(e.pk, ()),
                resident_tax=taxes.get(e.pk),
                resident_tax_lump_sum=p.resident_tax_lump_sum,
                attendance=attendance_from(sheet),
                previous=previous.get(e.pk),
            )
        )
        if progress is not None:
            progress(n, len(people), f"{e.number} {payee.name}")
    return out


# ------------------------------------------------------------------------------ 遡及 and 訂正
def payees_by_id(
    *, company: Company, employee_ids: Iterable[int], pay_month: date, attendance_month: date
) -> list[Payee]:
    """The employees named (who were in service in the attendance month), each with the profile in
    force for ``pay_month`` whatever its group — a month recomputed for arrears or a correction."""
    wanted = set(employee_ids)
    profiles = {
        pk: p for pk, p in latest_profiles(company=company, pay_month=pay_month).items() if pk in wanted
    }
    seen: dict[int, Employee] = {}
    for as_of in (month_end(attendance_month), attendance_month):
        for e in people_selectors.employees_in_service(company=company, as_of=as_of):
            if e.pk in profiles:
                seen.setdefault(e.pk, e)
    return [Payee(e, profiles[e.pk]) for e in sorted(seen.values(), key=lambda e: e.number)]


def arrears_item_codes(*, company: Company) -> tuple[str, ...]:
    """The company payment items whose amount follows the settings (fixed per employee, or a
    formula that may read the 基本給): their back-dated change is paid as arrears."""
    return tuple(
        PayItem.objects.for_company(company)
        .filter(kind="payment", source__in=("fixed", "formula"))
        .values_list("code", flat=True)
    )


def late_settings_months(
    *, company: Company, employee_ids: list[int], pay_month: date
) -> dict[int, list[PayrollRun]]:
    """employee → the confirmed salary runs before ``pay_month`` (oldest first) computed BEFORE a
    pay setting of theirs (PayProfile or EmployeePayItem) dated on or before the run's pay month was
    recorded: those months were paid on settings that have since been changed back-dated (遡及).
    4 queries."""
    late: dict[int, list[tuple[date, Any]]] = defaultdict(list)
    for model in (PayProfile, EmployeePayItem):
        for employee_id, effective_from, created_at in (
            model.objects.for_company(company)
            .filter(employee_id__in=employee_ids, effective_from__lt=pay_month)
            .values_list("employee_id", "effective_from", "created_at")
        ):
            late[employee_id].append((effective_from, created_at))
    if not late:
        return {}
    earliest = min(f for rows in late.values() for f, _c in rows)
    runs: dict[int, PayrollRun] = {}
    out: dict[int, list[PayrollRun]] = defaultdict(list)
    for slip in (
        Payslip.objects.for_company(company)
        .filter(
            employee_id__in=list(late),
            run__kind=RunKind.SALARY,
            run__status=RunStatus.CONFIRMED,
            run__pay_month__gte=earliest.replace(day=1),
            run__pay_month__lt=pay_month,
        )
        .select_related("run", "run__pay_group")
        .only("employee_id", "run")
        .order_by("run__pay_month", "run_id")
    ):
        run = runs.setdefault(slip.run_id, slip.run)
        computed = run.computed_at or run.created_at
        if any(f <= run.pay_month and c > computed for f, c in late[slip.employee_id]):
            out[slip.employee_id].append(run)
    return dict(out)


def _arrears_paid(
    company: Company, ids: list[int], months: set[date]
) -> dict[tuple[int, date], dict[str, int]]:
    """(employee, month) → component → the arrears for that month already paid by confirmed runs."""
    out: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    if not months:
        return out
    for employee_id, inputs in (
        Payslip.objects.for_company(company)
        .filter(employee_id__in=ids, run__status=RunStatus.CONFIRMED, run__pay_month__gt=min(months))
        .filter(inputs__has_key="arrears")
        .values_list("employee_id", "inputs")
    ):
        for row in (inputs or {}).get("arrears") or []:
            try:
                year, month = (int(x) for x in str(row["month"]).split("-"))
                key = (employee_id, date(year, month, 1))
                if key[1] in months:
                    code = str(row["code"])
                    out[key][code] = out[key].get(code, 0) + int(row.get("difference") or 0)
            except (KeyError, TypeError, ValueError):
                continue
    return out


def paid_months(
    *, company: Company, wanted: dict[int, list[PayrollRun]]
) -> dict[tuple[int, date], PaidMonth]:
    """(employee, pay month) → what was paid for it: the payment lines of its confirmed salary
    payslip and of the confirmed corrections of that run (by component), and the arrears paid for
    it later. 3 queries."""
    ids = list(wanted)
    run_ids = {r.pk for runs in wanted.values() for r in runs}
    months = {r.pay_month for runs in wanted.values() for r in runs}
    out: dict[tuple[int, date], PaidMonth] = {}
    for employee_id, runs in wanted.items():
        for r in runs:
            out[(employee_id, r.pay_month)] = PaidMonth(r.pay_month)
    lines = PayslipLine.objects.filter(
        company=company,
        payslip__employee_id__in=ids,
        payslip__run__status=RunStatus.CONFIRMED,
        kind=PayslipLine.Kind.PAYMENT,
    ).filter(Q(payslip__run_id__in=run_ids) | Q(payslip__run__corrects_id__in=run_ids))
    for employee_id, month, code, amount in lines.values_list(
        "payslip__employee_id", "payslip__run__pay_month", "code", "amount"
    ):
        paid = out.get((employee_id, month))
        if paid is None or is_arrears_code(code):
            continue
        component = component_of(code)
        paid.lines[component] = paid.lines.get(component, 0) + int(amount)
    for key, components in _arrears_paid(company, ids, months).items():
        if key in out:
            out[key].arrears = components
    return out


def arrears_paid_for(*, company: Company, employee_ids: list[int], month: date) -> dict[int, dict[str, int]]:
    """employee → component → arrears for ``month`` already paid by confirmed runs."""
    found = _arrears_paid(company, employee_ids, {month})
    return {e: v for (e, _m), v in found.items()}


@dataclass(frozen=True)
class OriginalSlip:
    """An employee's payslip of a confirmed run, with the total of its confirmed corrections."""

    payslip: Payslip
    paid: PaidSlip


def original_slips(*, company: Company, run: PayrollRun) -> dict[int, OriginalSlip]:
    """employee → their payslip of ``run`` with its lines, and what stands paid for the month (the
    payslip plus every confirmed correction of the run). 4 queries."""
    from django.db.models import Prefetch

    qs = Payslip.objects.for_company(company).prefetch_related(
        Prefetch("lines", queryset=PayslipLine.objects.order_by("kind", "sort_order"))
    )
    out: dict[int, OriginalSlip] = {}
    for slip in qs.filter(run=run).order_by("employee_number"):
        paid = PaidSlip()
        paid.add({f: getattr(slip, f) for f in AMOUNT_FIELDS}, slip.lines.all())
        out[slip.employee_id] = OriginalSlip(slip, paid)
    for slip in qs.filter(run__corrects=run, run__status=RunStatus.CONFIRMED, employee_id__in=list(out)):
        out[slip.employee_id].paid.add({f: getattr(slip, f) for f in AMOUNT_FIELDS}, slip.lines.all())
    return out
