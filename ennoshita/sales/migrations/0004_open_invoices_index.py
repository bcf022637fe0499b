"""Open invoices are found by a range on open_amount (a plain index: SQLite cannot use a partial
index for a condition that arrives as a bound parameter), and only an issued invoice may have
anything open. The SQLite triggers are lifted around the change: SQLite rebuilds the invoice table
to add the constraint, and a trigger of the line table that names it would stop the rename."""

from django.db import migrations, models


def lift_triggers(apps, schema_editor):
    from ennoshita.sales.triggers import remove

    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            remove(cursor, "sqlite")


def restore_triggers(apps, schema_editor):
    from ennoshita.sales.triggers import install

    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            install(cursor, "sqlite")


class Migration(migrations.Migration):
    dependencies = [("sales", "0003_reminders")]

    operations = [
        migrations.RunPython(lift_triggers, restore_triggers, elidable=False),
        migrations.RemoveIndex(model_name="invoice", name="sales_invoice_open_idx"),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["company", "open_amount", "customer", "due_date"], name="sales_invoice_open_idx"),
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(("open_amount", 0), models.Q(("kind", "invoice"), ("status", "issued")), _connector="OR"),
                name="sales_invoice_open_only_when_issued",
            ),
        ),
        migrations.RunPython(restore_triggers, lift_triggers, elidable=False),
    ]
