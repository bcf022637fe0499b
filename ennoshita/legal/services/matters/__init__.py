"""Writes of 法律相談・紛争: asking, opening, the handler, the answer, notes and people (``writes``),
status changes by a table per kind (``status``), deadlines and costs (``items``), files in the
documents app (``files``), and the daily deadline alerts (``alerts``); ``base`` holds what they
share. Import them from here (``from ennoshita.legal.services import matters``).

Every write is one transaction with its audit event; a refusal writes nothing. A matter the member
may not see (another company's, or one they are not named on) is a ``NotFound``: a 404 that does not
reveal that it exists."""

from __future__ import annotations

from .alerts import JOB_NAME, LEAD_DAYS, lead_for, send_matter_alerts
from .base import (
    CONSULTATION_MOVES,
    DISPUTE_MOVES,
    ENDING,
    MATTER_FIELDS,
    NOTIFY_KIND,
    OPEN_STATUSES,
    TRANSITIONS,
    legal_members,
)
from .files import FOLDER_NAME, attach_matter_file
from .items import add_cost, add_deadline, complete_deadline
from .status import allowed_moves, set_status
from .writes import (
    DisputeInput,
    add_member,
    add_note,
    answer_consultation,
    ask_consultation,
    assign_handler,
    open_dispute,
    record_matter_view,
    remove_member,
    update_dispute,
)

__all__ = [
    "CONSULTATION_MOVES",
    "DISPUTE_MOVES",
    "ENDING",
    "FOLDER_NAME",
    "JOB_NAME",
    "LEAD_DAYS",
    "MATTER_FIELDS",
    "NOTIFY_KIND",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "DisputeInput",
    "add_cost",
    "add_deadline",
    "add_member",
    "add_note",
    "allowed_moves",
    "answer_consultation",
    "ask_consultation",
    "assign_handler",
    "attach_matter_file",
    "complete_deadline",
    "lead_for",
    "legal_members",
    "open_dispute",
    "record_matter_view",
    "remove_member",
    "send_matter_alerts",
    "set_status",
    "update_dispute",
]
