"""Invoice word search index, customers' stored kana key, deals' closed_on.

- The n-gram index of the numbers and subjects of invoices, quotes and orders (sales/search_index.py:
  FTS5 tables and triggers on SQLite, a GIN expression index on PostgreSQL), filled here.
- ``Customer.kana_key`` (indexed with the company), filled from the フリガナ (or the name) by the
  bank matcher's folding, ``services.customers.kana_key`` (``selectors.bank.payer_key``).
- ``Opportunity.closed_on``, filled for won and lost deals from the last audit event that changed
  their stage (the day of their last update when there is none).

Only new columns are added to sales_customer and sales_opportunity, whose rebuild on SQLite no
trigger names; the invoice triggers (sales/triggers.py) need no lifting here.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def install_search_index(apps, schema_editor):
    from ennoshita.sales.search_index import install

    install(schema_editor)


def remove_search_index(apps, schema_editor):
    from ennoshita.sales.search_index import remove

    remove(schema_editor)


def fill_kana_keys(apps, schema_editor):
    from ennoshita.sales.services.customers import kana_key

    Customer = apps.get_model("sales", "Customer")
    rows = []
    for customer in Customer.objects.only("pk", "name", "name_kana").iterator(chunk_size=BATCH):
        customer.kana_key = kana_key(customer.name_kana or customer.name)[:200]
        rows.append(customer)
        if len(rows) >= BATCH:
            Customer.objects.bulk_update(rows, ["kana_key"])
            rows = []
    Customer.objects.bulk_update(rows, ["kana_key"])


def _stage_change(event):
    """The stage an audit event moved the deal to; None for an event that left the stage alone."""
    change = ((event.changes or {}).get("fields") or {}).get("stage")
    return change[1] if isinstance(change, list) and len(change) == 2 else None


def fill_closed_on(apps, schema_editor):
    """The day of the last stage change, when that change is the move into the deal's current
    stage; otherwise (a row changed outside the services) the day of its last update."""
    Opportunity = apps.get_model("sales", "Opportunity")
    AuditEvent = apps.get_model("core", "AuditEvent")
    tz = ZoneInfo(settings.TIME_ZONE)
    closed = Opportunity.objects.filter(stage__in=["won", "lost"], closed_on__isnull=True)
    for deal in closed.only("pk", "company_id", "stage", "updated_at").iterator(chunk_size=BATCH):
        events = AuditEvent.objects.filter(
            company_id=deal.company_id, object_type="sales.opportunity", object_id=str(deal.pk)
        ).order_by("-seq")
        moved = deal.updated_at
        for event in events.only("occurred_at", "changes").iterator():
            stage = _stage_change(event)
            if stage is not None:
                moved = event.occurred_at if stage == deal.stage else deal.updated_at
                break
        Opportunity.objects.filter(pk=deal.pk).update(closed_on=moved.astimezone(tz).date())


class Migration(migrations.Migration):
    dependencies = [("sales", "0005_invoice_number_index")]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="kana_key",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["company", "kana_key"], name="sales_customer_kana_key_idx"),
        ),
        migrations.AddField(
            model_name="opportunity",
            name="closed_on",
            field=models.DateField(blank=True, null=True, verbose_name="完了日"),
        ),
        migrations.RunPython(fill_kana_keys, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(fill_closed_on, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(install_search_index, remove_search_index, elidable=False),
    ]
