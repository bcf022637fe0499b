"""勤怠締め reads: whether an employee's month is closed (locked by 人事)."""

from __future__ import annotations

from datetime import date

from ennoshita.core.models import Company

from .models import MonthClose


def month_is_locked(*, company: Company, employee_id: int, day: date) -> bool:
    """True when the month of ``day`` is closed for the employee: nothing of it may be written."""
    return (
        MonthClose.objects.for_company(company)
        .filter(employee_id=employee_id, month=day.replace(day=1), locked_at__isnull=False)
        .exists()
    )


def locked_months(
    *, company: Company, employee_ids: set[int], start: date, end: date
) -> set[tuple[int, date]]:
    """(employee id, first day of month) of every closed month touching start..end."""
    return set(
        MonthClose.objects.for_company(company)
        .filter(
            employee_id__in=employee_ids,
            month__gte=start.replace(day=1),
            month__lte=end.replace(day=1),
            locked_at__isnull=False,
        )
        .values_list("employee_id", "month")
    )
