"""§8: the 120-character records of a 全銀 総合振込 / 給与・賞与振込 file. The code lives in
``ennoshita.core.zengin`` (pure, shared with payroll's 給与振込); re-exported here as part of the
purchasing rules so that every import of ``purchasing.rules.zengin`` keeps working."""

from ennoshita.core.zengin import (
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
    "DATA_LAYOUT",
    "END_LAYOUT",
    "HEADER_ACCOUNT_TYPES",
    "HEADER_LAYOUT",
    "KINDS",
    "MAX_AMOUNT",
    "MAX_COUNT",
    "MAX_TOTAL",
    "PAYROLL_DATA_LAYOUT",
    "RECORD_LENGTH",
    "TRAILER_LAYOUT",
    "ZENGIN_ENCODING",
    "ZenginField",
    "encode_zengin",
    "zengin_transfer_records",
]
