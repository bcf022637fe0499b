"""Screens (namespace "attendance")."""

from django.urls import URLPattern, path

from . import views

app_name = "attendance"

urlpatterns: list[URLPattern] = [
    path("", views.punch_page, name="punch"),
    path("punch/", views.record_punch, name="record_punch"),
    path("settings/", views.attendance_settings, name="settings"),
    path("timesheet/", views.timesheet_page, name="timesheet"),
    path("timesheets/", views.timesheet_index, name="timesheet_index"),
    path("team/", views.team_day_page, name="team_day"),
    path("import/", views.punch_import, name="punch_import"),
    path("timesheet/<int:employee_id>/", views.timesheet_page, name="employee_timesheet"),
    path("rules/", views.rules_simulator, name="rules_simulator"),
]
