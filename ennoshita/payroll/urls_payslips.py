"""Screens of 給与 — payslips (included by urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
