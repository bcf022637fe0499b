"""合計請求書: on a closing day, one invoice per customer whose 締め日 it is, covering every order
line of the period not yet invoiced (each line keeps its 取引年月日). The monthly run issues them
as a background job with progress; each customer's invoice is its own transaction, so one refusal
(a locked month, a stopped customer) is reported without undoing the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.jobs import Progress, job_runner, start_job
from ennoshita.core.models import Company, Job, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.sales import rules
from ennoshita.sales.models import Customer, Invoice, InvoiceLine, Order, OrderLine
from ennoshita.sales.permissions import WRITE_ROLES

from .issuing import NewInvoice, issue_new_invoices
from .lines import LineSpec
from .sending import store_invoice_pdfs


def is_closing_date(customer: Customer, day: date) -> bool:
    return rules.closing_date(invoice_date=day, closing_day=customer.closing_day) == day


def period_of(customer: Customer, closing: date) -> tuple[date, date]:
    """The days a 合計請求書 on ``closing`` covers: from the day after the previous close."""
    first_of_previous = (closing.replace(day=1) - timedelta(days=1)).replace(day=1)
    previous = rules.closing_date(invoice_date=first_of_previous, closing_day=customer.closing_day)
    return previous + timedelta(days=1), closing


def _open_lines(company: Company, customers: list[int], closing: date) -> dict[int, list[OrderLine]]:
    """Order lines with something left to invoice, of orders taken by ``closing``, per customer."""
    lines = (
        OrderLine.objects.for_company(company)
        .filter(
            order__customer_id__in=customers,
            order__date__lte=closing,
            order__status__in=(Order.Status.OPEN, Order.Status.PARTLY_INVOICED),
        )
        .select_related("order", "product")
        .prefetch_related(
            Prefetch("invoice_lines", queryset=InvoiceLine.objects.only("id", "order_line_id", "quantity"))
        )
        .order_by("order__date", "order_id", "line_no")
    )
    result: dict[int, list[OrderLine]] = {}
    for line in lines:
        if line.quantity - sum((il.quantity for il in line.invoice_lines.all()), Decimal(0)) > 0:
            result.setdefault(line.order.customer_id, []).append(line)
    return result


def summary_candidates(*, company: Company, closing: date) -> list[tuple[Customer, list[OrderLine]]]:
    """Customers whose 締め日 is ``closing`` and who have order lines left to invoice."""
    customers = [
        c for c in Customer.objects.for_company(company).filter(is_active=True) if is_closing_date(c, closing)
    ]
    lines = _open_lines(company, [c.pk for c in customers], closing)
    return [(c, lines[c.pk]) for c in customers if c.pk in lines]


def _summary_items(customer: Customer, closing: date, lines: list[OrderLine]) -> list[NewInvoice]:
    """The customer's 合計請求書 for ``closing``: one per pricing (税込 or 税抜) when the orders
    mix them, each order line with what is left to invoice of it and its 取引年月日."""
    start, end = period_of(customer, closing)
    by_pricing: dict[bool, list[OrderLine]] = {}
    for line in lines:
        by_pricing.setdefault(line.order.prices_include_tax, []).append(line)
    return [
        NewInvoice(
            customer=customer,
            date=closing,
            lines=[
                LineSpec(
                    description=ln.description,
                    quantity=ln.quantity - sum((il.quantity for il in ln.invoice_lines.all()), Decimal(0)),
                    unit_price=ln.unit_price,
                    tax=ln.tax,
                    unit=ln.unit,
                    product=ln.product,
                    order_line=ln,
                    delivered_on=ln.order.delivery_date or ln.order.date,
                )
                for ln in group
            ],
            subject=_("%(start)s〜%(end)s ご請求分") % {"start": _md(start), "end": _md(end)},
            prices_include_tax=included,
            is_summary=True,
            period_start=start,
            period_end=end,
        )
        for included, group in sorted(by_pricing.items())
    ]


def issue_summary_invoice(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    customer: Customer,
    closing: date,
    lines: list[OrderLine] | None = None,
) -> list[Invoice]:
    """Issue the customer's 合計請求書 for ``closing`` (one per pricing, 税込 or 税抜, when the
    orders mix them). Returns the invoices issued (none when there was nothing to invoice)."""
    require_role(membership, *WRITE_ROLES)
    if lines is None:
        lines = _open_lines(company, [customer.pk], closing).get(customer.pk, [])
    return issue_new_invoices(
        company=company, actor=actor, membership=membership, items=_summary_items(customer, closing, lines)
    )


def _md(day: date) -> str:
    return f"{day.month}/{day.day}"


@dataclass
class SummaryRun:
    closing: date
    issued: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)

    def as_result(self) -> dict[str, Any]:
        return {
            "closing": self.closing.isoformat(),
            "issued": len(self.issued),
            "numbers": self.issued[:50],
            "failed": self.failed,
        }


# Customers issued together in one transaction. A refusal in a batch (rare: the checks are the
# same for every customer of a run) sends that batch through one customer at a time, so that only
# the customer refused is listed and the others are issued.
BATCH = 100


def _issue_batch(
    company: Company,
    actor: User,
    membership: Membership,
    batch: list[tuple[Customer, list[OrderLine]]],
    closing: date,
    with_pdfs: bool,
) -> list[Invoice]:
    with transaction.atomic():
        invoices = issue_new_invoices(
            company=company,
            actor=actor,
            membership=membership,
            items=[item for customer, lines in batch for item in _summary_items(customer, closing, lines)],
        )
        if with_pdfs and invoices:
            store_invoice_pdfs(
                company=company,
                actor=actor,
                invoices=[(invoice, list(invoice.lines.all())) for invoice in invoices],
            )
    return invoices


def run_summary_invoicing(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    closing: date,
    progress: Progress | None = None,
    with_pdfs: bool = True,
) -> SummaryRun:
    """The monthly run: every candidate's 合計請求書 with its PDF filed as a 電子取引 record (ready
    to send or print). Customers are issued in batches; a customer whose invoice is refused is
    listed with the reason and the others are issued."""
    require_role(membership, *WRITE_ROLES)
    run = SummaryRun(closing)
    candidates = summary_candidates(company=company, closing=closing)
    done = 0
    for first in range(0, len(candidates), BATCH):
        batch = candidates[first : first + BATCH]
        try:
            invoices = _issue_batch(company, actor, membership, batch, closing, with_pdfs)
            run.issued.extend(i.number for i in invoices)
        except ServiceError:
            for customer, lines in batch:
                try:
                    invoices = _issue_batch(
                        company, actor, membership, [(customer, lines)], closing, with_pdfs
                    )
                    run.issued.extend(i.number for i in invoices)
                except ServiceError as exc:
                    run.failed.append(
                        {
                            "customer": customer.name,
                            "error": exc.message,
                            **{k: "; ".join(v) for k, v in exc.field_errors.items()},
                        }
                    )
        done += len(batch)
        if progress is not None:
            progress(done, len(candidates), batch[-1][0].name)
    return run


@job_runner
def summary_invoicing_job(job: Job, progress: Progress) -> dict[str, Any]:
    membership = Membership.objects.select_related("user").get(
        company=job.company, user=job.created_by, is_active=True
    )
    closing = date.fromisoformat(job.params["closing"])
    run = run_summary_invoicing(
        company=job.company, actor=membership.user, membership=membership, closing=closing, progress=progress
    )
    return run.as_result()


def start_summary_invoicing(*, company: Company, actor: User, membership: Membership, closing: date) -> Job:
    """Queue the monthly run as a background job (its progress shows on the job screen)."""
    require_role(membership, *WRITE_ROLES)
    if not summary_candidates(company=company, closing=closing):
        raise ServiceError(
            _("%(day)s が締め日で、未請求の受注がある得意先はありません。") % {"day": closing.isoformat()}
        )
    return start_job(
        company=company,
        actor=actor,
        runner=summary_invoicing_job,
        label=_("合計請求書の発行(%(day)s締め)") % {"day": closing.isoformat()},
        params={"closing": closing.isoformat()},
    )
