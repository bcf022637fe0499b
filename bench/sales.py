"""Sales benchmark: `.venv/bin/python bench/sales.py` (SQLite) or with
`--database-url postgres://postgres@127.0.0.1:5432/NEW_DB` (created and dropped by the script).

What is measured (results are written up by hand in docs/performance.md):

a. The invoice list page: ``sales.selectors.documents.invoice_list`` with a search word, a status
   filter and a date range, page 1 and a deep page (the 50 rows evaluated plus the count a list
   page runs), over 200,000 invoices of 5,000 customers (plus another company's invoices).
b. The aging report: ``sales.selectors.receivables.aging`` as of a date (every customer's
   buckets), over the same data.
c. The monthly run: ``sales.services.summary.run_summary_invoicing`` issuing one 合計請求書 for
   each of 5,000 customers (month-end closing) with its PDF filed and its posting, through the
   real services.
d. PostgreSQL only: concurrent issuing — 16 threads issuing drafts at once through
   ``issue_invoice``; the numbers must come out unique and without gaps.

The 200,000 invoices are written with ``bulk_create`` (as drafts, then issued by one UPDATE that
the database's triggers accept) for speed; what is timed goes through the real code.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ThrowawayPostgres, in_throwaway_installation, ms, start_django

TODAY = date(2026, 11, 30)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Ennoshita sales benchmark")
    p.add_argument(
        "--database-url", default="", help="postgres://user@host:port/NEW_DB_NAME (created and dropped)"
    )
    p.add_argument("--customers", type=int, default=5_000)
    p.add_argument("--invoices", type=int, default=200_000)
    p.add_argument("--monthly", type=int, default=5_000, help="customers in the timed monthly run")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--threads", type=int, default=16)
    p.add_argument("--per-thread", type=int, default=25)
    p.add_argument("--seed", type=int, default=20261203)
    return p.parse_args(argv)


def median_ms(fn: Any, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def build(name: str, n_customers: int, n_invoices: int, rng: random.Random) -> dict[str, Any]:
    from django.db import connection, transaction

    from ennoshita.core.services import create_company
    from ennoshita.sales.models import Customer, Invoice, InvoiceLine

    company = create_company(name=name, actor=None)
    t0 = time.perf_counter()
    customers = Customer.objects.bulk_create(
        [
            Customer(
                company=company,
                code=f"C{n:05d}",
                name=f"株式会社ベンチ{n:05d}商事",
                name_kana=f"ベンチ{n:05d}ショウジ",
                name_key=f"ベンチ{n:05d}商事",
                closing_day=99,
                payment_months_after=1,
                payment_day=99,
            )
            for n in range(n_customers)
        ],
        batch_size=2_000,
    )
    start = TODAY - timedelta(days=730)
    written = 0
    while written < n_invoices:
        with transaction.atomic():
            batch = []
            for _ in range(min(5_000, n_invoices - written)):
                written += 1
                day = start + timedelta(days=rng.randrange(730))
                net = rng.randrange(1_000, 2_000_000)
                tax = net // 10
                total = net + tax
                open_amount = total if (TODAY - day).days < 60 or rng.random() < 0.05 else 0
                batch.append(
                    Invoice(
                        company=company,
                        customer=customers[rng.randrange(len(customers))],
                        number=f"INV-{day.year}-{written:07d}",
                        date=day,
                        due_date=day + timedelta(days=30 + rng.randrange(31)),
                        subject=rng.choice(["保守費用", "開発費用", "物品代金", "コンサルティング"]),
                        tax_rounding="floor",
                        subtotal=net,
                        tax_total=tax,
                        total=total,
                        # only an issued invoice may have anything open: marked here, set when issued
                        notes="open" if open_amount else "",
                        rate_totals={"10": {"base": net, "tax": tax}},
                        issuer_name=name,
                        customer_name="",
                    )
                )
            Invoice.objects.bulk_create(batch, batch_size=1_000)
            InvoiceLine.objects.bulk_create(
                [
                    InvoiceLine(
                        company=company,
                        invoice=inv,
                        line_no=1,
                        description=inv.subject,
                        quantity=1,
                        unit_price=inv.subtotal,
                        tax="S10",
                        amount=inv.subtotal,
                    )
                    for inv in batch
                ],
                batch_size=2_000,
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sales_invoice SET status = 'issued', notes = '', "
            "open_amount = CASE WHEN notes = 'open' THEN total ELSE 0 END WHERE company_id = %s",
            [company.pk],
        )
    return {"company": company, "customers": customers, "build_s": time.perf_counter() - t0}


def bench_reads(book: dict[str, Any], repeat: int) -> list[tuple[str, float]]:
    from ennoshita.core.paging import rows_by_keys
    from ennoshita.sales.selectors import documents, receivables

    company = book["company"]
    results = []

    def page(number: int, **filters: Any) -> Any:
        # what a list page does (sales.document_views.page_of): the count for the pager and the
        # page's 50 rows, read keys first (core.paging)
        qs = documents.invoice_list(company=company, **filters)
        return rows_by_keys(qs, (number - 1) * 50, number * 50), qs.count()

    results.append(("請求書一覧 page 1 (no filter)", median_ms(lambda: page(1), repeat)))
    results.append(
        (
            "請求書一覧 search 「ベンチ01234」 + issued + 1 year",
            median_ms(
                lambda: page(
                    1, q="ベンチ01234", status="issued", date_from=TODAY - timedelta(days=365), date_to=TODAY
                ),
                repeat,
            ),
        )
    )
    results.append(("請求書一覧 unpaid only, page 20", median_ms(lambda: page(20, unpaid_only=True), repeat)))
    # words that name no customer: the number/subject index (a quarter of the invoices say 保守)
    for label, word, number in [
        ("請求書一覧 search 「保守」 (subject, no customer), page 1", "保守", 1),
        ("請求書一覧 search 「保守」 (subject, no customer), page 500", "保守", 500),
        ("請求書一覧 search 「守」 (1 character), page 1", "守", 1),
        ("請求書一覧 search 「保守費用」 (4 characters), page 1", "保守費用", 1),
        ("請求書一覧 search 「点検」 (no invoice), page 1", "点検", 1),
    ]:
        results.append((label, median_ms(lambda word=word, number=number: page(number, q=word), repeat)))

    def one_sorted_read(number: int, **filters: Any) -> Any:
        # the page as it was read before core.paging: the joined rows sorted in one query
        qs = documents.invoice_list(company=company, **filters)
        return list(qs[(number - 1) * 50 : number * 50]), qs.count()

    results.append(
        (
            "請求書一覧 search 「保守」 page 500, one sorted read (before keys first)",
            median_ms(lambda: one_sorted_read(500, q="保守"), repeat),
        )
    )
    results.append(
        (
            "  of which the pager's count",
            median_ms(lambda: documents.invoice_list(company=company, q="保守").count(), repeat),
        )
    )
    results.append(
        (
            "年齢表 (aging), all customers",
            median_ms(lambda: receivables.aging(company=company, as_of=TODAY), repeat),
        )
    )
    return results


def bench_monthly_run(name: str, n_customers: int, rng: random.Random) -> tuple[float, int, int]:
    from ennoshita.core.services import add_member, create_company
    from ennoshita.sales.models import Customer, Invoice, Order, OrderLine
    from ennoshita.sales.services.summary import run_summary_invoicing

    company = create_company(name=name, actor=None)
    member = add_member(
        company=company,
        actor=None,
        username=f"bench-sales-{company.pk}",
        roles=["sales_admin"],
        password=None,
    )
    customers = Customer.objects.bulk_create(
        [
            Customer(
                company=company,
                code=f"M{n:05d}",
                name=f"月次{n:05d}株式会社",
                name_key=f"月次{n:05d}",
                closing_day=99,
            )
            for n in range(n_customers)
        ],
        batch_size=2_000,
    )
    orders = Order.objects.bulk_create(
        [
            Order(
                company=company,
                customer=c,
                number=f"SO-2026-{n:06d}",
                date=date(2026, 11, 1 + n % 28),
                tax_rounding="floor",
                subtotal=0,
                total=0,
            )
            for n, c in enumerate(customers)
        ],
        batch_size=2_000,
    )
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                company=company,
                order=o,
                line_no=k,
                description=f"品目{k}",
                quantity=rng.randrange(1, 10),
                unit_price=Decimal(rng.randrange(100, 50_000)),
                tax="S8R" if k == 2 else "S10",
                amount=0,
            )
            for o in orders
            for k in (1, 2, 3)
        ],
        batch_size=3_000,
    )
    t0 = time.perf_counter()
    run = run_summary_invoicing(
        company=company, actor=member.user, membership=member, closing=date(2026, 11, 30)
    )
    elapsed = time.perf_counter() - t0
    assert not run.failed, run.failed[:3]
    issued = Invoice.objects.for_company(company).filter(is_summary=True, status="issued").count()
    filed = Invoice.objects.for_company(company).filter(pdf_document_id__isnull=False).count()
    return elapsed, issued, filed


def bench_concurrent(name: str, threads: int, per_thread: int) -> tuple[float, int, bool]:
    from django.db import connections

    from ennoshita.core.services import add_member, create_company
    from ennoshita.sales.models import Customer, Invoice
    from ennoshita.sales.services.invoices import issue_invoice, save_invoice_draft
    from ennoshita.sales.services.lines import LineSpec

    company = create_company(name=name, actor=None)
    member = add_member(
        company=company,
        actor=None,
        username=f"bench-issuer-{company.pk}",
        roles=["sales_admin"],
        password=None,
    )
    customer = Customer.objects.create(company=company, code="X", name="同時発行テスト株式会社", name_key="x")
    drafts = [
        save_invoice_draft(
            company=company,
            actor=member.user,
            membership=member,
            customer=customer,
            date=date(2026, 11, 20),
            lines=[LineSpec("作業", quantity=1, unit_price=1000 + n, tax="S10")],
        )
        for n in range(threads * per_thread)
    ]
    errors: list[BaseException] = []

    def work(mine: list[Any]) -> None:
        try:
            for draft in mine:
                issue_invoice(company=company, actor=member.user, membership=member, invoice=draft)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(drafts[i::threads],)) for i in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    if errors:
        raise errors[0]
    numbers = sorted(
        int(n.rsplit("-", 1)[1])
        for n in Invoice.objects.for_company(company).values_list("number", flat=True)
    )
    gapless = numbers == list(range(1, len(drafts) + 1))
    return len(drafts) / elapsed, len(drafts), gapless


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return in_throwaway_installation(args.database_url, lambda pg: run(args, pg), prefix="enno-bench-sales-")


def run(args: argparse.Namespace, pg: ThrowawayPostgres | None) -> int:
    start_django(pg, "sales")
    rng = random.Random(args.seed)
    other = build("他社販売株式会社", max(1, args.customers // 10), args.invoices // 10, rng)
    print(f"other company: {args.invoices // 10:,} invoices in {other['build_s']:.1f} s")
    book = build("ベンチ販売株式会社", args.customers, args.invoices, rng)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load (see the ledger bench)
    print(
        f"measured company: {args.customers:,} customers, {args.invoices:,} invoices written in {book['build_s']:.1f} s"
    )
    for label, seconds in bench_reads(book, args.repeat):
        print(f"{label:<58} {ms(seconds)}")
    elapsed, issued, filed = bench_monthly_run("月次販売株式会社", args.monthly, rng)
    print(
        f"monthly run: {issued:,} 合計請求書 issued, posted and {filed:,} PDFs filed in {elapsed:.1f} s ({issued / elapsed:,.0f}/s)"
    )
    if connection.vendor == "postgresql":
        rate, count, gapless = bench_concurrent("同時発行株式会社", args.threads, args.per_thread)
        print(
            f"concurrent issuing, {args.threads} threads: {count} invoices at {rate:,.0f}/s; numbers unique and gapless: {gapless}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
