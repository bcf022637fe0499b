"""Fewer indexes written by every posting: company and entry alone lead other indexes; the
sub-account, department, tax code and tax-line references are indexed only where set (partial
indexes, still used by the deletion checks); users and accounts are deactivated and fiscal years
closed, never deleted, and the lookups by account or fiscal year go through the company's indexes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# (index, table, column): the indexes Django made for these foreign keys
DROPPED = [
    ("ledger_journalentry_fiscal_year_id_d1504ada", "ledger_journalentry", "fiscal_year_id"),
    ("ledger_journalline_account_id_2b31745b", "ledger_journalline", "account_id"),
    ("ledger_journalentry_company_id_c3d68b22", "ledger_journalentry", "company_id"),
    ("ledger_journalentry_created_by_id_90be368c", "ledger_journalentry", "created_by_id"),
    ("ledger_journalentry_posted_by_id_7f54f54f", "ledger_journalentry", "posted_by_id"),
    ("ledger_journalline_company_id_519c90f8", "ledger_journalline", "company_id"),
    ("ledger_journalline_department_id_b8b01623", "ledger_journalline", "department_id"),
    ("ledger_journalline_entry_id_9e70d486", "ledger_journalline", "entry_id"),
    ("ledger_journalline_sub_account_id_c4f22ff3", "ledger_journalline", "sub_account_id"),
    ("ledger_journalline_tax_code_id_e146c2d3", "ledger_journalline", "tax_code_id"),
    ("ledger_journalline_tax_for_id_8bc244ed", "ledger_journalline", "tax_for_id"),
]


def _drop_index(name: str, table: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"', reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_fewer_posting_indexes"),
        ("ledger", "0004_line_date_index"),
        ("people", "0002_department_head"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Only the index goes: Django would rebuild the table on SQLite and re-check the foreign
        # key on PostgreSQL for a change of db_index, on tables of a million rows.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="journalentry",
                    name="fiscal_year",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="ledger.fiscalyear",
                        verbose_name="会計年度",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="ledger.account",
                        verbose_name="勘定科目",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalentry",
                    name="company",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.company",
                        verbose_name="会社",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalentry",
                    name="created_by",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="作成者",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalentry",
                    name="posted_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="記帳者",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="company",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.company",
                        verbose_name="会社",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.department",
                        verbose_name="部門",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="entry",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="ledger.journalentry",
                        verbose_name="仕訳",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="sub_account",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="ledger.subaccount",
                        verbose_name="補助科目",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="tax_code",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="ledger.taxcode",
                        verbose_name="税区分",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="tax_for",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tax_lines",
                        to="ledger.journalline",
                        verbose_name="税額の元の行",
                    ),
                ),
            ],
            database_operations=[_drop_index(*index) for index in DROPPED],
        ),
        migrations.AddIndex(
            model_name="journalline",
            index=models.Index(
                condition=models.Q(("sub_account__isnull", False)),
                fields=["sub_account"],
                name="ledger_line_sub_account_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="journalline",
            index=models.Index(
                condition=models.Q(("department__isnull", False)),
                fields=["department"],
                name="ledger_line_department_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="journalline",
            index=models.Index(
                condition=models.Q(("tax_code__isnull", False)),
                fields=["tax_code"],
                name="ledger_line_tax_code_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="journalline",
            index=models.Index(
                condition=models.Q(("tax_for__isnull", False)),
                fields=["tax_for"],
                name="ledger_line_tax_for_idx",
            ),
        ),
    ]
