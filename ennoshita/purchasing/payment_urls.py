"""Screens of 支払処理 and the payment settings (part of the "purchasing" namespace)."""

from django.urls import URLPattern, path

from . import payment_views, settings_views

urlpatterns: list[URLPattern] = [
    path("payments/", payment_views.run_list, name="payment_run_list"),
    path("payments/new/", payment_views.run_new, name="payment_run_new"),
    path("payments/new/totals/", payment_views.run_new_totals, name="payment_run_totals"),
    path("payments/settings/", settings_views.payment_settings, name="payment_settings"),
    path("payments/<int:pk>/", payment_views.run_detail, name="payment_run_detail"),
    path("payments/<int:pk>/confirm/", payment_views.run_confirm, name="payment_run_confirm"),
    path("payments/<int:pk>/reverse/", payment_views.run_reverse, name="payment_run_reverse"),
    path("payments/<int:pk>/cancel/", payment_views.run_cancel, name="payment_run_cancel"),
    path("payments/<int:pk>/file/", payment_views.run_file, name="payment_run_file"),
    path(
        "payments/<int:pk>/items/<int:item_id>/remove/", payment_views.item_remove, name="payment_item_remove"
    ),
]
