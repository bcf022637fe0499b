"""Screens of 勤怠 — agreements (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
