"""消耗品の払出 on the dashboard: what 総務 issued to each department, at the issue's unit cost
(``affairs.selectors.consumables.consumption_cost_by_department_month``).

It is shown beside the books, not added to them: the purchase of the consumables is already in the
books (消耗品費 on the bill or the claim); the issues say which department used them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.affairs.selectors.consumables import consumption_cost_by_department_month
from ennoshita.core.models import Company
from ennoshita.ledger.selectors.monthly import add_months
from ennoshita.people.models import Department

from .scope import NO_DEPARTMENT

ZERO = Decimal(0)


@dataclass(frozen=True)
class ConsumableUseRow:
    department_id: int  # 0: issued without a department
    name: str
    month_amount: Decimal
    period_amount: Decimal


def consumable_use(
    *, company: Company, months: list[date], department_ids: list[int] | None
) -> list[ConsumableUseRow]:
    """Per department: the issues of the last month of ``months`` and of the whole window, limited
    to ``department_ids`` (None: every department and 部門なし), as the dashboard's scope keys."""
    first, month = months[0], months[-1]
    costs = consumption_cost_by_department_month(
        company=company, start=first, end=add_months(month, 1) - timedelta(days=1)
    )
    period: dict[int, Decimal] = defaultdict(Decimal)
    current: dict[int, Decimal] = defaultdict(Decimal)
    for c in costs:
        key = c.department_id or NO_DEPARTMENT
        if department_ids is not None and key not in department_ids:
            continue
        period[key] += c.amount
        if c.month == month:
            current[key] += c.amount
    named = {
        d.pk: d
        for d in Department.objects.for_company(company)
        .filter(pk__in=[k for k in period if k])
        .only("pk", "code", "name", "sort_order")
    }
    rows = [
        ConsumableUseRow(d.pk, d.name, current[d.pk], period[d.pk])
        for d in sorted(named.values(), key=lambda d: (d.sort_order, d.code))
    ]
    if NO_DEPARTMENT in period:
        rows.append(
            ConsumableUseRow(
                NO_DEPARTMENT, _("部門なし(共通)"), current[NO_DEPARTMENT], period[NO_DEPARTMENT]
            )
        )
    return rows
