"""The ledger's import and export screens."""

from django.urls import URLPattern, path

from . import io_views

urlpatterns: list[URLPattern] = [
    path("import/", io_views.journal_import, name="import"),
    path("export/", io_views.journal_export, name="export"),
]
