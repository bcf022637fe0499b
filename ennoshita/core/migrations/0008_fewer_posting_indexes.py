"""Fewer indexes on the audit trail, which every change of every app writes: none of company alone
(the unique (company, seq) begins with it) and none of actor (users are deactivated, never deleted)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# (index, table, column): the indexes Django made for these foreign keys
DROPPED = [
    ("core_auditevent_actor_id_3bd0c673", "core_auditevent", "actor_id"),
    ("core_auditevent_company_id_7b183f43", "core_auditevent", "company_id"),
]


def _drop_index(name: str, table: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"', reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_company_closed_day"),
    ]

    operations = [
        # Only the index goes: Django would rebuild the table on SQLite and re-check the foreign
        # key on PostgreSQL for a change of db_index, on tables of a million rows.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="company",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.company",
                    ),
                ),
            ],
            database_operations=[_drop_index(*index) for index in DROPPED],
        ),
    ]
