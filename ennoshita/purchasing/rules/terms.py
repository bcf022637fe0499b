"""支払条件 (締め日・支払月・支払日): when a vendor's bill falls due.

Payment terms are a contract between the company and its vendor, not a statute: 「20日締め翌月10日払い」,
「月末締め翌月末払い」. The one legal ceiling that may apply is 下請法 (下請代金支払遅延等防止法) 2条の2: for
a 下請取引 the 支払期日 must be within 60 days of receipt of the goods or service — a term such as
「月末締め翌々月末払い」 can break it. We compute the date the terms give and do not judge the contract
(docs/domains/purchasing.md).

Bank holidays: companies differ — some pay on the business day before (前営業日), some on the day
after (翌営業日), and 全銀 transfers cannot be executed on a bank holiday. We keep the date the terms
give and do not move it; the payment run chooses its 振込指定日.
"""

from __future__ import annotations

import calendar
from datetime import date

MONTH_END = 31  # 締め日・支払日 31 means the last day of the month (28, 29, 30 or 31)
MAX_MONTH_OFFSET = 6


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def check_terms(*, closing_day: int, payment_month_offset: int, payment_day: int) -> list[str]:
    """What is wrong with a set of terms, as field names ([] when they are usable)."""
    wrong = []
    if not isinstance(closing_day, int) or not 1 <= closing_day <= 31:
        wrong.append("closing_day")
    if not isinstance(payment_month_offset, int) or not 0 <= payment_month_offset <= MAX_MONTH_OFFSET:
        wrong.append("payment_month_offset")
    if not isinstance(payment_day, int) or not 1 <= payment_day <= 31:
        wrong.append("payment_day")
    if not wrong and payment_month_offset == 0 and payment_day < closing_day:
        # 当月払い: the payment day must come on or after the closing day of the same month
        wrong.append("payment_day")
    return wrong


def due_date_for(*, bill_date: date, closing_day: int, payment_month_offset: int, payment_day: int) -> date:
    """The 支払期日 of a bill dated ``bill_date`` under 「``closing_day``日締め・``payment_month_offset``
    か月後の``payment_day``日払い」.

    - A bill dated on or before the closing day of its month belongs to that month's period; a later
      one to the next month's. 31 (or a day past the month's end) means the month's last day, so
      「月末締め」 closes on 2/28, on 2/29 in a leap year, and on 4/30.
    - The due month is the closing month plus ``payment_month_offset`` (0 当月, 1 翌月, 2 翌々月 …).
    - A payment day past that month's end is its last day (「末日払い」, 30日払い in February).
    - The date is not moved off weekends or bank holidays (see the module docstring).
    """
    wrong = check_terms(
        closing_day=closing_day, payment_month_offset=payment_month_offset, payment_day=payment_day
    )
    if wrong:
        raise ValueError(f"invalid payment terms: {', '.join(wrong)}")
    year, month = bill_date.year, bill_date.month
    if bill_date.day > min(closing_day, _last_day(year, month)):
        year, month = _add_months(year, month, 1)
    year, month = _add_months(year, month, payment_month_offset)
    return date(year, month, min(payment_day, _last_day(year, month)))


def terms_label(*, closing_day: int, payment_month_offset: int, payment_day: int) -> str:
    """「月末締め翌月末払い」, 「20日締め翌々月10日払い」."""
    closing = "月末" if closing_day >= MONTH_END else f"{closing_day}日"
    month = {0: "当月", 1: "翌月", 2: "翌々月"}.get(payment_month_offset, f"{payment_month_offset}か月後の")
    pay = "末" if payment_day >= MONTH_END else f"{payment_day}日"
    return f"{closing}締め{month}{pay}払い"
