"""The report screens (namespace "ledger"); no route takes an id."""

from django.urls import URLPattern, path

from . import report_views

urlpatterns: list[URLPattern] = [
    path("reports/journal/", report_views.journal, name="journal"),
    path("reports/general-ledger/", report_views.general_ledger, name="general_ledger"),
    path("reports/trial-balance/", report_views.trial_balance, name="trial_balance"),
    path("reports/balance-sheet/", report_views.balance_sheet, name="balance_sheet"),
    path("reports/profit-and-loss/", report_views.profit_and_loss, name="profit_and_loss"),
    path("reports/monthly-trend/", report_views.monthly_trend, name="monthly_trend"),
    path("reports/tax-summary/", report_views.tax_summary, name="tax_summary"),
]
