"""Screens of customers and products."""

from django.urls import path

from . import customer_views as views

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/export/", views.customer_export, name="customer_export"),
    path("customers/new/", views.customer_new, name="customer_new"),
    path("customers/terms/", views.customer_terms, name="customer_terms"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/deactivate/", views.customer_deactivate, name="customer_deactivate"),
    path("customers/<int:pk>/reactivate/", views.customer_reactivate, name="customer_reactivate"),
    path("customers/<int:pk>/delete/", views.customer_delete, name="customer_delete"),
    path("customers/<int:pk>/contacts/", views.customer_contact_add, name="customer_contact_add"),
    path(
        "customers/<int:pk>/contacts/<int:contact_id>/delete/",
        views.customer_contact_delete,
        name="customer_contact_delete",
    ),
    path("products/", views.product_list, name="product_list"),
    path("products/export/", views.product_export, name="product_export"),
    path("products/new/", views.product_new, name="product_new"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/deactivate/", views.product_deactivate, name="product_deactivate"),
    path("products/<int:pk>/reactivate/", views.product_reactivate, name="product_reactivate"),
    path("products/<int:pk>/delete/", views.product_delete, name="product_delete"),
]
