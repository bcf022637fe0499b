"""Screens (namespace "payroll")."""

from django.urls import URLPattern, path

from . import views

app_name = "payroll"

urlpatterns: list[URLPattern] = [
    path("rules/", views.rules_simulator, name="rules_simulator"),
]
