from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0004_correction_runs_health_unions"),
    ]

    operations = [
        migrations.AddField(
            model_name="payslip",
            name="document_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="明細PDFの文書ID"),
        ),
    ]
