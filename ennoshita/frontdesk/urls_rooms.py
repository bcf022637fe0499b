"""Screens of the rooms part of 受付 (included by frontdesk/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
