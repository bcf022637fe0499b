"""勤怠 writes, one module per part; each write is keyword-only, one transaction, checked and
audited. The names used by views, the API and other modules are re-exported here."""

from .punches import PunchImportResult, PunchInput, import_punches, record_punch
from .work_rules import WorkRuleInput, update_settings, update_work_rule

__all__ = [
    "PunchImportResult",
    "PunchInput",
    "WorkRuleInput",
    "import_punches",
    "record_punch",
    "update_settings",
    "update_work_rule",
]
