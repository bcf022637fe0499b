"""住民税 特別徴収 when an employee leaves (jp-rules §3; pure functions, no database).

地方税法321条の5第2項: when a 特別徴収 taxpayer stops being paid by the employer (退職), the
installments not yet collected (未徴収税額) go to 普通徴収 (the employee pays the municipality),
except that they are collected in one lump (一括徴収) from the last pay or the 退職手当等:

- 1号: leaving **1 June – 31 December**: only when the employee asks (申出);
- 2号: leaving **1 January – 30 April**: always — provided the pay (or 退職手当等) to be paid exceeds
  the 未徴収税額 (「…の額が当該未徴収税額を超える場合」); otherwise 普通徴収.
- Leaving in **May**: neither (the 年度 ends with May's installment, normally the last pay's).

The employer then files the 給与所得者異動届出書 with the municipality (321条の7) by the 10th of the
next month, stating the method (一括徴収 or 普通徴収). The 年度 runs June to May (321条の5第1項);
June's installment may differ from July–May's (the 100円未満 remainder, 20条の4の2第6項・第8項).
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "LUMP_NONE",
    "LUMP_REQUEST",
    "LUMP_REQUIRED",
    "lump_sum_rule",
    "remaining_installments",
    "resident_tax_year",
]

LUMP_REQUIRED = "required"  # 地方税法321条の5第2項2号 (1月1日〜4月30日の退職)
LUMP_REQUEST = "request"  # 同項1号 (6月1日〜12月31日の退職、本人の申出)
LUMP_NONE = "none"  # 5月の退職: 一括徴収の定めなし


def resident_tax_year(month: date) -> int:
    """住民税の年度 of a month: June to May (地方税法321条の5第1項)."""
    return month.year if month.month >= 6 else month.year - 1


def lump_sum_rule(*, retire_date: date) -> str:
    """Which of 321条の5第2項's cases a 退職日 falls in: "required" (1 Jan – 30 Apr), "request"
    (1 Jun – 31 Dec: lump only on the employee's 申出) or "none" (May)."""
    if 1 <= retire_date.month <= 4:
        return LUMP_REQUIRED
    if retire_date.month >= 6:
        return LUMP_REQUEST
    return LUMP_NONE


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def remaining_installments(*, pay_month: date, june: int, monthly: int) -> tuple[list[date], int]:
    """The installments of the 年度 after the one of ``pay_month`` (the month of the last pay),
    through May: (their months, their sum). ``june``/``monthly``: the notice's amounts (June's,
    and each of July–May's). Pay month 2027-03 → ([2027-04, 2027-05], 2 × monthly); pay month
    June → July–May (11 × monthly); pay month May → ([], 0)."""
    fiscal = resident_tax_year(pay_month)
    end = date(fiscal + 1, 5, 1)
    months: list[date] = []
    month = _next_month(pay_month.replace(day=1))
    while month <= end:
        months.append(month)
        month = _next_month(month)
    total = sum(june if m.month == 6 else monthly for m in months)
    return months, total
