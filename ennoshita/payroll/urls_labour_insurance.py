"""Screens of 給与 — labour_insurance (included by urls.py, namespace "payroll"): 労働保険の年度更新."""

from django.urls import URLPattern, path

from . import views_labour_insurance as views

urlpatterns: list[URLPattern] = [
    path("labour-insurance/", views.labour_insurance, name="labour_insurance"),
    path("labour-insurance/rate/", views.labour_insurance_rate, name="labour_insurance_rate"),
]
