"""Writes of 契約書: registering and changing a contract (``writes``), its status (``status``), its
files as versions of one document (``files``), and the daily renewal, expiry and alerts
(``alerts``); ``base`` holds the input shape and the status table they share. Import them from here
(``from ennoshita.legal.services import contracts``).

Every write is one transaction with its audit events; a refusal writes nothing."""

from __future__ import annotations

from .alerts import (
    JOB_NAME,
    LEAD_DAYS,
    RollResult,
    deadline_of,
    legal_members,
    renewal_months_of,
    roll_contracts,
    send_contract_alerts,
)
from .base import (
    CONTRACT_FIELDS,
    INITIAL_STATUSES,
    JOB_MOVES,
    NOTIFY_KIND,
    OPEN_STATUSES,
    TRANSITIONS,
    ContractInput,
    stamp_duty_of,
)
from .files import FILE_KINDS, FOLDER_FALLBACK, FOLDER_NAME, attach_contract_file
from .status import allowed_moves, change_contract_status
from .writes import clean_contract, create_contract, update_contract

__all__ = [
    "CONTRACT_FIELDS",
    "FILE_KINDS",
    "FOLDER_FALLBACK",
    "FOLDER_NAME",
    "INITIAL_STATUSES",
    "JOB_MOVES",
    "JOB_NAME",
    "LEAD_DAYS",
    "NOTIFY_KIND",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "ContractInput",
    "RollResult",
    "allowed_moves",
    "attach_contract_file",
    "change_contract_status",
    "clean_contract",
    "create_contract",
    "deadline_of",
    "legal_members",
    "renewal_months_of",
    "roll_contracts",
    "send_contract_alerts",
    "stamp_duty_of",
    "update_contract",
]
