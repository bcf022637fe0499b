"""労働保険 年度更新 — reads: the 賃金総額 of a 保険年度 (April–March) month by month from the payslips
of **confirmed** runs, split into the 労災 base and the 雇用 base, with the worker counts the 申告書
asks for, and the 申告書's figures (rules.labour_insurance). 人事, 経理 and the admin
(SETTINGS_ROLES) read them.

Which wages, and in which month (jp-rules §18; rules/labour_insurance.py cites each rule):

- A year's 賃金総額 is the wages whose payment became fixed in it: a salary by its run's 賃金締切日
  (``closing_date``; 3月31日締め・4月25日払い belongs to March, 昭和24年基災収第5178号), a bonus by its
  pay date (a bonus has no 締切日: it is fixed when paid). Salary and bonus both count.
- The wage is the payslip's ``employment_insurance_wage``: the 賃金 of 徴収法2条2項 (every payment
  flagged 「雇用保険の賃金に含む」, 通勤手当 included), the same definition for 労災 and 雇用.
  ``gross`` (支払額) is shown beside it.
- 役員 (``is_officer``) are not workers: left out of both bases and counts. (A 兼務役員's worker pay
  would count; payroll records officers as a whole, so it is not split here.)
- 雇用 base: payslips on which 雇用保険料 was deducted (``employment`` > 0) — the run deducts it only
  for insured non-officers while their 資格 covers the pay period. An insured person whose wages are
  so small that the premium rounds to 0 (under 101円 at 5/1000) is not counted.
- 常時使用労働者数 / 雇用保険被保険者数: each month's non-officer people with a salary payslip (and,
  for the second, with 雇用保険料), summed over the 12 months ÷ 12, 小数点以下切捨て (the monthly
  average the 申告書 asks for). People paid nothing in a month (unpaid leave) are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.payroll.models import PayrollRun, Payslip, RunKind, RunStatus
from ennoshita.payroll.permissions import SETTINGS_ROLES
from ennoshita.payroll.rules import labour_insurance as rules

from .settings import payroll_settings_of

# the 労災保険率表 changed on 2024-04-01; a year before that had other rates
WORKERS_COMP_TABLE_FROM = 2024


@dataclass
class MonthRow:
    month: date
    workers: int = 0  # non-officers with a salary payslip
    insured: int = 0  # of them, 雇用保険料 deducted
    officers: int = 0
    gross: int = 0  # 支払額 of every payslip (officers included)
    workers_comp_salary: int = 0
    workers_comp_bonus: int = 0
    employment_salary: int = 0
    employment_bonus: int = 0

    @property
    def workers_comp_wages(self) -> int:
        return self.workers_comp_salary + self.workers_comp_bonus

    @property
    def employment_wages(self) -> int:
        return self.employment_salary + self.employment_bonus

    def add(self, other: MonthRow) -> None:
        for name in (
            "workers",
            "insured",
            "officers",
            "gross",
            "workers_comp_salary",
            "workers_comp_bonus",
            "employment_salary",
            "employment_bonus",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class YearWages:
    year: int
    months: list[MonthRow]
    total: MonthRow
    payslip_count: int

    @property
    def average_workers(self) -> int:
        return self.total.workers // 12

    @property
    def average_insured(self) -> int:
        return self.total.insured // 12


def _month_of(kind: str, closing: date, paid: date) -> date:
    return (paid if kind == RunKind.BONUS else closing).replace(day=1)


def year_wages(*, company: Company, year: int) -> YearWages:
    """The 保険年度's wages per month from confirmed payslips: 1 query."""
    start, end = rules.insurance_year_range(year)
    in_year = (Q(run__kind=RunKind.BONUS) & Q(run__pay_date__range=(start, end))) | (
        ~Q(run__kind=RunKind.BONUS) & Q(run__closing_date__range=(start, end))
    )
    rows = (
        Payslip.objects.for_company(company)
        .filter(in_year, run__status=RunStatus.CONFIRMED)
        .values_list(
            "run__kind",
            "run__closing_date",
            "run__pay_date",
            "employee_id",
            "is_officer",
            "gross",
            "employment_insurance_wage",
            "employment",
        )
    )
    months = {m: MonthRow(month=m) for m in rules.insurance_year_months(year)}
    seen_workers: set[tuple[date, int]] = set()
    seen_insured: set[tuple[date, int]] = set()
    seen_officers: set[tuple[date, int]] = set()
    count = 0
    for kind, closing, paid, employee_id, officer, gross, wage, employment in rows:
        count += 1
        month = _month_of(kind, closing, paid)
        row = months[month]
        row.gross += int(gross)
        key = (month, employee_id)
        bonus = kind == RunKind.BONUS
        if officer:
            if not bonus and key not in seen_officers:
                seen_officers.add(key)
                row.officers += 1
            continue
        wages = max(int(wage), 0)
        insured = Decimal(employment) > 0
        if bonus:
            row.workers_comp_bonus += wages
            row.employment_bonus += wages if insured else 0
            continue
        row.workers_comp_salary += wages
        if key not in seen_workers:
            seen_workers.add(key)
            row.workers += 1
        if insured:
            row.employment_salary += wages
            if key not in seen_insured:
                seen_insured.add(key)
                row.insured += 1
    total = MonthRow(month=date(year, 4, 1))
    ordered = list(months.values())
    for m in ordered:
        total.add(m)
    return YearWages(year=year, months=ordered, total=total, payslip_count=count)


def insurance_years(*, company: Company, today: date) -> list[int]:
    """保険年度 with a confirmed run, and last year, newest first."""
    years = {rules.insurance_year_of(today) - 1}
    for d in (
        PayrollRun.objects.for_company(company)
        .filter(status=RunStatus.CONFIRMED)
        .dates("closing_date", "month")
    ):
        years.add(rules.insurance_year_of(d))
    return sorted(years, reverse=True)


def default_year(today: date) -> int:
    """The 年度更新 of June–July files last year's 確定: the year before today's 保険年度."""
    return rules.insurance_year_of(today) - 1


@dataclass
class Filing:
    """The figures of the 概算・確定保険料申告書 for 保険年度 ``year`` (確定) and ``year + 1`` (概算)."""

    year: int
    wages: YearWages
    business: str
    workers_comp_rate: Decimal
    association: bool
    confirmed_rate: rules.EmploymentRate | None
    confirmed: rules.LabourPremiums | None
    general_contribution: int
    estimate_workers_comp: rules.EstimateBase
    estimate_employment: rules.EstimateBase
    estimated_rate: rules.EmploymentRate | None
    estimated: rules.LabourPremiums | None
    paid_estimate: int | None
    settlement: rules.Settlement | None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def label(self) -> str:
        return rules.year_label(self.year)

    @property
    def next_label(self) -> str:
        return rules.year_label(self.year + 1)


def filing(
    *,
    company: Company,
    membership: Membership,
    year: int,
    workers_comp_estimate: int | None = None,
    employment_estimate: int | None = None,
    paid_estimate: int | None = None,
    split: bool | None = None,
) -> Filing:
    """The 年度更新 figures: 確定 of ``year`` at its 雇用保険率 and the company's 労災保険率, the 一般拠出金,
    the 概算 of ``year + 1`` (estimates default to last year's 賃金総額; 50 %–200 % rule), and, with the
    申告済概算保険料 (``paid_estimate``, what was declared a year ago), the 差額 and the installments.
    A 年度 whose 雇用保険率 is not loaded gives an error in ``errors`` instead of figures."""
    require_role(membership, *SETTINGS_ROLES)
    settings = payroll_settings_of(company=company)
    wages = year_wages(company=company, year=year)
    wc_rate = Decimal(settings.workers_comp_rate)
    errors: list[str] = []
    notes: list[str] = []
    if year < WORKERS_COMP_TABLE_FROM:
        notes.append(
            "令和6年度(2024年4月)より前の年度は労災保険率表が違います。給与の設定の労災保険率が"
            "その年度の率か確かめてください。"
        )
    confirmed_rate = confirmed = None
    try:
        confirmed_rate = rules.employment_rate(year=year, business=settings.business)
        confirmed = rules.labour_premiums(
            workers_comp_wages=wages.total.workers_comp_wages,
            employment_wages=wages.total.employment_wages,
            workers_comp_rate=wc_rate,
            employment_rate=confirmed_rate.total,
        )
    except ValueError as exc:
        errors.append(_message(exc))
    contribution = rules.general_contribution(workers_comp_wages=wages.total.workers_comp_wages)
    est_wc = rules.estimate_base(
        last_year_wages=wages.total.workers_comp_wages, estimate=workers_comp_estimate
    )
    est_emp = rules.estimate_base(last_year_wages=wages.total.employment_wages, estimate=employment_estimate)
    estimated_rate = estimated = None
    try:
        estimated_rate = rules.employment_rate(year=year + 1, business=settings.business)
        estimated = rules.labour_premiums(
            workers_comp_wages=est_wc.base,
            employment_wages=est_emp.base,
            workers_comp_rate=wc_rate,
            employment_rate=estimated_rate.total,
        )
    except ValueError as exc:
        errors.append(_message(exc))
    settlement = None
    if confirmed is not None and estimated is not None:
        single = estimated.employment_base == 0 or estimated.workers_comp_base == 0
        try:
            settlement = rules.settle(
                year=year + 1,
                confirmed_premium=confirmed.total,
                paid_estimate=confirmed.total if paid_estimate is None else paid_estimate,
                estimated_premium=estimated.total,
                general_contribution=contribution,
                single_insurance=single,
                association=settings.labour_insurance_association,
                split=split,
            )
        except ValueError as exc:
            errors.append(_message(exc))
    return Filing(
        year=year,
        wages=wages,
        business=settings.business,
        workers_comp_rate=wc_rate,
        association=settings.labour_insurance_association,
        confirmed_rate=confirmed_rate,
        confirmed=confirmed,
        general_contribution=contribution,
        estimate_workers_comp=est_wc,
        estimate_employment=est_emp,
        estimated_rate=estimated_rate,
        estimated=estimated,
        paid_estimate=paid_estimate,
        settlement=settlement,
        errors=errors,
        notes=notes,
    )


def _message(exc: ValueError) -> str:
    text = str(exc)
    _field, _sep, message = text.partition(": ")
    return message or text
