"""The indexes a posting writes (migration ledger 0005, core 0008): what other indexes begin with is
not indexed again, and the references most lines leave empty are indexed only where set — and
those partial indexes still serve the lookups that deleting a department, sub-account, tax code or
tax line makes (Django's PROTECT check and the database's foreign key)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

LINE = "ledger_journalline"


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name for name, c in found.items() if (c["index"] or c["unique"]) and not c["primary_key"]}


def _plan(sql: str, params: list) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table: ask whether it can
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row) for row in cursor.fetchall())


@pytest.mark.django_db
def test_a_posting_writes_no_index_it_does_not_need():
    line = _indexes(LINE)
    assert {"ledger_line_account_idx", "ledger_line_date_idx"} <= line
    assert (
        not {
            "ledger_journalline_company_id_519c90f8",
            "ledger_journalline_entry_id_9e70d486",
            "ledger_journalline_account_id_2b31745b",
        }
        & line
    )
    entry = _indexes("ledger_journalentry")
    gone = {
        "ledger_journalentry_company_id_c3d68b22",
        "ledger_journalentry_created_by_id_90be368c",
        "ledger_journalentry_posted_by_id_7f54f54f",
        "ledger_journalentry_fiscal_year_id_d1504ada",
    }
    assert not gone & entry
    assert "ledger_entry_number_unique" in entry or any("autoindex" in name for name in entry)
    audit = _indexes("core_auditevent")
    assert not {"core_auditevent_company_id_7b183f43", "core_auditevent_actor_id_3bd0c673"} & audit


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["sub_account_id", "department_id", "tax_code_id", "tax_for_id"])
def test_the_lookups_of_a_deletion_check_use_the_partial_index(column):
    name = f"ledger_line_{column.removesuffix('_id')}_idx"
    assert name in _indexes(LINE)
    assert name in _plan(f"SELECT 1 FROM {LINE} WHERE {column} IN (%s, %s)", [1, 2])
    assert name in _plan(f"SELECT 1 FROM {LINE} WHERE {column} = %s", [1])


@pytest.mark.django_db
def test_the_lines_of_an_entry_are_found_by_the_unique_line_number():
    plan = _plan(f"SELECT * FROM {LINE} WHERE entry_id = %s ORDER BY line_no", [1])
    assert "ledger_line_no_unique" in plan or "sqlite_autoindex_ledger_journalline" in plan
