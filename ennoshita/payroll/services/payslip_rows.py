"""Writing computed payslips and their lines in bulk: shared by the salary, correction and bonus
runs (its own module so that services.runs and services.bonus, which import each other's
entry points, both reach it without a cycle)."""

from __future__ import annotations

from typing import Any

from ennoshita.core.models import Company
from ennoshita.payroll.calculation_inputs import PayslipOut
from ennoshita.payroll.models import PayrollRun, Payslip, PayslipLine, RunKind

__all__ = ["PAYSLIP_FIELDS", "write_payslips"]


PAYSLIP_FIELDS = (
    "gross", "taxable", "nontaxable", "social_insurance_wage", "employment_insurance_wage", "health",
    "care_applies", "child_support", "pension", "employment", "social_insurance_total", "income_tax",
    "resident_tax", "other_deductions", "deduction_total", "net", "employer_health",
    "employer_child_support", "employer_pension", "transfer_amount", "split_transfer_amount", "bank",
)  # fmt: skip


def write_payslips(
    company: Company,
    run: PayrollRun,
    results: list[tuple[Any, PayslipOut]],
    fields: tuple[str, ...] = PAYSLIP_FIELDS,
) -> None:
    """Write the computed payslips (``fields`` of each result) and their lines; the run's totals
    are the caller's."""
    slips = [
        Payslip(
            company=company,
            run=run,
            employee_id=e.employee_id,
            employee_number=e.number,
            employee_name=e.name[:110],
            department_id=e.department_id,
            department_name=e.department_name[:100],
            pay_type=e.pay_type,
            is_officer=e.is_officer,
            inputs=r.inputs,
            anomalies=r.anomalies,
            is_correction=run.kind == RunKind.CORRECTION,
            **{k: r.fields[k] for k in fields},
        )
        for e, r in results
    ]
    Payslip.objects.bulk_create(slips, batch_size=500)
    lines = [
        PayslipLine(
            company=company,
            payslip=slip,
            kind=line.kind,
            code=line.code[:30],
            name=line.name[:50],
            amount=line.amount,
            quantity=line.quantity[:30],
            taxable=line.taxable,
            sort_order=line.sort_order,
        )
        for slip, (_e, r) in zip(slips, results, strict=True)
        for line in r.lines
    ]
    PayslipLine.objects.bulk_create(lines, batch_size=2000)
