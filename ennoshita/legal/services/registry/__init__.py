"""Writing 登記・機関 (jp-rules §15): the 定款 settings, officers and their terms (appointment, 重任,
退任), the registered items' changes with their 2-week 登記 deadline and their filing, the
shareholders' and board meetings with their 基準日 and minutes, and the daily alerts.

Every input is checked before anything is written; messages name the field; every write leaves an
audit event. Import from here (``from ennoshita.legal.services import registry``).
"""

from __future__ import annotations

from .alerts import FILING_LEADS, TERM_LEADS, lead_for, send_registry_alerts
from .base import (
    CHANGE_TRANSITIONS,
    FILED,
    NOTIFY_KIND,
    PENDING,
    REGISTERED,
    change_state,
    charter_of,
)
from .changes import ChangeInput, mark_filed, mark_registered, record_registry_change
from .charter import save_charter_settings
from .meetings import SHAREHOLDERS, MeetingInput, attach_minutes, record_meeting
from .officers import OfficerInput, appoint_officer, officer_leaves, reelect_officer

__all__ = [
    "CHANGE_TRANSITIONS",
    "FILED",
    "FILING_LEADS",
    "NOTIFY_KIND",
    "PENDING",
    "REGISTERED",
    "SHAREHOLDERS",
    "TERM_LEADS",
    "ChangeInput",
    "MeetingInput",
    "OfficerInput",
    "appoint_officer",
    "attach_minutes",
    "change_state",
    "charter_of",
    "lead_for",
    "mark_filed",
    "mark_registered",
    "officer_leaves",
    "record_meeting",
    "record_registry_change",
    "reelect_officer",
    "save_charter_settings",
    "send_registry_alerts",
]
