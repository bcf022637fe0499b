"""給与's models, one module per part (docs/domains/payroll.md)."""

from .employees import (
    EmployeePayItem,
    GradeReason,
    PayProfile,
    PayType,
    ResidentTax,
    StandardRemuneration,
    TaxColumn,
)
from .leaving import SeverancePay
from .runs import ITEM_KIND_TO_LINE, BonusPayment, PayrollRun, Payslip, PayslipLine, RunKind, RunStatus
from .setup import (
    Business,
    HealthInsurer,
    ItemKind,
    ItemSource,
    PayGroup,
    PayItem,
    PayrollSettings,
    ProrationRule,
    UnionRateVersion,
    WithholdingMethod,
)

__all__ = [
    "ITEM_KIND_TO_LINE",
    "BonusPayment",
    "Business",
    "EmployeePayItem",
    "GradeReason",
    "HealthInsurer",
    "ItemKind",
    "ItemSource",
    "PayGroup",
    "PayItem",
    "PayProfile",
    "PayType",
    "PayrollRun",
    "PayrollSettings",
    "Payslip",
    "PayslipLine",
    "ProrationRule",
    "ResidentTax",
    "RunKind",
    "RunStatus",
    "SeverancePay",
    "StandardRemuneration",
    "TaxColumn",
    "UnionRateVersion",
    "WithholdingMethod",
]
