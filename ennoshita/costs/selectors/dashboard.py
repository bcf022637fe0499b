"""The indirect-cost dashboard: the figures of one month and the months before it.

Where the figures come from (docs/domains/costs.md):
- Costs by category, month and department are the books: debit − credit of each indirect account
  in ``ledger.Balance`` (one grouped query, whatever the size of the book), 税抜 as the ledger
  posts expenses (the 仮払消費税等 is split off at posting).
- Top vendors and payees are the documents: approved vendor bills by vendor and approved expense
  claim lines by payee, merged by name key (width, case and spaces aside), 税込 as on the documents.
- Per head: the amount ÷ the people in service on the last day of the selected month.

The queries are the same few for any size of book (a test pins their number).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.costs import rules
from ennoshita.expenses.spend_selectors import spend_by_payee_key
from ennoshita.ledger.selectors.monthly import add_months, month_has_postings, monthly_account_totals
from ennoshita.people.models import Department
from ennoshita.people.selectors.headcount import headcount
from ennoshita.purchasing.selectors.spend import spend_by_vendor_key

from .scope import NO_DEPARTMENT, Scope, indirect_accounts, scope_of, settings_of

ZERO = Decimal(0)
MAX_MONTHS = 36
TOP_PAYEES = 10


@dataclass(frozen=True)
class CategoryRow:
    """One indirect account: its amount in each month of the period (oldest first), and the
    selected month against the month before and the same month a year before."""

    account_id: int
    code: str
    name: str
    amounts: list[Decimal]
    period_total: Decimal
    current: Decimal
    mom: rules.Change
    yoy: rules.Change
    flagged: bool


@dataclass(frozen=True)
class DepartmentRow:
    department_id: int  # 0: costs posted without a department
    code: str
    name: str
    month_amount: Decimal
    period_amount: Decimal
    headcount: int
    month_per_head: Decimal | None
    period_per_head: Decimal | None


@dataclass(frozen=True)
class PayeeRow:
    """A vendor or payee: bills and claim lines under the same name, 税込."""

    name: str
    amount: Decimal
    bills: Decimal
    claims: Decimal
    count: int


@dataclass(frozen=True)
class Flag:
    code: str
    name: str
    current: Decimal
    average: Decimal
    percent: int
    message: str


@dataclass(frozen=True)
class Dashboard:
    month: date
    months: list[date]
    department_id: int | None
    scope: Scope
    threshold_percent: int
    categories: list[CategoryRow]
    month_totals: list[Decimal]
    month_total: Decimal
    period_total: Decimal
    departments: list[DepartmentRow]
    headcount: int | None  # None: not a count of people (costs without a department)
    month_per_head: Decimal | None
    period_per_head: Decimal | None
    top_payees: list[PayeeRow]
    payee_months: int  # the top payees are of this many months ending at ``month``
    flags: list[Flag]

    @property
    def period_start(self) -> date:
        return self.months[0]

    @property
    def previous_month(self) -> date:
        return add_months(self.month, -1)

    @property
    def year_ago(self) -> date:
        return add_months(self.month, -12)


def default_month(*, company: Company, today: date) -> date:
    """The month the dashboard opens on: this month once something is posted to an indirect
    account in it, else the month before (early in a month nothing is booked yet, and a page of
    ¥0 would say nothing)."""
    this = today.replace(day=1)
    cfg = settings_of(company=company)
    accounts = indirect_accounts(company=company, codes=list(cfg.account_codes))
    if month_has_postings(company=company, account_ids=[a.pk for a in accounts], month=this):
        return this
    return add_months(this, -1)


def _month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def dashboard(
    *,
    company: Company,
    membership: Membership,
    month: date,
    months: int = 12,
    department_id: int | None = None,
    payee_months: int = 1,
) -> Dashboard:
    """The dashboard of ``month`` with the ``months`` months ending there, for the reader's scope
    (PermissionDeniedError for a reader who may not see it; NotFound for a department outside it).

    The top payees are those of the ``payee_months`` months ending at ``month`` (the selected month
    by default): they are summed from the documents (claim lines and bill lines), not from the
    monthly balances, so a year of them costs a scan of a year of lines (docs/performance.md)."""
    if not 1 <= months <= MAX_MONTHS:
        raise ServiceError(
            _("期間は1〜%(max)sか月で指定してください。") % {"max": MAX_MONTHS},
            code="validation",
            field_errors={"months": [_("期間は1〜%(max)sか月で指定してください。") % {"max": MAX_MONTHS}]},
        )
    if not 1 <= payee_months <= months:
        message = _("支払先の集計期間は1〜%(max)sか月で指定してください。") % {"max": months}
        raise ServiceError(message, code="validation", field_errors={"payee_months": [message]})
    month = month.replace(day=1)
    scope = scope_of(company=company, membership=membership, as_of=timezone.localdate())
    keys = scope.keys(company, department_id)
    cfg = settings_of(company=company)
    accounts = indirect_accounts(company=company, codes=list(cfg.account_codes))
    window = [add_months(month, i - months + 1) for i in range(months)]
    first = min(window[0], add_months(month, -12))
    totals = monthly_account_totals(
        company=company, account_ids=[a.pk for a in accounts], first=first, last=month, department_ids=keys
    )
    by_account: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    by_dept: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    for t in totals:
        by_account[t.account_id, t.month] += t.net
        by_dept[t.dept_key, t.month] += t.net

    base_months = [add_months(month, -k) for k in range(rules.BASE_MONTHS, -1, -1)]
    names = {a.code: a.name for a in accounts}
    flags = [
        Flag(
            f.key,
            names[f.key],
            f.current,
            f.average,
            f.percent,
            _("%(name)sが直近3か月平均より%(percent)s%%増えています")
            % {"name": names[f.key], "percent": f.percent},
        )
        for f in rules.rise_flags(
            monthly={a.code: [by_account[a.pk, m] for m in base_months] for a in accounts},
            threshold_percent=cfg.rise_threshold_percent,
        )
    ]
    flagged = {f.code for f in flags}
    categories = []
    for a in accounts:
        amounts = [by_account[a.pk, m] for m in window]
        current = by_account[a.pk, month]
        categories.append(
            CategoryRow(
                account_id=a.pk,
                code=a.code,
                name=a.name,
                amounts=amounts,
                period_total=sum(amounts, ZERO),
                current=current,
                mom=rules.change(current=current, base=by_account[a.pk, add_months(month, -1)]),
                yoy=rules.change(current=current, base=by_account[a.pk, add_months(month, -12)]),
                flagged=a.code in flagged,
            )
        )
    month_totals = [sum((c.amounts[i] for c in categories), ZERO) for i in range(months)]
    month_total = month_totals[-1]
    period_total = sum(month_totals, ZERO)

    people = headcount(company=company, as_of=_month_end(month))
    departments = _department_rows(company, scope, keys, by_dept, window, month, people.by_department)
    if keys is None:
        count: int | None = people.total
    elif keys == [NO_DEPARTMENT]:
        count = None
    else:
        count = people.of(keys)
    return Dashboard(
        month=month,
        months=window,
        department_id=department_id,
        scope=scope,
        threshold_percent=cfg.rise_threshold_percent,
        categories=categories,
        month_totals=month_totals,
        month_total=month_total,
        period_total=period_total,
        departments=departments,
        headcount=count,
        month_per_head=rules.per_head(amount=month_total, headcount=count or 0),
        period_per_head=rules.per_head(amount=period_total, headcount=count or 0),
        payee_months=payee_months,
        top_payees=top_payees(
            company=company,
            start=window[-payee_months],
            end=_month_end(month),
            account_codes=[a.code for a in accounts],
            department_ids=keys,
        ),
        flags=flags,
    )


def _department_rows(
    company: Company,
    scope: Scope,
    keys: list[int] | None,
    by_dept: dict[tuple[int, date], Decimal],
    window: list[date],
    month: date,
    heads: dict[int, int],
) -> list[DepartmentRow]:
    """Each department's month and period amounts: every department the reader is limited to, and
    for 経理 every department (and 部門なし) with an amount in the period."""
    in_window = set(window)
    period: dict[int, Decimal] = defaultdict(Decimal)
    current: dict[int, Decimal] = defaultdict(Decimal)
    for (dkey, m), amount in by_dept.items():
        if m in in_window:
            period[dkey] += amount
        if m == month:
            current[dkey] += amount
    ids = set(keys) if keys is not None else {k for k in period if period[k] or current[k]}
    named = {
        d.pk: d
        for d in Department.objects.for_company(company)
        .filter(pk__in=[i for i in ids if i])
        .only("pk", "code", "name", "sort_order")
    }
    rows = []
    ordered = sorted(named.values(), key=lambda d: (d.sort_order, d.code))
    for d in ordered:
        n = heads.get(d.pk, 0)
        rows.append(
            DepartmentRow(
                d.pk,
                d.code,
                d.name,
                current[d.pk],
                period[d.pk],
                n,
                rules.per_head(amount=current[d.pk], headcount=n),
                rules.per_head(amount=period[d.pk], headcount=n),
            )
        )
    if NO_DEPARTMENT in ids and scope.everything:
        rows.append(
            DepartmentRow(
                NO_DEPARTMENT,
                "",
                _("部門なし(共通)"),
                current[NO_DEPARTMENT],
                period[NO_DEPARTMENT],
                0,
                None,
                None,
            )
        )
    return rows


def top_payees(
    *,
    company: Company,
    start: date,
    end: date,
    account_codes: list[str],
    department_ids: list[int] | None,
    limit: int = TOP_PAYEES,
) -> list[PayeeRow]:
    """The largest vendors and payees of the period: approved bills by vendor and approved claim
    lines by payee on the indirect accounts, 税込, merged by name key (``core.text.name_key``:
    ＡＢＣ商事 on a bill and ABC 商事 on a receipt are one payee, shown under the vendor's name).

    One statement: the two grouped queries united, summed per key and ranked in the database, so
    that only the top rows come back (thousands of payees were merged in Python before: 75 ms of
    the dashboard on PostgreSQL, docs/performance.md)."""
    parts = [
        q
        for q in (
            spend_by_vendor_key(
                company=company,
                start=start,
                end=end,
                account_codes=account_codes,
                department_ids=department_ids,
            ),
            spend_by_payee_key(
                company=company,
                start=start,
                end=end,
                account_codes=account_codes,
                department_ids=department_ids,
            ),
        )
        if q is not None
    ]
    if not parts:
        return []
    united = parts[0].union(*parts[1:], all=True)
    sql, params = united.query.sql_with_params()
    # the columns are named by the spend selectors (SPEND_COLUMNS); only the limit is a parameter
    ranked = (
        'SELECT MAX("vendor_name"), MIN("payee_name"), SUM("bills"), SUM("claims"), SUM("lines") '  # noqa: S608
        f'FROM ({sql}) AS spend GROUP BY "payee_key" '
        'ORDER BY SUM("bills") + SUM("claims") DESC, "payee_key" LIMIT %s'
    )
    with connections[united.db].cursor() as cursor:
        cursor.execute(ranked, [*params, limit])
        rows = cursor.fetchall()
    out = []
    for vendor_name, payee_name, bills, claims, lines in rows:
        b, c = Decimal(str(bills or 0)), Decimal(str(claims or 0))
        out.append(PayeeRow(vendor_name or payee_name or "", b + c, b, c, int(lines)))
    return out
