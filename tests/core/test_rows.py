"""core.rows.insert_rows: the lean insert of the posting path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from ennoshita.core.models import NumberSequence
from ennoshita.core.rows import insert_rows


def test_rows_get_their_ids_in_order_across_chunks(company):
    # more rows than one statement may carry parameters for on SQLite (999): several chunks
    rows = [
        NumberSequence(company=company, doc_type=f"t{n:04d}", fiscal_year=2026, last_number=n)
        for n in range(700)
    ]
    per_row = len(NumberSequence._meta.concrete_fields) - 1
    assert (
        len(rows) * per_row > (connection.features.max_query_params or 65_535)
        or connection.vendor != "sqlite"
    )
    insert_rows(rows)
    stored = dict(
        NumberSequence.objects.filter(company=company, doc_type__startswith="t").values_list("pk", "doc_type")
    )
    assert len(stored) == 700
    assert all(stored[row.pk] == row.doc_type for row in rows)
    assert all(not row._state.adding for row in rows)


def test_nothing_to_insert_is_no_statement(company, django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_rows([])


# ---------------------------------------------------------------- the statement cursor


def test_the_statement_cursor_answers_and_rewrites_placeholders_once(company):
    from ennoshita.core.rows import statement_cursor

    with transaction.atomic(), statement_cursor() as cursor:
        # a literal percent sign is written %% as with Django's cursor
        cursor.execute("SELECT %s, 'a%%b'", [company.pk])
        assert tuple(cursor.fetchone()) == (company.pk, "a%b")


def test_the_statement_cursor_raises_djangos_errors_and_the_transaction_rolls_back(company):
    from ennoshita.core.rows import statement_cursor

    sql = "INSERT INTO core_numbersequence (company_id, doc_type, fiscal_year, last_number) VALUES (%s, %s, %s, %s)"
    with transaction.atomic(), statement_cursor() as cursor:
        cursor.execute(sql, [company.pk, "dup", 2026, 1])
    with pytest.raises(IntegrityError), transaction.atomic(), statement_cursor() as cursor:
        cursor.execute(sql, [company.pk, "other", 2026, 1])
        cursor.execute(sql, [company.pk, "dup", 2026, 1])  # the unique key
    assert list(NumberSequence.objects.filter(company=company).values_list("doc_type", flat=True)) == ["dup"]


def test_statements_are_still_seen_where_they_are_counted(company):
    from ennoshita.core.rows import statement_cursor

    with CaptureQueriesContext(connection) as seen, statement_cursor() as cursor:
        cursor.execute("SELECT %s", [7])
    assert [q["sql"] for q in seen.captured_queries] == ["SELECT 7"]


def test_a_plain_value_goes_as_the_field_would_prepare_it(company):
    """The shortcut for str, int, bool and None gives each column what the field's own
    get_db_prep_save gives (the other types still go through the field)."""
    from ennoshita.core.rows import _preparers
    from ennoshita.ledger.models import JournalEntry

    entry = JournalEntry(
        company=company,
        fiscal_year_id=3,
        date=date(2026, 4, 1),
        kind="transfer",
        memo="摘要",
        number=None,
        total=Decimal("1200"),
        source_id="INV-1",
        created_by=None,
    )
    for field, attname, plain in _preparers(JournalEntry, connection.vendor):
        value = entry.__dict__.get(attname)
        if plain is not None and plain is not date and (value is None or type(value) is plain):
            assert field.get_db_prep_save(field.pre_save(entry, add=True), connection) == value, attname
    kinds = {f.name: plain for f, _a, plain in _preparers(JournalEntry, connection.vendor)}
    assert kinds["memo"] is str and kinds["company"] is int and kinds["number"] is int
    assert kinds["total"] is Decimal and kinds["date"] is date
    # the creation time (auto_now_add) and the posting time keep the field's own preparation
    assert kinds["created_at"] is None and kinds["posted_at"] is None


@pytest.mark.parametrize("total", [Decimal("1200"), Decimal("-3"), Decimal("0"), None])
def test_a_decimal_and_a_date_go_as_the_field_would_prepare_them(company, total):
    from ennoshita.core.rows import _insert_chunk, _preparers
    from ennoshita.ledger.models import JournalEntry

    entry = JournalEntry(company=company, fiscal_year_id=1, date=date(2026, 4, 1), total=total)
    for field, attname, plain in _preparers(JournalEntry, connection.vendor):
        value = entry.__dict__.get(attname)
        if plain in (Decimal, date) and (value is None or type(value) is plain):
            expected = field.get_db_prep_save(field.pre_save(entry, add=True), connection)
            got = connection.ops.adapt_datefield_value(value) if plain is date else value
            assert got == expected and type(got) is type(expected), attname
    assert _insert_chunk  # the function that applies the shortcut (its rows are checked above)


def test_a_decimal_that_is_not_finite_is_refused_as_by_the_field(company):
    from django.core.exceptions import ValidationError

    from ennoshita.ledger.models import JournalEntry

    entry = JournalEntry(company=company, fiscal_year_id=1, date=date(2026, 4, 1), total=Decimal("NaN"))
    with pytest.raises(ValidationError), transaction.atomic():
        insert_rows([entry])


def test_a_field_class_of_our_own_always_goes_through_its_preparation():
    from django.db import models

    from ennoshita.core.rows import _plain_type

    class Shouting(models.CharField):
        def get_prep_value(self, value):
            return str(value).upper()

    assert _plain_type(Shouting(max_length=5)) is None
    assert _plain_type(models.CharField(max_length=5)) is str
