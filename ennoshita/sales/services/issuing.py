"""Issuing many invoices at once (the monthly 合計請求書 run): the same checks, totals, gapless
numbers, postings and audit events as ``save_invoice_draft`` followed by ``issue_invoice``, written
in bulk in one transaction — all of them or none.

Measured (bench/sales.py): one invoice at a time costs about 30 ms of statements, most of it the
ORM composing SQL for each of ~60 small queries; in bulk the same work is a few statements per
batch."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import format_number, next_numbers
from ennoshita.core.permissions import require_role
from ennoshita.core.rows import insert_rows
from ennoshita.sales import rules
from ennoshita.sales.models import Customer, Invoice, InvoiceLine, InvoiceOrder, SalesSettings
from ennoshita.sales.permissions import WRITE_ROLES

from .invoices import (
    INVOICE_FIELDS,
    INVOICE_NUMBERS,
    _check_customer,
    _check_order_lines,
    _refresh_order_status,
)
from .lines import CheckedLine, LineSpec, Totals, check_lines, settings_of, totals_of
from .posting import post_invoices
from .quotes import lines_for_audit

ISSUE_FIELDS = (*INVOICE_FIELDS, "issuer_name", "issuer_registration_number", "journal_entry_id")
# Each invoice becomes issued by one plain UPDATE (the database's triggers accept a draft turning
# issued, and refuse any later change).
_ISSUE_SQL = (
    "UPDATE sales_invoice SET status = %s, number = %s, journal_entry_id = %s, open_amount = %s "
    "WHERE id = %s AND status = 'draft'"
)


@dataclass(frozen=True)
class NewInvoice:
    """One invoice for :func:`issue_new_invoices`."""

    customer: Customer
    date: datetime.date
    lines: Sequence[LineSpec]
    subject: str = ""
    notes: str = ""
    prices_include_tax: bool | None = None
    is_summary: bool = False
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


@dataclass
class _Prepared:
    item: NewInvoice
    checked: list[CheckedLine]
    totals: Totals
    included: bool


def _prepare(
    company: Company, settings: SalesSettings, items: Sequence[NewInvoice]
) -> tuple[list[_Prepared], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    prepared: list[_Prepared] = []
    taken: set[int] = set()  # an order line on two invoices of one batch would be invoiced twice
    for n, item in enumerate(items):
        own: dict[str, list[str]] = {}
        _check_customer(company, item.customer, own)
        included = settings.prices_include_tax if item.prices_include_tax is None else item.prices_include_tax
        checked = check_lines(company, item.lines, own)
        _check_order_lines(item.lines, item.customer, own, exclude=None)
        for k, spec in enumerate(item.lines):
            if spec.order_line is not None:
                if spec.order_line.pk in taken:
                    own[f"lines.{k}"] = [_("同じ受注明細が2つの請求書にあります。")]
                taken.add(spec.order_line.pk)
        totals = totals_of(checked, prices_include_tax=included, rounding=settings.tax_rounding, errors=own)
        errors.update({f"invoices.{n}.{key}": messages for key, messages in own.items()})
        prepared.append(_Prepared(item, checked, totals, included))
    return prepared, errors


def _due(settings: SalesSettings, customer: Customer, day: datetime.date) -> datetime.date:
    return rules.due_date(
        invoice_date=day,
        closing_day=customer.closing_day,
        months_after=customer.payment_months_after,
        pay_day=customer.payment_day,
        holiday_rule=customer.holiday_rule or settings.holiday_rule,
    )


@transaction.atomic
def issue_new_invoices(
    *, company: Company, actor: User, membership: Membership, items: Sequence[NewInvoice]
) -> list[Invoice]:
    """Create and issue the invoices in the given order (numbers consecutive per fiscal year).
    Any problem raises ServiceError with field errors keyed ``invoices.<n>.<field>`` and writes
    nothing."""
    require_role(membership, *WRITE_ROLES)
    settings = settings_of(company)
    prepared, errors = _prepare(company, settings, items)
    if errors:
        raise ServiceError(_("請求書を発行できません。"), code="validation", field_errors=errors)
    if not prepared:
        return []
    invoices = [
        Invoice(
            company=company,
            kind=Invoice.Kind.INVOICE,
            status=Invoice.Status.DRAFT,
            customer=p.item.customer,
            date=p.item.date,
            subject=p.item.subject.strip()[:200],
            notes=p.item.notes.strip(),
            prices_include_tax=p.included,
            tax_rounding=settings.tax_rounding,
            subtotal=p.totals.subtotal,
            tax_total=p.totals.tax_total,
            total=p.totals.total,
            rate_totals=p.totals.rate_totals,
            due_date=_due(settings, p.item.customer, p.item.date),
            is_summary=p.item.is_summary,
            period_start=p.item.period_start or _first_delivery(p.item),
            period_end=p.item.period_end or _last_delivery(p.item),
            issuer_name=company.name,
            issuer_registration_number=settings.registration_number,
            customer_name=p.item.customer.addressee[:220],
            created_by=actor,
            issued_by=actor,
            issued_at=timezone.now(),
        )
        for p in prepared
    ]
    insert_rows(invoices)  # no save() override or signal on Invoice
    lines_of: list[list[InvoiceLine]] = []
    for invoice, p in zip(invoices, prepared, strict=True):
        lines_of.append(
            [
                InvoiceLine(
                    company=company,
                    invoice=invoice,
                    line_no=k,
                    order_line=line.spec.order_line,
                    delivered_on=line.spec.delivered_on,
                    **line.fields(),
                )
                for k, line in enumerate(p.checked, start=1)
            ]
        )
    insert_rows([line for lines in lines_of for line in lines])
    insert_rows(
        [
            InvoiceOrder(company=company, invoice=invoice, order_id=order_id)
            for invoice, p in zip(invoices, prepared, strict=True)
            for order_id in sorted({s.order_line.order_id for s in p.item.lines if s.order_line is not None})
        ]
    )
    _number(company, invoices)
    entry_ids = post_invoices(
        company=company, actor=actor, invoices=list(zip(invoices, lines_of, strict=True))
    )
    for invoice, entry_id in zip(invoices, entry_ids, strict=True):
        invoice.status, invoice.journal_entry_id, invoice.open_amount = (
            Invoice.Status.ISSUED,
            entry_id,
            invoice.total,
        )
    with transaction.get_connection().cursor() as cursor:
        cursor.executemany(
            _ISSUE_SQL,
            [(i.status, i.number, i.journal_entry_id, i.total, i.pk) for i in invoices],
        )
    _refresh_order_status(
        {s.order_line.order_id for p in prepared for s in p.item.lines if s.order_line is not None}
    )
    record_events(company=company, actor=actor, events=_events(invoices, lines_of))
    for invoice, lines in zip(invoices, lines_of, strict=True):
        # what prefetch_related("lines") would leave: the PDF and the filing read them without a query
        cached = InvoiceLine.objects.filter(invoice=invoice)
        cached._result_cache, cached._prefetch_done = lines, True  # type: ignore[attr-defined]
        invoice._prefetched_objects_cache = {"lines": cached}  # type: ignore[attr-defined]
    return invoices


def _first_delivery(item: NewInvoice) -> datetime.date | None:
    dates = [s.delivered_on for s in item.lines if s.delivered_on]
    return min(dates) if dates else None


def _last_delivery(item: NewInvoice) -> datetime.date | None:
    dates = [s.delivered_on for s in item.lines if s.delivered_on]
    return max(dates) if dates else None


def _number(company: Company, invoices: list[Invoice]) -> None:
    """Gapless numbers per fiscal year, in the order given."""
    by_year: dict[int, list[Invoice]] = defaultdict(list)
    for invoice in invoices:
        by_year[fiscal_year_of(invoice.date, start_month=company.fiscal_year_start_month).year].append(
            invoice
        )
    for year, group in by_year.items():
        numbers = next_numbers(company=company, doc_type=INVOICE_NUMBERS, fiscal_year=year, count=len(group))
        for invoice, number in zip(group, numbers, strict=True):
            invoice.number = format_number("INV", year, number)


def _events(invoices: list[Invoice], lines_of: list[list[InvoiceLine]]) -> list[EventInput]:
    """The two events the one-at-a-time path records: the invoice made, then issued."""
    events: list[EventInput] = []
    for invoice, lines in zip(invoices, lines_of, strict=True):
        audit_lines: list[dict[str, Any]] = lines_for_audit(lines)
        draft_view = snapshot(invoice, fields=INVOICE_FIELDS)
        draft_view["number"] = ""
        events.append(EventInput("create", invoice, after=draft_view, extra={"lines": audit_lines}))
        events.append(
            EventInput(
                "issue", invoice, after=snapshot(invoice, fields=ISSUE_FIELDS), extra={"lines": audit_lines}
            )
        )
    return events
