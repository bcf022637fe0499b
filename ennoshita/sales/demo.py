"""The demo company's sales: customers and products, and the current fiscal year's quotes, orders,
invoices (some overdue, some credited), delivery notes and payments — every one through the
services, so each is numbered, posted to the books and audited like real work. A little 前受金 too:
one part-payment in advance applied to the next invoice, one overpayment paid back.

The earlier fiscal year is closed in the demo books, so the sales start with the current one. One
customer is billed by 合計請求書 on its 20日締め.
Loaded by ``manage.py demo`` through ``ENNOSHITA_DEMO_EXTRAS`` (after the ledger's demo books).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.utils import timezone

from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.models import Company, Membership
from ennoshita.core.rules import corporate_number_check_digit

from .models import Customer, Invoice
from .services.advances import apply_advance, refund_advance
from .services.customers import create_customer
from .services.invoices import issue_credit_note, issue_invoice, save_invoice_draft
from .services.lines import LineSpec
from .services.payments import Allocation, record_payment
from .services.products import create_product
from .services.quotes import accept_quote, create_delivery_note, create_order, create_quote, mark_quote_sent
from .services.settings import update_sales_settings
from .services.summary import run_summary_invoicing

SEED = 20261203


def _corporate(base12: str) -> str:
    return f"{corporate_number_check_digit(base12)}{base12}"


# code, name, kana, 基礎番号 (for a 法人番号; "" for a sole proprietor), registered, terms, credit limit
CUSTOMERS = [
    ("C001", "株式会社みなと精機", "ミナトセイキ", "010401000001", True, (99, 1, 99), 5_000_000),
    ("C002", "さくら食品株式会社", "サクラショクヒン", "010401000002", True, (20, 1, 10), 3_000_000),
    ("C003", "合同会社あおば設計", "アオバセッケイ", "010401000003", True, (99, 2, 10), 2_000_000),
    ("C004", "株式会社北斗システム", "ホクトシステム", "010401000004", True, (25, 1, 25), 8_000_000),
    ("C005", "やまなみ商店", "ヤマナミショウテン", "", False, (99, 1, 99), 500_000),
    ("C006", "東和運輸株式会社", "トウワウンユ", "010401000006", True, (15, 1, 15), 4_000_000),
    ("C007", "株式会社ひかりデザイン", "ヒカリデザイン", "010401000007", True, (99, 1, 99), 1_500_000),
]

# code, name, unit, price, 税区分
PRODUCTS = [
    ("S-CONS", "業務改善コンサルティング", "時間", "15000", "S10"),
    ("S-MAINT", "システム保守(月額)", "式", "80000", "S10"),
    ("S-DEV", "帳票開発", "人日", "62500.5", "S10"),
    ("G-LIC", "業務ソフトウェア ライセンス", "本", "48000", "S10"),
    ("G-PAPER", "コピー用紙 A4 5000枚", "箱", "3480", "S10"),
    ("F-COFFEE", "コーヒー豆 業務用 1kg", "袋", "2980", "S8R"),
    ("F-BENTO", "会議用弁当", "個", "1080", "S8R"),
    ("X-SHIP", "送料", "式", "1200", "S10"),
]


def _members(company: Company) -> tuple[Membership, Membership]:
    members = list(
        Membership.objects.for_company(company).filter(is_active=True).select_related("user").order_by("pk")
    )
    admin = next(m for m in members if m.has_any_role("admin"))
    seller = next((m for m in members if m.has_any_role("sales_admin")), admin)
    keiri = next((m for m in members if m.has_any_role("accounting")), admin)
    return seller, keiri


def build_demo_sales(company: Company, *, today: date | None = None) -> int:
    """Load the demo sales; returns the number of invoices issued (0 when there already are some)."""
    if Customer.objects.for_company(company).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    seller, keiri = _members(company)
    customers = [
        create_customer(
            company=company,
            actor=seller.user,
            membership=seller,
            code=code,
            name=name,
            name_kana=kana,
            honorific="御中" if base else "様",
            corporate_number=_corporate(base) if base else "",
            registration_number=f"T{_corporate(base)}" if registered and base else "",
            registration_status="registered" if registered else "not_registered",
            registration_date=date(2023, 10, 1) if registered else None,
            postal_code="1000005",
            address="東京都千代田区丸の内1-1-1",
            closing_day=terms[0],
            payment_months_after=terms[1],
            payment_day=terms[2],
            credit_limit=limit,
            email=f"billing{n}@example.jp",
        )
        for n, (code, name, kana, base, registered, terms, limit) in enumerate(CUSTOMERS, start=1)
    ]
    products = [
        create_product(
            company=company,
            actor=seller.user,
            membership=seller,
            code=code,
            name=name,
            unit=unit,
            unit_price=price,
            tax=tax,
        )
        for code, name, unit, price, tax in PRODUCTS
    ]
    update_sales_settings(
        company=company,
        actor=keiri.user,
        membership=keiri,
        tax_rounding="floor",
        prices_include_tax=False,
        holiday_rule="next_business_day",
        registration_number=f"T{company.corporate_number}" if company.corporate_number else "",
        bank_details="みずほ銀行 丸の内支店 普通 1234567 カ)サンプルシヨウジ",
        invoice_note="お振込手数料は貴社にてご負担くださいますようお願いいたします。",
    )
    start = fiscal_year_of(today, start_month=company.fiscal_year_start_month).start
    issued: list[Invoice] = []
    # さくら食品 is billed monthly: its orders of each period on one 合計請求書 per 20日締め,
    # taken and billed in date order with the rest of the year's work
    monthly = next(c for c in customers if c.code == "C002")
    coffee, bento = (p for p in products if p.code in ("F-COFFEE", "F-BENTO"))
    closings: list[date] = []
    closing = date(start.year, start.month, 20)
    while closing <= today:
        closings.append(closing)
        closing = date(closing.year + (closing.month == 12), closing.month % 12 + 1, 20)
    events = sorted(
        [
            (c + timedelta(days=offset), "order")
            for c in closings
            for offset in (-25, -12, -3)
            if c + timedelta(days=offset) >= start
        ]
        + [(c, "close") for c in closings]
    )

    def monthly_work(until: date) -> None:
        while events and events[0][0] <= until:
            when, what = events.pop(0)
            if what == "close":
                run = run_summary_invoicing(
                    company=company, actor=seller.user, membership=seller, closing=when
                )
                issued.extend(Invoice.objects.for_company(company).filter(number__in=run.issued))
                continue
            create_order(
                company=company,
                actor=seller.user,
                membership=seller,
                customer=monthly,
                date=when,
                subject="定期納品",
                lines=[
                    LineSpec(
                        p.name,
                        quantity=rng.randint(5, 40),
                        unit_price=p.unit_price,
                        tax=p.tax,
                        unit=p.unit,
                        product=p,
                    )
                    for p in (coffee, bento)
                ],
            )

    day = start + timedelta(days=3)
    while day <= today - timedelta(days=2):
        monthly_work(day)
        customer = rng.choice([c for c in customers if c != monthly])
        picks = rng.sample(products, rng.randint(1, 3))
        specs = [
            LineSpec(
                p.name,
                quantity=rng.choice([1, 2, 3, 5, 10]),
                unit_price=p.unit_price,
                tax=p.tax,
                unit=p.unit,
                product=p,
            )
            for p in picks
        ]
        quote = create_quote(
            company=company,
            actor=seller.user,
            membership=seller,
            customer=customer,
            date=day,
            valid_until=day + timedelta(days=30),
            subject=f"{picks[0].name}のお見積り",
            lines=specs,
        )
        mark_quote_sent(company=company, actor=seller.user, membership=seller, quote=quote)
        if rng.random() < 0.15:  # a few stay open
            day += timedelta(days=rng.randint(4, 9))
            continue
        order_day = min(day + timedelta(days=rng.randint(1, 5)), today)
        monthly_work(order_day)  # numbers follow the dates
        order = accept_quote(
            company=company, actor=seller.user, membership=seller, quote=quote, date=order_day
        )
        lines = list(order.lines.order_by("line_no"))
        partial = len(lines) > 1 and rng.random() < 0.2
        chosen = lines[:1] if partial else lines
        create_delivery_note(
            company=company,
            actor=seller.user,
            membership=seller,
            order=order,
            date=order_day,
            quantities={ln.pk: ln.quantity for ln in chosen},
        )
        draft = save_invoice_draft(
            company=company,
            actor=seller.user,
            membership=seller,
            customer=customer,
            date=order_day,
            subject=order.subject,
            lines=[
                LineSpec(
                    ln.description,
                    quantity=ln.quantity,
                    unit_price=ln.unit_price,
                    tax=ln.tax,
                    unit=ln.unit,
                    order_line=ln,
                )
                for ln in chosen
            ],
        )
        issued.append(issue_invoice(company=company, actor=seller.user, membership=seller, invoice=draft))
        day += timedelta(days=rng.randint(4, 9))
    monthly_work(today)
    # a return on two invoices
    for invoice in issued[2:12:6]:
        line = invoice.lines.order_by("line_no").first()
        assert line is not None
        issue_credit_note(
            company=company,
            actor=seller.user,
            membership=seller,
            invoice=invoice,
            date=invoice.date + timedelta(days=5),
            reason="一部返品(数量違い)",
            lines=[
                LineSpec(f"{line.description} 返品", quantity=1, unit_price=line.unit_price, tax=line.tax)
            ],
        )
        invoice.refresh_from_db()
    # customers pay what fell due, most in full (some minus the transfer fee); a few are late
    for invoice in issued:
        invoice.refresh_from_db()
        assert invoice.due_date is not None
        if invoice.due_date >= today or invoice.open_amount == 0 or rng.random() < 0.12:
            continue
        fee = Decimal(440) if rng.random() < 0.3 else Decimal(0)
        record_payment(
            company=company,
            actor=keiri.user,
            membership=keiri,
            customer=invoice.customer,
            date=invoice.due_date,
            amount=invoice.open_amount - fee,
            fee=fee,
            allocations=[Allocation(invoice, invoice.open_amount)],
            payer_name=invoice.customer.name_kana,
        )
    _demo_advances(company, keiri, today)
    return len(issued)


def _demo_advances(company: Company, keiri: Membership, today: date) -> None:
    """前受金 at work, on invoices not yet due (the overdue ones stay overdue for the reminders):
    one customer pays an invoice together with part of the next one (applied to it once that is
    issued), another pays 1,000円 too much and is paid it back."""
    who: dict[str, Any] = {"company": company, "actor": keiri.user, "membership": keiri}
    unpaid: dict[int, list[Invoice]] = defaultdict(list)
    for inv in (
        Invoice.objects.for_company(company)
        .filter(
            kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED, open_amount__gt=0, due_date__gte=today
        )
        .select_related("customer")
        .order_by("date", "pk")
    ):
        unpaid[inv.customer_id].append(inv)
    pair = next(
        ((a, b) for invoices in unpaid.values() for a, b in pairwise(invoices) if a.date < b.date), None
    )
    if pair is not None:
        first, second = pair
        ahead = min(Decimal(30_000), second.open_amount)
        payment = record_payment(
            **who,
            customer=first.customer,
            date=min(first.date + timedelta(days=7), second.date),
            amount=first.open_amount + ahead,
            allocations=[Allocation(first, first.open_amount)],
            payer_name=first.customer.name_kana,
            memo="次回分の一部を含めて入金",
        )
        apply_advance(**who, payment=payment, date=second.date, allocations=[Allocation(second, ahead)])
    other = next(
        (invs[0] for invs in unpaid.values() if pair is None or invs[0].customer_id != pair[0].customer_id),
        None,
    )
    if other is not None:
        paid_on = min(other.date + timedelta(days=10), today)
        payment = record_payment(
            **who,
            customer=other.customer,
            date=paid_on,
            amount=other.open_amount + 1000,
            allocations=[Allocation(other, other.open_amount)],
            payer_name=other.customer.name_kana,
        )
        refund_advance(
            **who,
            payment=payment,
            date=min(paid_on + timedelta(days=3), today),
            amount=1000,
            memo="過入金の返金(振込)",
        )
