"""Screens (namespace "costs"). None takes an object id: filters travel in the query string."""

from django.urls import URLPattern, path

from . import views

app_name = "costs"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("drilldown/", views.drilldown, name="drilldown"),
    path("settings/", views.cost_settings, name="settings"),
]
