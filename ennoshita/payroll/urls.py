"""Screens (namespace "payroll"): one URL module per part."""

from django.urls import URLPattern, URLResolver, path

from . import (
    urls_bonus,
    urls_confirm,
    urls_labour_insurance,
    urls_leaving,
    urls_payslips,
    urls_revisions,
    urls_runs,
    urls_settings,
    urls_severance,
    views,
)

app_name = "payroll"

urlpatterns: list[URLPattern | URLResolver] = [
    path("rules/", views.rules_simulator, name="rules_simulator"),
    *urls_settings.urlpatterns,
    *urls_runs.urlpatterns,
    *urls_confirm.urlpatterns,
    *urls_payslips.urlpatterns,
    *urls_revisions.urlpatterns,
    *urls_bonus.urlpatterns,
    *urls_leaving.urlpatterns,
    *urls_severance.urlpatterns,
    *urls_labour_insurance.urlpatterns,
]
