"""Screens of the contracts part of 法務 (included by legal/urls.py, namespace "legal")."""

from django.urls import URLPattern, path

from . import views_contracts as views

urlpatterns: list[URLPattern] = [
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/upcoming/", views.contract_upcoming, name="contract_upcoming"),
    path("contracts/calendar/", views.contract_calendar, name="contract_calendar"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/status/", views.contract_status, name="contract_status"),
    path("contracts/<int:pk>/files/", views.contract_file_new, name="contract_file_new"),
    path("contracts/<int:pk>/files/<int:version_id>/", views.contract_file, name="contract_file"),
]
