"""Timing of the sales PDFs: `.venv/bin/python bench/sales_pdf.py [--out DIR] [--database-url URL]`.

What is measured: ``sales.pdf.invoice_pdf`` of an issued 10-line invoice (two tax rates, logo and
seal uploaded) — the first render in the process (registers the font, decodes the images) and then
``--repeat`` renders (200 by default) as a monthly run would call it: the invoice fetched with its
company and customer (``select_related``) and its lines prefetched, ``SalesSettings`` read by the
renderer (one query per PDF). Also the same without the caller's prefetch, and a 40-line invoice.

``--out DIR`` writes one PDF of each kind there, to look at (``pdftoppm -png -r 80``).

The data lives in a throwaway database (bench/run.py): SQLite in a temporary directory by default,
or a PostgreSQL database created for the run and dropped after. Not a test; not collected by pytest.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import in_throwaway_installation, start_django  # bench/run.py, next to this file


def _png(color: tuple[int, int, int, int], size: tuple[int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, format="PNG")
    return out.getvalue()


def build(n_lines: int = 10) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from ennoshita.core.models import Company
    from ennoshita.sales import rules
    from ennoshita.sales.models import Customer, Invoice, InvoiceLine, SalesSettings, SalesTax

    company = Company.objects.create(name="株式会社ベンチ")
    settings_row = SalesSettings.objects.create(
        company=company,
        registration_number="T1180301018771",
        bank_details="みずほ銀行 本店営業部 普通 1234567 カ)ベンチ",
        invoice_note="お支払いは期日までにお願いいたします。",
    )
    settings_row.logo.save("logo.png", ContentFile(_png((20, 80, 160, 255), (600, 200))), save=False)
    settings_row.seal.save("seal.png", ContentFile(_png((200, 30, 30, 160), (300, 300))), save=False)
    settings_row.save()
    customer = Customer.objects.create(
        company=company,
        code="C001",
        name="株式会社得意先",
        postal_code="100-0001",
        address="東京都千代田区千代田1-1",
    )

    def invoice(n: int, number: str, **kw: Any) -> Invoice:
        lines = [
            (
                f"商品{i:03d} 説明つきの品名",
                Decimal(i),
                Decimal("1234.5"),
                SalesTax.S8R if i % 3 == 0 else SalesTax.S10,
            )
            for i in range(1, n + 1)
        ]
        amounts = [
            (rules.line_amount(quantity=q, unit_price_value=p), 8 if t == SalesTax.S8R else 10)
            for _d, q, p, t in lines
        ]
        totals = rules.invoice_tax(lines=amounts)
        inv = Invoice.objects.create(
            company=company,
            customer=customer,
            number=number,
            date=date(2026, 11, 30),
            due_date=date(2026, 12, 31),
            tax_rounding="floor",
            subject="11月分",
            subtotal=sum(t.base for t in totals.values()),
            tax_total=sum(t.tax for t in totals.values()),
            total=sum(t.gross for t in totals.values()),
            rate_totals={str(r): {"base": t.base, "tax": t.tax} for r, t in totals.items()},
            issuer_name=company.name,
            issuer_registration_number=settings_row.registration_number,
            customer_name=customer.name,
            **kw,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                company=company,
                invoice=inv,
                line_no=i,
                description=d,
                quantity=q,
                unit="個",
                unit_price=p,
                tax=t,
                amount=rules.line_amount(quantity=q, unit_price_value=p),
            )
            for i, (d, q, p, t) in enumerate(lines, start=1)
        )
        if inv.status != "draft" or number:
            Invoice.objects.filter(pk=inv.pk).update(status="issued")
        return inv

    return {
        "company": company,
        "customer": customer,
        "settings": settings_row,
        "ten": invoice(n_lines, "INV-2026-000001"),
        "forty": invoice(40, "INV-2026-000002"),
        "draft": invoice(5, ""),
    }


def bench(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ennoshita.sales import pdf
    from ennoshita.sales.models import Invoice

    ctx = build()

    def fetch(pk: int) -> Invoice:
        return Invoice.objects.select_related("company", "customer").prefetch_related("lines").get(pk=pk)

    first_invoice = fetch(ctx["ten"].pk)
    t0 = time.perf_counter()
    first = pdf.invoice_pdf(first_invoice)
    first_ms = (time.perf_counter() - t0) * 1000

    cpu: dict[int, float] = {}

    def timed(make: Any, repeat: int) -> list[float]:
        """Wall-clock ms of each run; the CPU time of the batch per run goes to ``cpu`` (on a shared
        machine CPU time is what the render costs, wall time what a caller waits)."""
        runs: list[float] = []
        c0 = time.process_time()
        for _ in range(repeat):
            t = time.perf_counter()
            make()
            runs.append((time.perf_counter() - t) * 1000)
        cpu[id(runs)] = (time.process_time() - c0) * 1000 / repeat
        return runs

    fetched = fetch(ctx["ten"].pk)
    render_only = timed(lambda: pdf.invoice_pdf(fetched), args.repeat)
    with_fetch = timed(lambda: pdf.invoice_pdf(fetch(ctx["ten"].pk)), args.repeat)
    plain = Invoice.objects.get(pk=ctx["ten"].pk)
    lazy = timed(lambda: pdf.invoice_pdf(Invoice.objects.get(pk=plain.pk)), args.repeat)
    settings_row = ctx["settings"]
    batch = timed(lambda: pdf.invoice_pdf(fetched, sales_settings=settings_row), args.repeat)
    forty = fetch(ctx["forty"].pk)
    forty_runs = timed(lambda: pdf.invoice_pdf(forty), max(20, args.repeat // 5))
    with CaptureQueriesContext(connection) as queries:
        pdf.invoice_pdf(fetched)

    def line(label: str, runs: list[float]) -> None:
        cpu_ms = cpu[id(runs)]
        ordered = sorted(runs)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        print(
            f"  {label:<46} mean {statistics.mean(ordered):6.2f} ms  p50 {statistics.median(ordered):6.2f}"
            f"  p95 {p95:6.2f}  min {ordered[0]:6.2f}  cpu {cpu_ms:6.2f}"
        )

    print(f"invoice_pdf, 10 lines, logo + seal ({len(first):,} bytes, {len(queries)} query in the renderer)")
    print(f"  {'first render in the process (font, images)':<46} {first_ms:8.2f} ms")
    line(f"next {args.repeat}, instance already fetched", render_only)
    line(f"next {args.repeat}, same, settings passed in (no query)", batch)
    line(f"next {args.repeat}, fetch (select_related + prefetch) + render", with_fetch)
    line(f"next {args.repeat}, plain get() + render (lazy relations)", lazy)
    line(f"{len(forty_runs)} renders of a 40-line invoice", forty_runs)

    if args.out:
        write_samples(Path(args.out), ctx)
    return 0


def write_samples(out: Path, ctx: dict[str, Any]) -> None:
    from ennoshita.sales import pdf
    from ennoshita.sales.models import Invoice, Payment, PaymentAllocation

    out.mkdir(parents=True, exist_ok=True)
    ten = Invoice.objects.get(pk=ctx["ten"].pk)
    (out / "invoice.pdf").write_bytes(pdf.invoice_pdf(ten))
    (out / "invoice40.pdf").write_bytes(pdf.invoice_pdf(Invoice.objects.get(pk=ctx["forty"].pk)))
    (out / "draft.pdf").write_bytes(pdf.invoice_pdf(Invoice.objects.get(pk=ctx["draft"].pk)))
    payment = Payment.objects.create(
        company=ctx["company"], customer=ctx["customer"], date=date(2026, 12, 10), amount=ten.total
    )
    PaymentAllocation.objects.create(company=ctx["company"], payment=payment, invoice=ten, amount=ten.total)
    (out / "receipt.pdf").write_bytes(pdf.receipt_pdf(payment))
    write_other_samples(out, ctx, ten)
    print(f"  samples written to {out}")


def write_other_samples(out: Path, ctx: dict[str, Any], original: Any) -> None:
    """A credit note, a 合計請求書, a quote and a delivery note."""
    from ennoshita.sales import pdf, rules
    from ennoshita.sales.models import (
        DeliveryLine,
        DeliveryNote,
        Invoice,
        InvoiceLine,
        Order,
        OrderLine,
        Quote,
        QuoteLine,
        SalesTax,
    )

    company, customer = ctx["company"], ctx["customer"]
    common = {"company": company, "customer": customer, "tax_rounding": "floor"}
    lines = [
        ("コーヒー豆 200g", Decimal(3), Decimal("1111"), SalesTax.S8R),
        ("保守サービス(月額)", Decimal(1), Decimal("30000"), SalesTax.S10),
        ("収入印紙代(立替)", Decimal(1), Decimal("200"), SalesTax.OUT),
    ]
    rate = {SalesTax.S8R: 8, SalesTax.S10: 10, SalesTax.OUT: 0}
    amounts = [(rules.line_amount(quantity=q, unit_price_value=p), rate[t]) for _d, q, p, t in lines]
    totals = rules.invoice_tax(lines=amounts)
    money = {
        "subtotal": sum(t.base for t in totals.values()),
        "tax_total": sum(t.tax for t in totals.values()),
        "total": sum(t.gross for t in totals.values()),
        "rate_totals": {str(r): {"base": t.base, "tax": t.tax} for r, t in totals.items()},
    }

    def add_lines(model: Any, parent: dict[str, Any], **extra: Any) -> None:
        for i, (d, q, p, t) in enumerate(lines, start=1):
            model.objects.create(
                company=company,
                line_no=i,
                description=d,
                quantity=q,
                unit="式",
                unit_price=p,
                tax=t,
                amount=rules.line_amount(quantity=q, unit_price_value=p),
                **parent,
                **{k: (v(i) if callable(v) else v) for k, v in extra.items()},
            )

    credit = Invoice.objects.create(
        **common,
        **money,
        kind="credit",
        number="CRN-2026-000001",
        date=date(2026, 12, 5),
        credit_of=original,
        reason="品質不良による返品",
        issuer_name=company.name,
        issuer_registration_number=ctx["settings"].registration_number,
    )
    add_lines(InvoiceLine, {"invoice": credit})
    Invoice.objects.filter(pk=credit.pk).update(status="issued")
    (out / "credit.pdf").write_bytes(pdf.invoice_pdf(Invoice.objects.get(pk=credit.pk)))

    summary = Invoice.objects.create(
        **common,
        **money,
        number="INV-2026-000099",
        date=date(2026, 11, 30),
        due_date=date(2026, 12, 31),
        is_summary=True,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )
    add_lines(InvoiceLine, {"invoice": summary}, delivered_on=lambda i: date(2026, 11, 5 * i))
    (out / "summary.pdf").write_bytes(pdf.invoice_pdf(summary))

    quote = Quote.objects.create(
        **common,
        **money,
        number="Q-2026-0001",
        revision=2,
        date=date(2026, 10, 1),
        valid_until=date(2026, 10, 31),
        subject="保守契約のお見積り",
    )
    add_lines(QuoteLine, {"quote": quote})
    (out / "quote.pdf").write_bytes(pdf.quote_pdf(quote))

    order = Order.objects.create(**common, **money, number="SO-2026-0001", date=date(2026, 10, 5))
    add_lines(OrderLine, {"order": order})
    delivery = DeliveryNote.objects.create(
        company=company, order=order, number="DN-2026-0001", date=date(2026, 10, 9)
    )
    for ol in order.lines.all():
        DeliveryLine.objects.create(company=company, delivery=delivery, order_line=ol, quantity=ol.quantity)
    (out / "delivery.pdf").write_bytes(pdf.delivery_note_pdf(delivery))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--out", help="write sample PDFs into this directory")
    parser.add_argument("--database-url", help="postgres://… of a database to create, use and drop")
    args = parser.parse_args(argv)

    def body(pg: Any) -> int:
        start_django(pg, "sales PDFs")
        return bench(args)

    return in_throwaway_installation(args.database_url, body, prefix="enno-bench-pdf-")


if __name__ == "__main__":
    raise SystemExit(main())
