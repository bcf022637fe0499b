"""Screens (namespace "payroll"): one URL module per part."""

from django.urls import URLPattern, URLResolver, path

from . import urls_confirm, urls_payslips, urls_runs, urls_settings, views

app_name = "payroll"

urlpatterns: list[URLPattern | URLResolver] = [
    path("rules/", views.rules_simulator, name="rules_simulator"),
    *urls_settings.urlpatterns,
    *urls_runs.urlpatterns,
    *urls_confirm.urlpatterns,
    *urls_payslips.urlpatterns,
]
