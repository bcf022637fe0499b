"""Screens of 給与 — severance (included by urls.py, namespace "payroll")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
