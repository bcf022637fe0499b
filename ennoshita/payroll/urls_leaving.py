"""Screens of 給与 — leaving (included by urls.py, namespace "payroll"): 退職者と異動届, and the
leaver's 源泉徴収票 (PDF)."""

from django.urls import URLPattern, path

from . import views_leaving as views

urlpatterns: list[URLPattern] = [
    path("leavers/", views.leavers, name="leavers"),
    path(
        "leavers/<int:employee_id>/withholding-slip/",
        views.withholding_slip,
        name="leaver_withholding_slip",
    ),
]
