"""給与の法定計算 (pure functions, no database; jp-rules §1–§3). The names and keyword arguments of
the seven functions below are fixed: auditors and independent checks call them. Rates and tables
are dated data files under ``data/``, chosen by the pay date, the insurance month or the 締切日."""

from .insurance import (
    Grade,
    Premiums,
    bonus_social_insurance,
    employment_insurance,
    social_insurance,
    standard_remuneration,
)
from .resident_tax import resident_tax_installments
from .withholding import bonus_withholding, monthly_withholding

__all__ = [
    "Grade",
    "Premiums",
    "bonus_social_insurance",
    "bonus_withholding",
    "employment_insurance",
    "monthly_withholding",
    "resident_tax_installments",
    "social_insurance",
    "standard_remuneration",
]

# 退職所得 (jp-rules §17)
from .retirement import (
    Severance,
    retirement_income,
    retirement_income_deduction,
    service_years,
    severance,
    severance_income_tax,
    severance_resident_tax,
    severance_steps,
)

__all__ += [
    "Severance",
    "retirement_income",
    "retirement_income_deduction",
    "service_years",
    "severance",
    "severance_income_tax",
    "severance_resident_tax",
    "severance_steps",
]
