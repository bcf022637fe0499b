# Data: the 健康保険組合 rates kept on the settings row become the union's first dated version,
# in force from the start (UNION_RATES_FROM_THE_START), so that every month computes as before.
from datetime import date

from django.db import migrations

FROM_THE_START = date(2000, 1, 1)


def forwards(apps, schema_editor):
    settings_model = apps.get_model("payroll", "PayrollSettings")
    version_model = apps.get_model("payroll", "UnionRateVersion")
    for row in settings_model.objects.filter(health_insurer="union"):
        if version_model.objects.filter(company_id=row.company_id).exists():
            continue
        if not (0 < row.union_health_employee_rate <= row.union_health_rate) or not (
            0 < row.union_care_employee_rate <= row.union_care_rate
        ):
            continue  # never saved valid: the settings screen asks for them again
        version_model.objects.create(
            company_id=row.company_id,
            effective_from=FROM_THE_START,
            name=row.union_name,
            health_rate=row.union_health_rate,
            health_employee_rate=row.union_health_employee_rate,
            care_rate=row.union_care_rate,
            care_employee_rate=row.union_care_employee_rate,
        )


def backwards(apps, schema_editor):
    apps.get_model("payroll", "UnionRateVersion").objects.filter(effective_from=FROM_THE_START).delete()


class Migration(migrations.Migration):
    dependencies = [("payroll", "0007_union_rate_versions")]

    operations = [migrations.RunPython(forwards, backwards)]
