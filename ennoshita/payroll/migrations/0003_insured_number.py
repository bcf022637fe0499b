# PayProfile.insured_number: 健康保険・厚生年金の被保険者整理番号 (算定基礎届・月額変更届の①欄).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0002_bonus_severance_labour_insurance"),
    ]

    operations = [
        migrations.AddField(
            model_name="payprofile",
            name="insured_number",
            field=models.CharField(
                blank=True, max_length=10, verbose_name="健康保険・厚生年金の被保険者整理番号"
            ),
        ),
    ]
