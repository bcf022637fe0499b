"""残高試算表, 貸借対照表, 損益計算書 and 月次推移表, from the monthly balances.

Semantics (decided):
- Only posted entries count; whole months are read from ``Balance``, partial months from the posted
  lines of those months (``_sums.movement``).
- B/S accounts accumulate from the beginning of the book (there are no carry-forward entries);
  P/L accounts count within the fiscal year (``ledger.FiscalYear``).
- The year-end close posts nothing: 繰越利益剰余金 (chart.RETAINED_EARNINGS_ACCOUNT_CODE) at any
  date = its own balance + the net P/L (credits − debits of all P/L accounts) of every month before
  the fiscal year of that date. So the trial balance always balances, and on the B/S
  assets = liabilities + net assets, where net assets include 当期純利益 (the year-to-date P/L).
- A trial-balance row is signed by its account's normal side (rules.signed_balance); on the
  statements an amount is signed by its section's side, so a contra account is negative (△).
- ``department`` (a Department or its id) keeps only the lines of that department (dept_key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.core.models import Company
from ennoshita.ledger.chart import SECTIONS_BY_KEY
from ennoshita.ledger.models import FiscalYear
from ennoshita.ledger.rules import signed_balance

from ._layout import Statement, StatementLine, bs_lines, merge_previous, pl_lines, section_amount
from ._sums import (
    ZERO,
    Chart,
    DeptArg,
    Sums,
    add,
    add_months,
    dept_key,
    fiscal_period,
    load_chart,
    monthly_movement,
    movement,
    pl_net,
    previous_year,
    subtract,
)


@dataclass(frozen=True)
class TrialBalanceRow:
    account_id: int
    code: str
    name: str
    section: str
    section_label: str
    normal_side: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


@dataclass(frozen=True)
class TrialBalance:
    """残高試算表. Totals: ``debit == credit`` (every entry balances); the opening and closing
    balances of the debit-side accounts equal those of the credit-side accounts."""

    start: date
    end: date
    department_id: int | None
    rows: list[TrialBalanceRow]
    opening_debit: Decimal
    opening_credit: Decimal
    debit: Decimal
    credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


def _openings(company: Company, chart: Chart, start: date, department: DeptArg) -> dict[int, Decimal]:
    """Signed balances just before ``start``: B/S from the beginning, P/L from the fiscal year
    start, 繰越利益剰余金 plus the P/L of the earlier years."""
    fy = fiscal_period(company, start)
    this_year = movement(company, start=fy.start, end=start - timedelta(days=1), department=department)
    # earlier years are whole months (Balance only); the partial month is read once, in this_year
    before = add(
        movement(company, start=None, end=fy.start - timedelta(days=1), department=department), this_year
    )
    out: dict[int, Decimal] = {}
    for aid, (d, c) in before.items():
        if aid in chart.by_id and not chart.is_pl(aid):
            out[aid] = signed_balance(debit=d, credit=c, normal_side=chart.by_id[aid].normal_side)  # type: ignore[arg-type]
    for aid, (d, c) in this_year.items():
        if aid in chart.by_id and chart.is_pl(aid):
            out[aid] = signed_balance(debit=d, credit=c, normal_side=chart.by_id[aid].normal_side)  # type: ignore[arg-type]
    re_id = chart.retained_earnings_id
    if re_id is not None:
        prior = pl_net(chart, subtract(before, this_year))
        re = chart.by_id[re_id]
        out[re_id] = out.get(re_id, ZERO) + (prior if re.normal_side == "credit" else -prior)
    return out


def trial_balance(*, company: Company, start: date, end: date, department: DeptArg = None) -> TrialBalance:
    """残高試算表 for [start, end]: opening, debit, credit and closing per account. "As of a date"
    is start = the fiscal year start; "for a month" is that month. Accounts with nothing are left out."""
    chart = load_chart(company)
    opening = _openings(company, chart, start, department)
    period = movement(company, start=start, end=end, department=department)
    rows: list[TrialBalanceRow] = []
    totals = dict.fromkeys(("od", "oc", "d", "c", "cd", "cc"), ZERO)
    for a in chart.accounts:
        o = opening.get(a.pk, ZERO)
        d, c = period.get(a.pk, (ZERO, ZERO))
        if not (o or d or c):
            continue
        closing = o + signed_balance(debit=d, credit=c, normal_side=a.normal_side)  # type: ignore[arg-type]
        section = SECTIONS_BY_KEY[a.section]
        rows.append(
            TrialBalanceRow(
                a.pk, a.code, a.name, a.section, _(section.label), a.normal_side, o, d, c, closing
            )
        )
        side = "d" if a.normal_side == "debit" else "c"
        totals["o" + side] += o
        totals["c" + side] += closing
        totals["d"] += d
        totals["c"] += c
    return TrialBalance(
        start=start,
        end=end,
        department_id=dept_key(department),
        rows=rows,
        opening_debit=totals["od"],
        opening_credit=totals["oc"],
        debit=totals["d"],
        credit=totals["c"],
        closing_debit=totals["cd"],
        closing_credit=totals["cc"],
    )


def _bs_amounts(
    company: Company, chart: Chart, as_of: date, department: DeptArg
) -> tuple[dict[int, Decimal], Decimal]:
    """Section-signed B/S amounts at ``as_of`` (繰越利益剰余金 with the earlier years' P/L) and 当期純利益."""
    fy = fiscal_period(company, as_of)
    this_year = movement(company, start=fy.start, end=as_of, department=department)
    earlier = movement(company, start=None, end=fy.start - timedelta(days=1), department=department)
    everything = add(earlier, this_year)
    amounts = {
        aid: section_amount(chart, aid, d, c)
        for aid, (d, c) in everything.items()
        if aid in chart.by_id and not chart.is_pl(aid)
    }
    if chart.retained_earnings_id is not None:
        prior = pl_net(chart, subtract(everything, this_year))
        amounts[chart.retained_earnings_id] = amounts.get(chart.retained_earnings_id, ZERO) + prior
    return amounts, pl_net(chart, this_year)


def _nonzero(amounts: dict[int, Decimal]) -> set[int]:
    return {aid for aid, v in amounts.items() if v}


def balance_sheet(
    *, company: Company, as_of: date, department: DeptArg = None, compare: bool = False
) -> Statement:
    """貸借対照表 as of a date (see the module docstring). ``compare=True`` adds the figures as of the
    same day a year before and the difference. ``figures``: assets, liabilities, net_assets,
    net_income, liabilities_net_assets and each section/group total."""
    chart = load_chart(company)
    amounts, net_income = _bs_amounts(company, chart, as_of, department)
    include = _nonzero(amounts)
    prev_as_of = previous_year(as_of) if compare else None
    if prev_as_of is not None:
        prev_amounts, prev_income = _bs_amounts(company, chart, prev_as_of, department)
        include |= _nonzero(prev_amounts)
    lines, figures = bs_lines(chart, amounts, net_income, include)
    if prev_as_of is not None:
        prev_lines, _f = bs_lines(chart, prev_amounts, prev_income, include)
        lines = merge_previous(lines, prev_lines)
    return Statement(_("貸借対照表"), None, as_of, lines, None, prev_as_of, figures)


def _pl_amounts(
    company: Company, chart: Chart, start: date, end: date, department: DeptArg
) -> dict[int, Decimal]:
    sums = movement(company, start=start, end=end, department=department)
    return {
        aid: section_amount(chart, aid, d, c)
        for aid, (d, c) in sums.items()
        if aid in chart.by_id and chart.is_pl(aid)
    }


def profit_and_loss(
    *, company: Company, start: date, end: date, department: DeptArg = None, compare: bool = False
) -> Statement:
    """損益計算書 for [start, end]. ``figures``: each section total and the profits gross,
    operating, ordinary, pretax, net. ``compare=True``: the same dates a year before beside it."""
    chart = load_chart(company)
    amounts = _pl_amounts(company, chart, start, end, department)
    include = _nonzero(amounts)
    prev = (previous_year(start), previous_year(end)) if compare else None
    if prev is not None:
        prev_amounts = _pl_amounts(company, chart, prev[0], prev[1], department)
        include |= _nonzero(prev_amounts)
    lines, figures = pl_lines(chart, amounts, include)
    if prev is not None:
        prev_lines, _f = pl_lines(chart, prev_amounts, include)
        lines = merge_previous(lines, prev_lines)
    return Statement(
        _("損益計算書"), start, end, lines, prev[0] if prev else None, prev[1] if prev else None, figures
    )


# ------------------------------------------------------------------------------ 月次推移表


@dataclass(frozen=True)
class TrendRow:
    key: str
    kind: str
    label: str
    level: int
    code: str
    values: list[Decimal | None]
    total: Decimal | None  # P/L: the year's sum; B/S: None (the last month is the balance)


@dataclass(frozen=True)
class MonthlyTrend:
    """月次推移表 of one fiscal year: P/L rows are each month's movement (with 売上総利益, 営業利益,
    経常利益, 当期純利益 per month); B/S rows are month-end balances (当期純利益 year to date)."""

    year: int
    start: date
    end: date
    months: list[date]
    pl_rows: list[TrendRow]
    bs_rows: list[TrendRow]


def _transpose(per_month: list[list[StatementLine]], with_total: bool) -> list[TrendRow]:
    rows = []
    for i, first in enumerate(per_month[0]):
        values = [m[i].amount for m in per_month]
        total = (
            sum((v for v in values if v is not None), ZERO)
            if with_total and first.amount is not None
            else None
        )
        rows.append(TrendRow(first.key, first.kind, first.label, first.level, first.code, values, total))
    return rows


def fiscal_year_row(*, company: Company, year: int) -> FiscalYear | None:
    return FiscalYear.objects.for_company(company).filter(start__year=year).order_by("start").first()


def monthly_trend(*, company: Company, year: int, department: DeptArg = None) -> MonthlyTrend:
    """月次推移表 of the fiscal year that starts in calendar year ``year`` (FiscalYear row; otherwise
    the company's start month): as many months as the year has, side by side."""
    chart = load_chart(company)
    row = fiscal_year_row(company=company, year=year)
    if row is not None:
        start, end = row.start, row.end
    else:
        p = fiscal_period(company, date(year, company.fiscal_year_start_month, 1))
        start, end = p.start, p.end
    months: list[date] = []
    m = start.replace(day=1)
    while m <= end:
        months.append(m)
        m = add_months(m, 1)
    before = movement(company, start=None, end=start - timedelta(days=1), department=department)
    by_month = monthly_movement(company, first=months[0], last=months[-1], department=department)
    running: Sums = {aid: v for aid, v in before.items() if aid in chart.by_id and not chart.is_pl(aid)}
    prior = pl_net(chart, before)
    pl_per_month: list[dict[int, Decimal]] = []
    bs_per_month: list[dict[int, Decimal]] = []
    income: list[Decimal] = []
    ytd = ZERO
    for month in months:
        pl: dict[int, Decimal] = {}
        for (aid, mm), (d, c) in by_month.items():
            if mm != month or aid not in chart.by_id:
                continue
            if chart.is_pl(aid):
                pl[aid] = section_amount(chart, aid, d, c)
                ytd += c - d
            else:
                od, oc = running.get(aid, (ZERO, ZERO))
                running[aid] = (od + d, oc + c)
        bs = {aid: section_amount(chart, aid, d, c) for aid, (d, c) in running.items()}
        if chart.retained_earnings_id is not None:
            bs[chart.retained_earnings_id] = bs.get(chart.retained_earnings_id, ZERO) + prior
        pl_per_month.append(pl)
        bs_per_month.append(bs)
        income.append(ytd)
    pl_include = set().union(*(_nonzero(x) for x in pl_per_month))
    bs_include = set().union(*(_nonzero(x) for x in bs_per_month))
    pl_rows = _transpose([pl_lines(chart, x, pl_include)[0] for x in pl_per_month], True)
    bs_rows = _transpose(
        [bs_lines(chart, x, income[i], bs_include)[0] for i, x in enumerate(bs_per_month)], False
    )
    return MonthlyTrend(start.year, start, end, months, pl_rows, bs_rows)
