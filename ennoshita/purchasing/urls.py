"""Screens of 買掛金・支払 (namespace "purchasing"): vendors, vendor bills, payment runs."""

from django.urls import URLPattern

from . import bill_urls, payment_urls, vendor_urls

app_name = "purchasing"

urlpatterns: list[URLPattern] = [*vendor_urls.urlpatterns, *bill_urls.urlpatterns, *payment_urls.urlpatterns]
