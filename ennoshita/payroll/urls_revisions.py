"""Screens of 給与 — 定時決定・随時改定 (included by urls.py, namespace "payroll")."""

from django.urls import URLPattern, path

from . import views_revisions

urlpatterns: list[URLPattern] = [path("revisions/", views_revisions.revision_list, name="revision_list")]
