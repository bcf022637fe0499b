"""Screens of 勤怠 — 36協定 (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern, path

from . import views_agreements as views

urlpatterns: list[URLPattern] = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/delete/", views.agreement_delete, name="agreement_delete"),
    path("agreements/status/", views.overtime_dashboard, name="overtime_dashboard"),
    path("my-overtime/", views.my_overtime, name="my_overtime"),
]
