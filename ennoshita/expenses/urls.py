"""Screens of 経費精算 (namespace "expenses")."""

from django.urls import URLPattern, path

from . import settings_views, views

app_name = "expenses"

urlpatterns: list[URLPattern] = [
    path("", views.claim_list, name="claim_list"),
    path("new/", views.claim_new, name="claim_new"),
    path("per-person/", views.per_person, name="per_person"),
    path("all/", views.all_claims, name="all_claims"),
    path("settings/", settings_views.expense_settings, name="settings"),
    path("settings/categories/new/", settings_views.category_new, name="category_new"),
    path("settings/categories/<int:pk>/", settings_views.category_edit, name="category_edit"),
    path("<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("<int:pk>/submit/", views.claim_submit, name="claim_submit"),
    path("<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("<int:pk>/delete/", views.claim_delete, name="claim_delete"),
    path("<int:pk>/lines/<int:line_id>/receipt/", views.receipt_upload, name="receipt_upload"),
    path("<int:pk>/lines/<int:line_id>/receipt/view/", views.receipt_view, name="receipt_view"),
]
