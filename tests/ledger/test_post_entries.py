"""post_entries: many entries in one go, with exactly what post_entry would have written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.ledger import services
from ennoshita.ledger.maintenance import compare_balances
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.ledger.services import EntryInput

from .conftest import line, post


def _inputs(books, n: int = 5) -> list[EntryInput]:
    return [
        EntryInput(
            date=date(2026, 3 + k % 2, 10 + k),  # across two fiscal years (March and April)
            lines=[
                line(books, "消耗品費", "debit", 1100 * (k + 1), "P10"),
                line(books, "普通預金", "credit", 1100 * (k + 1)),
            ],
            memo=f"一括 {k}",
            source_id=str(k),
        )
        for k in range(n)
    ]


def test_bulk_posting_writes_what_one_by_one_posting_writes(books, accountant, company):
    post(
        books,
        accountant,
        date(2026, 4, 1),
        line(books, "現金", "debit", 1),
        line(books, "売上高", "credit", 1),
    )
    rows = services.post_entries(
        company=books,
        actor=accountant.user,
        membership=accountant,
        entries=_inputs(books),
        source_type="tests.bulk",
    )
    assert [e.status for e in rows] == ["posted"] * 5
    stored = JournalEntry.objects.get(pk=rows[0].pk)
    assert stored.posted_by == accountant.user
    assert abs(stored.posted_at - timezone.now()) < timedelta(minutes=1)  # written raw, read back aware
    # numbers continue without gaps within each fiscal year, in the given order
    by_year = {
        (e.fiscal_year.start.year, e.number) for e in JournalEntry.objects.filter(source_type="tests.bulk")
    }
    assert by_year == {(2025, 1), (2025, 2), (2025, 3), (2026, 2), (2026, 3)}
    tax_lines = JournalLine.objects.filter(entry__in=rows, tax_for__isnull=False).select_related("tax_for")
    assert len(tax_lines) == 5 and all(t.tax_for.entry_id == t.entry_id for t in tax_lines)
    assert compare_balances(company=books) == []
    assert AuditEvent.objects.filter(action="post", object_type="ledger.journalentry").count() == 6
    assert verify_company_chain(books.pk) is None


def test_one_bad_entry_stops_all_of_them(books, accountant):
    inputs = _inputs(books)
    inputs[3] = EntryInput(
        date=date(2026, 4, 1), lines=[line(books, "現金", "debit", 10), line(books, "売上高", "credit", 9)]
    )
    with pytest.raises(ServiceError) as err:
        services.post_entries(company=books, actor=accountant.user, membership=accountant, entries=inputs)
    assert list(err.value.field_errors) == ["entries.3.lines"]
    assert not JournalEntry.objects.exists() and not AuditEvent.objects.filter(action="post").exists()
