"""Screens of 勤怠 — shifts (included by urls.py, namespace "attendance")."""

from django.urls import URLPattern, path

from . import views_shifts as views

urlpatterns: list[URLPattern] = [
    path("shifts/", views.shift_table, name="shift_table"),
    path("shifts/save/", views.shift_table_save, name="shift_table_save"),
    path("shifts/check/", views.shift_table_check, name="shift_table_check"),
    path("shifts/data/", views.shift_table_data, name="shift_table_data"),
    path("shifts/publish/", views.shift_table_publish, name="shift_table_publish"),
    path("shifts/patterns/", views.pattern_list, name="shift_patterns"),
    path("shifts/patterns/<int:pk>/", views.pattern_edit, name="shift_pattern_edit"),
    path("shifts/patterns/<int:pk>/active/", views.pattern_set_active, name="shift_pattern_active"),
    path("shifts/mine/", views.my_shifts, name="my_shifts"),
    path("shifts/swaps/new/", views.swap_new, name="shift_swap_new"),
    path("shifts/swaps/<int:pk>/", views.swap_detail, name="shift_swap_detail"),
]
