"""Screens of the welfare part of 総務 (included by affairs/urls.py)."""

from django.urls import URLPattern, path

from . import views_welfare as views

urlpatterns: list[URLPattern] = [
    path("welfare/", views.benefit_catalogue, name="benefit_catalogue"),
    path("welfare/benefits/<int:pk>/", views.benefit_detail, name="benefit_detail"),
    path("welfare/benefits/<int:pk>/apply/", views.benefit_apply, name="benefit_apply"),
    path("welfare/uses/", views.benefit_use_list, name="benefit_use_list"),
    path("welfare/uses/<int:pk>/", views.benefit_use_detail, name="benefit_use_detail"),
    path("welfare/uses/<int:pk>/withdraw/", views.benefit_use_withdraw, name="benefit_use_withdraw"),
    path("welfare/uses/<int:pk>/resubmit/", views.benefit_use_resubmit, name="benefit_use_resubmit"),
    path("welfare/manage/", views.benefit_manage, name="benefit_manage"),
    path("welfare/manage/new/", views.benefit_new, name="benefit_new"),
    path("welfare/manage/<int:pk>/edit/", views.benefit_edit, name="benefit_edit"),
    path("welfare/manage/<int:pk>/active/", views.benefit_set_active, name="benefit_set_active"),
    path("welfare/report/", views.benefit_report, name="benefit_report"),
]
