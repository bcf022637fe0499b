"""The posting trigger also refuses an entry with a deactivated account (ledger/triggers.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ennoshita.ledger.triggers import reinstall

    with schema_editor.connection.cursor() as cursor:
        reinstall(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_book_triggers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
