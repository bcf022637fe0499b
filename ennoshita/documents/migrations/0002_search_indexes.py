"""Index-backed document search (ennoshita.documents.search).

SQLite: an FTS5 ``trigram`` table over ``documents_document.search_text`` (external content: the
text is stored once, in the documents table), kept in step by three triggers. Queries of 3+
characters use ``MATCH``; shorter ones scan the column with ``instr`` (SQLite 3.40 returns no rows
for short non-ASCII patterns on a trigram table, see RECIPES "Japanese search").

PostgreSQL: ``pg_trgm`` GIN indexes on ``search_text`` and ``counterparty_key`` so that
``LIKE '%word%'`` is answered from the index. If the extension cannot be created (no rights on a
managed server), the migration still succeeds without those indexes and search stays correct with
sequential scans.

Both databases: two indexes for the 電子帳簿保存法 searches (date/amount range, counterparty) that
lead with company, the record flag and ``trashed_at``, the equalities every such search has.

A later migration that alters ``documents_document`` on SQLite rebuilds the table (Django's
"remake table"), which drops its triggers; ``ensure_sqlite_search_index`` (run after every
``migrate`` by the app config, and checked by tests/documents/test_search.py) puts them back and
rebuilds the index.
"""

from django.db import migrations

FTS_TABLE = "documents_document_fts"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS documents_document_fts_ai AFTER INSERT ON documents_document
       BEGIN
         INSERT INTO documents_document_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END;""",
    """CREATE TRIGGER IF NOT EXISTS documents_document_fts_ad AFTER DELETE ON documents_document
       BEGIN
         INSERT INTO documents_document_fts(documents_document_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
       END;""",
    """CREATE TRIGGER IF NOT EXISTS documents_document_fts_au AFTER UPDATE OF id, search_text ON documents_document
       WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text
       BEGIN
         INSERT INTO documents_document_fts(documents_document_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
         INSERT INTO documents_document_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END;""",
]
SQLITE_REBUILD = "INSERT INTO documents_document_fts(documents_document_fts) VALUES ('rebuild')"
SQLITE_TRIGGER_NAMES = ["documents_document_fts_ai", "documents_document_fts_ad", "documents_document_fts_au"]

# 電子帳簿保存法 searches filter on company, "not in the trash" and the record flag, then on a date
# range, an amount range or a counterparty substring. Django writes the flag as a bare
# ``AND "is_transaction_record"``, which a partial index with that WHERE matches on both databases
# (and which is only the records' 30 %). Leading with the equalities makes even SQLite without
# ANALYZE statistics prefer these to (company, trashed_at).
# A search page is sorted by name: (company, name, trashed_at) lets a page of a frequent word stop
# after 50 rows instead of sorting every match. trashed_at comes last on purpose: with only one
# equality column SQLite (no statistics) does not prefer it to the partial indexes above for counts.
DENCHOHO_UP = [
    "CREATE INDEX IF NOT EXISTS document_denchoho_live_idx ON documents_document "
    "(company_id, trashed_at, transaction_date, transaction_amount) WHERE is_transaction_record",
    "CREATE INDEX IF NOT EXISTS document_denchoho_cp_idx ON documents_document "
    "(company_id, trashed_at, counterparty_key) WHERE is_transaction_record",
    "CREATE INDEX IF NOT EXISTS document_live_name_idx ON documents_document (company_id, name, trashed_at)",
]
DENCHOHO_DOWN = [
    "DROP INDEX IF EXISTS document_denchoho_live_idx",
    "DROP INDEX IF EXISTS document_denchoho_cp_idx",
    "DROP INDEX IF EXISTS document_live_name_idx",
]

SQLITE_UP = [
    # case_sensitive 1: exact substring semantics, like instr() (the stored key is already case-folded);
    # detail=full (the default) because a word of 4+ characters is a phrase of several trigrams
    """CREATE VIRTUAL TABLE IF NOT EXISTS documents_document_fts USING fts5(
         search_text, content='documents_document', content_rowid='id',
         tokenize='trigram case_sensitive 1')""",
    *SQLITE_TRIGGERS,
    SQLITE_REBUILD,
    *DENCHOHO_UP,
]
SQLITE_DOWN = [
    *DENCHOHO_DOWN,
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGER_NAMES),
    "DROP TABLE IF EXISTS documents_document_fts",
]

PG_TRGM_INDEXES = [
    "CREATE INDEX IF NOT EXISTS document_search_trgm_idx ON documents_document "
    "USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS document_counterparty_trgm_idx ON documents_document "
    "USING gin (counterparty_key gin_trgm_ops)",
]
PG_UP = [
    *DENCHOHO_UP,
]
PG_DOWN = [
    "DROP INDEX IF EXISTS document_search_trgm_idx",
    "DROP INDEX IF EXISTS document_counterparty_trgm_idx",
    *DENCHOHO_DOWN,
    # the pg_trgm extension is left in place: other apps (or the DBA) may rely on it
]


def create_pg_trgm(schema_editor) -> bool:
    """CREATE EXTENSION pg_trgm inside a savepoint; False (and nothing aborted) when refused."""
    from django.db import DatabaseError, transaction

    connection = schema_editor.connection
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        pass
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cur.fetchone() is not None


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_UP:
            schema_editor.execute(sql)
        if create_pg_trgm(schema_editor):
            for sql in PG_TRGM_INDEXES:
                schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_DOWN:
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
