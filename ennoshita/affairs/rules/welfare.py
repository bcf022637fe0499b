"""福利厚生の規程 as pure functions: who may use a benefit on a date, the fiscal year a use counts
in, and what is left of a yearly limit. No database: the services and selectors pass plain values.

The rules here are the company's own (its 福利厚生規程), not statute: the law sets no eligibility
or limit for them. Only the counting of months follows the civil code's calendar reckoning.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.core.dates import fiscal_year as fiscal_year_named
from ennoshita.core.dates import fiscal_year_of

ZERO = Decimal(0)


def add_months(day: date, months: int) -> date:
    """The day ``months`` later on the calendar; with no such day (1月31日 + 1か月) the month's last
    day (民法143条2項: 応当する日がないときは、その月の末日)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def service_months(*, hire_date: date, on: date) -> int:
    """Whole months of service on ``on``, counted by the calendar (民法143条: 暦に従って計算): hired
    4月1日 → 1 month on 5月1日, 0 on 4月30日; before the hire date 0."""
    if on < hire_date:
        return 0
    months = (on.year - hire_date.year) * 12 + (on.month - hire_date.month)
    while months > 0 and add_months(hire_date, months) > on:
        months -= 1
    return months


def fiscal_year(day: date, *, start_month: int) -> int:
    """The company's 年度 of ``day``, named by the calendar year it starts in (4月始まり: 2027年3月31日
    is 2026年度). A use counts against the limits of the 年度 of its 利用日."""
    return fiscal_year_of(day, start_month=start_month).year


def fiscal_year_bounds(year: int, *, start_month: int) -> tuple[date, date]:
    """First and last day of ``year``'s 年度."""
    fy = fiscal_year_named(year, start_month=start_month)
    return fy.start, fy.end


def eligibility_problems(
    *,
    employment_type_code: str,
    eligible_codes: Sequence[str],
    hire_date: date,
    retire_date: date | None,
    min_service_months: int,
    on: date,
) -> list[str]:
    """Why the employee may not use the benefit on ``on`` (empty: they may). An empty
    ``eligible_codes`` means every employment type."""
    problems: list[str] = []
    if on < hire_date or (retire_date is not None and on > retire_date):
        problems.append(_("利用日に在籍していません。"))
        return problems
    if eligible_codes and employment_type_code not in eligible_codes:
        problems.append(_("この制度は、あなたの雇用形態では利用できません。"))
    months = service_months(hire_date=hire_date, on=on)
    if months < min_service_months:
        problems.append(
            _("勤続%(need)dか月以上で利用できます(利用日の勤続は%(have)dか月です)。")
            % {"need": min_service_months, "have": months}
        )
    return problems


@dataclass(frozen=True)
class Remaining:
    """What is left of a benefit's yearly limits (None: no limit of that kind)."""

    amount: Decimal | None
    count: int | None


def remaining(
    *,
    amount_limit: Decimal | None,
    count_limit: int | None,
    used_amount: Decimal,
    used_count: int,
) -> Remaining:
    """The limits less what is counted (approved and pending uses of the year); never below 0."""
    amount = None if amount_limit is None else max(ZERO, amount_limit - used_amount)
    count = None if count_limit is None else max(0, count_limit - used_count)
    return Remaining(amount, count)


def limit_problems(
    *,
    amount_limit: Decimal | None,
    count_limit: int | None,
    used_amount: Decimal,
    used_count: int,
    amount: Decimal,
) -> dict[str, str]:
    """Field → message when one more use of ``amount`` would pass a yearly limit (empty: it fits)."""
    left = remaining(
        amount_limit=amount_limit, count_limit=count_limit, used_amount=used_amount, used_count=used_count
    )
    problems: dict[str, str] = {}
    if left.count is not None and left.count < 1:
        problems["used_on"] = _(
            "この年度の利用回数の上限(%(limit)d回)に達しています(承認待ちの申請を含みます)。"
        ) % {"limit": count_limit}
    if left.amount is not None and amount > left.amount:
        problems["amount"] = _(
            "この年度の上限額を超えます。残りは%(left)s円です(上限%(limit)s円、承認待ちの申請を含みます)。"
        ) % {"left": f"{left.amount:,.0f}", "limit": f"{amount_limit:,.0f}"}
    return problems
