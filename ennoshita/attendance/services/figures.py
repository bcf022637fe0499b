"""Writes of the stored monthly figures (models.MonthFigures): marking months stale when their
days change, and storing figures that were computed.

Which months a changed day can move: its own, and the months next to it — a standard week reads
up to six days of the month before and, where the 法定休日 is the week's unworked rest day, of the
month after; a 変形期間 with an 起算日 other than the 1st spans two months. So a day marks three.

The race it guards against: a reader computes a month, a punch commits, the reader stores what it
computed before the punch. Marking writes a stale row with ``changed_at`` even where none existed,
and storing replaces only rows that were fresh or went stale more than ``SETTLE`` before the
computation started (a write that was still in flight then may not have been visible to it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from django.utils import timezone

from ennoshita.attendance.models import MonthFigures
from ennoshita.core.models import Company

if TYPE_CHECKING:
    from ennoshita.attendance.agreement_selectors import MonthHours

SETTLE = timedelta(seconds=60)
T = TypeVar("T")


def _month(day: date) -> date:
    return day.replace(day=1)


def _neighbours(day: date) -> tuple[date, date, date]:
    this = _month(day)
    before = _month(this - timedelta(days=1))
    after = _month(this + timedelta(days=32))
    return before, this, after


def mark_days_changed(*, company: Company, days: Iterable[tuple[int, date]]) -> None:
    """(employee id, day) pairs whose punches, plan or leave are about to change: their months and
    the months next to them are recomputed on the next read. Call it inside the writing
    transaction: if the write rolls back, so does the mark."""
    months: dict[int, set[date]] = defaultdict(set)
    for employee_id, day in days:
        months[employee_id].update(_neighbours(day))
    if not months:
        return
    now = timezone.now()
    # one upsert: a stored month goes stale, a missing one is written stale (the race guard)
    MonthFigures.objects.bulk_create(
        [
            MonthFigures(company=company, employee_id=pk, month=m, fresh=False, changed_at=now)
            for pk in sorted(months)  # one order for every writer: no deadlock between two upserts
            for m in sorted(months[pk])
        ],
        update_conflicts=True,
        unique_fields=["employee", "month"],
        update_fields=["fresh", "changed_at"],
        batch_size=500,
    )


def mark_employees_changed(*, company: Company, employee_ids: Iterable[int] | None = None) -> None:
    """Every stored month of these employees (None: of everyone in the company) is recomputed on
    the next read: a work rule or an employee's 勤怠設定 changed."""
    rows = MonthFigures.objects.for_company(company)
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    rows.update(fresh=False, changed_at=timezone.now())


def remember_figures(
    *,
    company: Company,
    computed: Mapping[tuple[int, date], tuple[int, int, int | None]],
    started_at: datetime,
) -> None:
    """Store figures computed from a read that began at ``started_at``: (employee id, month) →
    (時間外 minutes, 法定休日 minutes, employment type id). A month marked stale since then (or just
    before it) is left stale."""
    if not computed:
        return
    cutoff = started_at - SETTLE
    by_month: dict[date, list[int]] = defaultdict(list)
    for employee_id, month in computed:
        by_month[month].append(employee_id)
    rows = MonthFigures.objects.for_company(company)
    for month, employee_ids in by_month.items():
        rows.filter(month=month, employee_id__in=employee_ids).exclude(
            fresh=False, changed_at__gte=cutoff
        ).delete()
    now = timezone.now()
    MonthFigures.objects.bulk_create(
        [
            MonthFigures(
                company=company,
                employee_id=employee_id,
                month=month,
                employment_type_key=type_key,
                overtime_minutes=overtime,
                holiday_minutes=holiday,
                fresh=True,
                computed_at=now,
            )
            for (employee_id, month), (overtime, holiday, type_key) in computed.items()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def keep_computed(*, company: Company, hours: MonthHours) -> None:
    """Store what a 36協定 read (``agreement_selectors.MonthHours``) had to compute."""
    remember_figures(company=company, computed=hours.computed, started_at=hours.started_at)


def read_and_keep(*, company: Company, read: Callable[[MonthHours], T]) -> T:
    """Run a 36協定 read with a fresh ``MonthHours`` and store what it had to compute: the next
    read of the same months finds them (the screens and the API read through this)."""
    from ennoshita.attendance.agreement_selectors import MonthHours

    hours = MonthHours(company)
    result = read(hours)
    keep_computed(company=company, hours=hours)
    return result
