"""What the database enforces about issued invoices and credit notes, whatever code writes:

- an issued invoice (or credit note) keeps every field that was printed on it; only the record
  of sending it (``sent_at``, ``sent_to``, ``pdf_document_id``, ``updated_at``) may still change;
- it is never deleted, and its lines are never added to, changed or deleted.

The services refuse the same with a message in Japanese; these triggers are the guarantee behind
them (適格請求書: a correction is a 返還請求書 or a new invoice, never an edit). SQLite drops a
table's triggers when a migration rebuilds it, so ``ensure_triggers`` runs after every migrate.
"""

from __future__ import annotations

from django.db import connections

# the columns that may not change once issued (everything but the sending record)
FROZEN = (
    "kind",
    "status",
    "number",
    "date",
    "customer_id",
    "subject",
    "prices_include_tax",
    "tax_rounding",
    "subtotal",
    "tax_total",
    "total",
    "rate_totals",
    "notes",
    "period_start",
    "period_end",
    "due_date",
    "is_summary",
    "credit_of_id",
    "reason",
    "issuer_name",
    "issuer_registration_number",
    "customer_name",
    "issued_by_id",
    "issued_at",
    "journal_entry_id",
)
_CHANGED_SQLITE = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
_CHANGED_PG = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)
_LINE_OF_ISSUED = "(SELECT status FROM sales_invoice WHERE id = {ref}.invoice_id) = 'issued'"

SQLITE_UP = [
    f"""CREATE TRIGGER IF NOT EXISTS sales_invoice_issued_final BEFORE UPDATE ON sales_invoice
       WHEN OLD.status = 'issued' AND ({_CHANGED_SQLITE})
       BEGIN SELECT RAISE(ABORT, 'sales: an issued invoice is final'); END;""",
    """CREATE TRIGGER IF NOT EXISTS sales_invoice_issued_no_delete BEFORE DELETE ON sales_invoice
       WHEN OLD.status = 'issued'
       BEGIN SELECT RAISE(ABORT, 'sales: an issued invoice is final'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS sales_invoiceline_no_insert BEFORE INSERT ON sales_invoiceline
       WHEN {_LINE_OF_ISSUED.format(ref="NEW")}
       BEGIN SELECT RAISE(ABORT, 'sales: the lines of an issued invoice are final'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS sales_invoiceline_no_update BEFORE UPDATE ON sales_invoiceline
       WHEN {_LINE_OF_ISSUED.format(ref="OLD")} OR {_LINE_OF_ISSUED.format(ref="NEW")}
       BEGIN SELECT RAISE(ABORT, 'sales: the lines of an issued invoice are final'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS sales_invoiceline_no_delete BEFORE DELETE ON sales_invoiceline
       WHEN {_LINE_OF_ISSUED.format(ref="OLD")}
       BEGIN SELECT RAISE(ABORT, 'sales: the lines of an issued invoice are final'); END;""",
]
SQLITE_NAMES = [
    "sales_invoice_issued_final",
    "sales_invoice_issued_no_delete",
    "sales_invoiceline_no_insert",
    "sales_invoiceline_no_update",
    "sales_invoiceline_no_delete",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_NAMES]

PG_UP = [
    f"""CREATE OR REPLACE FUNCTION sales_invoice_guard() RETURNS trigger AS $$
    BEGIN
      IF OLD.status = 'issued' THEN
        IF TG_OP = 'DELETE' OR {_CHANGED_PG} THEN
          RAISE EXCEPTION 'sales: an issued invoice is final';
        END IF;
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION sales_invoiceline_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE')
         AND EXISTS (SELECT 1 FROM sales_invoice WHERE id = OLD.invoice_id AND status = 'issued') THEN
        RAISE EXCEPTION 'sales: the lines of an issued invoice are final';
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE')
         AND EXISTS (SELECT 1 FROM sales_invoice WHERE id = NEW.invoice_id AND status = 'issued') THEN
        RAISE EXCEPTION 'sales: the lines of an issued invoice are final';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER IF EXISTS sales_invoice_guard ON sales_invoice;",
    """CREATE TRIGGER sales_invoice_guard BEFORE UPDATE OR DELETE ON sales_invoice
       FOR EACH ROW EXECUTE FUNCTION sales_invoice_guard();""",
    "DROP TRIGGER IF EXISTS sales_invoiceline_guard ON sales_invoiceline;",
    """CREATE TRIGGER sales_invoiceline_guard BEFORE INSERT OR UPDATE OR DELETE ON sales_invoiceline
       FOR EACH ROW EXECUTE FUNCTION sales_invoiceline_guard();""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS sales_invoice_guard ON sales_invoice;",
    "DROP TRIGGER IF EXISTS sales_invoiceline_guard ON sales_invoiceline;",
    "DROP FUNCTION IF EXISTS sales_invoice_guard();",
    "DROP FUNCTION IF EXISTS sales_invoiceline_guard();",
]


def install(cursor, vendor: str) -> None:
    for sql in PG_UP if vendor == "postgresql" else SQLITE_UP:
        cursor.execute(sql)


def remove(cursor, vendor: str) -> None:
    for sql in PG_DOWN if vendor == "postgresql" else SQLITE_DOWN:
        cursor.execute(sql)


def ensure_triggers(using: str = "default") -> None:
    """Create the SQLite triggers that are missing (PostgreSQL keeps its triggers on table changes)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sales_invoice'")
        if cursor.fetchone() is None:
            return
        install(cursor, "sqlite")
