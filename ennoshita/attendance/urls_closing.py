"""Screens of 勤怠 — closing (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
