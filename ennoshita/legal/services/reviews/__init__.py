"""Writes of リーガルチェック: asking and sending a revised draft (``submit``), 法務's assignment,
clause comments and answer, and the requester's 完了・取下げ (``workflow``), the round files
(``files``), and the playbook of clause notes (``playbook``); ``base`` holds the status table.
Import them from here (``from ennoshita.legal.services import reviews``).

Every write is one transaction with its audit events; a refusal writes nothing."""

from __future__ import annotations

from .base import NOTIFY_KIND, OPEN, TRANSITIONS, WAITING
from .playbook import ClauseInput, create_playbook_clause, set_playbook_clause_active, update_playbook_clause
from .submit import resubmit_review, submit_review
from .workflow import (
    add_comment,
    assign_reviewer,
    close_review,
    return_review,
    reviewer_candidates,
    withdraw_review,
)

__all__ = [
    "NOTIFY_KIND",
    "OPEN",
    "TRANSITIONS",
    "WAITING",
    "ClauseInput",
    "add_comment",
    "assign_reviewer",
    "close_review",
    "create_playbook_clause",
    "resubmit_review",
    "return_review",
    "reviewer_candidates",
    "set_playbook_clause_active",
    "submit_review",
    "update_playbook_clause",
    "withdraw_review",
]
