"""Reads of the sales documents: quotes, orders, invoices and credit notes, payments.

Lists return querysets (newest first) for the screens to paginate; ``get_*`` look one document up
in the company (another company's id is a NotFound) with what its page shows prefetched. Reads
that take a ``membership`` need a role of ``permissions.READ_ROLES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Prefetch, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, to_katakana
from ennoshita.sales import search_index
from ennoshita.sales.models import (
    AdvanceApplication,
    Customer,
    DeliveryNote,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    Payment,
    PaymentAllocation,
    Product,
    Quote,
)
from ennoshita.sales.permissions import READ_ROLES


def _check(membership: Membership | None) -> None:
    if membership is not None:
        require_role(membership, *READ_ROLES)


_ID_LIST_LIMIT = 500
_NUMBER_PREFIX = re.compile(r"(INV|CN|Q|SO|DN)-\d{4}(-\d*)?")


def _text_search(qs: QuerySet[Any], words: list[str], *, company: Company) -> QuerySet[Any]:
    """Documents whose number or subject contains every word (NFKC-normalised, ASCII letters in
    either case), from the n-gram index (search_index.py): exactly the rows of the plain
    ``number LIKE '%word%' OR subject LIKE '%word%'``, without reading every document."""
    if not words:
        return qs
    table = qs.model._meta.db_table
    if connections[qs.db].vendor == "sqlite":
        fts = search_index.fts_table(table)
        match = " AND ".join(f"({search_index.fts_query(w)})" for w in words)
        # the query is hex tokens only (search_index.fts_query), passed as one parameter
        return qs.filter(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [match]))  # noqa: S608,S611
    for word in words:
        qs = qs.filter(_pg_matches(table, word))
    return qs


_PG_FOLDED = (
    "translate({c}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"  # ASCII only, as SQLite
)


def _pg_matches(table: str, word: str) -> RawSQL:
    """PostgreSQL: documents holding ``word``, by the GIN index of migration 0006 (its expression
    written as the index has it; columns named with their table, as a join may bring another
    "number"). A word of 3+ characters is then checked in the text itself."""
    conditions: list[str] = []
    params: list[Any] = []
    if search_index.PG_CUT not in word:
        conditions.append(f'sales_search_grams("{table}"."number", "{table}"."subject") @> %s::text[]')
        params.append(search_index.pg_grams(word))
    if len(word) > 2 or search_index.PG_CUT in word:
        # the index finds the rows holding every pair of the word; the word itself is checked
        columns = [f'"{table}"."{column}"' for column in ("number", "subject")]
        if any(ch.isascii() and ch.isalpha() for ch in word):
            # fold only for a word with ASCII letters: for any other word it changes nothing
            columns = [_PG_FOLDED.format(c=column) for column in columns]
        conditions.append(f"strpos({columns[0]} || chr(10) || {columns[1]}, %s) > 0")
        params.append(search_index.fold(word))
    return RawSQL(" AND ".join(conditions), params, output_field=BooleanField())  # noqa: S611


def _search(qs: QuerySet[Any], q: str, *, company: Company, number: str = "number") -> QuerySet[Any]:
    """Every word must match: a word that matches customers (code, name or フリガナ) finds those
    customers' documents; any other word is looked for in the number and the subject.

    Customers are looked up first (a small table), so that a search by customer reads the
    documents through the customer index; a join-and-scan over every document took most of a
    search's time at 200,000 invoices (bench/sales.py). Words in the number and subject are
    looked up in the n-gram index (:func:`_text_search`)."""
    text_words = []
    for word in nfkc(q).split():
        kana = to_katakana(word)
        names = Q(code__icontains=word) | Q(name__icontains=word)
        if kana:
            names |= Q(name_kana__contains=kana)
        customers = Customer.objects.for_company(company).filter(names)
        # A word that names customers finds their documents (through the customer index); any
        # other word is looked for in the numbers and subjects.
        ids = list(customers.values_list("pk", flat=True)[: _ID_LIST_LIMIT + 1])
        if len(ids) > _ID_LIST_LIMIT:
            # a word such as 株式会社 names thousands of customers: a subquery keeps every one
            qs = qs.filter(customer_id__in=customers.values("pk"))
        elif ids:
            # a few customers: their ids as a list, which SQLite reads through the customer index
            # (with a subquery it walks the date index instead: 300 ms instead of 11 at 200,000)
            qs = qs.filter(customer_id__in=ids)
        elif _NUMBER_PREFIX.fullmatch(word.upper()):
            # the start of a document number (INV-2026-0001…): a range on the number index
            start = word.upper()
            qs = qs.filter(**{f"{number}__gte": start, f"{number}__lt": start + "\uffff"})
        else:
            text_words.append(word)
    return _text_search(qs, text_words, company=company)


def _common(
    qs: QuerySet[Any],
    *,
    company: Company,
    q: str,
    status: str,
    statuses: Iterable[str],
    customer: Customer | int | None,
    date_from: date | None,
    date_to: date | None,
) -> QuerySet[Any]:
    qs = _search(qs, q, company=company)
    if status and status in statuses:
        qs = qs.filter(status=status)
    if customer:
        qs = qs.filter(customer_id=customer.pk if isinstance(customer, Customer) else customer)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs


# ------------------------------------------------------------------------------------- lists
def quote_list(
    *,
    company: Company,
    membership: Membership | None = None,
    q: str = "",
    status: str = "",
    customer: Customer | int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Quote]:
    _check(membership)
    qs: QuerySet[Quote] = Quote.objects.for_company(company).select_related("customer")
    qs = _common(
        qs,
        company=company,
        q=q,
        status=status,
        statuses=Quote.Status.values,
        customer=customer,
        date_from=date_from,
        date_to=date_to,
    )
    return qs.order_by("-date", "-pk")


def order_list(
    *,
    company: Company,
    membership: Membership | None = None,
    q: str = "",
    status: str = "",
    customer: Customer | int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Order]:
    _check(membership)
    qs: QuerySet[Order] = Order.objects.for_company(company).select_related("customer", "quote")
    qs = _common(
        qs,
        company=company,
        q=q,
        status=status,
        statuses=Order.Status.values,
        customer=customer,
        date_from=date_from,
        date_to=date_to,
    )
    return qs.order_by("-date", "-pk")


def invoice_list(
    *,
    company: Company,
    membership: Membership | None = None,
    q: str = "",
    status: str = "",
    kind: str = "",
    customer: Customer | int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    unpaid_only: bool = False,
    overdue_only: bool = False,
    as_of: date | None = None,
) -> QuerySet[Invoice]:
    """Invoices and credit notes. ``unpaid_only``: issued invoices with something still open;
    ``overdue_only``: those past their due date on ``as_of`` (today)."""
    _check(membership)
    qs: QuerySet[Invoice] = Invoice.objects.for_company(company).select_related("customer", "credit_of")
    qs = _common(
        qs,
        company=company,
        q=q,
        status=status,
        statuses=Invoice.Status.values,
        customer=customer,
        date_from=date_from,
        date_to=date_to,
    )
    if kind in Invoice.Kind.values:
        qs = qs.filter(kind=kind)
    if unpaid_only or overdue_only:
        # is_open (open_amount > 0) holds only for issued invoices (a check constraint): one
        # equality on the index (company, is_open, date, id), rows already in list order. Written
        # as IN (true): the ORM renders is_open=True as a bare column, which SQLite does not match
        # to an index column's equality.
        qs = qs.filter(is_open__in=[True])
    if overdue_only:
        qs = qs.filter(due_date__lt=as_of or timezone.localdate())
    return qs.order_by("-date", "-pk")


def payment_list(
    *,
    company: Company,
    membership: Membership | None = None,
    q: str = "",
    customer: Customer | int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Payment]:
    _check(membership)
    qs = Payment.objects.for_company(company).select_related("customer")
    for word in nfkc(q).split():
        condition = (
            Q(customer__code__icontains=word)
            | Q(customer__name__icontains=word)
            | Q(payer_name__icontains=word)
            | Q(memo__icontains=word)
        )
        kana = to_katakana(word)
        if kana:
            condition |= Q(customer__name_kana__contains=kana) | Q(payer_name__contains=kana)
        qs = qs.filter(condition)
    if customer:
        qs = qs.filter(customer_id=customer.pk if isinstance(customer, Customer) else customer)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "-pk")


# ------------------------------------------------------------------------------------- one
def _one(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        found = qs.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def get_quote(*, company: Company, quote_id: int, membership: Membership | None = None) -> Quote:
    _check(membership)
    qs = (
        Quote.objects.for_company(company)
        .select_related("customer", "revises", "created_by")
        .prefetch_related("lines__product", "orders")
    )
    return _one(qs, quote_id)


def get_order(*, company: Company, order_id: int, membership: Membership | None = None) -> Order:
    _check(membership)
    qs = (
        Order.objects.for_company(company)
        .select_related("customer", "quote", "created_by")
        .prefetch_related(
            "lines__product",
            "lines__deliveries",
            Prefetch("lines__invoice_lines", queryset=InvoiceLine.objects.select_related("invoice")),
            Prefetch("deliveries", queryset=DeliveryNote.objects.order_by("date", "pk")),
            "invoices",
        )
    )
    return _one(qs, order_id)


def get_delivery(*, company: Company, delivery_id: int, membership: Membership | None = None) -> DeliveryNote:
    _check(membership)
    qs = (
        DeliveryNote.objects.for_company(company)
        .select_related("order__customer", "company")
        .prefetch_related("lines__order_line")
    )
    return _one(qs, delivery_id)


def get_invoice(*, company: Company, invoice_id: int, membership: Membership | None = None) -> Invoice:
    _check(membership)
    qs = (
        Invoice.objects.for_company(company)
        .select_related("customer", "credit_of", "issued_by", "created_by")
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.select_related("product", "order_line__order")),
            Prefetch(
                "allocations",
                queryset=PaymentAllocation.objects.select_related("payment").order_by("payment__date", "pk"),
            ),
            Prefetch("credits", queryset=Invoice.objects.order_by("date", "pk")),
            Prefetch(
                "advance_applications",
                queryset=AdvanceApplication.objects.select_related("payment").order_by("date", "pk"),
            ),
            "orders",
        )
    )
    return _one(qs, invoice_id)


def get_payment(*, company: Company, payment_id: int, membership: Membership | None = None) -> Payment:
    _check(membership)
    qs = (
        Payment.objects.for_company(company)
        .select_related("customer", "created_by")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=PaymentAllocation.objects.select_related("invoice").order_by(
                    "invoice__due_date", "pk"
                ),
            )
        )
    )
    return _one(qs, payment_id)


def get_customer(*, company: Company, customer_id: Any) -> Customer:
    return _one(Customer.objects.for_company(company), customer_id)


def customer_choices(*, company: Company, include: Iterable[int] = ()) -> list[Customer]:
    """Customers to pick on a document: the active ones (and those named in ``include``)."""
    ids = [i for i in include if i]
    return list(
        Customer.objects.for_company(company).filter(Q(is_active=True) | Q(pk__in=ids)).order_by("code")
    )


def product_choices(*, company: Company) -> list[Product]:
    return list(Product.objects.for_company(company).filter(is_active=True).order_by("code"))


def invoices_open_for_customer(*, company: Company, customer: Customer) -> list[Invoice]:
    """The customer's issued invoices with something still to be paid, the earliest due first."""
    return list(
        Invoice.objects.for_company(company)
        .filter(customer=customer, status=Invoice.Status.ISSUED, kind=Invoice.Kind.INVOICE, open_amount__gt=0)
        .order_by("due_date", "date", "pk")
    )


# ------------------------------------------------------------------------------------- order lines
@dataclass(frozen=True)
class LineProgress:
    """An order line with what was delivered and invoiced of it (drafts included in
    ``invoiced``, as ``services.quotes.remaining_to_invoice`` counts them)."""

    line: OrderLine
    delivered: Decimal
    invoiced: Decimal
    invoiced_issued: Decimal

    @property
    def to_deliver(self) -> Decimal:
        return max(self.line.quantity - self.delivered, Decimal(0))

    @property
    def to_invoice(self) -> Decimal:
        return max(self.line.quantity - self.invoiced, Decimal(0))

    # as people write them: 10.000 → "10", 2.500 → "2.5"
    @property
    def delivered_text(self) -> str:
        return _text(self.delivered)

    @property
    def invoiced_text(self) -> str:
        return _text(self.invoiced)

    @property
    def to_deliver_text(self) -> str:
        return _text(self.to_deliver)

    @property
    def to_invoice_text(self) -> str:
        return _text(self.to_invoice)


def _text(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def order_progress(*, order: Order) -> list[LineProgress]:
    """Each line of the order (from :func:`get_order`'s prefetch) with its progress."""
    rows = []
    for line in order.lines.all():
        delivered = sum((d.quantity for d in line.deliveries.all()), Decimal(0))
        invoiced = sum((il.quantity for il in line.invoice_lines.all()), Decimal(0))
        issued = sum(
            (il.quantity for il in line.invoice_lines.all() if il.invoice.status == Invoice.Status.ISSUED),
            Decimal(0),
        )
        rows.append(LineProgress(line, delivered, invoiced, issued))
    return rows


# ------------------------------------------------------------------------------------- history
def _lines_summary(lines: Any) -> str | None:
    if not lines:
        return None
    parts = []
    for ln in lines:
        if isinstance(ln, dict):
            parts.append(
                f"{ln.get('line', '')}. {ln.get('description', '')} × {ln.get('quantity', '')}"
                f" @ {ln.get('unit_price', '')} = {ln.get('amount', '')}"
            )
    return " / ".join(parts) or None


OBJECT_TYPES = {
    Quote: "sales.quote",
    Order: "sales.order",
    Invoice: "sales.invoice",
    Payment: "sales.payment",
    DeliveryNote: "sales.deliverynote",
}


def document_history(*, company: Company, document: Any) -> list[AuditEvent]:
    """The document's audit events, newest first, for core/components/history.html; the lines
    recorded with each event shown as one readable 「明細」 before/after (in memory only)."""
    object_type = OBJECT_TYPES[type(document)]
    events = list(
        core_selectors.audit_events_for_object(
            company=company, object_type=object_type, object_id=str(document.pk)
        )
    )
    label = str(_("明細"))
    for event in events:
        changes = dict(event.changes or {})
        fields = dict(changes.get("fields") or {})
        extra = dict(changes.get("extra") or {})
        if "lines" in extra:
            before_lines = extra.pop("lines_before", None)
            fields[label] = [_lines_summary(before_lines), _lines_summary(extra.pop("lines"))]
        if "allocations" in extra:
            allocations = extra.pop("allocations")
            fields[str(_("消込"))] = [
                None,
                " / ".join(f"{a.get('invoice', '')}: {a.get('amount', '')}" for a in allocations) or None,
            ]
        changes["fields"], changes["extra"] = fields, extra
        event.changes = changes
    return events


# ------------------------------------------------------------------------------------- credit
@dataclass(frozen=True)
class CreditWarning:
    """与信: what the customer owes (open invoices) plus ``extra`` against the credit limit."""

    customer: Customer
    open_receivable: Decimal
    extra: Decimal
    credit_limit: Decimal

    @property
    def total(self) -> Decimal:
        return self.open_receivable + self.extra

    @property
    def excess(self) -> Decimal:
        return self.total - self.credit_limit


def open_receivable(*, company: Company, customer: Customer) -> Decimal:
    value = (
        Invoice.objects.for_company(company)
        .filter(customer=customer, status=Invoice.Status.ISSUED, kind=Invoice.Kind.INVOICE)
        .filter(Q(open_amount__gt=0))
        .aggregate(s=Sum("open_amount"))["s"]
    )
    return value or Decimal(0)


def credit_warning(*, company: Company, customer: Customer, extra: Decimal | int = 0) -> CreditWarning | None:
    """A warning when the open receivable plus ``extra`` (the invoice about to be issued) goes
    over the customer's 与信限度額; None when it does not, or when the customer has no limit."""
    if customer.credit_limit is None:
        return None
    owed = open_receivable(company=company, customer=customer)
    warning = CreditWarning(customer, owed, Decimal(extra), customer.credit_limit)
    return warning if warning.total > warning.credit_limit else None
