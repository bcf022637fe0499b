"""The sales screens: customers and products, the pipeline, the documents from quote to invoice,
payments and receivables, reminders, the bank statement import, settings."""

from . import (
    bank_urls,
    customer_urls,
    document_urls,
    opportunity_urls,
    reminder_urls,
    settings_urls,
)

app_name = "sales"

urlpatterns = [
    *customer_urls.urlpatterns,
    *opportunity_urls.urlpatterns,
    *document_urls.urlpatterns,
    *reminder_urls.urlpatterns,
    *bank_urls.urlpatterns,
    *settings_urls.urlpatterns,
]
