"""The ledger's screens: entries and accounts, reports, import and export."""

from . import entry_urls, io_urls, report_urls

app_name = "ledger"

urlpatterns = [*entry_urls.urlpatterns, *report_urls.urlpatterns, *io_urls.urlpatterns]
