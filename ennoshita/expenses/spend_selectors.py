"""Spend of approved expense claims by payee, for analyses (costs: top vendors and payees).

Amounts are the lines' amounts, 税込 as on the receipts. A line counts when its claim is approved
(posted to the books; paid or not), its date lies in the period and its category posts to one of
the given account codes. Departments are the claim's (the department its entry is posted to).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db.models import BigIntegerField, CharField, Count, Min, Q, QuerySet, Sum, Value

from ennoshita.core.models import Company

from .models import ClaimStatus, ExpenseCategory, ExpenseLine

# The columns of spend_by_payee_key, in the order the two spend queries share (costs unites them).
SPEND_COLUMNS = ("payee_key", "vendor_name", "payee_name", "bills", "claims", "lines")


def spend_by_payee_key(
    *,
    company: Company,
    start: date,
    end: date,
    account_codes: Collection[str],
    department_ids: Collection[int] | None = None,
) -> QuerySet[Any] | None:
    """Approved claim lines dated start..end, one row per payee key (``core.text.name_key`` of the
    payee: ＡＢＣ商事 and ABC 商事 are one row), as a query of SPEND_COLUMNS: ``payee_name`` one of
    the names as written, ``claims`` the lines' sum (税込), ``bills`` 0. None when no category posts
    to the accounts. ``department_ids``: only claims of those departments (0: claims without one);
    None: all. A query, so that costs can rank it together with the vendor bills in one statement."""
    if not account_codes:
        return None
    categories = list(
        ExpenseCategory.objects.for_company(company)
        .filter(account_code__in=list(account_codes))
        .values_list("pk", flat=True)
    )
    if not categories:
        return None
    qs = ExpenseLine.objects.for_company(company).filter(
        date__gte=start,
        date__lte=end,
        category_id__in=categories,
        claim__company_id=company.pk,
        claim__status=ClaimStatus.APPROVED,
    )
    if department_ids is not None:
        cond = Q(claim__department_id__in=[d for d in department_ids if d])
        if 0 in department_ids:
            cond |= Q(claim__department__isnull=True)
        qs = qs.filter(cond)
    return (
        qs.values("payee_key")
        .annotate(
            vendor_name=Value(None, output_field=CharField()),
            payee_name=Min("payee"),
            bills=Value(0, output_field=BigIntegerField()),
            claims=Sum("amount", output_field=BigIntegerField()),
            lines=Count("pk"),
        )
        .values(*SPEND_COLUMNS)
        .order_by()
    )
