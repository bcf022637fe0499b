"""給与計算 reads: the list of runs, one run with its payslips (search, totals), its checklist
(anomalies by level) and the changes since the last confirmed run; the size of a group."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.payroll import run_inputs
from ennoshita.payroll.calculation_deductions import month_add
from ennoshita.payroll.models import PayGroup, PayrollRun, Payslip, PayslipLine, RunKind, RunStatus
from ennoshita.payroll.permissions import RUN_ROLES

__all__ = [
    "Changes",
    "Checklist",
    "change_rows",
    "checklist",
    "correction_people",
    "corrections_of",
    "get_run",
    "group_size",
    "pay_groups",
    "payslip_rows",
    "previous_confirmed_run",
    "run_list",
    "run_years",
]


def run_list(
    *, company: Company, membership: Membership, year: int | None = None, group_id: int | None = None
) -> QuerySet[PayrollRun]:
    require_role(membership, *RUN_ROLES)
    qs = PayrollRun.objects.for_company(company).select_related("pay_group", "created_by")
    if year:
        qs = qs.filter(pay_month__year=year)
    if group_id:
        qs = qs.filter(pay_group_id=group_id)
    return qs.order_by("-pay_month", "pay_group__sort_order", "-id")


def run_years(*, company: Company) -> list[int]:
    return sorted(
        {d.year for d in PayrollRun.objects.for_company(company).dates("pay_month", "year")}, reverse=True
    )


def pay_groups(*, company: Company) -> QuerySet[PayGroup]:
    return PayGroup.objects.for_company(company).filter(is_active=True).order_by("sort_order", "code")


def get_run(*, company: Company, membership: Membership, run_id: int) -> PayrollRun:
    require_role(membership, *RUN_ROLES)
    run = (
        PayrollRun.objects.for_company(company)
        .select_related("pay_group", "created_by", "corrects")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise NotFound()
    return run


def corrections_of(*, run: PayrollRun) -> QuerySet[PayrollRun]:
    """The correction runs (訂正) of a run, oldest first."""
    return PayrollRun.objects.filter(company_id=run.company_id, corrects=run).order_by("created_at", "pk")


def correction_people(*, run: PayrollRun) -> list[tuple[int, str]]:
    """(employee id, 「社員番号 氏名」) of the run's payslips, for choosing whom to correct."""
    return [
        (pk, f"{number} {name}")
        for pk, number, name in Payslip.objects.filter(run=run)
        .order_by("employee_number")
        .values_list("employee_id", "employee_number", "employee_name")
    ]


def group_size(*, company: Company, pay_group: PayGroup, pay_month: date) -> int:
    """How many would be paid (decides whether the run is computed in the background)."""
    profiles = run_inputs.latest_profiles(company=company, pay_month=pay_month.replace(day=1))
    return sum(1 for p in profiles.values() if p.pay_group_id == pay_group.pk)


def payslip_rows(*, run: PayrollRun, q: str = "") -> QuerySet[Payslip]:
    """The run's payslips (no lines) in 社員番号 order; ``q`` matches number, name or department."""
    qs = Payslip.objects.filter(run=run).defer("inputs", "bank")
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(employee_number__icontains=q) | Q(employee_name__icontains=q) | Q(department_name__icontains=q)
        )
    return qs.order_by("employee_number")


@dataclass
class Checklist:
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def checklist(*, run: PayrollRun) -> Checklist:
    """Every anomaly of the run, errors first, each with its employee."""
    out = Checklist()
    for pk, employee_id, number, name, anomalies in (
        Payslip.objects.filter(run=run)
        .exclude(anomalies=[])
        .order_by("employee_number")
        .values_list("pk", "employee_id", "employee_number", "employee_name", "anomalies")
    ):
        for a in anomalies or []:
            row = {"payslip_id": pk, "employee_id": employee_id, "number": number, "name": name, **a}
            (out.errors if a.get("level") == "error" else out.warnings).append(row)
    return out


def previous_confirmed_run(*, run: PayrollRun) -> PayrollRun | None:
    """The group's last confirmed salary run before this one."""
    return (
        PayrollRun.objects.filter(
            company_id=run.company_id,
            pay_group_id=run.pay_group_id,
            kind=RunKind.SALARY,
            status=RunStatus.CONFIRMED,
            pay_month__lt=run.pay_month,
        )
        .order_by("-pay_month")
        .first()
    )


@dataclass
class Changes:
    previous: PayrollRun | None
    joiners: list[dict[str, Any]] = field(default_factory=list)
    leavers: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)  # each with its list of what changed


def _facts(inputs: dict[str, Any]) -> dict[str, Any]:
    fixed = inputs.get("fixed_pay") or {}
    return {
        "基本給": fixed.get("base_pay"),
        "給与形態": fixed.get("pay_type"),
        "通勤手当": fixed.get("commute"),
        "固定の手当": fixed.get("items"),
        "扶養親族等の数": inputs.get("dependents"),
        "税額表の欄": inputs.get("tax_column"),
        "標準報酬月額": inputs.get("health_standard"),
    }


def change_rows(*, run: PayrollRun) -> Changes:
    """Joiners, leavers, and changes of base pay, items, dependents and grade since the group's last
    confirmed run (compared on what each payslip recorded in ``inputs``)."""
    previous = previous_confirmed_run(run=run)
    out = Changes(previous=previous)
    if previous is None:
        return out
    fields = ("employee_id", "employee_number", "employee_name", "inputs")
    now = {r[0]: r for r in Payslip.objects.filter(run=run).values_list(*fields)}
    before = {r[0]: r for r in Payslip.objects.filter(run=previous).values_list(*fields)}
    for pk in sorted(now.keys() - before.keys(), key=lambda k: now[k][1]):
        out.joiners.append({"employee_id": pk, "number": now[pk][1], "name": now[pk][2]})
    for pk in sorted(before.keys() - now.keys(), key=lambda k: before[k][1]):
        out.leavers.append({"employee_id": pk, "number": before[pk][1], "name": before[pk][2]})
    for pk in sorted(now.keys() & before.keys(), key=lambda k: now[k][1]):
        a, b = _facts(before[pk][3] or {}), _facts(now[pk][3] or {})
        diffs = [{"what": k, "before": a[k], "after": b[k]} for k in a if a[k] is not None and a[k] != b[k]]
        if diffs:
            out.changed.append({"employee_id": pk, "number": now[pk][1], "name": now[pk][2], "diffs": diffs})
    return out


def deduction_columns(*, run: PayrollRun) -> list[tuple[str, str]]:
    """(code, name) of the company deductions used in the run, for the table's columns."""
    seen: dict[str, str] = {}
    for code, name in (
        PayslipLine.objects.filter(
            payslip__run=run, kind=PayslipLine.Kind.DEDUCTION, code__startswith="item:"
        )
        .values_list("code", "name")
        .distinct()
    ):
        seen.setdefault(code, name)
    return sorted(seen.items())


def item_amounts(*, run: PayrollRun, codes: list[str]) -> dict[int, dict[str, int]]:
    """payslip id → {line code: amount} for ``codes``."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for payslip_id, code, amount in PayslipLine.objects.filter(payslip__run=run, code__in=codes).values_list(
        "payslip_id", "code", "amount"
    ):
        out[payslip_id][code] = out[payslip_id].get(code, 0) + int(amount)
    return out


def months_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def next_pay_month(*, company: Company, pay_group: PayGroup | None, today: date) -> date:
    """The pay month a new run most likely is: the month after the group's latest live run, else
    this month."""
    qs = (
        PayrollRun.objects.for_company(company)
        .filter(kind=RunKind.SALARY)
        .exclude(status=RunStatus.DISCARDED)
    )
    if pay_group is not None:
        qs = qs.filter(pay_group=pay_group)
    latest = qs.order_by("-pay_month").values_list("pay_month", flat=True).first()
    return month_add(latest, 1) if latest else today.replace(day=1)
