"""Screens of 給与 — settings (included by urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
