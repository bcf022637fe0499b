"""Screens of 給与 — 定時決定・随時改定 (included by urls.py, namespace "payroll")."""

from django.urls import URLPattern, path

from . import views_revisions

urlpatterns: list[URLPattern] = [
    path("revisions/", views_revisions.revision_list, name="revision_list"),
    path("revisions/record/", views_revisions.revision_record, name="revision_record"),
    path("revisions/filing/", views_revisions.revision_filing, name="revision_filing"),
]
