"""Screens of 給与 — runs (included by urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
