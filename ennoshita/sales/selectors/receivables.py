"""Reads of 売掛金: balances per customer, the 得意先元帳, the aging table and overdue invoices.

The aging table is computed in the database: one grouped query over the invoices whose
``open_amount`` is above zero (a range on the index ``sales_invoice_open_idx`` on (company,
open_amount, customer, due_date), which also holds every column the query reads), with one CASE per
bucket on ``due_date``. The buckets are
the ones of ``rules.aging_bucket`` (tests check both agree, day by day around each boundary).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.sales.models import Customer, Invoice, Payment, Refund
from ennoshita.sales.permissions import READ_ROLES
from ennoshita.sales.rules import AGING_BUCKETS

ZERO = Decimal(0)
YEN = DecimalField(max_digits=15, decimal_places=0)


def _check(membership: Membership | None) -> None:
    if membership is not None:
        require_role(membership, *READ_ROLES)


def _open_invoices(company: Company) -> QuerySet[Invoice]:
    """Issued invoices with something still open (the rows of the partial index)."""
    # open_amount > 0 only on issued invoices (a check constraint), so the range on the index is
    # the whole condition: no row outside it is read
    return Invoice.objects.for_company(company).filter(open_amount__gt=0)


# ------------------------------------------------------------------------------------- balances
@dataclass
class CustomerBalance:
    customer: Customer
    receivable: Decimal = ZERO  # 売掛金: open amounts of issued invoices
    advances: Decimal = ZERO  # 前受金: what payments left unapplied

    @property
    def net(self) -> Decimal:
        return self.receivable - self.advances


def customer_balances(
    *, company: Company, as_of: date, membership: Membership | None = None
) -> list[CustomerBalance]:
    """売掛金 per customer: the open amounts of the issued invoices dated up to ``as_of``, and
    the 前受金 left by payments received up to ``as_of`` shown beside it. Customers with
    neither are left out; ordered by customer code."""
    _check(membership)
    receivable = dict(
        _open_invoices(company)
        .filter(date__lte=as_of)
        .values("customer_id")
        .annotate(s=Sum("open_amount"))
        .values_list("customer_id", "s")
    )
    advances = dict(
        Payment.objects.for_company(company)
        .filter(date__lte=as_of, unapplied__gt=0)
        .values("customer_id")
        .annotate(s=Sum("unapplied"))
        .values_list("customer_id", "s")
    )
    ids = set(receivable) | set(advances)
    customers = Customer.objects.for_company(company).filter(pk__in=ids).order_by("code")
    return [CustomerBalance(c, receivable.get(c.pk) or ZERO, advances.get(c.pk) or ZERO) for c in customers]


# ------------------------------------------------------------------------------------- 得意先元帳
@dataclass
class LedgerRow:
    date: date
    kind: str  # invoice / credit / payment / fee / refund
    label: str
    number: str
    debit: Decimal  # 増加 (請求、前受金の返金)
    credit: Decimal  # 減少 (返還・入金・手数料)
    balance: Decimal = ZERO
    document: Any = None


@dataclass
class CustomerLedger:
    customer: Customer
    start: date
    end: date
    opening: Decimal
    rows: list[LedgerRow] = field(default_factory=list)

    @property
    def closing(self) -> Decimal:
        return self.rows[-1].balance if self.rows else self.opening

    @property
    def debit_total(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def credit_total(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)


_KIND_ORDER = {"invoice": 0, "credit": 1, "payment": 2, "fee": 3, "refund": 4}


def customer_ledger(
    *,
    company: Company,
    customer: Customer,
    start: date,
    end: date,
    membership: Membership | None = None,
) -> CustomerLedger:
    """得意先元帳 from ``start`` to ``end``: issued invoices (+), credit notes (−), payments (−
    the amount received, and − the 振込手数料 the customer deducted), 前受金 paid back (+), with
    the balance carried from before ``start`` and a running balance. Payments beyond the invoices
    (前受金) lower the balance too: it is what the customer owes net. So a 充当 of 前受金 to a later
    invoice is no row here (売掛金 and 前受金 fall by the same amount); a 返金 is (the customer is
    owed that much less)."""
    _check(membership)
    if customer.company_id != company.pk:
        from ennoshita.core.errors import NotFound

        raise NotFound()
    issued = Invoice.objects.for_company(company).filter(customer=customer, status=Invoice.Status.ISSUED)
    payments = Payment.objects.for_company(company).filter(customer=customer)
    before = issued.filter(date__lt=start).aggregate(
        inv=Coalesce(Sum("total", filter=Q(kind=Invoice.Kind.INVOICE)), Value(ZERO), output_field=YEN),
        cr=Coalesce(Sum("total", filter=Q(kind=Invoice.Kind.CREDIT)), Value(ZERO), output_field=YEN),
    )
    paid = payments.filter(date__lt=start).aggregate(
        a=Coalesce(Sum("amount"), Value(ZERO), output_field=YEN),
        f=Coalesce(Sum("fee"), Value(ZERO), output_field=YEN),
    )
    refunds = Refund.objects.for_company(company).filter(payment__customer=customer)
    refunded = refunds.filter(date__lt=start).aggregate(
        r=Coalesce(Sum("amount"), Value(ZERO), output_field=YEN)
    )
    opening = before["inv"] - before["cr"] - paid["a"] - paid["f"] + refunded["r"]
    rows: list[LedgerRow] = []
    for inv in issued.filter(date__gte=start, date__lte=end).order_by("date", "pk"):
        if inv.kind == Invoice.Kind.INVOICE:
            rows.append(
                LedgerRow(inv.date, "invoice", str(_("請求")), inv.number, inv.total, ZERO, document=inv)
            )
        else:
            rows.append(
                LedgerRow(inv.date, "credit", str(_("返還")), inv.number, ZERO, inv.total, document=inv)
            )
    for pay in payments.filter(date__gte=start, date__lte=end).order_by("date", "pk"):
        label = f"{_('入金')}({pay.get_method_display()})"
        rows.append(LedgerRow(pay.date, "payment", label, "", ZERO, pay.amount, document=pay))
        if pay.fee:
            rows.append(LedgerRow(pay.date, "fee", str(_("振込手数料")), "", ZERO, pay.fee, document=pay))
    # a 返金 links to the payment it drew on (the screen that shows it)
    for refund in (
        refunds.filter(date__gte=start, date__lte=end).select_related("payment").order_by("date", "pk")
    ):
        rows.append(
            LedgerRow(
                refund.date,
                "refund",
                str(_("前受金の返金")),
                "",
                refund.amount,
                ZERO,
                document=refund.payment,
            )
        )
    rows.sort(key=lambda r: (r.date, _KIND_ORDER[r.kind], r.document.pk))
    balance = opening
    for row in rows:
        balance += row.debit - row.credit
        row.balance = balance
    return CustomerLedger(customer, start, end, opening, rows)


# ------------------------------------------------------------------------------------- aging
@dataclass
class CustomerName:
    """What an aging row shows of its customer (no full row: there may be thousands)."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class AgingRow:
    customer: CustomerName | None  # None: the totals row
    buckets: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    def __getitem__(self, key: str) -> Decimal:
        return self.buckets[key]


@dataclass
class Aging:
    as_of: date
    rows: list[AgingRow]
    totals: AgingRow


def _bucket_conditions(as_of: date) -> dict[str, Q]:
    """``rules.aging_bucket`` as conditions on due_date: days late = as_of − due."""
    d30, d60, d90 = (as_of - timedelta(days=n) for n in (30, 60, 90))
    return {
        "current": Q(due_date__gte=as_of) | Q(due_date__isnull=True),
        "1_30": Q(due_date__lt=as_of, due_date__gte=d30),
        "31_60": Q(due_date__lt=d30, due_date__gte=d60),
        "61_90": Q(due_date__lt=d60, due_date__gte=d90),
        "over_90": Q(due_date__lt=d90),
    }


def aging(*, company: Company, as_of: date, membership: Membership | None = None) -> Aging:
    """売掛金の年齢表 on ``as_of``: per customer, the open amounts not yet due and 1–30, 31–60,
    61–90, over 90 days past due, with a totals row. Two queries whatever the number of invoices."""
    _check(membership)
    conditions = _bucket_conditions(as_of)
    sums = {
        key: Coalesce(
            Sum(Case(When(conditions[key], then="open_amount"), default=Value(ZERO), output_field=YEN)),
            Value(ZERO),
            output_field=YEN,
        )
        for key in AGING_BUCKETS
    }
    query: Any = _open_invoices(company).values("customer_id").annotate(**sums).order_by()
    grouped: list[dict[str, Any]] = list(query)
    # only what the table shows: 5,000 full customer rows cost more than the aggregation itself
    customers = {
        pk: CustomerName(pk, code, name)
        for pk, code, name in Customer.objects.for_company(company).values_list("pk", "code", "name")
    }
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    rows = []
    for g in grouped:
        buckets = {key: Decimal(g[key]) for key in AGING_BUCKETS}
        for key, value in buckets.items():
            totals[key] += value
        rows.append(AgingRow(customers[g["customer_id"]], buckets))
    rows.sort(key=lambda r: r.customer.code if r.customer else "")
    return Aging(as_of, rows, AgingRow(None, {key: totals[key] for key in AGING_BUCKETS}))


def overdue_invoices(
    *, company: Company, as_of: date, membership: Membership | None = None
) -> QuerySet[Invoice]:
    """Issued invoices still open after their due date, the oldest due first."""
    _check(membership)
    return (
        _open_invoices(company)
        .filter(due_date__lt=as_of)
        .select_related("customer")
        .order_by("due_date", "pk")
    )
