"""Sales settings and the monthly 合計請求書 run."""

from django.urls import path

from . import settings_views as views

urlpatterns = [
    path("settings/", views.sales_settings, name="settings"),
    path("summary-invoices/", views.summary_run, name="summary_run"),
]
