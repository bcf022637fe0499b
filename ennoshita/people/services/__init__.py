"""Writes of 人事 master data. Each is keyword-only, one transaction, role-checked and audited.

The writes live in the modules of this package, by subject; import them from here
(``from ennoshita.people import services``).
"""

from __future__ import annotations

from .base import HR_WRITERS
from .employees import (
    EMPLOYEE_FIELDS,
    _search_key_of,  # bench/run.py builds search keys in bulk with it
    create_employee,
    normalise_employee_input,
    update_employee,
)
from .lifecycle import (
    RetireResult,
    cancel_placement,
    delete_employee,
    retire_employee,
    transfer_employee,
    update_employee_record,
)
from .masters import (
    DEFAULT_EMPLOYMENT_TYPES,
    create_department,
    create_position,
    delete_department,
    set_up_company_masters,
    update_department,
    update_position,
)

__all__ = [
    "DEFAULT_EMPLOYMENT_TYPES",
    "EMPLOYEE_FIELDS",
    "HR_WRITERS",
    "RetireResult",
    "_search_key_of",
    "cancel_placement",
    "create_department",
    "create_employee",
    "create_position",
    "delete_department",
    "delete_employee",
    "normalise_employee_input",
    "retire_employee",
    "set_up_company_masters",
    "transfer_employee",
    "update_department",
    "update_employee",
    "update_employee_record",
    "update_position",
]
