"""Screens of 給与 — severance (included by urls.py, namespace "payroll"): 退職金."""

from django.urls import URLPattern, path

from . import views_severance as views

urlpatterns: list[URLPattern] = [
    path("severance/", views.severance_list, name="severance_list"),
    path("severance/new/", views.severance_new, name="severance_new"),
    path("severance/simulator/", views.severance_simulator, name="severance_simulator"),
    path("severance/<int:pk>/", views.severance_detail, name="severance_detail"),
    path("severance/<int:pk>/edit/", views.severance_edit, name="severance_edit"),
    path("severance/<int:pk>/compute/", views.severance_compute, name="severance_compute"),
    path("severance/<int:pk>/confirm/", views.severance_confirm, name="severance_confirm"),
    path("severance/<int:pk>/discard/", views.severance_discard, name="severance_discard"),
    path("severance/<int:pk>/certificate.pdf", views.severance_certificate, name="severance_certificate"),
]
