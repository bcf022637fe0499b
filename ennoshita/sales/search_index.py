"""Word search in the numbers and subjects of quotes, orders and invoices, from an index.

The search must give exactly the rows of the plain substring search (the word NFKC-normalised,
ASCII letters in either case) for words of any length, and Japanese subject words are often two
characters (保守, 開発), which a trigram index cannot answer. So the index is one of character
n-grams of the text ``lower_ascii(number) + "\\n" + lower_ascii(subject)`` (the newline cannot be
in a search word, so nothing matches across the two fields):

- SQLite: a contentless FTS5 table per document table (``sales_invoice_search`` …) with two
  columns: ``grams``, every pair of adjacent characters in order (the last character alone at the
  end), and ``chars``, every character. Each n-gram is written as the hex of its UTF-8 bytes, so
  any tokenizer keeps it whole. A word of one character is the token of ``chars``; a longer word is
  the phrase of its adjacent pairs in ``grams`` (pairs at consecutive positions are exactly the
  word). The tables are kept in step by triggers that compute the n-grams in SQL, so every writer
  (the services, a bulk load, a raw UPDATE) keeps them current.
- PostgreSQL: a GIN index on ``sales_search_grams(number, subject)``, an immutable SQL function
  returning the text's characters and adjacent pairs as ``text[]``. A word of one or two characters
  is one element (``@>``, exact); a longer one needs all its pairs and is then checked with
  ``strpos`` on the rows they find. The index follows the rows by itself.

A later migration that rebuilds one of these tables on SQLite drops its triggers with it:
:func:`ensure_search_index` puts them back and refills the index (run it after ``migrate``).
"""

from __future__ import annotations

from django.db import connections

TABLES = ("sales_invoice", "sales_quote", "sales_order")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_FOLD = str.maketrans(_UPPER, _UPPER.lower())


def fold(text: str) -> str:
    """ASCII letters to lower case, nothing else (SQLite's lower() and LIKE fold only these)."""
    return text.translate(_ASCII_FOLD)


def fts_table(table: str) -> str:
    return f"{table}_search"


def _hex(text: str) -> str:
    return text.encode("utf-8").hex().upper()


def fts_query(word: str) -> str:
    """The FTS5 query of one (NFKC-normalised) word: hex tokens only, nothing to escape."""
    word = fold(word)
    if len(word) == 1:
        return f'chars : "{_hex(word)}"'
    pairs = " ".join(_hex(word[i : i + 2]) for i in range(len(word) - 1))
    return f'grams : "{pairs}"'


def pg_grams(word: str) -> list[str]:
    """The elements of ``sales_search_grams`` that a row containing ``word`` must have."""
    word = fold(word)
    if len(word) <= 2:
        return [word]
    return sorted({word[i : i + 2] for i in range(len(word) - 1)})


# ------------------------------------------------------------------------------ SQLite
def _sqlite_text(row: str) -> str:
    return f"(lower({row}.number) || char(10) || lower({row}.subject))"


def _sqlite_column(row: str, width: int) -> str:
    """One column of a row's index entry: the hex of every ``width``-character slice, in order.
    A recursive CTE walks the positions; its rows come out in order, and group_concat joins them in
    that order (positions are what make a phrase of pairs an exact substring)."""
    return (
        f"(WITH RECURSIVE p(n, s) AS (SELECT 1, {_sqlite_text(row)} "  # noqa: S608 (names are constants)
        "UNION ALL SELECT n + 1, s FROM p WHERE n < length(s)) "
        f"SELECT group_concat(hex(substr(s, n, {width})), ' ') FROM p)"
    )


def _sqlite_values(row: str) -> str:
    return f"{_sqlite_column(row, 2)}, {_sqlite_column(row, 1)}"


def sqlite_trigger_names(table: str) -> list[str]:
    return [f"{table}_search_ai", f"{table}_search_ad", f"{table}_search_au"]


def sqlite_create(table: str) -> list[str]:
    return [
        # contentless: the hex n-grams are not stored twice; a delete repeats the old values
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts_table(table)} USING fts5("
        "grams, chars, content='', tokenize='ascii', columnsize=0)",
        *sqlite_triggers(table),
    ]


def sqlite_triggers(table: str) -> list[str]:
    fts = fts_table(table)
    ai, ad, au = sqlite_trigger_names(table)
    # table names are this module's constants: nothing here comes from a user
    insert = f"INSERT INTO {fts}(rowid, grams, chars) VALUES (new.id, {_sqlite_values('new')});"  # noqa: S608
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, grams, chars) VALUES ('delete', old.id, {_sqlite_values('old')});"  # noqa: S608
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {ai} AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {ad} AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {au} AFTER UPDATE OF id, number, subject ON {table} "
        "WHEN old.id IS NOT new.id OR old.number IS NOT new.number OR old.subject IS NOT new.subject "
        f"BEGIN {delete} {insert} END",
    ]


def sqlite_fill(table: str) -> list[str]:
    """Empty the index and index every row (a migration, or a repair)."""
    fts = fts_table(table)
    return [
        f"INSERT INTO {fts}({fts}) VALUES ('delete-all')",  # noqa: S608
        f"INSERT INTO {fts}(rowid, grams, chars) SELECT t.id, {_sqlite_values('t')} FROM {table} AS t",  # noqa: S608
    ]


def sqlite_drop(table: str) -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_trigger_names(table)),
        f"DROP TABLE IF EXISTS {fts_table(table)}",
    ]


# ------------------------------------------------------------------------------ PostgreSQL
# A plain expression (string_to_array and regexp_replace, no aggregate), which PostgreSQL inlines
# and evaluates in microseconds: the planner sometimes evaluates it row by row (a page read in date
# order), and a first version with generate_series and array_agg cost ~0.2 ms a row, seconds a
# page. Pairs are cut at even and at odd offsets, with \x01 (a control character that no subject
# holds) as the cut mark; a word holding \x01 is searched without the index. COST 1000 (~15 µs a
# row, against the default 100) tells the planner what reading the date index and evaluating it row
# by row costs: with 100 it did so for a word in no invoice, 4.6 s at 200,000 invoices, instead of
# asking the index (47 ms).
PG_FUNCTION = r"""
CREATE OR REPLACE FUNCTION sales_search_grams(number text, subject text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
  SELECT string_to_array(s, NULL)
         || string_to_array(regexp_replace(s, '(..)', E'\\1\x01', 'g'), E'\x01')
         || string_to_array(regexp_replace(substr(s, 2), '(..)', E'\\1\x01', 'g'), E'\x01')
  FROM (SELECT translate(number, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') || E'\n'
               || translate(subject, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS s) AS t
$$"""
PG_CUT = "\x01"


def pg_index_name(table: str) -> str:
    return f"{table}_search_idx"


def pg_create(table: str) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {pg_index_name(table)} ON {table} "
        "USING gin (sales_search_grams(number, subject))"
    ]


def pg_drop(table: str) -> list[str]:
    return [f"DROP INDEX IF EXISTS {pg_index_name(table)}"]


# ------------------------------------------------------------------------------ install
def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for sql in [*sqlite_create(table), *sqlite_fill(table)]:
                schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in TABLES:
            for sql in pg_create(table):
                schema_editor.execute(sql)


def remove(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            for sql in sqlite_drop(table):
                schema_editor.execute(sql)
    elif vendor == "postgresql":
        for table in TABLES:
            for sql in pg_drop(table):
                schema_editor.execute(sql)
        schema_editor.execute("DROP FUNCTION IF EXISTS sales_search_grams(text, text)")


def ensure_search_index(using: str = "default") -> list[str]:
    """SQLite: put back the triggers of any table a migration rebuilt, and refill its index.
    Returns the tables repaired."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cur.fetchall()}
        for table in TABLES:
            if fts_table(table) not in present or set(sqlite_trigger_names(table)) <= present:
                continue
            for sql in [*sqlite_triggers(table), *sqlite_fill(table)]:
                cur.execute(sql)
            repaired.append(table)
    return repaired
