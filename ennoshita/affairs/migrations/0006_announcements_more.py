# The announcements part's own schema changes after 0001 (empty until the part needs one).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("affairs", "0005_rules_more")]

    operations: list = []
