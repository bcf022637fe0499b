"""勤怠 writes, one module per part; each write is keyword-only, one transaction, checked and
audited. The names used by views, the API and other modules are re-exported here."""

from .punches import PunchImportResult, PunchInput, import_punches, record_punch
from .work_rules import (
    ProfileInput,
    WorkRuleInput,
    delete_work_rule,
    update_attendance_profile,
    update_settings,
    update_work_rule,
)

__all__ = [
    "ProfileInput",
    "PunchImportResult",
    "PunchInput",
    "WorkRuleInput",
    "delete_work_rule",
    "import_punches",
    "record_punch",
    "update_attendance_profile",
    "update_settings",
    "update_work_rule",
]
