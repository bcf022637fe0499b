"""Screens of the equipment part of 総務 (included by affairs/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
