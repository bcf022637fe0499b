"""Screens of 給与 — runs (included by urls.py)."""

from django.urls import URLPattern, path

from . import views_runs

urlpatterns: list[URLPattern] = [
    path("runs/", views_runs.run_list, name="run_list"),
    path("runs/new/", views_runs.run_new, name="run_new"),
    path("runs/<int:pk>/", views_runs.run_detail, name="run_detail"),
    path("runs/<int:pk>/recompute/", views_runs.run_recompute, name="run_recompute"),
    path("runs/<int:pk>/discard/", views_runs.run_discard, name="run_discard"),
    path("runs/<int:pk>/correction/", views_runs.run_correction_new, name="run_correction_new"),
    path("runs/<int:pk>/export/", views_runs.run_export, name="run_export"),
    path("runs/jobs/<int:job_id>/", views_runs.run_job, name="run_job"),
]
