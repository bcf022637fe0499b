"""Issued invoices and credit notes, and their lines, are final in the database too (sales/triggers.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ennoshita.sales.triggers import install

    with schema_editor.connection.cursor() as cursor:
        install(cursor, schema_editor.connection.vendor)


def backwards(apps, schema_editor):
    from ennoshita.sales.triggers import remove

    with schema_editor.connection.cursor() as cursor:
        remove(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
