"""The statements, books and tax summary, checked against figures worked out by hand.

The book (期首 April): 2025年度 (2025-04..2026-03) earns 200,000; 2026年度 so far earns 570,000.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ennoshita.core.errors import ServiceError
from ennoshita.ledger import selectors, services
from ennoshita.ledger.models import JournalLine

from ..conftest import make_department
from .conftest import acct, line, post

FY25, FY26 = date(2025, 4, 1), date(2026, 4, 1)


def worked_book(company, m):
    """Entries across two fiscal years; the totals are worked out in the tests below."""
    L = lambda *a, **k: line(company, *a, **k)
    post(company, m, date(2025, 4, 1), L("普通預金", "debit", 1_000_000), L("資本金", "credit", 1_000_000))
    post(company, m, date(2025, 6, 10), L("売掛金", "debit", 500_000), L("売上高", "credit", 500_000))
    post(company, m, date(2025, 7, 5), L("仕入高", "debit", 200_000), L("買掛金", "credit", 200_000))
    post(company, m, date(2025, 9, 30), L("給料手当", "debit", 100_000), L("普通預金", "credit", 100_000))
    post(company, m, date(2026, 4, 10), L("普通預金", "debit", 300_000), L("売掛金", "credit", 300_000))
    post(company, m, date(2026, 5, 15), L("売掛金", "debit", 800_000), L("売上高", "credit", 800_000))
    post(company, m, date(2026, 5, 20), L("地代家賃", "debit", 150_000), L("普通預金", "credit", 150_000))
    post(company, m, date(2026, 6, 1), L("支払利息", "debit", 10_000), L("普通預金", "credit", 10_000))
    post(
        company,
        m,
        date(2026, 6, 20),
        L("貸倒引当金繰入額", "debit", 20_000),
        L("貸倒引当金", "credit", 20_000),
    )
    post(
        company,
        m,
        date(2026, 7, 1),
        L("法人税、住民税及び事業税", "debit", 50_000),
        L("未払法人税等", "credit", 50_000),
    )
    return company


@pytest.fixture
def book(books, accountant):
    return worked_book(books, accountant)


def rows_by_name(tb):
    return {r.name: r for r in tb.rows}


# ------------------------------------------------------------------------------ 残高試算表


def test_trial_balance_as_of_a_date_opens_with_last_years_profit_in_retained_earnings(book):
    tb = selectors.trial_balance(company=book, start=FY26, end=date(2026, 7, 31))
    rows = rows_by_name(tb)
    assert rows["普通預金"].opening == 900_000 and rows["普通預金"].closing == 1_040_000
    assert rows["売掛金"].opening == 500_000 and rows["売掛金"].closing == 1_000_000
    assert rows["繰越利益剰余金"].opening == 200_000 and rows["繰越利益剰余金"].closing == 200_000
    assert rows["売上高"].opening == 0 and rows["売上高"].closing == 800_000  # P/L starts at 期首
    assert rows["貸倒引当金"].closing == 20_000  # on its own (credit) side in the trial balance
    assert "仕入高" not in rows  # last year's P/L is in 繰越利益剰余金, not carried
    assert tb.debit == tb.credit == Decimal(1_330_000)
    assert tb.opening_debit == tb.opening_credit == Decimal(1_400_000)
    assert tb.closing_debit == tb.closing_credit == Decimal(2_270_000)
    assert all(isinstance(v, Decimal) for r in tb.rows for v in (r.opening, r.debit, r.credit, r.closing))


def test_trial_balance_for_a_month(book):
    tb = selectors.trial_balance(company=book, start=date(2026, 5, 1), end=date(2026, 5, 31))
    rows = rows_by_name(tb)
    assert rows["普通預金"].opening == 1_200_000
    assert (rows["普通預金"].debit, rows["普通預金"].credit, rows["普通預金"].closing) == (
        0,
        150_000,
        1_050_000,
    )
    assert rows["売上高"].opening == 0 and rows["売上高"].credit == 800_000
    assert tb.debit == tb.credit == 950_000
    assert tb.opening_debit == tb.opening_credit and tb.closing_debit == tb.closing_credit


def test_first_year_trial_balance_has_no_retained_earnings_yet(book):
    tb = selectors.trial_balance(company=book, start=FY25, end=date(2026, 3, 31))
    rows = rows_by_name(tb)
    assert "繰越利益剰余金" not in rows
    assert rows["売上高"].closing == 500_000 and tb.debit == tb.credit == 1_800_000


def test_partial_month_range_reads_only_the_days_in_range(book):
    pl = selectors.profit_and_loss(company=book, start=date(2026, 5, 16), end=date(2026, 7, 31))
    assert pl.amount("sales") == 0 and pl.amount("sga") == 170_000 and pl.amount("net") == -230_000
    pl = selectors.profit_and_loss(company=book, start=date(2026, 5, 15), end=date(2026, 6, 10))
    assert pl.amount("sales") == 800_000 and pl.amount("sga") == 150_000
    assert pl.amount("ordinary") == 640_000
    tb = selectors.trial_balance(company=book, start=date(2026, 5, 16), end=date(2026, 6, 15))
    assert rows_by_name(tb)["普通預金"].opening == 1_200_000
    assert rows_by_name(tb)["普通預金"].closing == 1_040_000
    assert tb.debit == tb.credit == 160_000


# ------------------------------------------------------------------------------ statements


def test_balance_sheet_balances_and_shows_contra_as_negative(book):
    bs = selectors.balance_sheet(company=book, as_of=date(2026, 7, 31))
    lines = {ln.key: ln for ln in bs.lines}
    assert lines["account:1190"].amount == -20_000  # 貸倒引当金 △ inside 流動資産
    assert bs.amount("current_assets") == 2_020_000 == bs.amount("assets")
    assert bs.amount("liabilities") == 250_000
    assert lines["account:3320"].amount == 200_000  # 繰越利益剰余金: last year's profit
    assert lines["profit:net_income"].amount == 570_000
    assert bs.amount("net_assets") == 1_770_000
    assert bs.amount("assets") == bs.amount("liabilities_net_assets")
    keys = [ln.key for ln in bs.lines]
    assert (
        keys.index("heading:assets") < keys.index("heading:fixed_assets") < keys.index("heading:liabilities")
    )
    assert keys.index("account:3320") + 1 == keys.index("profit:net_income")


def test_balance_sheet_compared_with_a_year_before(book):
    bs = selectors.balance_sheet(company=book, as_of=date(2026, 7, 31), compare=True)
    lines = {ln.key: ln for ln in bs.lines}
    assert lines["total:assets"].previous == 1_500_000 and lines["total:assets"].difference == 520_000
    assert lines["profit:net_income"].previous == 300_000
    assert lines["account:3320"].previous == 0
    assert bs.previous_end == date(2025, 7, 31)


def test_profit_and_loss_subtotals_and_comparison(book):
    pl = selectors.profit_and_loss(company=book, start=FY26, end=date(2026, 7, 31), compare=True)
    assert (pl.amount("sales"), pl.amount("gross"), pl.amount("sga")) == (800_000, 800_000, 170_000)
    assert (pl.amount("operating"), pl.amount("ordinary"), pl.amount("pretax")) == (630_000, 620_000, 620_000)
    assert (pl.amount("income_taxes"), pl.amount("net")) == (50_000, 570_000)
    lines = {ln.key: ln for ln in pl.lines}
    assert lines["profit:gross"].previous == 300_000 and lines["profit:gross"].difference == 500_000
    assert lines["account:5200"].amount == 0 and lines["account:5200"].previous == 200_000
    assert [ln.label for ln in pl.lines if ln.kind == "profit"] == [
        "売上総利益",
        "営業利益",
        "経常利益",
        "税引前当期純利益",
        "当期純利益",
    ]


def test_department_filter(book, accountant, hr):
    sales_dept = make_department(book, hr, code="200", name="営業部")
    post(
        book,
        accountant,
        date(2026, 8, 3),
        line(book, "旅費交通費", "debit", 30_000, department=sales_dept),
        line(book, "現金", "credit", 30_000, department=sales_dept),
    )
    pl = selectors.profit_and_loss(company=book, start=FY26, end=date(2026, 8, 31), department=sales_dept)
    assert pl.amount("sga") == 30_000 and pl.amount("sales") == 0 and pl.amount("net") == -30_000
    tb = selectors.trial_balance(company=book, start=FY26, end=date(2026, 8, 31), department=sales_dept.pk)
    assert [r.name for r in tb.rows] == ["現金", "旅費交通費"] and tb.debit == tb.credit == 30_000
    # a partial month by department reads the lines of that department only
    pl = selectors.profit_and_loss(
        company=book, start=date(2026, 8, 2), end=date(2026, 8, 3), department=sales_dept
    )
    assert pl.amount("sga") == 30_000
    trend = selectors.monthly_trend(company=book, year=2026, department=sales_dept)
    assert {r.key: r for r in trend.pl_rows}["profit:net"].values[4] == -30_000
    whole = selectors.profit_and_loss(company=book, start=FY26, end=date(2026, 8, 31))
    assert whole.amount("net") == 540_000


def test_monthly_trend(book):
    trend = selectors.monthly_trend(company=book, year=2026)
    assert len(trend.months) == 12 and trend.months[0] == FY26 and trend.months[-1] == date(2027, 3, 1)
    pl = {r.key: r for r in trend.pl_rows}
    assert pl["account:4100"].values[:4] == [0, 800_000, 0, 0] and pl["account:4100"].total == 800_000
    assert pl["profit:gross"].values[1] == 800_000
    assert pl["profit:operating"].values[:4] == [0, 650_000, -20_000, 0]
    assert pl["profit:ordinary"].values[2] == -30_000
    assert pl["profit:net"].values[:4] == [0, 650_000, -30_000, -50_000] and pl["profit:net"].total == 570_000
    bs = {r.key: r for r in trend.bs_rows}
    assert bs["account:1121"].values[:4] == [1_200_000, 1_050_000, 1_040_000, 1_040_000]
    assert bs["account:3320"].values[0] == 200_000
    assert bs["profit:net_income"].values[:4] == [0, 650_000, 620_000, 570_000]
    for i in range(12):
        assert bs["total:assets"].values[i] == bs["total:liabilities_net_assets"].values[i]


def test_statements_read_a_bounded_number_of_queries(book):
    with CaptureQueriesContext(connection) as ctx:
        selectors.balance_sheet(company=book, as_of=date(2026, 7, 15), compare=True)
    assert len(ctx.captured_queries) <= 16
    with CaptureQueriesContext(connection) as ctx:
        selectors.trial_balance(company=book, start=date(2026, 5, 16), end=date(2026, 7, 15))
    assert len(ctx.captured_queries) <= 10


# ------------------------------------------------------------------------------ 総勘定元帳 / 仕訳帳


def test_general_ledger_running_balance_across_pages_equals_a_naive_sum(books, accountant):
    bank = acct(books, "普通預金")
    post(
        books,
        accountant,
        date(2026, 4, 1),
        line(books, "普通預金", "debit", 100_000),
        line(books, "資本金", "credit", 100_000),
    )
    for i in range(23):
        day = date(2026, 5 + i % 3, 1 + i)
        if i % 4 == 0:
            post(
                books,
                accountant,
                day,
                line(books, "普通預金", "credit", 1000 + i),
                line(books, "通信費", "debit", 1000 + i),
            )
        else:
            post(
                books,
                accountant,
                day,
                line(books, "普通預金", "debit", 500 * i),
                line(books, "売上高", "credit", 500 * i - 7),
                line(books, "雑収入", "credit", 7),
            )
    start, end = date(2026, 5, 3), date(2026, 7, 31)
    first = selectors.general_ledger(company=books, account=bank, start=start, end=end, limit=7)
    rows, page, pages = list(first.rows), first, 1
    while page.next_cursor:
        page = selectors.general_ledger(
            company=books, account=bank, start=start, end=end, after=page.next_cursor, limit=7
        )
        rows += page.rows
        pages += 1
    lines = list(
        JournalLine.objects.filter(account=bank, date__gte=start, date__lte=end).order_by(
            "date", "entry_id", "line_no"
        )
    )
    before = JournalLine.objects.filter(account=bank, date__lt=start)
    running = sum(ln.debit - ln.credit for ln in before)
    assert first.opening == running
    expected = []
    for ln in lines:
        running += ln.debit - ln.credit
        expected.append(running)
    assert [r.balance for r in rows] == expected and pages == 4
    assert rows[-1].balance == first.closing == page.closing
    assert [r.line_id for r in rows] == [ln.pk for ln in lines]
    assert {r.counter_account for r in rows} == {"通信費", "諸口"}
    assert all(r.voucher_number for r in rows)


def test_general_ledger_page_costs_the_same_deep_in_the_book(books, accountant):
    bank = acct(books, "普通預金")
    for i in range(12):
        post(
            books,
            accountant,
            date(2026, 6, 1 + i),
            line(books, "普通預金", "debit", 100 + i),
            line(books, "売上高", "credit", 100 + i),
        )
    page = selectors.general_ledger(company=books, account=bank, start=FY26, end=date(2027, 3, 31), limit=3)
    with CaptureQueriesContext(connection) as ctx:
        nxt = selectors.general_ledger(
            company=books, account=bank, start=FY26, end=date(2027, 3, 31), after=page.next_cursor, limit=3
        )
    assert len(ctx.captured_queries) == 2  # the page and its counterparts: no sums
    assert nxt.rows[0].balance == 100 + 101 + 102 + 103


def test_a_forged_or_foreign_cursor_is_refused(books, accountant):
    bank, cash = acct(books, "普通預金"), acct(books, "現金")
    for i in range(3):
        post(
            books,
            accountant,
            date(2026, 6, 1 + i),
            line(books, "普通預金", "debit", 100),
            line(books, "売上高", "credit", 100),
        )
    page = selectors.general_ledger(company=books, account=bank, start=FY26, end=date(2027, 3, 31), limit=1)
    forged = page.next_cursor[:-3] + ("AAA" if not page.next_cursor.endswith("AAA") else "BBB")
    with pytest.raises(ServiceError) as err:
        selectors.general_ledger(company=books, account=bank, start=FY26, end=date(2027, 3, 31), after=forged)
    assert err.value.code == "bad_cursor" and err.value.status == 400
    with pytest.raises(ServiceError):  # a real cursor made for another account
        selectors.general_ledger(
            company=books, account=cash, start=FY26, end=date(2027, 3, 31), after=page.next_cursor
        )


def test_sub_ledger_by_sub_account(books, accountant):
    from ennoshita.ledger.models import SubAccount

    bank = acct(books, "普通預金")
    main = SubAccount.objects.create(company=books, account=bank, code="01", name="みずほ銀行")
    post(
        books,
        accountant,
        date(2026, 6, 1),
        line(books, "普通預金", "debit", 700, sub_account=main),
        line(books, "売上高", "credit", 700),
    )
    post(
        books,
        accountant,
        date(2026, 6, 2),
        line(books, "普通預金", "debit", 50),
        line(books, "売上高", "credit", 50),
    )
    gl = selectors.general_ledger(
        company=books, account=bank, sub_account=main, start=date(2026, 6, 1), end=date(2026, 6, 30)
    )
    assert [r.debit for r in gl.rows] == [700] and gl.closing == 700 and gl.sub_account_name == "みずほ銀行"


def test_journal_pages_in_date_and_number_order(book):
    page = selectors.journal(company=book, start=FY25, end=date(2027, 3, 31), limit=4)
    seen = list(page.entries)
    while page.next_cursor:
        page = selectors.journal(
            company=book, start=FY25, end=date(2027, 3, 31), after=page.next_cursor, limit=4
        )
        seen += page.entries
    assert len(seen) == 10 and [e.date for e in seen] == sorted(e.date for e in seen)
    assert seen[0].lines[0].account_name == "普通預金" and seen[0].lines[0].debit == 1_000_000
    assert all(sum(ln.debit for ln in e.lines) == sum(ln.credit for ln in e.lines) == e.total for e in seen)
    with pytest.raises(ServiceError):
        selectors.journal(company=book, start=FY25, end=date(2027, 3, 31), after="not-a-cursor")


# ------------------------------------------------------------------------------ 消費税集計表


def taxed_book(company, m):
    L = lambda *a, **k: line(company, *a, **k)
    post(company, m, date(2026, 8, 5), L("売掛金", "debit", 11_000), L("売上高", "credit", 11_000, "S10"))
    post(company, m, date(2026, 8, 6), L("消耗品費", "debit", 5_500, "P10"), L("現金", "credit", 5_500))
    post(company, m, date(2026, 8, 7), L("消耗品費", "debit", 1_080, "P8R"), L("現金", "credit", 1_080))
    sale = post(
        company, m, date(2026, 8, 8), L("売掛金", "debit", 22_000), L("売上高", "credit", 22_000, "S10")
    )
    services.reverse_entry(company=company, actor=m.user, membership=m, entry=sale, date=date(2026, 8, 9))
    post(
        company, m, date(2026, 11, 10), L("消耗品費", "debit", 11_000, "P10_NQ"), L("現金", "credit", 11_000)
    )
    post(
        company,
        m,
        date(2026, 8, 10),
        L("普通預金", "debit", 3_000),
        L("受取利息", "credit", 3_000, "S_EXEMPT"),
    )
    return company


def test_tax_summary_totals_with_a_reversal(books, accountant):
    taxed_book(books, accountant)
    summary = selectors.tax_summary(company=books, start=FY26, end=date(2027, 3, 31))
    groups = {g.key: g for g in summary.groups}
    sales = {r.key: r for r in groups["sales"].rows}
    assert (sales["S10"].net, sales["S10"].tax, sales["S10"].gross) == (
        10_000,
        1_000,
        11_000,
    )  # reversal cancels
    purchases = {r.key: r for r in groups["purchases"].rows}
    assert (purchases["P10"].net, purchases["P10"].tax, purchases["P10"].gross) == (5_000, 500, 5_500)
    assert (purchases["P8R"].net, purchases["P8R"].tax) == (1_000, 80)
    assert (purchases["P10_NQ"].net, purchases["P10_NQ"].tax) == (10_000, 1_000)
    assert groups["purchases"].gross == 5_500 + 1_080 + 11_000
    assert groups["exempt"].net == 3_000 and groups["export"].rows == []
    assert summary.taxable_sales_by_rate == {Decimal(10): 11_000}
    assert summary.creditable_purchases_by_rate[Decimal(10)] == 5_500 + 7_700  # 70% of the NQ purchase
    # 13,200 × 7.8/110 = 936; 1,080 × 6.24/108 = 62.4 → 62
    assert summary.national_input_tax == 998
    f = summary.figures
    assert f is not None and f.taxable_base == 10_000 and f.national_tax == 780
    assert f.national_refund == 218 and f.net_national_tax == 0 and f.local_refund == 61
