"""Screens (namespace "costs")."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "costs"

urlpatterns: list[URLPattern] = []
