"""Screens of 仕入先請求書 and 買掛金 (namespace "purchasing")."""

from django.urls import URLPattern, path

from . import bill_views, payable_views

urlpatterns: list[URLPattern] = [
    path("bills/", bill_views.bill_list, name="bill_list"),
    path("bills/new/", bill_views.bill_new, name="bill_new"),
    path("bills/<int:pk>/", bill_views.bill_detail, name="bill_detail"),
    path("bills/<int:pk>/edit/", bill_views.bill_edit, name="bill_edit"),
    path("bills/<int:pk>/submit/", bill_views.bill_submit, name="bill_submit"),
    path("bills/<int:pk>/withdraw/", bill_views.bill_withdraw, name="bill_withdraw"),
    path("bills/<int:pk>/delete/", bill_views.bill_delete, name="bill_delete"),
    path("bills/<int:pk>/document/", bill_views.bill_document_upload, name="bill_document_upload"),
    path("bills/<int:pk>/document/view/", bill_views.bill_document_view, name="bill_document_view"),
    path("payables/", payable_views.payable_balances, name="payable_balances"),
    path("payables/schedule/", payable_views.payable_schedule, name="payable_schedule"),
    path("payables/vendors/<int:pk>/", payable_views.payable_vendor_ledger, name="payable_vendor_ledger"),
]
