"""Writes of 業務依頼: teams, their members and catalogue (``teams``), making and working on a
request (``writes``), its records and files (``records``), the outside team's grants (``grants``),
time logged (``time_log``), recurring requests (``recurring``), overdue alerts (``alerts``) and the
record of what an assistant opened or was refused (``access``). Import them from here.

Every write is one transaction with its audit events; a refusal writes nothing."""

from __future__ import annotations

from .access import record_denied, record_view
from .alerts import JOB_NAME as ALERT_JOB
from .alerts import overdue_dates, send_overdue_alerts
from .base import NOTIFY_KIND, TRANSITIONS, add_business_days, sla_due
from .grants import DOCUMENT_TYPE, source_of, sync_request_grants
from .records import FOLDER_NAME
from .recurring import first_due, following_due, run_recurring, save_recurring, stop_recurring
from .teams import add_team_member, remove_team_member, revoke_team, save_request_type, save_team
from .time_log import COST_ROUNDING, cost_of, log_time
from .writes import (
    answer,
    ask_requester,
    attach_files,
    cancel_request,
    close_request,
    comment,
    create_request,
    edit_request,
    hand_over,
    take_request,
)

__all__ = [
    "ALERT_JOB",
    "COST_ROUNDING",
    "DOCUMENT_TYPE",
    "FOLDER_NAME",
    "NOTIFY_KIND",
    "TRANSITIONS",
    "add_business_days",
    "add_team_member",
    "answer",
    "ask_requester",
    "attach_files",
    "cancel_request",
    "close_request",
    "comment",
    "cost_of",
    "create_request",
    "edit_request",
    "first_due",
    "following_due",
    "hand_over",
    "log_time",
    "overdue_dates",
    "record_denied",
    "record_view",
    "remove_team_member",
    "revoke_team",
    "run_recurring",
    "save_recurring",
    "save_request_type",
    "save_team",
    "send_overdue_alerts",
    "sla_due",
    "source_of",
    "stop_recurring",
    "sync_request_grants",
    "take_request",
]
