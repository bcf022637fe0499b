"""Checks of the kept balances against the lines they summarise (ARCHITECTURE: "a check command
rebuilds balances from lines and compares")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from ennoshita.core.models import Company

from .models import Balance, JournalLine

Key = tuple[int, int, int, date]


@dataclass(frozen=True)
class BalanceDifference:
    account_id: int
    sub_key: int
    dept_key: int
    month: date
    kept: tuple[Decimal, Decimal]
    from_lines: tuple[Decimal, Decimal]


def _month(value: date) -> date:
    return (
        value.replace(day=1)
        if isinstance(value, date)
        else date.fromisoformat(str(value)[:10]).replace(day=1)
    )


def balances_from_lines(*, company: Company) -> dict[Key, tuple[Decimal, Decimal]]:
    """Every posted line summed by (account, sub-account, department, month): what the kept
    balances must be."""
    rows = (
        JournalLine.objects.filter(company=company, entry__status="posted")
        .annotate(m=TruncMonth("date"))
        .values("account_id", "sub_account_id", "department_id", "m")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    return {
        (r["account_id"], r["sub_account_id"] or 0, r["department_id"] or 0, _month(r["m"])): (
            Decimal(r["debit"] or 0),
            Decimal(r["credit"] or 0),
        )
        for r in rows
    }


def kept_balances(*, company: Company) -> dict[Key, tuple[Decimal, Decimal]]:
    return {
        (b.account_id, b.sub_key, b.dept_key, b.month): (Decimal(b.debit), Decimal(b.credit))
        for b in Balance.objects.for_company(company)
        if b.debit or b.credit
    }


def compare_balances(*, company: Company) -> list[BalanceDifference]:
    expected = balances_from_lines(company=company)
    kept = kept_balances(company=company)
    zero = (Decimal(0), Decimal(0))
    return [
        BalanceDifference(*key, kept=kept.get(key, zero), from_lines=expected.get(key, zero))
        for key in sorted(set(expected) | set(kept))
        if kept.get(key, zero) != expected.get(key, zero)
    ]


@transaction.atomic
def rebuild_balances(*, company: Company) -> int:
    """Replace the company's kept balances by the sums of its posted lines (after a restore from an
    old version, say). Returns the number of balance rows written."""
    Balance.objects.for_company(company).delete()
    rows = [
        Balance(company=company, account_id=a, sub_key=s, dept_key=d, month=m, debit=dr, credit=cr)
        for (a, s, d, m), (dr, cr) in balances_from_lines(company=company).items()
    ]
    Balance.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
