"""Screens of the rules part of 総務 (included by affairs/urls.py, namespace "affairs")."""

from django.urls import URLPattern, path

from . import views_rules as views

urlpatterns: list[URLPattern] = [
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("rules/library/", views.rule_library, name="rule_library"),
    path("rules/pending/", views.rule_pending, name="rule_pending"),
    path("rules/not-yet/", views.rule_unacknowledged, name="rule_unacknowledged"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/active/", views.rule_set_active, name="rule_set_active"),
    path("rules/<int:pk>/versions/new/", views.rule_version_new, name="rule_version_new"),
    path("rules/versions/<int:pk>/", views.rule_version_detail, name="rule_version_detail"),
    path("rules/versions/<int:pk>/publish/", views.rule_version_publish, name="rule_version_publish"),
    path("rules/versions/<int:pk>/audience/", views.rule_version_audience, name="rule_version_audience"),
    path("rules/versions/<int:pk>/not-yet/", views.rule_not_yet, name="rule_not_yet"),
    path("rules/versions/<int:pk>/remind/", views.rule_remind, name="rule_remind"),
    path("rules/versions/<int:pk>/file/", views.rule_version_file, name="rule_version_file"),
    path("rules/versions/<int:pk>/read/", views.rule_version_read, name="rule_version_read"),
    path("rules/versions/<int:pk>/acknowledge/", views.rule_acknowledge, name="rule_acknowledge"),
]
