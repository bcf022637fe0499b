"""Reads of 督促 (reminders of overdue invoices): the reminders of a customer or of the company,
one reminder, the customers with overdue invoices and their last reminder (the screen to make
the next one), and the level a new reminder takes by default.

The level escalates: one more than the customer's last reminder when that one is dated (``as_of``)
within ``ESCALATION_DAYS`` before the new one, capped at 3 (最終督促); otherwise 1 again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, OuterRef, QuerySet, Subquery, Sum

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.sales.models import Customer, Invoice, Reminder
from ennoshita.sales.permissions import READ_ROLES

from .receivables import overdue_invoices

ESCALATION_DAYS = 60
ZERO = Decimal(0)


def _check(membership: Membership | None) -> None:
    if membership is not None:
        require_role(membership, *READ_ROLES)


def _reminders(company: Company) -> QuerySet[Reminder]:
    return (
        Reminder.objects.for_company(company)
        .select_related("customer", "created_by")
        .order_by("-created_at", "-pk")
    )


def company_reminders(
    *, company: Company, membership: Membership | None = None, customer: Customer | None = None
) -> QuerySet[Reminder]:
    """The company's reminders, the newest first (of one customer when given)."""
    _check(membership)
    qs = _reminders(company)
    if customer is not None:
        qs = qs.filter(customer=customer)
    return qs


def customer_reminders(
    *, company: Company, customer: Customer, membership: Membership | None = None
) -> QuerySet[Reminder]:
    """The reminders sent to one customer, the newest first."""
    _check(membership)
    if customer.company_id != company.pk:
        raise NotFound()
    return _reminders(company).filter(customer=customer)


def get_reminder(*, company: Company, reminder_id: Any, membership: Membership | None = None) -> Reminder:
    """One reminder of the company; another company's id (or none) is NotFound."""
    _check(membership)
    try:
        pk = int(reminder_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = _reminders(company).select_related("company").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def overdue_of_customer(*, company: Company, customer: Customer, as_of: date) -> list[Invoice]:
    """The customer's issued invoices still open after their due date (before ``as_of``)."""
    return list(
        overdue_invoices(company=company, as_of=as_of)
        .filter(customer=customer)
        .order_by("due_date", "date", "pk")
    )


def last_reminder(*, company: Company, customer: Customer, as_of: date) -> Reminder | None:
    """The customer's latest reminder dated on or before ``as_of``."""
    return (
        Reminder.objects.for_company(company)
        .filter(customer=customer, as_of__lte=as_of)
        .order_by("-as_of", "-created_at", "-pk")
        .first()
    )


def suggested_level(last: Reminder | None, as_of: date) -> int:
    """The level of the next reminder: one more than ``last`` when it is recent, capped at 3."""
    if last is None or last.as_of < as_of - timedelta(days=ESCALATION_DAYS):
        return int(Reminder.Level.NOTICE)
    return min(int(last.level) + 1, int(Reminder.Level.FINAL))


@dataclass
class OverdueCustomer:
    customer: Customer
    count: int
    total: Decimal
    oldest_due: date
    last: Reminder | None
    next_level: int


def overdue_customers(
    *, company: Company, as_of: date, membership: Membership | None = None
) -> list[OverdueCustomer]:
    """Customers with overdue invoices on ``as_of``: how many, how much, the oldest due date, their
    last reminder and the level of the next one; ordered by customer code. Three queries whatever
    the number of customers and invoices."""
    _check(membership)
    grouped = list(
        overdue_invoices(company=company, as_of=as_of)
        .order_by()
        .values("customer_id")
        .annotate(n=Count("pk"), total=Sum("open_amount"), oldest=Min("due_date"))
    )
    if not grouped:
        return []
    latest = (
        Reminder.objects.filter(company=company, customer=OuterRef("pk"), as_of__lte=as_of)
        .order_by("-as_of", "-created_at", "-pk")
        .values("pk")[:1]
    )
    customers = list(
        Customer.objects.for_company(company)
        .filter(pk__in=[g["customer_id"] for g in grouped])
        .annotate(last_reminder_id=Subquery(latest))
    )
    last_ids = [c.last_reminder_id for c in customers if c.last_reminder_id]
    reminders = Reminder.objects.for_company(company).in_bulk(last_ids)
    by_customer = {g["customer_id"]: g for g in grouped}
    rows = []
    for c in customers:
        g = by_customer[c.pk]
        last = reminders.get(c.last_reminder_id) if c.last_reminder_id else None
        rows.append(
            OverdueCustomer(
                customer=c,
                count=int(g["n"]),
                total=Decimal(g["total"] or ZERO),
                oldest_due=g["oldest"],
                last=last,
                next_level=suggested_level(last, as_of),
            )
        )
    rows.sort(key=lambda r: r.customer.code)
    return rows
