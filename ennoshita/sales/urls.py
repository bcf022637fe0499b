"""The sales screens: customers and products, the documents from quote to invoice, payments and
receivables, the bank statement import."""

from . import bank_urls, customer_urls, document_urls, settings_urls

app_name = "sales"

urlpatterns = [
    *customer_urls.urlpatterns,
    *document_urls.urlpatterns,
    *bank_urls.urlpatterns,
    *settings_urls.urlpatterns,
]
