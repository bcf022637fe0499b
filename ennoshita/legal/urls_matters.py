"""Screens of the 法律相談・紛争 part of 法務 (included by legal/urls.py, namespace "legal")."""

from django.urls import URLPattern, path

from . import views_matters as views

urlpatterns: list[URLPattern] = [
    path("matters/", views.matter_list, name="matter_list"),
    path("matters/mine/", views.matter_mine, name="matter_mine"),
    path("matters/new/", views.matter_new, name="matter_new"),
    path("matters/disputes/new/", views.matter_dispute_new, name="matter_dispute_new"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/edit/", views.matter_edit, name="matter_edit"),
    path("matters/<int:pk>/answer/", views.matter_answer, name="matter_answer"),
    path("matters/<int:pk>/notes/", views.matter_note, name="matter_note"),
    path("matters/<int:pk>/status/", views.matter_status, name="matter_status"),
    path("matters/<int:pk>/handler/", views.matter_handler, name="matter_handler"),
    path("matters/<int:pk>/members/", views.matter_member_add, name="matter_member_add"),
    path("matters/<int:pk>/members/remove/", views.matter_member_remove, name="matter_member_remove"),
    path("matters/<int:pk>/deadlines/", views.matter_deadline_new, name="matter_deadline_new"),
    path(
        "matters/<int:pk>/deadlines/<int:deadline_id>/done/",
        views.matter_deadline_done,
        name="matter_deadline_done",
    ),
    path("matters/<int:pk>/costs/", views.matter_cost_new, name="matter_cost_new"),
    path("matters/<int:pk>/files/", views.matter_file_new, name="matter_file_new"),
    path("matters/<int:pk>/files/<int:version_id>/", views.matter_file, name="matter_file"),
]
