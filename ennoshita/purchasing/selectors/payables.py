"""Reads of 買掛金・未払金 (経理 / admin): what is owed per vendor with its due buckets, the 仕入先元帳
(bills and payments with a running balance), and the 支払予定表 (what falls due, day by day).

A bill becomes a payable when it is approved (its entry is posted on its bill date) and stops being
one when a payment run pays it (``paid_at``; the run's items keep the 振込日).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from ennoshita.core.errors import PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.purchasing.models import BillStatus, PaymentItem, RunStatus, Vendor, VendorBill
from ennoshita.purchasing.permissions import manages_payables

ZERO = Decimal(0)


def _check(membership: Membership) -> None:
    if not manages_payables(membership):
        raise PermissionDeniedError()


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month_end(day: date) -> date:
    first = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return _month_end(first)


def outstanding_bills(*, company: Company, as_of: date) -> QuerySet[VendorBill]:
    """Approved bills dated on or before ``as_of`` and not yet paid."""
    return VendorBill.objects.for_company(company).filter(
        status=BillStatus.APPROVED, paid_at__isnull=True, bill_date__lte=as_of
    )


@dataclass(frozen=True)
class PayableRow:
    vendor_id: int
    vendor_code: str
    vendor_name: str
    count: int
    total: Decimal
    overdue: Decimal  # due before as_of
    this_month: Decimal  # due from as_of to the end of its month
    next_month: Decimal
    later: Decimal
    accounts_payable: Decimal  # 2112 買掛金
    other_payable: Decimal  # 2130 未払金


@dataclass(frozen=True)
class PayablesReport:
    as_of: date
    rows: list[PayableRow]
    total: PayableRow


def payables_by_vendor(
    *, company: Company, membership: Membership, as_of: date | None = None
) -> PayablesReport:
    """買掛金・未払金 per vendor on ``as_of`` (one query), by due bucket, biggest debt first."""
    _check(membership)
    as_of = as_of or timezone.localdate()
    this_end, next_end = _month_end(as_of), _next_month_end(as_of)
    rows_qs = (
        outstanding_bills(company=company, as_of=as_of)
        .values("vendor_id", "vendor__code", "vendor__name")
        .annotate(
            n=Count("pk"),
            t=Sum("total"),
            overdue=Sum("total", filter=Q(due_date__lt=as_of)),
            this_month=Sum("total", filter=Q(due_date__gte=as_of, due_date__lte=this_end)),
            next_month=Sum("total", filter=Q(due_date__gt=this_end, due_date__lte=next_end)),
            later=Sum("total", filter=Q(due_date__gt=next_end)),
            ap=Sum("total", filter=Q(payable_account_code="2112")),
            other=Sum("total", filter=~Q(payable_account_code="2112")),
        )
        .order_by("-t", "vendor__code")
    )
    rows = [
        PayableRow(
            r["vendor_id"],
            r["vendor__code"],
            r["vendor__name"],
            r["n"],
            r["t"] or ZERO,
            r["overdue"] or ZERO,
            r["this_month"] or ZERO,
            r["next_month"] or ZERO,
            r["later"] or ZERO,
            r["ap"] or ZERO,
            r["other"] or ZERO,
        )
        for r in rows_qs
    ]
    total = PayableRow(
        0,
        "",
        "合計",
        sum(r.count for r in rows),
        *(
            sum((getattr(r, name) for r in rows), ZERO)
            for name in (
                "total",
                "overdue",
                "this_month",
                "next_month",
                "later",
                "accounts_payable",
                "other_payable",
            )
        ),
    )
    return PayablesReport(as_of, rows, total)


# ------------------------------------------------------------------------------ 仕入先元帳
@dataclass(frozen=True)
class LedgerRow:
    day: date
    kind: str  # "bill" (貸方: 計上) | "payment" (借方: 支払)
    bill_id: int
    number: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class VendorLedger:
    vendor: Vendor
    start: date
    end: date
    opening: Decimal
    rows: list[LedgerRow]
    debit_total: Decimal
    credit_total: Decimal
    closing: Decimal


def _movements(
    company: Company, vendor: Vendor, end: date
) -> list[tuple[date, int, str, int, str, str, Decimal]]:
    """(day, order, kind, bill id, number, description, amount) up to ``end``: each approved bill
    on its bill date, each payment on its run's 振込日 (a bill paid outside a run: its paid_at)."""
    moves = []
    bills = (
        VendorBill.objects.for_company(company)
        .filter(vendor=vendor, status=BillStatus.APPROVED, bill_date__lte=end)
        .only("pk", "number", "bill_date", "total", "vendor_reference", "memo", "paid_at")
    )
    paid_outside: dict[int, VendorBill] = {}
    for b in bills:
        text = " ".join(x for x in (b.vendor_reference, b.memo) if x) or "仕入先請求書"
        moves.append((b.bill_date, 0, "bill", b.pk, b.number, text, b.total))
        if b.paid_at is not None:
            paid_outside[b.pk] = b
    items = (
        PaymentItem.objects.for_company(company)
        .filter(
            vendor_bill__vendor=vendor,
            run__status=RunStatus.CONFIRMED,
            run__payment_date__lte=end,
        )
        .select_related("run", "vendor_bill")
        .only("amount", "run__payment_date", "run__number", "vendor_bill__number", "vendor_bill_id")
    )
    for item in items:
        assert item.vendor_bill is not None
        paid_outside.pop(item.vendor_bill.pk, None)
        moves.append(
            (
                item.run.payment_date,
                1,
                "payment",
                item.vendor_bill.pk,
                item.vendor_bill.number,
                f"支払 {item.run.number}".strip(),
                item.amount,
            )
        )
    for b in paid_outside.values():
        assert b.paid_at is not None
        day = timezone.localtime(b.paid_at).date()
        if day <= end:
            moves.append((day, 1, "payment", b.pk, b.number, "支払", b.total))
    moves.sort(key=lambda m: (m[0], m[1], m[4], m[3]))
    return moves


def vendor_ledger(
    *, company: Company, membership: Membership, vendor: Vendor, start: date, end: date
) -> VendorLedger:
    """仕入先元帳 from ``start`` to ``end``: the balance brought forward, each bill (貸方) and payment
    (借方) in date order with the running balance, the totals and the closing balance."""
    _check(membership)
    if vendor.company_id != company.pk:
        raise PermissionDeniedError()
    opening = ZERO
    rows: list[LedgerRow] = []
    balance = ZERO
    debit_total = credit_total = ZERO
    for day, _order, kind, bill_id, number, text, amount in _movements(company, vendor, end):
        signed = amount if kind == "bill" else -amount
        if day < start:
            opening += signed
            balance = opening
            continue
        balance += signed
        debit, credit = (ZERO, amount) if kind == "bill" else (amount, ZERO)
        debit_total += debit
        credit_total += credit
        rows.append(LedgerRow(day, kind, bill_id, number, text, debit, credit, balance))
    return VendorLedger(
        vendor, start, end, opening, rows, debit_total, credit_total, opening + credit_total - debit_total
    )


# ------------------------------------------------------------------------------ 支払予定表
@dataclass
class ScheduleDay:
    day: date
    bills: list[VendorBill] = field(default_factory=list)
    total: Decimal = ZERO


@dataclass(frozen=True)
class PaymentSchedule:
    start: date
    end: date
    days: list[ScheduleDay]
    count: int
    total: Decimal
    overdue_count: int
    overdue_total: Decimal


def payment_schedule(
    *, company: Company, membership: Membership, start: date, end: date, include_overdue: bool = True
) -> PaymentSchedule:
    """支払予定表: approved, unpaid bills due from ``start`` to ``end`` (and those already overdue
    before ``start`` unless ``include_overdue`` is False), grouped by due date with day totals."""
    _check(membership)
    qs = (
        VendorBill.objects.for_company(company)
        .filter(status=BillStatus.APPROVED, paid_at__isnull=True, due_date__lte=end)
        .select_related("vendor")
        .order_by("due_date", "vendor__code", "number")
    )
    if not include_overdue:
        qs = qs.filter(due_date__gte=start)
    days: dict[date, ScheduleDay] = {}
    overdue_count, overdue_total = 0, ZERO
    for bill in qs:
        group = days.setdefault(bill.due_date, ScheduleDay(bill.due_date))
        group.bills.append(bill)
        group.total += bill.total
        if bill.due_date < start:
            overdue_count += 1
            overdue_total += bill.total
    ordered = list(days.values())
    return PaymentSchedule(
        start,
        end,
        ordered,
        sum(len(d.bills) for d in ordered),
        sum((d.total for d in ordered), ZERO),
        overdue_count,
        overdue_total,
    )
