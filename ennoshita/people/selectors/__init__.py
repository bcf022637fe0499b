"""Reads of 人事 data: who may see whom, placements as of a date, the org chart.

The reads live in the modules of this package, by subject; import them from here
(``from ennoshita.people import selectors``). The settings hooks name functions of this package
(``ennoshita.people.selectors.department_ids_of_user`` …), so every public read stays importable here.
"""

from __future__ import annotations

from .api_reads import (
    can_read_departments,
    can_see_bank_account,
    company_member,
    department_for_reader,
    department_page,
    department_search,
    employee_as_of,
    employee_page,
    get_employment_type,
)
from .departments import (
    department_tree,
    departments,
    descendant_ids,
    employment_types,
    get_department,
    get_position,
    positions,
)
from .employees import (
    SEE_ALL_ROLES,
    SORTS,
    can_see_all_employees,
    department_headcount,
    employee_by_id,
    employee_list,
    employees_by_number,
    employees_in_service,
    get_employee,
    has_employee_record,
    incomplete_records,
    joining_or_leaving,
    own_employee_record,
    placement_as_of,
    placement_history,
    upcoming_placements,
    visible_employees,
    with_placement,
)
from .heads import department_head_user, employee_department, head_candidates
from .org import OrgMember, OrgNode, org_chart
from .screen_reads import (
    can_edit_employees,
    department_choices,
    department_ids_of_user,
    employee_attachment_target,
    employee_export,
    employee_history,
    existing_employee_numbers,
    get_placement,
)

__all__ = [
    "SEE_ALL_ROLES",
    "SORTS",
    "OrgMember",
    "OrgNode",
    "can_edit_employees",
    "can_read_departments",
    "can_see_all_employees",
    "can_see_bank_account",
    "company_member",
    "department_choices",
    "department_for_reader",
    "department_head_user",
    "department_headcount",
    "department_ids_of_user",
    "department_page",
    "department_search",
    "department_tree",
    "departments",
    "descendant_ids",
    "employee_as_of",
    "employee_attachment_target",
    "employee_by_id",
    "employee_department",
    "employee_export",
    "employee_history",
    "employee_list",
    "employee_page",
    "employees_by_number",
    "employees_in_service",
    "employment_types",
    "existing_employee_numbers",
    "get_department",
    "get_employee",
    "get_employment_type",
    "get_placement",
    "get_position",
    "has_employee_record",
    "head_candidates",
    "incomplete_records",
    "joining_or_leaving",
    "org_chart",
    "own_employee_record",
    "placement_as_of",
    "placement_history",
    "positions",
    "upcoming_placements",
    "visible_employees",
    "with_placement",
]
