"""Screens of the bank statement import and matching (入金明細の取込と消込)."""

from django.urls import path

from . import bank_views as views

urlpatterns = [
    path("bank/import/", views.bank_import, name="bank_import"),
    path("bank/lines/", views.bank_lines, name="bank_lines"),
    path("bank/lines/<int:pk>/", views.bank_line_detail, name="bank_line_detail"),
    path("bank/lines/<int:pk>/dismiss/", views.bank_line_dismiss, name="bank_line_dismiss"),
]
