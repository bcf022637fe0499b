"""Spend on vendor bills by vendor, for analyses (costs: top vendors and payees).

Amounts are the bill lines' amounts, 税込 as on the bills. A line counts when its bill is approved
(posted to the books; paid or not), the bill date lies in the period and the line's account code is
one of those given. A line's department is its own, else its bill's.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db.models import BigIntegerField, CharField, Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ennoshita.core.models import Company
from ennoshita.purchasing.models import BillStatus, VendorBillLine

# The columns of spend_by_vendor_key, in the order the two spend queries share (costs unites them).
SPEND_COLUMNS = ("payee_key", "vendor_name", "payee_name", "bills", "claims", "lines")


def spend_by_vendor_key(
    *,
    company: Company,
    start: date,
    end: date,
    account_codes: Collection[str],
    department_ids: Collection[int] | None = None,
) -> QuerySet[Any] | None:
    """Approved bills' lines dated start..end, one row per vendor name key (``core.text.name_key``
    of the vendor's name), as a query of SPEND_COLUMNS: ``vendor_name`` the vendor's name,
    ``bills`` the lines' sum (税込), ``claims`` 0. None without account codes. ``department_ids``:
    only lines of those departments (0: lines without one); None: all. A query, so that costs can
    rank it together with the expense claims in one statement."""
    if not account_codes:
        return None
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
    return (
        qs.values(payee_key=F("bill__vendor__name_key"))
        .annotate(
            vendor_name=Max("bill__vendor__name"),
            payee_name=Value(None, output_field=CharField()),
            bills=Sum("amount", output_field=BigIntegerField()),
            claims=Value(0, output_field=BigIntegerField()),
            lines=Count("pk"),
        )
        .values(*SPEND_COLUMNS)
        .order_by()
    )
