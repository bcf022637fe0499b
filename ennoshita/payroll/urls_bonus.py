"""Screens of 給与 — bonus (included by urls.py, namespace "payroll"). A new bonus run is made from
「給与を計算する」 (runs/new/?kind=bonus, views_runs.run_new)."""

from django.urls import URLPattern, path

from . import views_bonus

urlpatterns: list[URLPattern] = [
    path("runs/<int:pk>/bonus/", views_bonus.bonus_amounts, name="bonus_amounts"),
    path("runs/<int:pk>/bonus/import/", views_bonus.bonus_import, name="bonus_import"),
    path("runs/<int:pk>/bonus/template.csv", views_bonus.bonus_template, name="bonus_template"),
    path("runs/<int:pk>/bonus/report/", views_bonus.bonus_report, name="bonus_report"),
]
