"""Screens of the 知的財産 part of 法務 (included by legal/urls.py into the "legal" namespace)."""

from django.urls import URLPattern, path

from . import views_ip as v

urlpatterns: list[URLPattern] = [
    path("ip/", v.ip_list, name="ip_list"),
    path("ip/new/", v.ip_new, name="ip_new"),
    path("ip/upcoming/", v.ip_upcoming, name="ip_upcoming"),
    path("ip/costs/", v.ip_costs, name="ip_costs"),
    path("ip/<int:pk>/", v.ip_detail, name="ip_detail"),
    path("ip/<int:pk>/edit/", v.ip_edit, name="ip_edit"),
    path("ip/<int:pk>/status/", v.ip_status, name="ip_status"),
    path("ip/<int:pk>/payment/", v.ip_payment, name="ip_payment"),
    path("ip/<int:pk>/cost/", v.ip_cost, name="ip_cost"),
]
