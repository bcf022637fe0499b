"""Writes of 経費精算. Keyword-only, one transaction each, permission-checked, audited.

``on_claim_decided`` is named in ``settings.ENNOSHITA_APPROVAL_TYPES["expenses.claim"]``: the
approval engine calls it inside the deciding transaction.
"""

from __future__ import annotations

from .claims import LineSpec, ReceiptUpload, attach_receipt, check_receipt, delete_draft, save_claim
from .payments import mark_claims_paid as mark_claims_paid
from .payments import unmark_claims_paid as unmark_claims_paid
from .setup import DEFAULT_CATEGORIES, ensure_setup, save_category, update_settings
from .workflow import on_claim_decided, submit_claim, withdraw_claim

__all__ = [
    "DEFAULT_CATEGORIES",
    "LineSpec",
    "ReceiptUpload",
    "attach_receipt",
    "check_receipt",
    "delete_draft",
    "ensure_setup",
    "on_claim_decided",
    "save_category",
    "save_claim",
    "submit_claim",
    "update_settings",
    "withdraw_claim",
]
