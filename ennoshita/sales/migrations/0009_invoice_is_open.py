"""Invoice.is_open (open_amount > 0, computed by the database) and the unpaid list's index.

SQLite adds a stored generated column by rebuilding the table; the triggers on the invoice lines
name the invoice table and would stop the rebuild's rename, so they are lifted first (SQLite only)
and put back by the post_migrate repair (sales/apps.py), as after every rebuild."""

from django.conf import settings
from django.db import migrations, models


def lift_line_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from ennoshita.sales import triggers

    with schema_editor.connection.cursor() as cursor:
        triggers.remove(cursor, "sqlite")


def put_back(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from ennoshita.sales import triggers

    with schema_editor.connection.cursor() as cursor:
        triggers.install(cursor, "sqlite")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_company_address_job_kind"),
        ("sales", "0008_fee_treatment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(lift_line_triggers, put_back),
        migrations.AddField(
            model_name="invoice",
            name="is_open",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.ExpressionWrapper(
                    models.Q(("open_amount__gt", 0)), output_field=models.BooleanField()
                ),
                output_field=models.BooleanField(),
                verbose_name="未回収あり",
            ),
        ),
        migrations.RunPython(put_back, lift_line_triggers),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(
                fields=["company", "is_open", "date", "id"], name="sales_invoice_unpaid_list_idx"
            ),
        ),
    ]
