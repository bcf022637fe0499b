"""Spend of approved expense claims by payee, for analyses (costs: top vendors and payees).

Amounts are the lines' amounts, 税込 as on the receipts. A line counts when its claim is approved
(posted to the books; paid or not), its date lies in the period and its category posts to one of
the given account codes. Departments are the claim's (the department its entry is posted to).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BigIntegerField, Count, Q, Sum

from ennoshita.core.models import Company

from .models import ClaimStatus, ExpenseCategory, ExpenseLine


@dataclass(frozen=True)
class PayeeSpend:
    payee: str
    amount: Decimal  # 税込
    count: int


def _yen(value: object) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value))


def spend_by_payee(
    *,
    company: Company,
    start: date,
    end: date,
    account_codes: Collection[str],
    department_ids: Collection[int] | None = None,
) -> list[PayeeSpend]:
    """Approved claim lines dated start..end, per payee, largest first. ``department_ids``: only
    claims of those departments (0: claims without one); None: all. Two queries."""
    if not account_codes:
        return []
    categories = list(
        ExpenseCategory.objects.for_company(company)
        .filter(account_code__in=list(account_codes))
        .values_list("pk", flat=True)
    )
    if not categories:
        return []
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
    rows = (
        qs.values("payee")
        .annotate(total=Sum("amount", output_field=BigIntegerField()), n=Count("pk"))
        .order_by()
    )
    out = [PayeeSpend(r["payee"], _yen(r["total"]), r["n"]) for r in rows]
    out.sort(key=lambda p: (-p.amount, p.payee))
    return out
