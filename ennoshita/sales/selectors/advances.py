"""Reads of 前受金: what a payment left over and what became of it (充当 to later invoices, 返金),
and a customer's 前受金 balance (the sum of what their payments still hold)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.sales.models import AdvanceApplication, Customer, Payment, Refund
from ennoshita.sales.permissions import READ_ROLES


def _check(membership: Membership | None) -> None:
    if membership is not None:
        require_role(membership, *READ_ROLES)


@dataclass(frozen=True)
class PaymentAdvances:
    """What was done with a payment's 前受金, oldest first."""

    applications: list[AdvanceApplication]
    refunds: list[Refund]

    @property
    def applied(self) -> Decimal:
        return sum((a.amount for a in self.applications), Decimal(0))

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), Decimal(0))


def payment_advances(
    *, company: Company, payment: Payment, membership: Membership | None = None
) -> PaymentAdvances:
    """The 充当 (with their invoices) and 返金 of one payment: two queries."""
    _check(membership)
    applications = list(
        AdvanceApplication.objects.for_company(company)
        .filter(payment_id=payment.pk)
        .select_related("invoice")
        .order_by("date", "pk")
    )
    refunds = list(Refund.objects.for_company(company).filter(payment_id=payment.pk).order_by("date", "pk"))
    return PaymentAdvances(applications, refunds)


@dataclass(frozen=True)
class CustomerAdvances:
    """A customer's 前受金: the balance and the payments that hold it (oldest first)."""

    customer: Customer
    payments: list[Payment]

    @property
    def balance(self) -> Decimal:
        return sum((p.unapplied for p in self.payments), Decimal(0))


def customer_advance_balance(
    *, company: Company, customer: Customer, membership: Membership | None = None
) -> Decimal:
    """The customer's 前受金 now: what their payments hold unapplied (one query)."""
    _check(membership)
    value = (
        Payment.objects.for_company(company)
        .filter(customer_id=customer.pk, unapplied__gt=0)
        .aggregate(s=Sum("unapplied"))["s"]
    )
    return value or Decimal(0)


def customer_advances(
    *, company: Company, customer: Customer, membership: Membership | None = None
) -> CustomerAdvances:
    """The customer's payments that still hold 前受金, the oldest first (the usual order to draw
    on them): one query."""
    _check(membership)
    payments = list(
        Payment.objects.for_company(company)
        .filter(customer_id=customer.pk, unapplied__gt=0)
        .order_by("date", "pk")
    )
    for p in payments:
        p.customer = customer  # spares a query per row where the customer is shown
    return CustomerAdvances(customer, payments)
