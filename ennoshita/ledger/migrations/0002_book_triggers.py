"""The database enforces the book's rules (ledger/triggers.py): drafts only on insert, balanced
and open-period postings, posted entries and their lines final."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ennoshita.ledger.triggers import install

    with schema_editor.connection.cursor() as cursor:
        install(cursor, schema_editor.connection.vendor)


def backwards(apps, schema_editor):
    from ennoshita.ledger.triggers import remove

    with schema_editor.connection.cursor() as cursor:
        remove(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
