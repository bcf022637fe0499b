"""Screens of 給与 — confirm (included by urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
