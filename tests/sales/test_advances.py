"""前受金: an overpayment applied later to the customer's invoices (充当) and paid back (返金), with
the books (前受金 2140, 売掛金 1132, 普通預金 1121) checked at every step, and every refusal
leaving nothing written."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.ledger import services as ledger_services
from ennoshita.ledger.entry_selectors import source_url
from ennoshita.ledger.models import JournalEntry
from ennoshita.ledger.selectors import trial_balance
from ennoshita.sales import selectors
from ennoshita.sales.models import AdvanceApplication, Customer, Invoice, Payment, Refund
from ennoshita.sales.selectors.receivables import customer_balances, customer_ledger
from ennoshita.sales.services import apply_advance, refund_advance
from ennoshita.sales.services.invoices import issue_credit_note, issue_invoice, save_invoice_draft
from ennoshita.sales.services.lines import LineSpec
from ennoshita.sales.services.payments import Allocation, record_payment

from ..conftest import make_company, make_member

ZERO = Decimal(0)


def who(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def balances(company) -> dict[str, Decimal]:
    tb = trial_balance(company=company, start=date(2026, 4, 1), end=date(2026, 12, 31))
    assert tb.debit == tb.credit
    return {row.code: row.closing for row in tb.rows}


def lines_of(entry: JournalEntry) -> set[tuple[str, Decimal, Decimal]]:
    return {(ln.account.code, ln.debit, ln.credit) for ln in entry.lines.select_related("account")}


def make_customer(company, code="C001", name="株式会社山田商事") -> Customer:
    return Customer.objects.create(
        company=company,
        code=code,
        name=name,
        name_key=name.replace("株式会社", ""),
        closing_day=99,
        payment_months_after=1,
        payment_day=99,
    )


def make_invoice(member, customer, *, net=10000, day=date(2026, 6, 10), issue=True) -> Invoice:
    """An invoice of ``net`` + 10% tax."""
    draft = save_invoice_draft(
        **who(member),
        customer=customer,
        date=day,
        lines=[LineSpec("作業費", quantity=1, unit_price=net, tax="S10")],
    )
    return issue_invoice(**who(member), invoice=draft) if issue else draft


@pytest.fixture
def customer(books, company):
    return make_customer(company)


@pytest.fixture
def overpaid(company, sales_admin, accountant, customer):
    """Invoice A (11,000) paid with 15,000 on 6/30: 4,000 left as 前受金."""
    invoice = make_invoice(sales_admin, customer)
    payment = record_payment(
        **who(accountant),
        customer=customer,
        date=date(2026, 6, 30),
        amount=15000,
        allocations=[Allocation(invoice, 11000)],
    )
    assert payment.unapplied == Decimal(4000)
    return payment


@pytest.fixture
def later(sales_admin, customer):
    """Invoices B (5,500, 7/10) and C (2,200, 7/15), both open."""
    return (
        make_invoice(sales_admin, customer, net=5000, day=date(2026, 7, 10)),
        make_invoice(sales_admin, customer, net=2000, day=date(2026, 7, 15)),
    )


def state(payment: Payment, *invoices: Invoice) -> tuple:
    """Everything a 充当 or 返金 writes; a refusal leaves all of it as it was."""
    return (
        AdvanceApplication.objects.count(),
        Refund.objects.count(),
        JournalEntry.objects.count(),
        AuditEvent.objects.count(),
        Payment.objects.get(pk=payment.pk).unapplied,
        *(Invoice.objects.get(pk=i.pk).open_amount for i in invoices),
    )


# ------------------------------------------------------------------------------------- the flow
def test_overpayment_applied_then_refunded_keeps_the_books(company, accountant, customer, overpaid, later):
    b_inv, c_inv = later
    b = balances(company)
    assert b["2140"] == Decimal(4000)  # 前受金
    assert b["1132"] == Decimal(5500 + 2200)  # 売掛金: B and C open
    assert b["1121"] == Decimal(15000)  # 普通預金
    assert selectors.customer_advance_balance(company=company, customer=customer) == Decimal(4000)

    # 充当: 3,000 to B (in part)
    done = apply_advance(
        **who(accountant),
        payment=overpaid,
        date=date(2026, 7, 20),
        allocations=[Allocation(b_inv, 3000)],
    )
    assert [(a.invoice_id, a.amount, a.date) for a in done] == [(b_inv.pk, Decimal(3000), date(2026, 7, 20))]
    overpaid.refresh_from_db()
    b_inv.refresh_from_db()
    assert overpaid.unapplied == Decimal(1000)
    assert b_inv.open_amount == Decimal(2500)
    b = balances(company)
    assert b["2140"] == Decimal(1000)
    assert b["1132"] == Decimal(2500 + 2200)
    assert b["1121"] == Decimal(15000)  # no money moved
    entry = JournalEntry.objects.get(pk=done[0].journal_entry_id)
    assert entry.status == "posted" and entry.date == date(2026, 7, 20)
    assert (entry.source_type, entry.source_id) == ("sales.advance", str(overpaid.pk))
    assert source_url(entry=entry) == reverse("sales:payment_detail", args=[overpaid.pk])
    assert lines_of(entry) == {("2140", Decimal(3000), ZERO), ("1132", ZERO, Decimal(3000))}
    event = AuditEvent.objects.filter(object_type="sales.payment", action="apply_advance").get()
    assert event.object_id == str(overpaid.pk)
    assert event.changes["fields"] == {"unapplied": ["4000", "1000"]}
    assert event.changes["extra"]["applications"] == [{"invoice": b_inv.number, "amount": "3000"}]

    # 返金: the last 1,000
    refund = refund_advance(
        **who(accountant), payment=overpaid, date=date(2026, 7, 25), amount="1,000", memo="口座へ振込"
    )
    overpaid.refresh_from_db()
    assert overpaid.unapplied == 0 and refund.amount == Decimal(1000) and refund.memo == "口座へ振込"
    b = balances(company)
    assert b.get("2140", ZERO) == 0
    assert b["1132"] == Decimal(4700)
    assert b["1121"] == Decimal(14000)
    entry = JournalEntry.objects.get(pk=refund.journal_entry_id)
    assert (entry.source_type, entry.source_id) == ("sales.refund", str(overpaid.pk))
    assert source_url(entry=entry) == reverse("sales:payment_detail", args=[overpaid.pk])
    assert lines_of(entry) == {("2140", Decimal(1000), ZERO), ("1121", ZERO, Decimal(1000))}
    event = AuditEvent.objects.filter(object_type="sales.payment", action="refund").get()
    assert event.changes["fields"] == {"unapplied": ["1000", "0"]}
    assert selectors.customer_advance_balance(company=company, customer=customer) == 0

    # what the screens read
    advances = selectors.payment_advances(company=company, payment=overpaid)
    assert (advances.applied, advances.refunded) == (Decimal(3000), Decimal(1000))
    rows = customer_balances(company=company, as_of=date(2026, 12, 31))
    assert [(r.receivable, r.advances, r.net) for r in rows] == [(Decimal(4700), ZERO, Decimal(4700))]
    # 得意先元帳: +A +B +C − payment + refund = what is open (a 充当 moves nothing net)
    ledger = customer_ledger(
        company=company, customer=customer, start=date(2026, 6, 1), end=date(2026, 7, 31)
    )
    assert [(r.kind, r.debit, r.credit) for r in ledger.rows] == [
        ("invoice", Decimal(11000), ZERO),
        ("payment", ZERO, Decimal(15000)),
        ("invoice", Decimal(5500), ZERO),
        ("invoice", Decimal(2200), ZERO),
        ("refund", Decimal(1000), ZERO),
    ]
    assert ledger.closing == Decimal(4700)
    assert ledger.rows[-1].document == overpaid
    # carried from before the period too
    later_ledger = customer_ledger(
        company=company, customer=customer, start=date(2026, 8, 1), end=date(2026, 8, 31)
    )
    assert later_ledger.opening == Decimal(4700) and later_ledger.rows == []


def test_applying_to_several_invoices_posts_one_entry(company, accountant, overpaid, later):
    b_inv, c_inv = later
    done = apply_advance(
        **who(accountant),
        payment=overpaid,
        date=date(2026, 7, 20),
        allocations=[Allocation(c_inv, 2200), Allocation(b_inv, 1800)],
    )
    assert len(done) == 2 and done[0].journal_entry_id == done[1].journal_entry_id
    overpaid.refresh_from_db()
    assert overpaid.unapplied == 0
    assert Invoice.objects.get(pk=c_inv.pk).open_amount == 0
    assert Invoice.objects.get(pk=b_inv.pk).open_amount == Decimal(3700)
    entry = JournalEntry.objects.get(pk=done[0].journal_entry_id)
    credits = sorted((ln.credit, ln.memo) for ln in entry.lines.filter(credit__gt=0))
    assert [c[0] for c in credits] == [Decimal(1800), Decimal(2200)]
    assert c_inv.number in credits[1][1]  # each 売掛金 line names its invoice
    b = balances(company)
    assert b.get("2140", ZERO) == 0 and b["1132"] == Decimal(3700)


# ------------------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("over_open", "allocations.0", "未回収残高(5,500円)を超えています"),
        ("over_advance", "allocations", "前受金の残高(4,000円)を超えています"),
        ("zero", "allocations.0", "1円以上の円単位"),
        ("fraction", "allocations.0", "1円以上の円単位"),
        ("twice", "allocations.1", "2回指定"),
        ("other_customer", "allocations.0", "別の得意先"),
        ("draft", "allocations.0", "発行済みの請求書にだけ充当できます"),
        ("credit_note", "allocations.0", "発行済みの請求書にだけ充当できます"),
        ("before_payment", "date", "入金日(2026-06-30)以降"),
        ("before_invoice", "allocations.0", "請求日(2026-07-10)より前"),
        ("nothing", "allocations", "選んでください"),
    ],
)
def test_a_refused_application_writes_nothing(
    company, sales_admin, accountant, customer, overpaid, later, case, field, message
):
    b_inv, c_inv = later
    day = date(2026, 7, 20)
    allocations = {
        "over_open": [Allocation(b_inv, 5501)],
        "over_advance": [Allocation(b_inv, 3000), Allocation(c_inv, 1001)],
        "zero": [Allocation(b_inv, 0)],
        "fraction": [Allocation(b_inv, "100.5")],
        "twice": [Allocation(b_inv, 100), Allocation(b_inv, 100)],
        "before_payment": [Allocation(b_inv, 100)],
        "before_invoice": [Allocation(b_inv, 100)],
        "nothing": [],
    }.get(case)
    if case == "before_payment":
        day = date(2026, 6, 29)
    if case == "before_invoice":
        day = date(2026, 7, 5)
    if case == "other_customer":
        other = make_customer(company, code="C002", name="株式会社鈴木工業")
        allocations = [Allocation(make_invoice(sales_admin, other, day=date(2026, 7, 1)), 100)]
    if case == "draft":
        allocations = [
            Allocation(make_invoice(sales_admin, customer, day=date(2026, 7, 1), issue=False), 100)
        ]
    if case == "credit_note":
        credit = issue_credit_note(
            **who(sales_admin),
            invoice=b_inv,
            date=date(2026, 7, 12),
            reason="値引",
            lines=[LineSpec("値引", quantity=1, unit_price=100, tax="S10")],
        )
        allocations = [Allocation(credit, 100)]
    before = state(overpaid, b_inv, c_inv)
    with pytest.raises(ServiceError) as caught:
        apply_advance(**who(accountant), payment=overpaid, date=day, allocations=allocations or [])
    assert caught.value.message == "前受金を充当できません。"
    assert message in " ".join(caught.value.field_errors[field])
    assert state(overpaid, b_inv, c_inv) == before


def test_a_locked_month_or_closed_year_is_said_on_the_date(company, accountant, overpaid, later):
    b_inv, _c = later
    ledger_services.lock_month(**who(accountant), month=date(2026, 7, 1))
    before = state(overpaid, b_inv)
    with pytest.raises(ServiceError) as caught:
        apply_advance(
            **who(accountant), payment=overpaid, date=date(2026, 7, 20), allocations=[Allocation(b_inv, 100)]
        )
    assert caught.value.message == "前受金を充当できません。"
    assert "月次締め済み" in caught.value.field_errors["date"][0]
    with pytest.raises(ServiceError) as caught:
        refund_advance(**who(accountant), payment=overpaid, date=date(2026, 7, 20), amount=100)
    assert caught.value.message == "返金を登録できません。"
    assert "月次締め済み" in caught.value.field_errors["date"][0]
    assert state(overpaid, b_inv) == before
    # the next month is open
    apply_advance(
        **who(accountant), payment=overpaid, date=date(2026, 8, 3), allocations=[Allocation(b_inv, 100)]
    )
    assert Payment.objects.get(pk=overpaid.pk).unapplied == Decimal(3900)


@pytest.mark.parametrize(
    ("amount", "day", "field", "message"),
    [
        (4001, date(2026, 7, 1), "amount", "前受金の残高(4,000円)を超えています"),
        (0, date(2026, 7, 1), "amount", "1円以上の円単位"),
        ("12.5", date(2026, 7, 1), "amount", "1円以上の円単位"),
        ("abc", date(2026, 7, 1), "amount", "1円以上の円単位"),
        (100, date(2026, 6, 29), "date", "入金日(2026-06-30)以降"),
    ],
)
def test_a_refused_refund_writes_nothing(accountant, overpaid, amount, day, field, message):
    before = state(overpaid)
    with pytest.raises(ServiceError) as caught:
        refund_advance(**who(accountant), payment=overpaid, date=day, amount=amount)
    assert message in " ".join(caught.value.field_errors[field])
    assert state(overpaid) == before


def test_nothing_left_after_a_refund_emptied_it(accountant, overpaid, later):
    b_inv, _c = later
    refund_advance(**who(accountant), payment=overpaid, date=date(2026, 7, 1), amount=4000)
    before = state(overpaid, b_inv)
    with pytest.raises(ServiceError) as caught:
        apply_advance(
            **who(accountant), payment=overpaid, date=date(2026, 7, 20), allocations=[Allocation(b_inv, 1)]
        )
    assert "前受金の残高(0円)を超えています" in caught.value.field_errors["allocations"][0]
    with pytest.raises(ServiceError) as caught:
        refund_advance(**who(accountant), payment=overpaid, date=date(2026, 7, 20), amount=1)
    assert caught.value.field_errors == {"amount": ["この入金に前受金は残っていません。"]}
    assert state(overpaid, b_inv) == before


def test_the_service_reads_the_payment_afresh(accountant, overpaid, later):
    """A payment object read before a refund still cannot apply what the refund took."""
    b_inv, _c = later
    stale = Payment.objects.get(pk=overpaid.pk)
    refund_advance(**who(accountant), payment=overpaid, date=date(2026, 7, 1), amount=3500)
    with pytest.raises(ServiceError):
        apply_advance(
            **who(accountant), payment=stale, date=date(2026, 7, 20), allocations=[Allocation(b_inv, 501)]
        )
    apply_advance(
        **who(accountant), payment=stale, date=date(2026, 7, 20), allocations=[Allocation(b_inv, 500)]
    )
    assert Payment.objects.get(pk=overpaid.pk).unapplied == 0


def test_roles_and_other_companies(company, sales_admin, accountant, overpaid, later):
    b_inv, _c = later
    before = state(overpaid, b_inv)
    # 営業事務 writes invoices, not payments
    with pytest.raises(PermissionDeniedError):
        apply_advance(
            **who(sales_admin), payment=overpaid, date=date(2026, 7, 20), allocations=[Allocation(b_inv, 100)]
        )
    with pytest.raises(PermissionDeniedError):
        refund_advance(**who(sales_admin), payment=overpaid, date=date(2026, 7, 20), amount=100)
    finance = make_member(company, "zaimu", ["finance"])
    # another company's clerk: our payment and our invoices are not found there
    elsewhere = make_company("株式会社よそ")
    ledger_services.ensure_books(company=elsewhere)
    their_clerk = make_member(elsewhere, "yoso", ["accounting"])
    with pytest.raises(NotFound):
        apply_advance(
            **who(their_clerk), payment=overpaid, date=date(2026, 7, 20), allocations=[Allocation(b_inv, 100)]
        )
    with pytest.raises(NotFound):
        refund_advance(**who(their_clerk), payment=overpaid, date=date(2026, 7, 20), amount=100)
    their_customer = make_customer(elsewhere)
    their_payment = record_payment(
        **who(their_clerk), customer=their_customer, date=date(2026, 6, 30), amount=5000
    )
    before_theirs = state(their_payment)
    # their payment, our invoice: not found (nothing about our invoice leaks)
    with pytest.raises(NotFound):
        apply_advance(
            **who(their_clerk),
            payment=their_payment,
            date=date(2026, 7, 20),
            allocations=[Allocation(b_inv, 100)],
        )
    assert state(their_payment) == before_theirs
    assert state(overpaid, b_inv)[4:] == before[4:]
    # 財務 may
    apply_advance(
        **who(finance), payment=overpaid, date=date(2026, 7, 20), allocations=[Allocation(b_inv, 100)]
    )


@pytest.mark.django_db(transaction=True)
def test_two_clerks_applying_the_same_advance_at_once():
    """Both try to apply all of the 前受金, each to another invoice: one gets it, the other is told
    it is not there any more (the payment row is locked first). PostgreSQL and file SQLite."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite is not shared between threads; PostgreSQL runs this")
    company = make_company("同時充当")
    ledger_services.ensure_books(company=company)
    seller = make_member(company, "eigyo", ["sales_admin"])
    clerks = [make_member(company, f"keiri{n}", ["accounting"]) for n in range(2)]
    customer = make_customer(company)
    first = make_invoice(seller, customer)
    payment = record_payment(
        **who(clerks[0]),
        customer=customer,
        date=date(2026, 6, 30),
        amount=15000,
        allocations=[Allocation(first, 11000)],
    )
    targets = [make_invoice(seller, customer, day=date(2026, 7, 1)) for _ in clerks]
    results: list[object] = []
    barrier = threading.Barrier(len(clerks))

    def clerk(member, invoice):
        try:
            barrier.wait()
            apply_advance(
                **who(member),
                payment=payment,
                date=date(2026, 7, 20),
                allocations=[Allocation(invoice, 4000)],
            )
            results.append("ok")
        except ServiceError as exc:
            results.append(exc.field_errors)
        except BaseException as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=pair) for pair in zip(clerks, targets, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    refused = next(r for r in results if r != "ok")
    assert isinstance(refused, dict) and "前受金の残高(0円)" in refused["allocations"][0]
    assert Payment.objects.get(pk=payment.pk).unapplied == 0
    assert AdvanceApplication.objects.filter(company=company).count() == 1
    assert sorted(
        Invoice.objects.filter(pk__in=[t.pk for t in targets]).values_list("open_amount", flat=True)
    ) == [
        Decimal(7000),
        Decimal(11000),
    ]
    assert JournalEntry.objects.filter(company=company, source_type="sales.advance").count() == 1


def test_the_demo_applies_one_advance_and_refunds_one(books, company):
    from django.db.models import Sum

    from ennoshita.sales.demo import build_demo_sales

    make_member(company, "boss", ["admin"])
    make_member(company, "eigyo", ["sales_admin"])
    make_member(company, "keiri", ["accounting"])
    build_demo_sales(company, today=date(2026, 11, 24))
    assert AdvanceApplication.objects.filter(company=company).count() == 1
    refund = Refund.objects.get(company=company)
    assert refund.amount == Decimal(1000)
    tb = trial_balance(company=company, start=date(2026, 4, 1), end=date(2026, 11, 24))
    closing = {row.code: row.closing for row in tb.rows}
    held = Payment.objects.filter(company=company).aggregate(s=Sum("unapplied"))["s"]
    assert closing.get("2140", ZERO) == held  # 前受金 in the books = what payments still hold
    open_total = Invoice.objects.filter(company=company).aggregate(s=Sum("open_amount"))["s"]
    assert closing["1132"] == open_total
    assert tb.debit == tb.credit
