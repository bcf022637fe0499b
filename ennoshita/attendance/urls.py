"""Screens (namespace "attendance")."""

from django.urls import URLPattern, path

from . import urls_agreements, urls_closing, urls_leave, urls_paid_leave, urls_shifts, views, views_overtime

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
    path("timesheets/export/", views.timesheet_export, name="timesheet_export"),
    path("timesheet/<int:employee_id>/profile/", views.employee_profile, name="employee_profile"),
    path("overtime/", views_overtime.overtime_list, name="overtime_list"),
    path("overtime/new/", views_overtime.overtime_new, name="overtime_new"),
    path("overtime/<int:pk>/", views_overtime.overtime_detail, name="overtime_detail"),
]

# each part keeps its own screens (docs/domains/attendance.md)
for _part in (urls_agreements, urls_closing, urls_leave, urls_paid_leave, urls_shifts):
    urlpatterns += _part.urlpatterns
