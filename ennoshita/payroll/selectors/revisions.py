"""Who needs a 定時決定 (算定基礎届) or a 随時改定 (月額変更届): the confirmed salary payslips read as
``rules.revision.MonthPay`` (one query for every payslip of the months needed) and the current
grade from ``StandardRemuneration``. Each row keeps the months, the average and both grades so
the screen can show the working (jp-rules §2.4)."""

from __future__ import annotations

import calendar
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.payroll.models import PayrollRun, Payslip, PayType, RunKind, RunStatus, StandardRemuneration
from ennoshita.payroll.permissions import RUN_ROLES
from ennoshita.payroll.rules import Grade
from ennoshita.payroll.rules.revision import (
    MonthPay,
    annual_determination,
    fixed_pay_change,
    interim_revision,
)

# 定時決定: the 15-day rule of 日本年金機構 is for パートタイマー; the people master's employment types
# "part_time" (パート) and "arbeit" (アルバイト) are read as such.
PART_TIME_TYPES = ("part_time", "arbeit")
# 随時改定 looks at the pay months of the last year up to ``as_of``.
INTERIM_WINDOW_MONTHS = 12


@dataclass(frozen=True)
class MonthCell:
    month: date
    remuneration: int
    base_days: int
    counted: bool


@dataclass(frozen=True)
class CurrentGrade:
    health_grade: int
    health_standard: int
    pension_grade: int
    pension_standard: int
    effective_from: date


@dataclass(frozen=True)
class RevisionRow:
    """One employee: ``kind`` "annual" (定時決定) or "interim" (随時改定)."""

    kind: str
    employee_id: int
    employee_number: str
    employee_name: str
    months: tuple[MonthCell, ...]
    total: int
    average: int
    current: CurrentGrade | None
    new: Grade
    applies_from: date
    changed_month: date | None = None  # 随時改定: the month fixed pay changed
    part_time: bool = False
    recorded: bool = False  # a StandardRemuneration row from ``applies_from`` already exists

    @property
    def grade_changes(self) -> bool:
        return self.current is None or self.current.health_grade != self.new.health_grade


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _yen(value: Any) -> int:
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return 0


def _month(text: Any) -> date | None:
    try:
        return date.fromisoformat(f"{text}-01") if isinstance(text, str) and len(text) == 7 else None
    except ValueError:
        return None


def base_days(slip: Payslip) -> int:
    """支払基礎日数: 月給 = the calendar days of the attendance month less the days of absence
    (欠勤控除 days); 日給・時給 = the days worked."""
    inputs = slip.inputs or {}
    if slip.pay_type == PayType.MONTHLY:
        run = slip.run
        month = run.attendance_month or _month(inputs.get("attendance_month")) or run.pay_date
        days = Decimal(calendar.monthrange(month.year, month.month)[1])
        try:
            absence = Decimal(str(inputs.get("absence_days", 0) or 0))
        except InvalidOperation:
            absence = Decimal(0)
        return max(int(days - absence), 0)
    return _yen(inputs.get("days_worked", 0))


def fixed_pay_of(inputs: dict[str, Any]) -> tuple[str, int]:
    """(a stable text of ``inputs["fixed_pay"]``, base_pay + commute + the fixed items in yen)."""
    fixed = inputs.get("fixed_pay") or {}
    key = json.dumps(fixed, sort_keys=True, ensure_ascii=False, default=str)
    items = fixed.get("items") or {}
    amount = _yen(fixed.get("base_pay", 0)) + _yen(fixed.get("commute", 0))
    amount += sum(_yen(v) for v in items.values()) if isinstance(items, dict) else 0
    return key, amount


@dataclass
class _Person:
    employee_id: int
    number: str
    name: str
    part_time: bool
    months: dict[date, MonthPay]


def _people(company: Company, first: date, last: date) -> list[_Person]:
    """Every employee with a confirmed salary payslip paid in ``first``..``last`` (months), one query."""
    slips = (
        Payslip.objects.filter(
            company=company,
            run__company=company,
            run__kind=RunKind.SALARY,
            run__status=RunStatus.CONFIRMED,
            run__pay_date__gte=first,
            run__pay_date__lt=_add_months(last, 1),
        )
        .select_related("run", "employee__employment_type")
        .order_by("employee_number", "run__pay_date", "pk")
    )
    people: dict[int, _Person] = {}
    for slip in slips:
        employee = slip.employee
        etype = getattr(employee, "employment_type", None)
        person = people.setdefault(
            slip.employee_id,
            _Person(
                employee_id=slip.employee_id,
                number=slip.employee_number,
                name=slip.employee_name,
                part_time=bool(etype and etype.code in PART_TIME_TYPES),
                months={},
            ),
        )
        run: PayrollRun = slip.run
        month = run.pay_date.replace(day=1)
        key, amount = fixed_pay_of(slip.inputs or {})
        pay = MonthPay(
            month=month,
            remuneration=int(slip.social_insurance_wage),
            base_days=base_days(slip),
            fixed_pay_key=key,
            fixed_pay=amount,
        )
        before = person.months.get(month)
        if before is not None:  # two salary runs paid in one month: one month's 報酬
            pay = MonthPay(
                month=month,
                remuneration=before.remuneration + pay.remuneration,
                base_days=max(before.base_days, pay.base_days),
                fixed_pay_key=pay.fixed_pay_key,
                fixed_pay=pay.fixed_pay,
            )
        person.months[month] = pay
    return list(people.values())


def _grades(company: Company, employee_ids: list[int], until: date) -> dict[int, list[StandardRemuneration]]:
    rows = StandardRemuneration.objects.filter(
        company=company, employee_id__in=employee_ids, effective_from__lte=until
    ).order_by("employee_id", "effective_from")
    out: dict[int, list[StandardRemuneration]] = defaultdict(list)
    for row in rows:
        out[row.employee_id].append(row)
    return out


def _current(rows: list[StandardRemuneration], on: date) -> CurrentGrade | None:
    found = [r for r in rows if r.effective_from <= on]
    if not found:
        return None
    r = found[-1]
    return CurrentGrade(
        health_grade=r.health_grade,
        health_standard=int(r.health_standard),
        pension_grade=r.pension_grade,
        pension_standard=int(r.pension_standard),
        effective_from=r.effective_from,
    )


def _recorded(rows: list[StandardRemuneration], applies_from: date) -> bool:
    return any(r.effective_from == applies_from for r in rows)


def annual_list(*, company: Company, membership: Membership, year: int) -> list[RevisionRow]:
    """定時決定 for ``year``: everyone paid in April–June whose months give a grade (from September).
    The current grade is the latest one from 1 August or before."""
    require_role(membership, *RUN_ROLES)
    people = _people(company, date(year, 4, 1), date(year, 6, 1))
    applies = date(year, 9, 1)
    grades = _grades(company, [p.employee_id for p in people], applies)
    rows: list[RevisionRow] = []
    for p in people:
        d = annual_determination(months=list(p.months.values()), year=year, part_time=p.part_time)
        if d is None:
            continue
        counted = {m.month for m in d.counted}
        history = grades.get(p.employee_id, [])
        rows.append(
            RevisionRow(
                kind="annual",
                employee_id=p.employee_id,
                employee_number=p.number,
                employee_name=p.name,
                months=tuple(
                    MonthCell(m.month, m.remuneration, m.base_days, m.month in counted) for m in d.months
                ),
                total=d.total,
                average=d.average,
                current=_current(history, date(year, 8, 1)),
                new=d.grade,
                applies_from=d.applies_from,
                part_time=p.part_time,
                recorded=_recorded(history, d.applies_from),
            )
        )
    return rows


def interim_list(*, company: Company, membership: Membership, as_of: date) -> list[RevisionRow]:
    """随時改定 as of ``as_of``: for each employee the latest change of fixed pay in the last 12 pay
    months whose three months are paid and give a 健康保険 grade 2 or more away, in the direction of
    the change. The current grade is the one in force in the month of the change."""
    require_role(membership, *RUN_ROLES)
    last = as_of.replace(day=1)
    people = _people(company, _add_months(last, 1 - INTERIM_WINDOW_MONTHS), last)
    grades = _grades(company, [p.employee_id for p in people], _add_months(last, 1))
    rows: list[RevisionRow] = []
    for p in people:
        history = grades.get(p.employee_id, [])
        found: RevisionRow | None = None
        for month in sorted(p.months):
            tail = [m for m in p.months.values() if m.month >= _add_months(month, -1)]
            if fixed_pay_change(tail) != month:
                continue
            current = _current(history, month)
            if current is None:
                continue  # no grade to compare with (資格取得時決定 not recorded)
            r = interim_revision(months=tail, current_health_grade=current.health_grade)
            if r is None:
                continue
            found = RevisionRow(
                kind="interim",
                employee_id=p.employee_id,
                employee_number=p.number,
                employee_name=p.name,
                months=tuple(MonthCell(m.month, m.remuneration, m.base_days, True) for m in r.months),
                total=r.total,
                average=r.average,
                current=current,
                new=r.grade,
                applies_from=r.applies_from,
                changed_month=r.changed_month,
                part_time=p.part_time,
                recorded=_recorded(history, r.applies_from),
            )
        if found is not None:
            rows.append(found)
    return rows


def csv_rows(*, annual: list[RevisionRow], interim: list[RevisionRow]) -> list[list[Any]]:
    """One table for both lists: a header, then a line per employee with up to three months."""
    header = [
        _("種類"),
        _("社員番号"),
        _("氏名"),
        _("改定月"),
        _("変動月"),
    ]
    for i in (1, 2, 3):
        header += [_("%(n)sか月目") % {"n": i}, _("報酬月額"), _("支払基礎日数"), _("算定対象")]
    header += [
        _("合計"),
        _("平均"),
        _("現在の健保等級"),
        _("現在の標準報酬月額"),
        _("新しい健保等級"),
        _("新しい健保標準報酬月額"),
        _("新しい厚年等級"),
        _("新しい厚年標準報酬月額"),
        _("登録済み"),
    ]
    out: list[list[Any]] = [header]
    for row in [*annual, *interim]:
        line: list[Any] = [
            _("定時決定") if row.kind == "annual" else _("随時改定"),
            row.employee_number,
            row.employee_name,
            row.applies_from.strftime("%Y-%m"),
            row.changed_month.strftime("%Y-%m") if row.changed_month else "",
        ]
        for i in range(3):
            if i < len(row.months):
                c = row.months[i]
                line += [c.month.strftime("%Y-%m"), c.remuneration, c.base_days, "○" if c.counted else "×"]
            else:
                line += ["", "", "", ""]
        line += [
            row.total,
            row.average,
            row.current.health_grade if row.current else "",
            row.current.health_standard if row.current else "",
            row.new.health_grade,
            row.new.health_standard,
            row.new.pension_grade,
            row.new.pension_standard,
            "○" if row.recorded else "",
        ]
        out.append(line)
    return out


__all__ = [
    "CurrentGrade",
    "MonthCell",
    "RevisionRow",
    "annual_list",
    "base_days",
    "csv_rows",
    "fixed_pay_of",
    "interim_list",
]
