"""The name key of every Vendor (name_key = core.text.name_key(name)), for the 間接経費 top payees."""

import unicodedata

from django.db import migrations, models


def _key(text):
    # core.text.name_key as of this migration: NFKC, spaces removed, case-folded
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def fill_keys(apps, schema_editor):
    model = apps.get_model("purchasing", "Vendor")
    rows = list(model.objects.only("pk", "name").iterator(chunk_size=2000))
    for row in rows:
        row.name_key = _key(row.name)
    model.objects.bulk_update(rows, ["name_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("purchasing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="vendor",
            name="name_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
