"""What the law and the banks say about purchases and paying suppliers, as pure functions.

- 経過措置 for purchases from suppliers who are not 適格請求書発行事業者 and the 少額特例
  (jp-rules.md §5.4);
- the 消費税等 of a vendor's bill, once per rate per bill (bill_tax.py);
- 支払条件: the due date of a vendor's bill from its 締め日・支払月・支払日 (terms.py);
- names as banks accept them, and the 120-character records of a 全銀 総合振込 / 給与・賞与振込
  file (jp-rules.md §8).
"""

from .bank_text import BANK_CHARACTERS, LEGAL_ENTITY_ABBREVIATIONS, bank_characters, bank_kana
from .bill_tax import bill_tax_by_rate, spread_tax
from .tax import (
    SMALL_BUSINESS_BASE_PERIOD_SALES,
    SMALL_BUSINESS_SPECIFIC_PERIOD_SALES,
    SMALL_PURCHASE_LIMIT,
    SMALL_PURCHASE_PERIOD,
    small_purchase_exception_applies,
    transitional_book_note,
    transitional_cap_per_supplier,
    transitional_deduction_rate,
)
from .terms import MONTH_END, check_terms, due_date_for, terms_label
from .zengin import (
    ACCOUNT_TYPES,
    DATA_LAYOUT,
    END_LAYOUT,
    HEADER_ACCOUNT_TYPES,
    HEADER_LAYOUT,
    KINDS,
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_TOTAL,
    PAYROLL_DATA_LAYOUT,
    RECORD_LENGTH,
    TRAILER_LAYOUT,
    ZENGIN_ENCODING,
    ZenginField,
    encode_zengin,
    zengin_transfer_records,
)

__all__ = [
    "ACCOUNT_TYPES",
    "BANK_CHARACTERS",
    "DATA_LAYOUT",
    "END_LAYOUT",
    "HEADER_ACCOUNT_TYPES",
    "HEADER_LAYOUT",
    "KINDS",
    "LEGAL_ENTITY_ABBREVIATIONS",
    "MAX_AMOUNT",
    "MAX_COUNT",
    "MAX_TOTAL",
    "MONTH_END",
    "PAYROLL_DATA_LAYOUT",
    "RECORD_LENGTH",
    "SMALL_BUSINESS_BASE_PERIOD_SALES",
    "SMALL_BUSINESS_SPECIFIC_PERIOD_SALES",
    "SMALL_PURCHASE_LIMIT",
    "SMALL_PURCHASE_PERIOD",
    "TRAILER_LAYOUT",
    "ZENGIN_ENCODING",
    "ZenginField",
    "bank_characters",
    "bank_kana",
    "bill_tax_by_rate",
    "check_terms",
    "due_date_for",
    "encode_zengin",
    "small_purchase_exception_applies",
    "spread_tax",
    "terms_label",
    "transitional_book_note",
    "transitional_cap_per_supplier",
    "transitional_deduction_rate",
    "zengin_transfer_records",
]
