# The health part's own schema changes after 0001 (empty until the part needs one).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("affairs", "0003_consumables_more")]

    operations: list = [
        migrations.AddField(
            model_name="checkup",
            name="doctor_instructed",
            field=models.BooleanField(blank=True, null=True, verbose_name="医師の指示あり"),
        ),
        migrations.AddField(
            model_name="checkup",
            name="note",
            field=models.CharField(blank=True, max_length=200, verbose_name="備考"),
        ),
    ]
