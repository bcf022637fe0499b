# The visits part's own schema changes after 0001 (empty until the part needs one).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("frontdesk", "0002_rooms_more")]

    operations: list = []
