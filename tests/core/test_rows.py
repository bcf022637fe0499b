"""core.rows.insert_rows: the lean insert of the posting path."""

from __future__ import annotations

from django.db import connection

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
