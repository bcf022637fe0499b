"""Screens of 勤怠 — leave (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern, path

from . import views_leave

urlpatterns: list[URLPattern] = [
    path("leave-requests/", views_leave.leave_list, name="leave_list"),
    path("leave-requests/new/", views_leave.leave_new, name="leave_new"),
    path("leave-requests/all/", views_leave.leave_all, name="leave_all"),
    path("leave-requests/plan/", views_leave.leave_plan, name="leave_plan"),
    path("leave-requests/<int:pk>/", views_leave.leave_detail, name="leave_detail"),
    path("leave-requests/<int:pk>/cancel/", views_leave.leave_cancel, name="leave_cancel"),
    path("leave-requests/<int:pk>/resubmit/", views_leave.leave_resubmit, name="leave_resubmit"),
    path("leave-types/", views_leave.leave_types, name="leave_types"),
    path("leave-types/<int:pk>/", views_leave.leave_type_edit, name="leave_type_edit"),
    path("leave-types/<int:pk>/delete/", views_leave.leave_type_delete, name="leave_type_delete"),
]
