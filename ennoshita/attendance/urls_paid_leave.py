"""Screens of 勤怠 — paid_leave (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
