"""Screens of 給与 — labour_insurance (included by urls.py, namespace "payroll")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
