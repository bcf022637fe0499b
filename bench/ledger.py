"""Benchmark of the general ledger: `.venv/bin/python bench/ledger.py [--database-url postgres://…/NEW_DB]`.

Builds a company with 1,000,000 journal lines over three fiscal years (2023-04 … 2026-03), plus two
other companies' books in the same database, then reports:

a. posting throughput through ``ledger.services.post_entry`` with its audit event, each entry in its
   own transaction (entries/s);
b. CSV import throughput (generic layout, all rows checked, then posted in one transaction);
c. latency of the trial balance, B/S, P/L and 月次推移表 for the last year (median of --repeat runs);
d. a 総勘定元帳 page deep in the busiest account (普通預金, about a quarter of all lines), reached by
   following the keyset cursor page after page; the time of one page fetch at that depth.

The bulk of the book is written fast, not through post_entry (that is what (a) measures): entries are
inserted as drafts with ``bulk_create``, their lines likewise, then posted by an UPDATE that the
database's posting trigger checks row by row, and the balances are rebuilt from the lines with
``ledger.maintenance.rebuild_balances`` (then checked against them). Results are written up by hand in
docs/performance.md. A benchmark is not a test; pytest does not collect it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ThrowawayPostgres, in_throwaway_installation, ms, start_django

YEARS = [
    (date(2023, 4, 1), date(2024, 3, 31)),
    (date(2024, 4, 1), date(2025, 3, 31)),
    (date(2025, 4, 1), date(2026, 3, 31)),
]

# (debit account, credit account, tax on the debit/credit line, share): typical SME traffic; every
# pattern touches 普通預金 or 売掛金/買掛金, as real books do.
PATTERNS = [
    ("売掛金", "売上高", "S10", 30),
    ("普通預金", "売掛金", None, 25),
    ("仕入高", "買掛金", "P10", 15),
    ("買掛金", "普通預金", None, 12),
    ("消耗品費", "普通預金", "P10", 6),
    ("会議費", "現金", "P8R", 4),
    ("地代家賃", "普通預金", "P10", 3),
    ("給料手当", "普通預金", None, 5),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita ledger benchmark")
    p.add_argument(
        "--database-url", default="", help="postgres://user@host:port/NEW_DB_NAME (created and dropped)"
    )
    p.add_argument("--lines", type=int, default=1_000_000, help="journal lines of the measured company")
    p.add_argument(
        "--other-lines", type=int, default=100_000, help="lines of each of the two other companies"
    )
    p.add_argument("--posts", type=int, default=1_000, help="post_entry calls to time")
    p.add_argument("--import-rows", type=int, default=5_000, help="rows of the timed CSV import")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--depth", type=int, default=100, help="general-ledger pages to follow before timing one")
    p.add_argument("--seed", type=int, default=20261124)
    p.add_argument(
        "--profile-posting", action="store_true", help="print a cProfile of post_entry (one transaction each)"
    )
    return p.parse_args(argv)


def build_book(name: str, n_lines: int, rng: random.Random) -> dict[str, Any]:
    """A company with ``n_lines`` posted lines (4 per entry: two taxed lines become 3 with the tax line
    on one side, plus the counter line — kept simple: each entry has 2 base lines and, when taxed, one
    tax line; the filler entries without tax get a 4-line split to keep the line count exact)."""
    from django.db import transaction

    from ennoshita.core.models import NumberSequence
    from ennoshita.core.services import create_company
    from ennoshita.ledger import chart
    from ennoshita.ledger.maintenance import compare_balances, rebuild_balances
    from ennoshita.ledger.models import Account, FiscalYear, JournalEntry, JournalLine, TaxCode
    from ennoshita.people.models import Department

    company = create_company(name=name, actor=None)
    FiscalYear.objects.filter(company=company).delete()
    years = [FiscalYear.objects.create(company=company, start=s, end=e) for s, e in YEARS]
    accounts = {a.name: a for a in Account.objects.for_company(company)}
    taxes = {t.key: t for t in TaxCode.objects.for_company(company)}
    input_tax = accounts[chart.account_by_code(chart.INPUT_TAX_ACCOUNT_CODE).name]
    output_tax = accounts[chart.account_by_code(chart.OUTPUT_TAX_ACCOUNT_CODE).name]
    depts = [
        Department.objects.create(company=company, code=f"D{i}", name=f"部門{i}", sort_order=i)
        for i in range(1, 6)
    ]
    weights = [p[3] for p in PATTERNS]
    span = [(y, (y.end - y.start).days + 1) for y in years]
    numbers = dict.fromkeys(range(len(years)), 0)
    written = 0
    t0 = time.perf_counter()
    while written < n_lines:
        with transaction.atomic():
            entries, plans = [], []
            for _ in range(5_000):
                if written >= n_lines:
                    break
                yi = rng.randrange(len(years))
                year, days = span[yi]
                day = year.start + timedelta(days=rng.randrange(days))
                dr, cr, tax, _w = rng.choices(PATTERNS, weights)[0]
                amount = rng.randrange(1_000, 2_000_000)
                numbers[yi] += 1
                entries.append(
                    JournalEntry(company=company, fiscal_year=year, date=day, memo=f"{dr}/{cr}", total=amount)
                )
                plans.append((yi, numbers[yi], day, dr, cr, tax, amount, rng.choice(depts)))
                written += 3 if tax else 2
            JournalEntry.objects.bulk_create(entries)
            lines = []
            for entry, (_yi, _n, day, dr, cr, tax, amount, dept) in zip(entries, plans, strict=True):
                rows: list[tuple[Account, str, int, Any]] = []
                if tax:
                    rate = 10 if tax.endswith("10") else 8
                    t = amount * rate // (100 + rate)
                    taxed_side = "debit" if tax.startswith("P") else "credit"
                    other = "credit" if taxed_side == "debit" else "debit"
                    taxed_account, other_account = (
                        (accounts[dr], accounts[cr])
                        if taxed_side == "debit"
                        else (accounts[cr], accounts[dr])
                    )
                    rows = [
                        (taxed_account, taxed_side, amount - t, taxes[tax]),
                        (input_tax if tax.startswith("P") else output_tax, taxed_side, t, None),
                        (other_account, other, amount, None),
                    ]
                else:
                    rows = [(accounts[dr], "debit", amount, None), (accounts[cr], "credit", amount, None)]
                for no, (account, side, value, code) in enumerate(rows, start=1):
                    lines.append(
                        JournalLine(
                            company=company,
                            entry=entry,
                            line_no=no,
                            date=day,
                            account=account,
                            department=dept if account.section in ("sales", "sga", "cost_of_sales") else None,
                            debit=value if side == "debit" else 0,
                            credit=value if side == "credit" else 0,
                            tax_code=code,
                            tax_base=value if code else None,
                            tax_amount=(value * (10 if "10" in code.key else 8) // 100) if code else None,
                        )
                    )
            JournalLine.objects.bulk_create(lines, batch_size=2_000)
            for entry, plan in zip(entries, plans, strict=True):
                entry.status = "posted"
                entry.number = plan[1]
            JournalEntry.objects.bulk_update(entries, ["status", "number"], batch_size=500)
    build_s = time.perf_counter() - t0
    for yi, year in enumerate(years):
        NumberSequence.objects.update_or_create(
            company=company,
            doc_type="ledger.journal",
            fiscal_year=year.year,
            defaults={"last_number": numbers[yi]},
        )
    t1 = time.perf_counter()
    rows = rebuild_balances(company=company)
    rebuild_s = time.perf_counter() - t1
    assert compare_balances(company=company) == []
    return {
        "company": company,
        "years": years,
        "accounts": accounts,
        "lines": written,
        "build_s": build_s,
        "rebuild_s": rebuild_s,
        "balance_rows": rows,
    }


def bench_posting(book: dict[str, Any], n: int, rng: random.Random) -> float:
    from ennoshita.core.models import Membership, Role
    from ennoshita.core.services import add_member
    from ennoshita.ledger.models import FiscalYear, TaxCode
    from ennoshita.ledger.services import LineInput, post_entry

    company = book["company"]
    FiscalYear.objects.filter(company=company).update(status="open")
    member = Membership.objects.filter(
        company=company, user__username=f"bench-{company.pk}"
    ).first() or add_member(
        company=company, actor=None, username=f"bench-{company.pk}", roles=[Role.ACCOUNTING], password=None
    )
    accounts = book["accounts"]
    p10 = TaxCode.objects.for_company(company).get(key="P10")
    start = book["years"][-1].start
    t0 = time.perf_counter()
    for i in range(n):
        amount = rng.randrange(1_000, 500_000)
        post_entry(
            company=company,
            actor=member.user,
            membership=member,
            date=start + timedelta(days=i % 365),
            memo="ベンチ",
            lines=[
                LineInput(account=accounts["消耗品費"], side="debit", amount=amount, tax_code=p10),
                LineInput(account=accounts["普通預金"], side="credit", amount=amount),
            ],
        )
    return n / (time.perf_counter() - t0)


def bench_bulk_posting(book: dict[str, Any], n: int, rng: random.Random) -> float:
    """``post_entries``: what an import or a payroll run uses — the same checks, numbers, balances
    and one audit event per entry, written in bulk."""
    from ennoshita.core.models import Membership
    from ennoshita.ledger.models import TaxCode
    from ennoshita.ledger.services import EntryInput, LineInput, post_entries

    company = book["company"]
    member = Membership.objects.filter(company=company, user__username=f"bench-{company.pk}").get()
    accounts = book["accounts"]
    p10 = TaxCode.objects.for_company(company).get(key="P10")
    start = book["years"][-1].start
    entries = []
    for i in range(n):
        amount = rng.randrange(1_000, 500_000)
        entries.append(
            EntryInput(
                date=start + timedelta(days=i % 365),
                memo="一括ベンチ",
                lines=[
                    LineInput(account=accounts["消耗品費"], side="debit", amount=amount, tax_code=p10),
                    LineInput(account=accounts["普通預金"], side="credit", amount=amount),
                ],
            )
        )
    t0 = time.perf_counter()
    post_entries(company=company, actor=member.user, membership=member, entries=entries)
    return n / (time.perf_counter() - t0)


def median_ms(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_reports(book: dict[str, Any], repeat: int, depth: int) -> list[tuple[str, float]]:
    from ennoshita.ledger import selectors

    company = book["company"]
    last = book["years"][-1]
    bank = book["accounts"]["普通預金"]
    results = [
        (
            "残高試算表 (last year)",
            median_ms(
                lambda: selectors.trial_balance(company=company, start=last.start, end=last.end), repeat
            ),
        ),
        ("貸借対照表", median_ms(lambda: selectors.balance_sheet(company=company, as_of=last.end), repeat)),
        (
            "損益計算書",
            median_ms(
                lambda: selectors.profit_and_loss(company=company, start=last.start, end=last.end), repeat
            ),
        ),
        ("月次推移表", median_ms(lambda: selectors.monthly_trend(company=company, year=last.year), repeat)),
        (
            "残高試算表 (to a mid-month date)",
            median_ms(
                lambda: selectors.trial_balance(company=company, start=last.start, end=date(2026, 2, 15)),
                repeat,
            ),
        ),
        (
            "総勘定元帳 page 1 (普通預金, 3 years)",
            median_ms(
                lambda: selectors.general_ledger(
                    company=company, account=bank, start=book["years"][0].start, end=last.end
                ),
                repeat,
            ),
        ),
    ]
    page = selectors.general_ledger(company=company, account=bank, start=book["years"][0].start, end=last.end)
    for _ in range(depth):
        page = selectors.general_ledger(
            company=company, account=bank, start=book["years"][0].start, end=last.end, after=page.next_cursor
        )
    cursor = page.next_cursor
    results.append(
        (
            f"総勘定元帳 page {depth + 2} (after {depth + 1} pages)",
            median_ms(
                lambda: selectors.general_ledger(
                    company=company, account=bank, start=book["years"][0].start, end=last.end, after=cursor
                ),
                repeat,
            ),
        )
    )
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(args.database_url, lambda pg: run(args, pg), prefix="enno-bench-ledger-")


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "ledger")
    rng = random.Random(args.seed)
    for n in (1, 2):
        other = build_book(f"他社{n}株式会社", args.other_lines, rng)
        print(f"other company {n}: {other['lines']:,} lines in {other['build_s']:.1f} s")
    book = build_book("ベンチ会計株式会社", args.lines, rng)
    from django.db import connection

    if connection.vendor == "postgresql":
        # A real server's autovacuum analyses a table soon after a bulk load; right after one, the
        # planner still believes the tables are empty and picks sequential scans. Do what it does.
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"ANALYZE (as autovacuum would) in {time.perf_counter() - t0:.1f} s")
    print(
        f"measured company: {book['lines']:,} lines written in {book['build_s']:.1f} s; "
        f"{book['balance_rows']:,} balance rows rebuilt in {book['rebuild_s']:.1f} s (and checked against the lines)"
    )
    for label, seconds in bench_reports(book, args.repeat, args.depth):
        print(f"{label:<45} {ms(seconds)}")
    if args.profile_posting:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(bench_posting, book, args.posts, rng)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    rate = bench_posting(book, args.posts, rng)
    print(f"post_entry with audit, one transaction each:   {rate:,.0f} entries/s ({args.posts} entries)")
    from django.db import transaction

    with transaction.atomic():
        batched = bench_posting(book, args.posts, rng)
    print(f"post_entry with audit, all in one transaction: {batched:,.0f} entries/s ({args.posts} entries)")
    bulk = bench_bulk_posting(book, args.posts * 5, rng)
    print(f"post_entries (bulk) with audit, one call:      {bulk:,.0f} entries/s ({args.posts * 5} entries)")
    print(bench_import(book, args.import_rows, rng))
    return 0


def bench_import(book: dict[str, Any], rows: int, rng: random.Random) -> str:
    """The generic layout (docs/ledger-csv.md), two-line vouchers half of them taxed, checked then
    posted in one transaction through ``ledger.importing.import_journal``."""
    from ennoshita.core.models import Membership
    from ennoshita.ledger.importing import import_journal

    company = book["company"]
    member = Membership.objects.filter(company=company, user__username=f"bench-{company.pk}").get()
    start = book["years"][-1].start
    out = ["伝票キー,日付,貸借,金額,勘定科目,税区分,摘要"]
    for n in range(rows // 2):
        day = (start + timedelta(days=n % 365)).isoformat()
        amount = rng.randrange(1_000, 300_000)
        taxed = n % 2 == 0
        out.append(f"V{n},{day},借方,{amount},消耗品費,{'P10' if taxed else ''},取込ベンチ")
        out.append(f"V{n},{day},貸方,{amount},普通預金,,取込ベンチ")
    data = ("\n".join(out) + "\n").encode("utf-8")
    t0 = time.perf_counter()
    result = import_journal(
        company=company,
        actor=member.user,
        membership=member,
        data=data,
        layout="generic",
        filename="bench.csv",
    )
    seconds = time.perf_counter() - t0
    if result.errors:
        return f"CSV import: {len(result.errors)} errors, e.g. {result.errors[0]}"
    return (
        f"CSV import (generic layout, {rows:,} rows = {rows // 2:,} vouchers, one transaction): "
        f"{rows / seconds:,.0f} rows/s ({seconds:.1f} s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
