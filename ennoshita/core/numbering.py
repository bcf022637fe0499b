"""Gapless numbers per (company, document type, fiscal year), taken under a row lock.

The counter row is locked in the transaction that creates the document: if that transaction rolls
back, so does the increment, so no number is skipped; two issuers queue on the lock and never get
the same number.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from .dates import fiscal_year_of
from .models import Company, NumberSequence
from .rows import statement_cursor

# One statement that locks the counter row, adds one and answers the new value (UPDATE … RETURNING:
# SQLite ≥ 3.35, PostgreSQL). The row lock is held until the caller's transaction ends.
_TAKE = (
    "UPDATE core_numbersequence SET last_number = last_number + %s "
    "WHERE company_id = %s AND doc_type = %s AND fiscal_year = %s RETURNING last_number"
)


def next_number(*, company: Company, doc_type: str, fiscal_year: int, cursor: Any = None) -> int:
    """Take the next number. Must be called inside the transaction that uses it. ``cursor``: a
    statement cursor (core/rows.py) the caller has open on a hot path."""
    return next_numbers(company=company, doc_type=doc_type, fiscal_year=fiscal_year, count=1, cursor=cursor)[
        0
    ]


def next_numbers(
    *, company: Company, doc_type: str, fiscal_year: int, count: int, cursor: Any = None
) -> list[int]:
    """Take ``count`` consecutive numbers at once (bulk work such as an import), under the same lock
    and with the same no-gap guarantee as next_number."""
    if cursor is None:
        with statement_cursor() as own:
            return next_numbers(
                company=company, doc_type=doc_type, fiscal_year=fiscal_year, count=count, cursor=own
            )
    if count < 1:
        raise ValueError("count must be at least 1")
    if not cursor.db.in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that creates the document")
    params = [count, company.pk, doc_type, fiscal_year]
    cursor.execute(_TAKE, params)
    row = cursor.fetchone()
    if row is None:  # the first number of this series
        try:
            with transaction.atomic():
                NumberSequence.objects.create(
                    company=company, doc_type=doc_type, fiscal_year=fiscal_year, last_number=0
                )
        except IntegrityError:
            pass  # a concurrent issuer created it first; we queue on its lock below
        cursor.execute(_TAKE, params)
        row = cursor.fetchone()
    last = int(row[0])
    return list(range(last - count + 1, last + 1))


def next_number_for_date(*, company: Company, doc_type: str, day: date) -> tuple[int, int]:
    """The next number in the fiscal year that ``day`` falls in (by the company's 期首月).

    Returns ``(fiscal_year, number)``; e.g. with 期首 April, 2027-03-31 counts in 2026年度.
    """
    fy = fiscal_year_of(day, start_month=company.fiscal_year_start_month).year
    return fy, next_number(company=company, doc_type=doc_type, fiscal_year=fy)


def format_number(prefix: str, fiscal_year: int, number: int, width: int = 6) -> str:
    """("INV", 2026, 12) → "INV-2026-000012"."""
    return f"{prefix}-{fiscal_year}-{number:0{width}d}"
