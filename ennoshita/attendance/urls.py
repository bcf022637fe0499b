"""Screens (namespace "attendance")."""

from django.urls import URLPattern, path

from . import views

app_name = "attendance"

urlpatterns: list[URLPattern] = [
    path("rules/", views.rules_simulator, name="rules_simulator"),
]
