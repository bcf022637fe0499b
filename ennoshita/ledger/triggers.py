"""The rules of the book that the database enforces, whatever code writes to it.

- An entry is inserted as a draft.
- A draft becomes posted only if it has lines, its debits equal its credits, its accounts are
  active (a reversal may name an account deactivated since), its month is not locked (月次締め)
  and its date lies in an open fiscal year of its company.
- A posted entry never changes and is never deleted; nor are its lines (訂正は反対仕訳で).

The service checks the same things first and explains them in Japanese; these triggers are the
guarantee behind it (a bug, a shell session or another program cannot bypass them). SQLite drops
a table's triggers when a migration rebuilds the table, so ``ensure_triggers`` runs after every
``migrate`` (apps.py) and creates any that are missing.
"""

from __future__ import annotations

from django.db import connections

_POSTING_CHECKS_SQLITE = """
  SELECT RAISE(ABORT, 'ledger: debits and credits differ, or the entry has no lines')
   WHERE NOT EXISTS (SELECT 1 FROM ledger_journalline WHERE entry_id = NEW.id)
      OR (SELECT SUM(debit) - SUM(credit) FROM ledger_journalline WHERE entry_id = NEW.id) <> 0;
  SELECT RAISE(ABORT, 'ledger: an account of the entry is not active')
   WHERE NEW.kind <> 'reversal'
     AND EXISTS (SELECT 1 FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id
                  WHERE l.entry_id = NEW.id AND NOT a.is_active);
  SELECT RAISE(ABORT, 'ledger: the month is locked')
   WHERE EXISTS (SELECT 1 FROM ledger_periodlock WHERE company_id = NEW.company_id
                   AND month = date(NEW.date, 'start of month') AND locked);
  SELECT RAISE(ABORT, 'ledger: the date is not in an open fiscal year of the company')
   WHERE NOT EXISTS (SELECT 1 FROM ledger_fiscalyear WHERE id = NEW.fiscal_year_id
                       AND company_id = NEW.company_id AND status = 'open'
                       AND NEW.date BETWEEN start AND "end");
"""

SQLITE_UP = [
    """CREATE TRIGGER IF NOT EXISTS ledger_entry_insert_draft BEFORE INSERT ON ledger_journalentry
       WHEN NEW.status <> 'draft'
       BEGIN SELECT RAISE(ABORT, 'ledger: an entry is inserted as a draft'); END;""",
    """CREATE TRIGGER IF NOT EXISTS ledger_entry_posted_final BEFORE UPDATE ON ledger_journalentry
       WHEN OLD.status = 'posted'
       BEGIN SELECT RAISE(ABORT, 'ledger: a posted entry is final'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS ledger_entry_post_checks BEFORE UPDATE ON ledger_journalentry
       WHEN OLD.status = 'draft' AND NEW.status = 'posted'
       BEGIN {_POSTING_CHECKS_SQLITE} END;""",
    """CREATE TRIGGER IF NOT EXISTS ledger_entry_posted_no_delete BEFORE DELETE ON ledger_journalentry
       WHEN OLD.status = 'posted'
       BEGIN SELECT RAISE(ABORT, 'ledger: a posted entry is final'); END;""",
    """CREATE TRIGGER IF NOT EXISTS ledger_line_no_insert_posted BEFORE INSERT ON ledger_journalline
       WHEN (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'ledger: the lines of a posted entry are final'); END;""",
    """CREATE TRIGGER IF NOT EXISTS ledger_line_no_update_posted BEFORE UPDATE ON ledger_journalline
       WHEN (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) = 'posted'
         OR (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'ledger: the lines of a posted entry are final'); END;""",
    """CREATE TRIGGER IF NOT EXISTS ledger_line_no_delete_posted BEFORE DELETE ON ledger_journalline
       WHEN (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'ledger: the lines of a posted entry are final'); END;""",
]
SQLITE_NAMES = [
    "ledger_entry_insert_draft",
    "ledger_entry_posted_final",
    "ledger_entry_post_checks",
    "ledger_entry_posted_no_delete",
    "ledger_line_no_insert_posted",
    "ledger_line_no_update_posted",
    "ledger_line_no_delete_posted",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_NAMES]

PG_UP = [
    """CREATE OR REPLACE FUNCTION ledger_entry_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN RAISE EXCEPTION 'ledger: an entry is inserted as a draft'; END IF;
        RETURN NEW;
      END IF;
      IF OLD.status = 'posted' THEN RAISE EXCEPTION 'ledger: a posted entry is final'; END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      IF NEW.status = 'posted' THEN
        IF NOT EXISTS (SELECT 1 FROM ledger_journalline WHERE entry_id = NEW.id)
           OR (SELECT SUM(debit) - SUM(credit) FROM ledger_journalline WHERE entry_id = NEW.id) <> 0 THEN
          RAISE EXCEPTION 'ledger: debits and credits differ, or the entry has no lines';
        END IF;
        IF NEW.kind <> 'reversal' AND EXISTS (
             SELECT 1 FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id
              WHERE l.entry_id = NEW.id AND NOT a.is_active) THEN
          RAISE EXCEPTION 'ledger: an account of the entry is not active';
        END IF;
        IF EXISTS (SELECT 1 FROM ledger_periodlock WHERE company_id = NEW.company_id
                     AND month = date_trunc('month', NEW.date)::date AND locked) THEN
          RAISE EXCEPTION 'ledger: the month is locked';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM ledger_fiscalyear WHERE id = NEW.fiscal_year_id
                         AND company_id = NEW.company_id AND status = 'open'
                         AND NEW.date BETWEEN start AND "end") THEN
          RAISE EXCEPTION 'ledger: the date is not in an open fiscal year of the company';
        END IF;
      END IF;
      RETURN NEW;
    END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION ledger_line_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE')
         AND EXISTS (SELECT 1 FROM ledger_journalentry WHERE id = OLD.entry_id AND status = 'posted') THEN
        RAISE EXCEPTION 'ledger: the lines of a posted entry are final';
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE')
         AND EXISTS (SELECT 1 FROM ledger_journalentry WHERE id = NEW.entry_id AND status = 'posted') THEN
        RAISE EXCEPTION 'ledger: the lines of a posted entry are final';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER IF EXISTS ledger_entry_guard ON ledger_journalentry;",
    """CREATE TRIGGER ledger_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_journalentry
       FOR EACH ROW EXECUTE FUNCTION ledger_entry_guard();""",
    "DROP TRIGGER IF EXISTS ledger_line_guard ON ledger_journalline;",
    """CREATE TRIGGER ledger_line_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_journalline
       FOR EACH ROW EXECUTE FUNCTION ledger_line_guard();""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS ledger_entry_guard ON ledger_journalentry;",
    "DROP TRIGGER IF EXISTS ledger_line_guard ON ledger_journalline;",
    "DROP FUNCTION IF EXISTS ledger_entry_guard();",
    "DROP FUNCTION IF EXISTS ledger_line_guard();",
]


def install(cursor, vendor: str) -> None:
    for sql in PG_UP if vendor == "postgresql" else SQLITE_UP:
        cursor.execute(sql)


def remove(cursor, vendor: str) -> None:
    for sql in PG_DOWN if vendor == "postgresql" else SQLITE_DOWN:
        cursor.execute(sql)


def reinstall(cursor, vendor: str) -> None:
    """Replace the triggers by the current definitions (a migration that changes them)."""
    if vendor != "postgresql":
        for sql in SQLITE_DOWN:
            cursor.execute(sql)
    install(cursor, vendor)


def ensure_triggers(using: str = "default") -> None:
    """Create the SQLite triggers that are missing (PostgreSQL keeps its triggers on table changes)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'ledger_journalentry'")
        if cursor.fetchone() is None:
            return
        install(cursor, "sqlite")
