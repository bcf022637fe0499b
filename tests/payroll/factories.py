"""Rows of payroll's settings for tests, written straight to the models (the settings screens have
their own tests). Each part's tests build on these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ennoshita.core.models import Company, User
from ennoshita.payroll import rules
from ennoshita.payroll.models import (
    GradeReason,
    PayGroup,
    PayProfile,
    PayrollSettings,
    ResidentTax,
    StandardRemuneration,
)
from ennoshita.people.models import Employee


def settings_of(company: Company, **fields: Any) -> PayrollSettings:
    row, _ = PayrollSettings.objects.get_or_create(company=company)
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    if row.health_insurer == "union" and row.union_health_employee_rate and row.union_care_employee_rate:
        # a union's first rates cover every month, as the settings service records them
        from ennoshita.payroll.models import UnionRateVersion
        from ennoshita.payroll.models.setup import UNION_RATES_FROM_THE_START

        UnionRateVersion.objects.update_or_create(
            company=company,
            effective_from=UNION_RATES_FROM_THE_START,
            defaults={
                "name": row.union_name,
                "health_rate": row.union_health_rate,
                "health_employee_rate": row.union_health_employee_rate,
                "care_rate": row.union_care_rate,
                "care_employee_rate": row.union_care_employee_rate,
            },
        )
    return row


def make_group(company: Company, code: str = "monthly", name: str = "月給者", **fields: Any) -> PayGroup:
    """末締め翌月25日払い unless told otherwise."""
    group, _ = PayGroup.objects.get_or_create(
        company=company,
        code=code,
        defaults={"name": name, "closing_day": 0, "pay_day": 25, "pay_month_offset": 1, **fields},
    )
    return group


def make_profile(
    employee: Employee,
    actor: User,
    group: PayGroup,
    *,
    effective_from: date = date(2020, 4, 1),
    **fields: Any,
) -> PayProfile:
    """月給 300,000円, 甲欄 0人, 社会保険・雇用保険 enrolled from the hire date."""
    values: dict[str, Any] = {
        "pay_type": "monthly",
        "base_pay": Decimal(300_000),
        "si_acquired_on": employee.hire_date,
        "ei_acquired_on": employee.hire_date,
    }
    values.update(fields)
    return PayProfile.objects.create(
        company=employee.company,
        employee=employee,
        effective_from=effective_from,
        pay_group=group,
        created_by=actor,
        **values,
    )


def make_grade(
    employee: Employee,
    remuneration: int,
    *,
    effective_from: date = date(2020, 9, 1),
    reason: str = GradeReason.ACQUISITION,
) -> StandardRemuneration:
    """The grade payroll.rules gives for ``remuneration`` (報酬月額) on ``effective_from``."""
    g = rules.standard_remuneration(monthly_remuneration=remuneration, on=effective_from)
    return StandardRemuneration.objects.create(
        company=employee.company,
        employee=employee,
        effective_from=effective_from,
        monthly_remuneration=remuneration,
        health_grade=g.health_grade,
        health_standard=g.health_standard,
        pension_grade=g.pension_grade,
        pension_standard=g.pension_standard,
        reason=reason,
    )


def make_resident_tax(
    employee: Employee, fiscal_year: int, annual: int, municipality: str = "千代田区"
) -> ResidentTax:
    june, monthly = rules.resident_tax_installments(annual=annual)
    return ResidentTax.objects.create(
        company=employee.company,
        employee=employee,
        fiscal_year=fiscal_year,
        municipality_code="131016",
        municipality_name=municipality,
        annual=annual,
        june=june,
        monthly=monthly,
    )
