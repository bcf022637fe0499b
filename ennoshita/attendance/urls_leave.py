"""Screens of 勤怠 — leave (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
