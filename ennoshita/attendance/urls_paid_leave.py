"""Screens of 勤怠 — 年次有給休暇 (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern, path

from . import views_paid_leave as views

urlpatterns: list[URLPattern] = [
    path("paid-leave/", views.my_paid_leave, name="my_paid_leave"),
    path("paid-leave/employee/<int:employee_id>/", views.my_paid_leave, name="employee_paid_leave"),
    path("paid-leave/admin/", views.paid_leave_admin, name="paid_leave_admin"),
    path("paid-leave/five-days/", views.five_day_list, name="five_day_list"),
    path("paid-leave/ledger/", views.ledger_index, name="leave_ledger_index"),
    path("paid-leave/ledger/me/", views.leave_ledger, name="my_leave_ledger"),
    path("paid-leave/ledger/<int:employee_id>/", views.leave_ledger, name="leave_ledger"),
    path("paid-leave/policy/", views.leave_policy, name="leave_policy"),
    path("paid-leave/grants/", views.leave_grants, name="leave_grants"),
    path("paid-leave/grants/run/", views.run_grants, name="leave_grants_run"),
    path("paid-leave/grants/<int:grant_id>/", views.grant_adjust, name="leave_grant_adjust"),
]
