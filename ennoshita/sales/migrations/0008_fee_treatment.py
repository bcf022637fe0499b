from django.db import migrations, models

CHOICES = [
    ("discount", "売上値引として処理する(1万円未満は返還インボイス不要)"),
    ("expense", "支払手数料として処理する"),
]


class Migration(migrations.Migration):
    """Companies that already exist keep booking deducted fees as 支払手数料 (what they did so
    far); new companies start with 売上値引."""

    dependencies = [
        ("sales", "0007_advances"),
    ]

    operations = [
        migrations.AddField(
            model_name="salessettings",
            name="fee_treatment",
            field=models.CharField(
                choices=CHOICES, default="expense", max_length=10, verbose_name="先方が差し引いた振込手数料の扱い"
            ),
        ),
        migrations.AlterField(
            model_name="salessettings",
            name="fee_treatment",
            field=models.CharField(
                choices=CHOICES, default="discount", max_length=10, verbose_name="先方が差し引いた振込手数料の扱い"
            ),
        ),
    ]
