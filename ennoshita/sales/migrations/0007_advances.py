"""前受金 applied to later invoices (充当), and refunds (返金)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0006_search_and_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AdvanceApplication",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date", models.DateField(verbose_name="充当日")),
                ("amount", models.DecimalField(decimal_places=0, max_digits=15, verbose_name="充当額")),
                ("journal_entry_id", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="仕訳")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "company",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="core.company", verbose_name="会社"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "invoice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="advance_applications",
                        to="sales.invoice",
                        verbose_name="請求書",
                    ),
                ),
                (
                    "payment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="advance_applications",
                        to="sales.payment",
                        verbose_name="入金",
                    ),
                ),
            ],
            options={
                "verbose_name": "前受金の充当",
                "verbose_name_plural": "前受金の充当",
                "ordering": ["date", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="sales_advance_application_amount_positive"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Refund",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("date", models.DateField(verbose_name="返金日")),
                ("amount", models.DecimalField(decimal_places=0, max_digits=15, verbose_name="返金額")),
                ("memo", models.CharField(blank=True, max_length=200, verbose_name="メモ")),
                ("journal_entry_id", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="仕訳")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登録日時")),
                (
                    "company",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="core.company", verbose_name="会社"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "payment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refunds",
                        to="sales.payment",
                        verbose_name="入金",
                    ),
                ),
            ],
            options={
                "verbose_name": "返金",
                "verbose_name_plural": "返金",
                "ordering": ["date", "pk"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="sales_refund_amount_positive")
                ],
            },
        ),
    ]
