"""Screens (namespace "purchasing")."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "purchasing"

urlpatterns: list[URLPattern] = []
