"""Screens of 勤怠 — 勤怠締め and 打刻修正申請 (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern, path

from . import views_closing as v

urlpatterns: list[URLPattern] = [
    path("closing/", v.close_board, name="close_board"),
    path("closing/lock-all/", v.close_lock_all, name="close_lock_all"),
    path("closing/<int:employee_id>/", v.close_detail, name="close_detail"),
    path("closing/<int:employee_id>/confirm/", v.close_confirm, name="close_confirm"),
    path("closing/<int:employee_id>/unconfirm/", v.close_unconfirm, name="close_unconfirm"),
    path("closing/<int:employee_id>/lock/", v.close_lock, name="close_lock"),
    path("closing/<int:employee_id>/reopen/", v.close_reopen, name="close_reopen"),
    path("corrections/", v.correction_list, name="correction_list"),
    path("corrections/new/", v.correction_new, name="correction_new"),
    path("corrections/<int:pk>/", v.correction_detail, name="correction_detail"),
    path("corrections/<int:pk>/edit/", v.correction_edit, name="correction_edit"),
]
