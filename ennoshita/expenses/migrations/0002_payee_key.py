"""The name key of every ExpenseLine (payee_key = core.text.name_key(payee)), for the 間接経費 top payees."""

import unicodedata

from django.db import migrations, models


def _key(text):
    # core.text.name_key as of this migration: NFKC, spaces removed, case-folded
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def fill_keys(apps, schema_editor):
    model = apps.get_model("expenses", "ExpenseLine")
    rows = list(model.objects.only("pk", "payee").iterator(chunk_size=2000))
    for row in rows:
        row.payee_key = _key(row.payee)
    model.objects.bulk_update(rows, ["payee_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("expenses", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="expenseline",
            name="payee_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
