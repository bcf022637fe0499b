"""Fill 更新拒絶の通知期限 for the contracts written before the column existed (the same rule the
services apply: legal.rules.terms.notice_deadline of the current end, auto-renewing contracts with
a notice period only)."""

from django.db import migrations


def fill(apps, schema_editor):
    from ennoshita.legal.rules.terms import notice_deadline

    Contract = apps.get_model("legal", "Contract")
    rows = Contract.objects.filter(auto_renew=True, notice_period__isnull=False, current_end_on__isnull=False)
    for contract in rows.iterator(chunk_size=2000):
        contract.notice_deadline_on = notice_deadline(
            end_on=contract.current_end_on, period=contract.notice_period, unit=contract.notice_unit
        )
        contract.save(update_fields=["notice_deadline_on"])


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_contract_notice_deadline")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
