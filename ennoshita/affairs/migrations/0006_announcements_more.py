# The announcements part's own schema changes after 0001 (empty until the part needs one).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("affairs", "0005_rules_more")]

    operations: list = [
        migrations.AddField(
            model_name="announcement",
            name="notified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="通知日時"),
        ),
    ]
