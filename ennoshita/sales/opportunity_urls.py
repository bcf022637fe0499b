"""Screens of the sales pipeline, 商談 (namespace "sales")."""

from django.urls import URLPattern, path

from . import opportunity_views as views

urlpatterns: list[URLPattern] = [
    path("opportunities/", views.opportunity_board, name="opportunity_board"),
    path("opportunities/list/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/export/", views.opportunity_export, name="opportunity_export"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/move/", views.opportunity_move, name="opportunity_move"),
    path("opportunities/<int:pk>/delete/", views.opportunity_delete, name="opportunity_delete"),
    path("opportunities/<int:pk>/quote/", views.opportunity_quote, name="opportunity_quote"),
]
