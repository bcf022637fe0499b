"""Monthly totals of some accounts by department, and the posted lines behind one of them.

For the apps that analyse costs (costs: 間接経費). Totals come from ``ledger.Balance`` only — one
grouped query over (company, month) whatever the size of the book — so they are the books' own
figures: posted entries, expense lines net of the 仮払消費税等 split off at posting (税抜経理,
ledger/services/lines.py). The lines behind one (accounts, month, department) are read through the
index (company, account, date, entry, line_no) of ``JournalLine``.

``department_ids`` narrows to those departments (``0`` stands for lines without a department, as
``Balance.dept_key`` does); None is every department and none.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Count, Q, QuerySet, Sum

from ennoshita.core.models import Company
from ennoshita.ledger.models import Balance, JournalEntry, JournalLine

from ._sums import add_months, month_end, month_start, to_yen


@dataclass(frozen=True)
class MonthlyTotal:
    """Posted debit and credit of one account, one department (0: none) and one month."""

    account_id: int
    dept_key: int
    month: date
    debit: Decimal
    credit: Decimal

    @property
    def net(self) -> Decimal:
        """debit − credit: an expense's amount (a credit, such as a refund, makes it smaller)."""
        return self.debit - self.credit


def monthly_account_totals(
    *,
    company: Company,
    account_ids: Collection[int],
    first: date,
    last: date,
    department_ids: Collection[int] | None = None,
) -> list[MonthlyTotal]:
    """Posted totals per (account, department, month) for the whole months ``first``..``last``."""
    if not account_ids:
        return []
    qs = Balance.objects.for_company(company).filter(
        month__gte=month_start(first), month__lte=month_start(last), account_id__in=list(account_ids)
    )
    if department_ids is not None:
        qs = qs.filter(dept_key__in=list(department_ids))
    rows = (
        qs.values("account_id", "dept_key", "month")
        .annotate(
            d=Sum("debit", output_field=BigIntegerField()), c=Sum("credit", output_field=BigIntegerField())
        )
        .order_by()
    )
    return [
        MonthlyTotal(r["account_id"], int(r["dept_key"]), r["month"], to_yen(r["d"]), to_yen(r["c"]))
        for r in rows
    ]


def month_has_postings(*, company: Company, account_ids: Collection[int], month: date) -> bool:
    """Whether anything is posted to these accounts in ``month`` (one indexed lookup)."""
    if not account_ids:
        return False
    return (
        Balance.objects.for_company(company)
        .filter(month=month_start(month), account_id__in=list(account_ids))
        .exclude(debit=0, credit=0)
        .exists()
    )


@dataclass(frozen=True)
class LineRow:
    """One posted line with what a reader needs to find its entry and the entry's source."""

    line_id: int
    entry_id: int
    entry_number: int | None
    date: date
    account_id: int
    account_code: str
    account_name: str
    department_id: int | None
    department_name: str
    memo: str
    entry_memo: str
    debit: Decimal
    credit: Decimal
    source_type: str
    source_id: str
    source_repr: str

    @property
    def amount(self) -> Decimal:
        return self.debit - self.credit


@dataclass(frozen=True)
class LineSummary:
    count: int
    debit: Decimal
    credit: Decimal

    @property
    def net(self) -> Decimal:
        return self.debit - self.credit


def _lines_of_month(
    company: Company, account_ids: Collection[int], month: date, department_ids: Collection[int] | None
) -> QuerySet[JournalLine]:
    first, last = month_start(month), month_end(month)
    qs = JournalLine.objects.for_company(company).filter(
        account_id__in=list(account_ids),
        date__gte=first,
        date__lte=last,
        entry__company_id=company.pk,
        entry__status=JournalEntry.Status.POSTED,
    )
    if department_ids is not None:
        ids = [d for d in department_ids if d]
        cond = Q(department_id__in=ids)
        if 0 in department_ids:
            cond |= Q(department__isnull=True)
        qs = qs.filter(cond)
    return qs


def month_line_summary(
    *,
    company: Company,
    account_ids: Collection[int],
    month: date,
    department_ids: Collection[int] | None = None,
) -> LineSummary:
    """How many posted lines lie behind the month's total, and their sums (equal to the balance)."""
    if not account_ids:
        return LineSummary(0, Decimal(0), Decimal(0))
    agg = _lines_of_month(company, account_ids, month, department_ids).aggregate(
        n=Count("pk"),
        d=Sum("debit", output_field=BigIntegerField()),
        c=Sum("credit", output_field=BigIntegerField()),
    )
    return LineSummary(int(agg["n"] or 0), to_yen(agg["d"]), to_yen(agg["c"]))


def month_lines(
    *,
    company: Company,
    account_ids: Collection[int],
    month: date,
    department_ids: Collection[int] | None = None,
    limit: int | None = None,
) -> Iterator[LineRow]:
    """The posted lines of the accounts in ``month`` (by date, entry, line), ``limit`` of them at most.
    One query (rows are streamed when there is no limit, for exports)."""
    if not account_ids:
        return iter(())
    qs = (
        _lines_of_month(company, account_ids, month, department_ids)
        .order_by("date", "entry_id", "line_no")
        .values(
            "pk",
            "entry_id",
            "entry__number",
            "date",
            "account_id",
            "account__code",
            "account__name",
            "department_id",
            "department__name",
            "memo",
            "entry__memo",
            "debit",
            "credit",
            "entry__source_type",
            "entry__source_id",
            "entry__source_repr",
        )
    )
    rows = qs[:limit] if limit is not None else qs.iterator(chunk_size=2000)
    return (
        LineRow(
            line_id=r["pk"],
            entry_id=r["entry_id"],
            entry_number=r["entry__number"],
            date=r["date"],
            account_id=r["account_id"],
            account_code=r["account__code"],
            account_name=r["account__name"],
            department_id=r["department_id"],
            department_name=r["department__name"] or "",
            memo=r["memo"],
            entry_memo=r["entry__memo"],
            debit=to_yen(r["debit"]),
            credit=to_yen(r["credit"]),
            source_type=r["entry__source_type"],
            source_id=r["entry__source_id"],
            source_repr=r["entry__source_repr"],
        )
        for r in rows
    )


__all__ = [
    "LineRow",
    "LineSummary",
    "MonthlyTotal",
    "add_months",
    "month_line_summary",
    "month_lines",
    "monthly_account_totals",
]
