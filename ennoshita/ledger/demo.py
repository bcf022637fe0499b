"""The demo company's books: a year and a half of a small trading company (株式会社サンプル商事).

The previous fiscal year (by the company's 期首月; 2025-04-01..2026-03-31 for the demo run in 2026)
opens with its 開始仕訳 and ends closed (``services.close_fiscal_year``); the current year runs to
today's month. Every month: sales on credit (売掛金 / 売上高 S10, some 軽減 S8R), collections to
普通預金, purchases (仕入高 P10 / 買掛金) and their payment, stand-in pay (給料手当 / 預り金 / 普通預金)
with 法定福利費, rent (地代家賃 P10), 水道光熱費, 通信費, 会議費 (P8R), depreciation (減価償却費 /
減価償却累計額); twice a purchase from a supplier without a 適格請求書 (P10_NQ); one entry reversed
and posted again; a few drafts in the current month. Departments come from the company's own
(people, read only). Everything goes through ``ledger.services``, as an accountant would post it.

Pay: a company with staff (the people demo's) is paid by the payroll demo, which runs after the
books (``ENNOSHITA_DEMO_EXTRAS``) and confirms the runs of the last ``PAYROLL_MONTHS`` months
(``payroll_from``: never before the books' first year). The books' stand-in pay entries stop where
those runs begin; when the runs reach into the previous year, its 決算 (決算整理 and 決算締め,
``close_demo_year``) waits until the payroll demo has posted them and calls it, as an accountant
closes a year once its pay is booked. A company without staff keeps stand-in pay up to the current
year and its previous year is closed here.

Deterministic (seeded random), idempotent (nothing happens once the company has posted entries),
and fast: a few hundred entries. ``people``'s demo command calls it through the setting
``ENNOSHITA_DEMO_EXTRAS`` (people cannot import ledger).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ennoshita.core.dates import FiscalYear as FiscalYearSpan
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department

from . import services
from .models import Account, FiscalYear, JournalEntry, TaxCode
from .permissions import WRITE_ROLES
from .services import LineInput

SEED = 20250401
PAYROLL_MONTHS = 18  # the payroll demo's months of confirmed runs (payroll/demo.py RUN_MONTHS)
CUSTOMERS = (
    "株式会社みなと電機",
    "有限会社さくら食品",
    "株式会社ひかり精工",
    "合同会社あおば",
    "株式会社やまと物産",
)
SUPPLIERS = ("株式会社東西商会", "丸新産業株式会社", "株式会社北斗資材")


@dataclass
class _Ctx:
    company: Company
    member: Membership
    accounts: dict[str, Account]
    taxes: dict[str, TaxCode]
    sales_depts: list[Department | None]
    office_dept: Department | None
    rng: random.Random
    today: date
    # what was sold and bought on credit last month: collected and paid at this month's end
    receivable: int = 3_300_000  # the opening 売掛金 and 買掛金 (開始仕訳)
    payable: int = 1_650_000
    taxes_due: list[tuple[str, int]] = field(default_factory=list)  # paid two months after the close
    # from this month on the payroll demo posts the real runs (給料手当, 預り金, 法定福利費) and
    # their payments; the books' own stand-in pay entries stop there (the random draws go on, so
    # every other figure stays as it was)
    payroll_from: date | None = None

    def line(
        self,
        name: str,
        side: str,
        amount: int,
        tax: str | None = None,
        dept: Department | None = None,
        memo: str = "",
    ) -> LineInput:
        return LineInput(
            account=self.accounts[name],
            side=side,
            amount=amount,
            tax_code=self.taxes[tax] if tax else None,
            tax_included=True if tax else None,
            department=dept,
            memo=memo,
        )

    def post(
        self, day: date, memo: str, *lines: LineInput, kind: str = JournalEntry.Kind.TRANSFER
    ) -> JournalEntry | None:
        if day > self.today:
            return None
        return services.post_entry(
            company=self.company,
            actor=self.member.user,
            membership=self.member,
            date=day,
            lines=list(lines),
            memo=memo,
            kind=kind,
        )


def _writer(company: Company) -> Membership:
    members = (
        Membership.objects.for_company(company).filter(is_active=True).select_related("user").order_by("pk")
    )
    accounting = [m for m in members if m.has_any_role("accounting")]
    writers = accounting or [m for m in members if m.has_any_role(*WRITE_ROLES)]
    if not writers:
        raise ServiceError("デモの帳簿を作るには経理か管理者のメンバーが必要です。")
    return writers[0]


def _months(start: date, last: date) -> list[date]:
    months, day = [], start
    while day <= last:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _departments(company: Company) -> tuple[list[Department | None], Department | None]:
    depts = list(people_selectors.departments(company=company))
    sales: list[Department | None] = [d for d in depts if "営業" in d.name and d.parent_id] or [None]
    office = next((d for d in depts if "経理" in d.name), None) or next(
        (d for d in depts if not d.parent_id), None
    )
    return sales, office


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _years(company: Company, today: date) -> tuple[FiscalYearSpan, FiscalYearSpan]:
    """(previous, current) fiscal year of ``today``: the span of the demo books."""
    current = fiscal_year_of(today, start_month=company.fiscal_year_start_month)
    previous = fiscal_year_of(current.start - timedelta(days=1), start_month=company.fiscal_year_start_month)
    return previous, current


def payroll_from(company: Company, *, today: date) -> date:
    """The first pay month of the payroll demo's runs: ``PAYROLL_MONTHS`` months up to this one,
    never before the books' first (the previous fiscal) year."""
    previous, _current = _years(company, today)
    return max(previous.start, _add_months(today.replace(day=1), -(PAYROLL_MONTHS - 1)))


def _context(company: Company, today: date, pay_from: date | None) -> _Ctx:
    sales, office = _departments(company)
    return _Ctx(
        company=company,
        member=_writer(company),
        accounts={a.name: a for a in Account.objects.for_company(company)},
        taxes={t.key: t for t in TaxCode.objects.for_company(company)},
        sales_depts=sales,
        office_dept=office,
        rng=random.Random(SEED),
        today=today,
        payroll_from=pay_from,
    )


@transaction.atomic
def build_demo_books(company: Company, *, today: date | None = None) -> int:
    """Post the demo books; returns the number of entries posted (0 when there were already some)."""
    if JournalEntry.objects.for_company(company).filter(status=JournalEntry.Status.POSTED).exists():
        return 0
    today = today or timezone.localdate()
    services.ensure_books(company=company)
    _writer(company)  # a clear error before anything is written
    previous, current = _years(company, today)
    years = FiscalYear.objects.for_company(company)
    if not years.filter(start=previous.start).exists() or not years.filter(start=current.start).exists():
        raise ServiceError("デモの帳簿には前年度と今年度の会計年度が必要です。")
    staffed = bool(people_selectors.employees_in_service(company=company, as_of=today, lean=True))
    pay_from = payroll_from(company, today=today) if staffed else current.start
    close_here = pay_from >= current.start  # else close_demo_year, once the payroll demo posted
    ctx = _context(company, today, pay_from)
    count = _opening(ctx, previous.start)
    months = _months(previous.start, today.replace(day=1))
    year_ended = False
    for n, month in enumerate(months):
        if month >= current.start and not year_ended:
            if close_here:
                count += _close(ctx, previous)
            year_ended = True
        if month == _add_months(current.start, 1) and ctx.taxes_due:
            count += _pay_taxes(ctx, _month_end(month))
        count += _month(ctx, month, n)
    if not year_ended and close_here:  # today is still in the first month of the current year
        count += _close(ctx, previous)
    _drafts(ctx, today)
    return count


def _close(ctx: _Ctx, previous: FiscalYearSpan) -> int:
    """決算整理 of the previous year, then 決算締め."""
    count = _year_end(ctx, previous.start, previous.end)
    year = FiscalYear.objects.for_company(ctx.company).get(start=previous.start)
    services.close_fiscal_year(company=ctx.company, actor=ctx.member.user, membership=ctx.member, year=year)
    return count


@transaction.atomic
def close_demo_year(company: Company, *, today: date | None = None) -> int:
    """The 決算 that ``build_demo_books`` left for after the payroll demo's runs of the previous
    year: 決算整理 (consumption tax, income taxes on the year's profit with its real pay), 決算締め,
    and the taxes paid at the end of the current year's second month if that has passed. Does
    nothing when the previous year is closed already (or the books were never built). Returns the
    number of entries posted."""
    today = today or timezone.localdate()
    previous, current = _years(company, today)
    year = FiscalYear.objects.for_company(company).filter(start=previous.start).first()
    posted = JournalEntry.objects.for_company(company).filter(status=JournalEntry.Status.POSTED)
    if year is None or year.status != FiscalYear.Status.OPEN or not posted.exists():
        return 0
    ctx = _context(company, today, None)
    count = _close(ctx, previous)
    if ctx.taxes_due and _add_months(current.start, 1) <= today.replace(day=1):
        count += _pay_taxes(ctx, _month_end(_add_months(current.start, 1)))
    return count


def _year_end(ctx: _Ctx, start: date, end: date) -> int:
    """決算整理 of the demo's previous year: settle the year's consumption tax (仮受 − 仮払 →
    未払消費税等) and book the income taxes (about 30% of the profit → 未払法人税等)."""
    from . import selectors

    closing = {
        r.name: r.closing for r in selectors.trial_balance(company=ctx.company, start=start, end=end).rows
    }
    received, paid = int(closing.get("仮受消費税等", 0)), int(closing.get("仮払消費税等", 0))
    c = ctx.line
    count = 0
    if received or paid:
        due = received - paid
        lines = [c("仮受消費税等", "debit", received), c("仮払消費税等", "credit", paid)]
        lines.append(c("未払消費税等", "credit", due) if due > 0 else c("未収消費税等", "debit", -due))
        services.post_entry(
            company=ctx.company,
            actor=ctx.member.user,
            membership=ctx.member,
            date=end,
            memo="決算整理: 消費税の確定",
            lines=[ln for ln in lines if ln.amount],
        )
        count += 1
        if due > 0:
            ctx.taxes_due.append(("未払消費税等", due))
    profit = int(
        selectors.profit_and_loss(company=ctx.company, start=start, end=end).figures.get("pretax", 0)
    )
    income_taxes = profit * 30 // 100 // 100 * 100
    if income_taxes > 0:
        services.post_entry(
            company=ctx.company,
            actor=ctx.member.user,
            membership=ctx.member,
            date=end,
            memo="決算整理: 法人税・住民税・事業税",
            lines=[
                c("法人税、住民税及び事業税", "debit", income_taxes),
                c("未払法人税等", "credit", income_taxes),
            ],
        )
        count += 1
        ctx.taxes_due.append(("未払法人税等", income_taxes))
    return count


def _pay_taxes(ctx: _Ctx, day: date) -> int:
    """The taxes of the closed year, paid by the filing deadline (two months after the year end)."""
    c = ctx.line
    total = sum(amount for _name, amount in ctx.taxes_due)
    services.post_entry(
        company=ctx.company,
        actor=ctx.member.user,
        membership=ctx.member,
        date=day,
        memo="法人税等・消費税等 納付",
        lines=[*(c(name, "debit", amount) for name, amount in ctx.taxes_due), c("普通預金", "credit", total)],
    )
    ctx.taxes_due.clear()
    return 1


def _opening(ctx: _Ctx, day: date) -> int:
    c = ctx.line
    ctx.post(
        day,
        "開始仕訳(前期繰越)",
        c("普通預金", "debit", 8_420_000),
        c("現金", "debit", 180_000),
        c("売掛金", "debit", 3_300_000),
        c("工具器具備品", "debit", 2_400_000),
        c("減価償却累計額", "credit", 600_000),
        c("買掛金", "credit", 1_650_000),
        c("預り金", "credit", 214_000),
        c("資本金", "credit", 10_000_000),
        c("繰越利益剰余金", "credit", 1_836_000),
        kind=JournalEntry.Kind.OPENING,
    )
    return 1


def _month(ctx: _Ctx, month: date, n: int) -> int:
    """One month of business. Returns the number of entries posted."""
    c, rng, posted = ctx.line, ctx.rng, 0
    end = _month_end(month)
    last = month.replace(day=28)

    def post(day: date, memo: str, *lines: LineInput) -> None:
        nonlocal posted
        if ctx.post(day, memo, *lines) is not None:
            posted += 1

    # 売上 (掛け): a maintenance fee on the 1st, then orders during the month
    post(
        month,
        f"{CUSTOMERS[0]} 保守料 {month:%Y年%m月}分",
        c("売掛金", "debit", 330_000),
        c("売上高", "credit", 330_000, "S10", ctx.sales_depts[0]),
    )
    sold = 330_000
    for k in range(3):
        amount = rng.randrange(80, 200) * 11_000
        sold += amount
        dept = ctx.sales_depts[k % len(ctx.sales_depts)]
        customer = CUSTOMERS[(n + k) % len(CUSTOMERS)]
        post(
            month.replace(day=5 + 7 * k),
            f"{customer} 売上",
            c("売掛金", "debit", amount),
            c("売上高", "credit", amount, "S10", dept),
        )
    if n % 3 == 1:  # 食品 at the reduced rate
        amount = rng.randrange(20, 60) * 10_800
        sold += amount
        post(
            month.replace(day=18),
            f"{CUSTOMERS[1]} 食品売上(軽減税率)",
            c("売掛金", "debit", amount),
            c("売上高", "credit", amount, "S8R", ctx.sales_depts[-1]),
        )
    # 入金: last month's sales, at the end of this month
    post(end, "売掛金 入金", c("普通預金", "debit", ctx.receivable), c("売掛金", "credit", ctx.receivable))
    ctx.receivable = sold
    # 仕入 and its payment next month
    bought = 0
    for k in range(2):
        amount = rng.randrange(40, 110) * 11_000
        bought += amount
        post(
            month.replace(day=10 + 10 * k),
            f"{SUPPLIERS[k]} 仕入",
            c("仕入高", "debit", amount, "P10"),
            c("買掛金", "credit", amount),
        )
    post(end, "買掛金 支払", c("買掛金", "debit", ctx.payable), c("普通預金", "credit", ctx.payable))
    ctx.payable = bought
    # 給与 (25th), spread over the departments; 預り金 and the company's share of social insurance
    # paid at the month's end
    gross = 2_400_000 + rng.randrange(0, 20) * 10_000
    withheld = gross * 15 // 100
    depts: list[Department | None] = [d for d in (ctx.office_dept, *ctx.sales_depts) if d] or [None]
    per = gross // len(depts)
    pay_lines = [
        c("給料手当", "debit", per + (gross - per * len(depts) if i == 0 else 0), dept=d)
        for i, d in enumerate(depts)
    ]
    prior = 214_000 if n == 0 else None
    share = 180_000 + rng.randrange(0, 10) * 1_000
    if ctx.payroll_from is None or month < ctx.payroll_from:
        post(
            month.replace(day=25),
            f"{month:%m}月分 給与",
            *pay_lines,
            c("預り金", "credit", withheld),
            c("普通預金", "credit", gross - withheld),
        )
        post(
            end,
            "社会保険料・源泉所得税 納付",
            c("預り金", "debit", prior or withheld),
            c("法定福利費", "debit", share, dept=ctx.office_dept),
            c("普通預金", "credit", (prior or withheld) + share),
        )
    # 経費
    post(
        month.replace(day=27),
        "事務所家賃",
        c("地代家賃", "debit", 330_000, "P10", ctx.office_dept),
        c("普通預金", "credit", 330_000),
    )
    utilities = rng.randrange(30, 70) * 1_100
    post(last, "電気・水道", c("水道光熱費", "debit", utilities, "P10"), c("普通預金", "credit", utilities))
    phone = rng.randrange(20, 40) * 1_100
    post(last, "電話・インターネット", c("通信費", "debit", phone, "P10"), c("普通預金", "credit", phone))
    meeting = rng.randrange(3, 9) * 1_080
    post(
        month.replace(day=15),
        "打合せ 弁当・飲み物",
        c("会議費", "debit", meeting, "P8R", ctx.sales_depts[0]),
        c("現金", "credit", meeting),
    )
    post(month.replace(day=2), "小口現金 補充", c("現金", "debit", 50_000), c("普通預金", "credit", 50_000))
    if n in (4, 14):  # a supplier without 適格請求書 (経過措置)
        post(
            month.replace(day=12),
            "個人商店 備品修理(登録番号なし)",
            c("修繕費", "debit", 44_000, "P10_NQ"),
            c("現金", "credit", 44_000),
        )
    post(end, "減価償却費(月次)", c("減価償却費", "debit", 40_000), c("減価償却累計額", "credit", 40_000))
    if n == 2:  # a sale posted twice by mistake: reversed in the same month
        twice = ctx.post(
            month.replace(day=20),
            f"{CUSTOMERS[2]} 売上(二重計上)",
            c("売掛金", "debit", 110_000),
            c("売上高", "credit", 110_000, "S10", ctx.sales_depts[0]),
        )
        if twice is not None:
            services.reverse_entry(
                company=ctx.company,
                actor=ctx.member.user,
                membership=ctx.member,
                entry=twice,
                date=month.replace(day=21),
                memo=f"二重計上の取消 {CUSTOMERS[2]}",
            )
            posted += 2
    return posted


def _drafts(ctx: _Ctx, today: date) -> None:
    """A few entries left as drafts in the current month (to be checked and posted)."""
    c = ctx.line
    for day, memo, lines in (
        (today, "出張旅費(精算前)", [c("旅費交通費", "debit", 23_100, "P10"), c("現金", "credit", 23_100)]),
        (
            today,
            "文具購入(領収書確認中)",
            [c("事務用品費", "debit", 4_400, "P10"), c("現金", "credit", 4_400)],
        ),
        (today.replace(day=1), "前払費用の振替(金額未確定)", [c("前払費用", "debit", 120_000)]),
    ):
        services.save_draft(
            company=ctx.company,
            actor=ctx.member.user,
            membership=ctx.member,
            date=day,
            lines=lines,
            memo=memo,
        )
