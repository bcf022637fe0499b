"""Screens of 仕入先 (namespace "purchasing")."""

from django.urls import URLPattern, path

from . import vendor_views as views

urlpatterns: list[URLPattern] = [
    path("vendors/", views.vendor_list, name="vendor_list"),
    path("vendors/new/", views.vendor_new, name="vendor_new"),
    path("vendors/banks/", views.bank_search, name="vendor_bank_search"),
    path("vendors/branches/", views.branch_search, name="vendor_branch_search"),
    path("vendors/<int:pk>/", views.vendor_detail, name="vendor_detail"),
    path("vendors/<int:pk>/edit/", views.vendor_edit, name="vendor_edit"),
    path("vendors/<int:pk>/active/", views.vendor_set_active, name="vendor_set_active"),
    path("vendors/<int:pk>/delete/", views.vendor_delete, name="vendor_delete"),
]
