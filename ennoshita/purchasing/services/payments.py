"""Writes of 支払処理 (payment runs that pay vendor bills and approved expense claims through one
全銀 総合振込 file). Keyword-only, one transaction each, permission-checked (経理・管理者), audited.

The writes live in services/payment_runs.py (draft, remove, cancel), payment_confirm.py (確定,
確定の取消, the file) and payment_settings.py; import them from here
(``from ennoshita.purchasing.services import payments``). ``candidates`` is the read the new-run
screen starts from (selectors/payments.py).
"""

from __future__ import annotations

from ennoshita.purchasing.selectors.payments import Candidate, candidates, is_bank_business_day

from .payment_confirm import (
    FOLDER,
    SOURCE_TYPE,
    build_transfer_file,
    confirm_payment_run,
    file_name,
    reverse_payment_run,
    transfer_file,
)
from .payment_runs import NUMBER_TYPE, cancel_payment_run, create_payment_run, remove_item
from .payment_settings import SETTINGS_FIELDS, update_payment_settings

__all__ = [
    "FOLDER",
    "NUMBER_TYPE",
    "SETTINGS_FIELDS",
    "SOURCE_TYPE",
    "Candidate",
    "build_transfer_file",
    "cancel_payment_run",
    "candidates",
    "confirm_payment_run",
    "create_payment_run",
    "file_name",
    "is_bank_business_day",
    "remove_item",
    "reverse_payment_run",
    "transfer_file",
    "update_payment_settings",
]
