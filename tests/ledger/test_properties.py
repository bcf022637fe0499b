"""Properties of the book (hypothesis): for any sequence of valid postings and reversals, debits
equal credits, every kept balance equals a naive sum over its lines, and closing then reopening a
year changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ennoshita.ledger import chart, rules, selectors, services
from ennoshita.ledger.maintenance import compare_balances, kept_balances
from ennoshita.ledger.models import Account, Balance, FiscalYear, JournalEntry, JournalLine

from .conftest import line

ACCOUNTS = [
    "現金",
    "普通預金",
    "売掛金",
    "買掛金",
    "売上高",
    "仕入高",
    "消耗品費",
    "会議費",
    "地代家賃",
    "雑収入",
]
TAXES = [None, "S10", "S8R", "P10", "P8R", "P10_NQ", "S_EXEMPT", "OUT"]
START = date(2025, 4, 1)  # the previous fiscal year; both years are open in the fixture


class Rollback(Exception):
    pass


line_spec = st.tuples(
    st.sampled_from(ACCOUNTS),
    st.integers(min_value=1, max_value=10_000_000),
    st.sampled_from(TAXES),
    st.booleans(),
)
entry_spec = st.tuples(
    st.integers(min_value=0, max_value=700),  # day offset: both fiscal years
    st.lists(line_spec, min_size=1, max_size=3),  # debit lines; one balancing credit line is added
    st.sampled_from(ACCOUNTS),
)
operation = st.one_of(
    st.tuples(st.just("post"), entry_spec),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
)


def _apply(company, member, ops) -> list[JournalEntry]:
    posted: list[JournalEntry] = []
    for kind, spec in ops:
        if kind == "post":
            offset, debits, credit_account = spec
            day = START + timedelta(days=offset)
            inputs = [line(company, a, "debit", amt, tax, tax_included=inc) for a, amt, tax, inc in debits]
            # balance the entry: compute what the debits come to after tax lines by a dry run
            draft = services.save_draft(
                company=company, actor=member.user, membership=member, date=day, lines=inputs
            )
            total = JournalLine.objects.filter(entry=draft).aggregate(s=Sum("debit"))["s"]
            services.delete_draft(company=company, actor=member.user, membership=member, entry=draft)
            inputs.append(line(company, credit_account, "credit", total))
            posted.append(
                services.post_entry(
                    company=company, actor=member.user, membership=member, date=day, lines=inputs
                )
            )
        elif posted:
            target = posted[spec % len(posted)]
            if target.kind != "reversal" and not JournalEntry.objects.filter(reversal_of=target).exists():
                posted.append(
                    services.reverse_entry(
                        company=company, actor=member.user, membership=member, entry=target, date=target.date
                    )
                )
    return posted


def _line(statement, key: str) -> Decimal:
    return next(ln.amount for ln in statement.lines if ln.key == key)


def _check_statements(company) -> None:
    """For both fiscal years: the trial balance balances, each account's closing equals a naive
    sum over its posted lines, and assets = liabilities + net assets (with the year's profit)."""
    for start, end in ((date(2025, 4, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2027, 3, 31))):
        tb = selectors.trial_balance(company=company, start=start, end=end)
        assert tb.debit == tb.credit and tb.closing_debit == tb.closing_credit
        for row in tb.rows:
            account = Account.objects.get(pk=row.account_id)
            if account.code == chart.RETAINED_EARNINGS_ACCOUNT_CODE:
                continue  # also carries the earlier years' profit (checked through the B/S below)
            lines = JournalLine.objects.filter(account=account, entry__status="posted", date__lte=end)
            if chart.SECTIONS_BY_KEY[account.section].statement == "PL":
                lines = lines.filter(date__gte=start)
            sums = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
            naive = rules.signed_balance(
                debit=Decimal(sums["d"] or 0), credit=Decimal(sums["c"] or 0), normal_side=account.normal_side
            )
            assert row.closing == naive, account.name
        bs = selectors.balance_sheet(company=company, as_of=end)
        assert _line(bs, "total:assets") == _line(bs, "total:liabilities") + _line(bs, "total:net_assets")


def _statement_figures(company) -> list:
    tb = selectors.trial_balance(company=company, start=date(2026, 4, 1), end=date(2026, 12, 15))
    bs = selectors.balance_sheet(company=company, as_of=date(2026, 12, 15))
    pl = selectors.profit_and_loss(company=company, start=date(2025, 4, 1), end=date(2026, 3, 31))
    return [
        [(r.code, r.opening, r.debit, r.credit, r.closing) for r in tb.rows],
        [(ln.key, ln.amount) for ln in bs.lines],
        [(ln.key, ln.amount) for ln in pl.lines],
    ]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_any_sequence_of_postings_and_reversals_keeps_the_book_consistent(books, accountant, ops):
    try:
        with transaction.atomic():
            _apply(books, accountant, ops)
            totals = Balance.objects.for_company(books).aggregate(d=Sum("debit"), c=Sum("credit"))
            assert Decimal(totals["d"] or 0) == Decimal(totals["c"] or 0)
            lines = JournalLine.objects.filter(company=books, entry__status="posted").aggregate(
                d=Sum("debit"), c=Sum("credit")
            )
            assert Decimal(lines["d"] or 0) == Decimal(totals["d"] or 0)
            assert compare_balances(company=books) == []
            _check_statements(books)
            # closing the previous year and reopening it changes no figure
            before = kept_balances(company=books)
            statements_before = _statement_figures(books)
            year = FiscalYear.objects.for_company(books).get(start=START)
            services.close_fiscal_year(company=books, actor=accountant.user, membership=accountant, year=year)
            services.reopen_fiscal_year(
                company=books, actor=accountant.user, membership=accountant, year=year, reason="確認"
            )
            assert kept_balances(company=books) == before
            assert _statement_figures(books) == statements_before
            raise Rollback
    except Rollback:
        pass


def test_the_check_command_finds_and_repairs_a_tampered_balance(books, accountant):
    from django.core.management import call_command

    services.post_entry(
        company=books,
        actor=accountant.user,
        membership=accountant,
        date=date(2026, 5, 1),
        lines=[line(books, "現金", "debit", 1000), line(books, "売上高", "credit", 1000, "S10")],
    )
    Balance.objects.filter(company=books).update(debit=7)
    with pytest.raises(SystemExit):
        call_command("check_ledger_balances", company=books.pk)
    call_command("check_ledger_balances", company=books.pk, repair=True)
    assert compare_balances(company=books) == []
