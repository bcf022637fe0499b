"""Screens of 給与 — confirm (included by urls.py, namespace "payroll")."""

from django.urls import URLPattern, path

from . import views_confirm as v

urlpatterns: list[URLPattern] = [
    path("runs/<int:pk>/confirm/", v.run_confirm, name="run_confirm"),
    path("runs/<int:pk>/transfer/", v.run_transfer, name="run_transfer"),
    path("runs/<int:pk>/transfer/file/", v.run_transfer_file, name="run_transfer_file"),
    path("withheld-taxes/", v.withheld_taxes, name="withheld_taxes"),
]
