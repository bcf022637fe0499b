"""The one way the reports total the books: posted debit and credit per account over a range.

Whole months come from ``ledger.Balance`` (kept by every posting); the days of a month that the
range only partly covers come from the posted lines of that month (index company, account, date,
…) — or, when the range covers most of that month, from the month's balance minus the lines of
the days left out, so at most half a month of lines is read. So a statement reads at most one balance query and one line query, whatever the size of the
book. Sums are normalised to Decimal exactly (SQLite answers ints, PostgreSQL Decimals; never a
float on the way).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet, Sum

from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.models import Company
from ennoshita.ledger.chart import RETAINED_EARNINGS_ACCOUNT_CODE, SECTIONS_BY_KEY
from ennoshita.ledger.models import Account, Balance, FiscalYear, JournalEntry, JournalLine
from ennoshita.people.models import Department

ZERO = Decimal(0)
DeptArg = Department | int | None
# account id → (debit, credit)
Sums = dict[int, tuple[Decimal, Decimal]]


def to_yen(value: Any) -> Decimal:
    """A database sum as an exact Decimal: int (SQLite), Decimal (PostgreSQL), str; None is 0."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # a REAL column on SQLite: whole yen are exact below 2**53
        if not value.is_integer():
            raise ValueError(f"a yen sum must be whole, not {value!r}")
        return Decimal(int(value))
    return Decimal(str(value))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def previous_year(day: date) -> date:
    """The same day a year before (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def dept_key(department: DeptArg) -> int | None:
    if department is None:
        return None
    return department if isinstance(department, int) else int(department.pk)


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def fiscal_period(company: Company, day: date) -> Period:
    """The fiscal year (ledger.FiscalYear row) that holds ``day``; outside every row, the year the
    company's start month gives."""
    row = FiscalYear.objects.for_company(company).filter(start__lte=day, end__gte=day).first()
    if row is not None:
        return Period(row.start, row.end)
    fy = fiscal_year_of(day, start_month=company.fiscal_year_start_month)
    return Period(fy.start, fy.end)


def _plan(start: date | None, end: date) -> tuple[date | None, date | None, list[tuple[date, date]]]:
    """Split [start, end] into whole months (first month, last month) and partial-month day ranges."""
    partials: list[tuple[date, date]] = []
    if start is None or start.day == 1:
        full_from = start
    else:
        partials.append((start, min(end, month_end(start))))
        full_from = month_end(start) + timedelta(days=1)
    if end == month_end(end):
        full_to: date | None = month_start(end)
    else:
        if start is None or start <= month_start(end):  # else the head partial already covers it
            partials.append((month_start(end), end))
        full_to = add_months(end, -1)
    if full_from is not None and full_to is not None and full_from > full_to:
        full_to = None
    return full_from, full_to, partials


def _split_partials(
    partials: list[tuple[date, date]],
) -> tuple[list[tuple[date, date]], list[date], list[tuple[date, date]]]:
    """For each partial month, the cheaper way to total it: its own days from the lines, or — when
    it covers more than half the month — the month's kept balance minus the lines of the days it
    leaves out. Returns (ranges to add from lines, whole months to add from balances, ranges to
    subtract from lines); at most half a month of lines is ever read per partial month."""
    direct: list[tuple[date, date]] = []
    months: list[date] = []
    minus: list[tuple[date, date]] = []
    one_day = timedelta(days=1)
    for a, b in partials:
        first, last = month_start(a), month_end(a)
        if ((b - a).days + 1) * 2 <= (last - first).days + 1:
            direct.append((a, b))
            continue
        months.append(first)
        if a > first:
            minus.append((first, a - one_day))
        if b < last:
            minus.append((b + one_day, last))
    return direct, months, minus


def movement(
    company: Company,
    *,
    start: date | None,
    end: date,
    department: DeptArg = None,
    account_ids: Iterable[int] | None = None,
    sub_account_id: int | None = None,
) -> Sums:
    """Posted debits and credits per account over [start, end] (start None: from the first entry)."""
    if start is not None and start > end:
        return {}
    full_from, full_to, partials = _plan(start, end)
    direct, partial_months, minus = _split_partials(partials)
    dkey = dept_key(department)
    ids = list(account_ids) if account_ids is not None else None
    out: dict[int, list[Decimal]] = {}
    sums = {
        "d": Sum("debit", output_field=BigIntegerField()),
        "c": Sum("credit", output_field=BigIntegerField()),
    }

    def take(rows: Iterable[dict[str, Any]], sign: int = 1) -> None:
        for row in rows:
            acc = out.setdefault(row["account_id"], [ZERO, ZERO])
            acc[0] += sign * to_yen(row["d"])
            acc[1] += sign * to_yen(row["c"])

    def balances(qs: QuerySet[Balance]) -> Iterable[dict[str, Any]]:
        if dkey is not None:
            qs = qs.filter(dept_key=dkey)
        if sub_account_id is not None:
            qs = qs.filter(sub_key=sub_account_id)
        if ids is not None:
            qs = qs.filter(account_id__in=ids)
        return qs.values("account_id").annotate(**sums).order_by()  # type: ignore[return-value]

    def lines(ranges: list[tuple[date, date]]) -> Iterable[dict[str, Any]]:
        qs = posted_lines(company, ranges)
        if dkey is not None:
            qs = qs.filter(department_id=dkey)
        if sub_account_id is not None:
            qs = qs.filter(sub_account_id=sub_account_id)
        if ids is not None:
            qs = qs.filter(account_id__in=ids)
        return qs.values("account_id").annotate(**sums).order_by()  # type: ignore[return-value]

    if full_to is not None:
        qs = Balance.objects.for_company(company).filter(month__lte=full_to)
        if full_from is not None:
            qs = qs.filter(month__gte=full_from)
        take(balances(qs))
    if partial_months:
        take(balances(Balance.objects.for_company(company).filter(month__in=partial_months)))
    if direct:
        take(lines(direct))
    if minus:
        take(lines(minus), sign=-1)
    return {k: (v[0], v[1]) for k, v in out.items()}


def posted_lines(company: Company, ranges: list[tuple[date, date]]) -> QuerySet[JournalLine]:
    """The lines of posted entries dated in ``ranges``. A line carries its entry's date, so the
    entries are narrowed by date too: the join reads the entry index (company, status, date, id)
    for those days instead of every entry of the book."""
    days = Q()
    for a, b in ranges:
        days |= Q(date__gte=a, date__lte=b, entry__date__gte=a, entry__date__lte=b)
    return JournalLine.objects.for_company(company).filter(
        days, entry__company_id=company.pk, entry__status=JournalEntry.Status.POSTED
    )


def monthly_movement(
    company: Company, *, first: date, last: date, department: DeptArg = None
) -> dict[tuple[int, date], tuple[Decimal, Decimal]]:
    """Posted debits and credits per (account, month) for the whole months first..last."""
    qs = Balance.objects.for_company(company).filter(month__gte=first, month__lte=last)
    dkey = dept_key(department)
    if dkey is not None:
        qs = qs.filter(dept_key=dkey)
    rows = qs.values("account_id", "month").annotate(
        d=Sum("debit", output_field=BigIntegerField()), c=Sum("credit", output_field=BigIntegerField())
    )
    return {(r["account_id"], r["month"]): (to_yen(r["d"]), to_yen(r["c"])) for r in rows.order_by()}


@dataclass(frozen=True)
class Chart:
    """A company's accounts, in code order, with the one the prior years' profit goes to."""

    accounts: list[Account]
    by_id: dict[int, Account]
    retained_earnings_id: int | None

    def statement(self, account_id: int) -> str:
        return SECTIONS_BY_KEY[self.by_id[account_id].section].statement

    def is_pl(self, account_id: int) -> bool:
        return self.statement(account_id) == "PL"


def load_chart(company: Company) -> Chart:
    accounts = list(
        Account.objects.for_company(company)
        .only("id", "code", "name", "section", "normal_side", "is_contra", "is_active")
        .order_by("code")
    )
    by_id = {a.pk: a for a in accounts}
    re_id = next((a.pk for a in accounts if a.code == RETAINED_EARNINGS_ACCOUNT_CODE), None)
    return Chart(accounts, by_id, re_id)


def pl_net(chart: Chart, sums: Sums) -> Decimal:
    """Credits − debits of the P/L accounts: the profit of the movement (negative: a loss)."""
    return sum((c - d for aid, (d, c) in sums.items() if aid in chart.by_id and chart.is_pl(aid)), ZERO)


def subtract(a: Sums, b: Sums) -> Sums:
    out: Sums = {}
    for key in set(a) | set(b):
        ad, ac = a.get(key, (ZERO, ZERO))
        bd, bc = b.get(key, (ZERO, ZERO))
        out[key] = (ad - bd, ac - bc)
    return out


def add(a: Sums, b: Sums) -> Sums:
    out: Sums = dict(a)
    for key, (d, c) in b.items():
        od, oc = out.get(key, (ZERO, ZERO))
        out[key] = (od + d, oc + c)
    return out
