"""Who needs a 定時決定 (算定基礎届) or a 随時改定 (月額変更届): the confirmed salary payslips read as
``rules.revision.MonthPay`` (one query for every payslip of the months needed) and the current
grade from ``StandardRemuneration``. Each row keeps the months, the average and both grades so
the screen can show the working (jp-rules §2.4), and what the 算定基礎届/月額変更届 need besides
(生年月日, 被保険者整理番号, the 昇給/降給 month). Those for whom the law makes no 定時決定 (健康保険法41条
3項) stay on the list with ``excluded`` saying why, and can be neither recorded nor filed."""

from __future__ import annotations

import calendar
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.payroll.models import (
    GradeReason,
    PayProfile,
    PayrollRun,
    Payslip,
    PayType,
    RunKind,
    RunStatus,
    StandardRemuneration,
)
from ennoshita.payroll.permissions import RUN_ROLES
from ennoshita.payroll.rules import Grade
from ennoshita.payroll.rules.revision import (
    EXCLUDED_ACQUIRED,
    EXCLUDED_INTERIM,
    EXCLUDED_NOT_INSURED,
    MonthPay,
    annual_determination,
    annual_exclusion,
    fixed_pay_change,
    interim_revision,
)

# 定時決定: the 15-day rule of 日本年金機構 is for パートタイマー; the people master's employment types
# "part_time" (パート) and "arbeit" (アルバイト) are read as such.
PART_TIME_TYPES = ("part_time", "arbeit")
# 随時改定 looks at the pay months of the last year up to ``as_of``.
INTERIM_WINDOW_MONTHS = 12
# 随時改定: not insured (health_insured off, or status lost by the month it would apply from).
INTERIM_NOT_INSURED = "not_insured"


def exclusion_label(code: str) -> str:
    """Why a row can be neither recorded nor filed, in words."""
    labels = {
        EXCLUDED_ACQUIRED: _("6月1日〜7月1日に資格取得した人は定時決定を行いません(健康保険法41条3項)。"),
        EXCLUDED_INTERIM: _("7月〜9月に随時改定がある人は定時決定を行いません(健康保険法41条3項)。"),
        EXCLUDED_NOT_INSURED: _("7月1日に社会保険の被保険者ではありません。"),
        INTERIM_NOT_INSURED: _("改定月に社会保険の被保険者ではありません。"),
    }
    return labels.get(code, code)


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
    monthly_remuneration: int = 0  # the 報酬月額 the grade was decided on


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
    birth_date: date | None = None
    insured_number: str = ""  # 被保険者整理番号 (PayProfile in force)
    pay_change_month: date | None = None  # the (first) month fixed pay changed (昇給・降給)
    pay_change: int = 0  # fixed pay of that month − the month before (> 0 昇給, < 0 降給)
    special_case: bool = False  # 随時改定 by the 1-grade rule at an end of the table
    excluded: str = ""  # why no 定時決定 / 随時改定 is made (rules.revision.EXCLUDED_*), "" when made

    @property
    def grade_changes(self) -> bool:
        return self.current is None or self.current.health_grade != self.new.health_grade

    @property
    def excluded_label(self) -> str:
        return exclusion_label(self.excluded) if self.excluded else ""

    @property
    def recordable(self) -> bool:
        """May be recorded as the 標準報酬月額 now: not excluded and not recorded yet."""
        return not self.excluded and not self.recorded


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
    birth_date: date | None = None


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
                birth_date=employee.birth_date,
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


def _profiles(company: Company, employee_ids: list[int], on: date) -> dict[int, PayProfile]:
    """Each employee's pay settings in force on ``on`` (else the first ones), one query."""
    rows = PayProfile.objects.filter(company=company, employee_id__in=employee_ids).order_by(
        "employee_id", "effective_from"
    )
    out: dict[int, PayProfile] = {}
    for row in rows:
        if row.employee_id not in out or row.effective_from <= on:
            out[row.employee_id] = row
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
        monthly_remuneration=int(r.monthly_remuneration),
    )


def _first_change(months: dict[date, MonthPay], first: date, last: date) -> tuple[date | None, int]:
    """The first month in ``first``..``last`` whose fixed pay differs from the month before, and by how much."""
    window = [m for d, m in months.items() if _add_months(first, -1) <= d <= last]
    changed = fixed_pay_change(window)
    if changed is None:
        return None, 0
    return changed, months[changed].fixed_pay - months[_add_months(changed, -1)].fixed_pay


def _revisions(p: _Person, history: list[StandardRemuneration]) -> list[RevisionRow]:
    """Every 随時改定 the person's pay months give, oldest first (one per change of fixed pay)."""
    found: list[RevisionRow] = []
    for month in sorted(p.months):
        tail = [m for m in p.months.values() if m.month >= _add_months(month, -1)]
        if fixed_pay_change(tail) != month:
            continue
        current = _current(history, month)
        if current is None:
            continue  # no grade to compare with (資格取得時決定 not recorded)
        r = interim_revision(
            months=tail,
            current_health_grade=current.health_grade,
            current_remuneration=current.monthly_remuneration or None,
        )
        if r is None:
            continue
        found.append(
            RevisionRow(
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
                birth_date=p.birth_date,
                pay_change_month=r.changed_month,
                pay_change=r.fixed_pay_change,
                special_case=r.special_case,
            )
        )
    return found


def _not_insured(profile: PayProfile | None, on: date) -> bool:
    if profile is None:
        return False
    return not profile.health_insured or (profile.si_lost_on is not None and profile.si_lost_on <= on)


def _recorded(rows: list[StandardRemuneration], applies_from: date) -> bool:
    return any(r.effective_from == applies_from for r in rows)


def annual_list(*, company: Company, membership: Membership, year: int) -> list[RevisionRow]:
    """定時決定 for ``year``: everyone paid in April–June whose months give a grade (from September).
    The current grade is the latest one from 1 August or before."""
    require_role(membership, *RUN_ROLES)
    # March (the month before April, for a change of fixed pay in April) to August (the third
    # month of a change in June: a 随時改定 from September replaces the 定時決定).
    people = _people(company, date(year, 3, 1), date(year, 8, 1))
    applies = date(year, 9, 1)
    ids = [p.employee_id for p in people]
    grades = _grades(company, ids, applies)
    profiles = _profiles(company, ids, date(year, 7, 1))
    rows: list[RevisionRow] = []
    for p in people:
        april_to_june = [m for d, m in p.months.items() if date(year, 4, 1) <= d <= date(year, 6, 1)]
        d = annual_determination(months=april_to_june, year=year, part_time=p.part_time)
        if d is None:
            continue
        counted = {m.month for m in d.counted}
        history = grades.get(p.employee_id, [])
        profile = profiles.get(p.employee_id)
        interim_from = [r.applies_from for r in _revisions(p, history)]
        interim_from += [r.effective_from for r in history if r.reason == GradeReason.REVISION]
        excluded = annual_exclusion(
            year=year,
            insured=profile.health_insured if profile else True,
            acquired_on=profile.si_acquired_on if profile else None,
            lost_on=profile.si_lost_on if profile else None,
            interim_applies=interim_from,
        )
        change_month, change = _first_change(p.months, date(year, 4, 1), date(year, 6, 1))
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
                birth_date=p.birth_date,
                insured_number=profile.insured_number if profile else "",
                pay_change_month=change_month,
                pay_change=change,
                excluded=excluded or "",
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
    ids = [p.employee_id for p in people]
    grades = _grades(company, ids, _add_months(last, 1))
    profiles = _profiles(company, ids, last)
    rows: list[RevisionRow] = []
    for p in people:
        found = _revisions(p, grades.get(p.employee_id, []))
        if not found:
            continue
        row = found[-1]
        profile = profiles.get(p.employee_id)
        rows.append(
            replace(
                row,
                insured_number=profile.insured_number if profile else "",
                excluded=INTERIM_NOT_INSURED if _not_insured(profile, row.applies_from) else "",
            )
        )
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
        _("対象外の理由"),
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
            row.excluded_label,
        ]
        out.append(line)
    return out


__all__ = [
    "INTERIM_NOT_INSURED",
    "CurrentGrade",
    "MonthCell",
    "RevisionRow",
    "annual_list",
    "base_days",
    "csv_rows",
    "exclusion_label",
    "fixed_pay_of",
    "interim_list",
]
