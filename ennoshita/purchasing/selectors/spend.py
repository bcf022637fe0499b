"""Spend on vendor bills by vendor, for analyses (costs: top vendors and payees).

Amounts are the bill lines' amounts, 税込 as on the bills. A line counts when its bill is approved
(posted to the books; paid or not), the bill date lies in the period and the line's account code is
one of those given. A line's department is its own, else its bill's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Count, Q, Sum
from django.db.models.functions import Coalesce

from ennoshita.core.models import Company
from ennoshita.purchasing.models import BillStatus, VendorBillLine


@dataclass(frozen=True)
class VendorSpend:
    vendor_id: int
    name: str
    amount: Decimal  # 税込
    count: int  # bill lines


def _yen(value: object) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value))


def spend_by_vendor(
    *,
    company: Company,
    start: date,
    end: date,
    account_codes: Collection[str],
    department_ids: Collection[int] | None = None,
) -> list[VendorSpend]:
    """Approved bills' lines dated start..end, per vendor, largest first. ``department_ids``: only
    lines of those departments (0: lines without one); None: all. One query."""
    if not account_codes:
        return []
    qs = VendorBillLine.objects.for_company(company).filter(
        account_code__in=list(account_codes),
        bill__company_id=company.pk,
        bill__status=BillStatus.APPROVED,
        bill__bill_date__gte=start,
        bill__bill_date__lte=end,
    )
    if department_ids is not None:
        qs = qs.annotate(dept=Coalesce("department_id", "bill__department_id"))
        cond = Q(dept__in=[d for d in department_ids if d])
        if 0 in department_ids:
            cond |= Q(dept__isnull=True)
        qs = qs.filter(cond)
    rows = (
        qs.values("bill__vendor_id", "bill__vendor__name")
        .annotate(total=Sum("amount", output_field=BigIntegerField()), n=Count("pk"))
        .order_by()
    )
    out = [VendorSpend(r["bill__vendor_id"], r["bill__vendor__name"], _yen(r["total"]), r["n"]) for r in rows]
    out.sort(key=lambda v: (-v.amount, v.name))
    return out
