"""勤怠締め writes (the employee's confirmation, 人事's lock, the reopen with a reason) and the
check every other attendance write makes before touching a day."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from ennoshita.attendance.closing_selectors import locked_months, month_is_locked
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company


def ensure_month_open(*, company: Company, employee_id: int, day: date, field: str = "__all__") -> None:
    """Refuse (nothing written) a write into a closed month: it changes only after a reopen."""
    if month_is_locked(company=company, employee_id=employee_id, day=day):
        message = _(
            "%(month)s は勤怠が締められています。変更するには人事に締めの解除を依頼してください。"
        ) % {"month": f"{day.year}年{day.month}月"}
        raise ServiceError(message, code="month_closed", field_errors={field: [message]})


def ensure_months_open(*, company: Company, days: set[tuple[int, date]], field: str = "__all__") -> None:
    """The same for many (employee id, day) pairs in one query (imports, shift tables)."""
    if not days:
        return
    closed = locked_months(
        company=company,
        employee_ids={pk for pk, _d in days},
        start=min(d for _pk, d in days),
        end=max(d for _pk, d in days),
    )
    hit = sorted({(pk, d.replace(day=1)) for pk, d in days} & closed)
    if hit:
        month = hit[0][1]
        message = _(
            "%(month)s は勤怠が締められています。変更するには人事に締めの解除を依頼してください。"
        ) % {"month": f"{month.year}年{month.month}月"}
        raise ServiceError(message, code="month_closed", field_errors={field: [message]})
