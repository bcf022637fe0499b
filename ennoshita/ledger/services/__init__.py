"""Writes of the general ledger: the books of a new company, accounts, journal entries (draft,
post, reverse) and the month and year locks.

``post_entry`` is the one entry point for other apps (invoices, expenses, payroll): they post with
a source reference (``source_type``/``source_id``) so that every statement figure drills down to
its source document. Every function is keyword-only, runs in one transaction and records an audit
event; the database refuses what the service would refuse (ledger/triggers.py).
"""

from .accounts import KEEP, SYSTEM_ACCOUNT_CODES, save_account, save_sub_account
from .books import (
    JOURNAL_NUMBERS,
    ensure_books,
    on_company_created,
    open_next_fiscal_year,
    update_ledger_settings,
)
from .bulk import EntryInput, post_entries
from .entries import (
    delete_draft,
    post_draft,
    post_entry,
    reverse_entry,
    save_draft,
)
from .lines import MAX_LINE_AMOUNT, LineInput
from .periods import close_fiscal_year, lock_month, reopen_fiscal_year, unlock_month

__all__ = [
    "JOURNAL_NUMBERS",
    "KEEP",
    "MAX_LINE_AMOUNT",
    "SYSTEM_ACCOUNT_CODES",
    "EntryInput",
    "LineInput",
    "close_fiscal_year",
    "delete_draft",
    "ensure_books",
    "lock_month",
    "on_company_created",
    "open_next_fiscal_year",
    "post_draft",
    "post_entries",
    "post_entry",
    "reopen_fiscal_year",
    "reverse_entry",
    "save_account",
    "save_draft",
    "save_sub_account",
    "unlock_month",
    "update_ledger_settings",
]
