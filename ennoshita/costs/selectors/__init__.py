"""Reads of 間接経費: the dashboard, its drill-down, the reader's scope and the settings.

Every function is keyword-only and takes the company (and the reader's membership) first;
figures are Decimal whole yen in frozen dataclasses.
"""

from __future__ import annotations

from .dashboard import (
    MAX_MONTHS,
    CategoryRow,
    Dashboard,
    DepartmentRow,
    Flag,
    PayeeRow,
    dashboard,
    default_month,
    top_payees,
)
from .drilldown import SCREEN_LIMIT, Drilldown, DrillLine, drilldown, source_link
from .scope import (
    NO_DEPARTMENT,
    Scope,
    can_view,
    department_choices,
    expense_accounts,
    indirect_accounts,
    scope_of,
    settings_of,
)

__all__ = [
    "MAX_MONTHS",
    "NO_DEPARTMENT",
    "SCREEN_LIMIT",
    "CategoryRow",
    "Dashboard",
    "DepartmentRow",
    "DrillLine",
    "Drilldown",
    "Flag",
    "PayeeRow",
    "Scope",
    "can_view",
    "dashboard",
    "default_month",
    "department_choices",
    "drilldown",
    "expense_accounts",
    "indirect_accounts",
    "scope_of",
    "settings_of",
    "source_link",
    "top_payees",
]
