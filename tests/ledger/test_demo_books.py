"""The demo company's books: a year and a half that balances, the previous year closed, sales in
every month, taxed lines, a reversal, drafts; deterministic, idempotent and fast."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.db.models import Sum

from ennoshita.core.errors import ServiceError
from ennoshita.ledger.demo import build_demo_books
from ennoshita.ledger.models import Balance, FiscalYear, JournalEntry, JournalLine

from ..conftest import make_department

TODAY = date(2026, 11, 24)


@pytest.fixture
def demo(books, accountant, hr):
    admin_division = make_department(books, hr, code="200", name="管理本部")
    sales_division = make_department(books, hr, code="300", name="営業本部")
    make_department(books, hr, code="210", name="経理部", parent=admin_division)
    make_department(books, hr, code="310", name="営業第一部", parent=sales_division)
    make_department(books, hr, code="320", name="営業第二部", parent=sales_division)
    started = time.perf_counter()
    posted = build_demo_books(books, today=TODAY)
    return books, posted, time.perf_counter() - started


def test_the_demo_books_balance_and_the_previous_year_is_closed(demo):
    company, posted, elapsed = demo
    assert posted > 300
    totals = Balance.objects.for_company(company).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    assert totals["debit"] == totals["credit"] > 0
    years = {y.start: y.status for y in FiscalYear.objects.for_company(company)}
    assert years[date(2025, 4, 1)] == "closed" and years[date(2026, 4, 1)] == "open"
    assert elapsed < 10


def test_every_month_of_the_span_has_sales(demo):
    company, _posted, _elapsed = demo
    months = set(
        JournalLine.objects.filter(
            entry__company=company, entry__status="posted", account__name="売上高", credit__gt=0
        ).values_list("date__year", "date__month")
    )
    expected = {(2025 + (m > 8), (m + 3) % 12 + 1) for m in range(20)}  # 2025-04 … 2026-11
    assert expected <= months and len(expected) == 20


def test_the_demo_books_hold_what_an_accountant_would_look_for(demo):
    company, _posted, _elapsed = demo
    entries = JournalEntry.objects.for_company(company)
    assert entries.filter(kind="opening", date=date(2025, 4, 1)).count() == 1
    assert entries.filter(kind="reversal").count() == 1
    assert entries.filter(status="draft").count() == 3
    assert not entries.filter(status="posted", date__gt=TODAY).exists()
    keys = set(JournalLine.objects.filter(entry__company=company).values_list("tax_code__key", flat=True))
    assert {"S10", "S8R", "P10", "P8R", "P10_NQ"} <= keys
    assert JournalLine.objects.filter(entry__company=company, department__code="310").exists()


def test_building_twice_does_nothing(demo):
    company, _posted, _elapsed = demo
    count = JournalEntry.objects.for_company(company).count()
    assert build_demo_books(company, today=TODAY) == 0
    assert JournalEntry.objects.for_company(company).count() == count


def test_the_same_books_every_time(books, accountant, other_company):
    from ..conftest import make_member

    make_member(other_company, "keiri2", ["accounting"])
    build_demo_books(books, today=TODAY)
    build_demo_books(other_company, today=TODAY)

    def amounts(company):
        return list(
            JournalLine.objects.filter(entry__company=company)
            # drafts have no number yet: the entry id (creation order) keeps two drafts of one day
            # in the same order on PostgreSQL, which returns ties in any order
            .order_by("entry__date", "entry__number", "entry_id", "line_no")
            .values_list("debit", "credit")
        )

    assert amounts(books) == amounts(other_company)


def test_a_company_without_an_accountant_gets_a_clear_error(books):
    with pytest.raises(ServiceError):
        build_demo_books(books, today=TODAY)
