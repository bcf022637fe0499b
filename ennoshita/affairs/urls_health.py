"""Screens of the health part of 総務 (included by affairs/urls.py; names ``health_…``)."""

from django.urls import URLPattern, path

from . import views_health as views
from . import views_health_more as more_views

urlpatterns: list[URLPattern] = [
    path("health/checkups/", views.checkup_list, name="health_checkup_list"),
    path("health/checkups/plan/", views.plan, name="health_plan"),
    path("health/checkups/<int:pk>/", views.checkup_detail, name="health_checkup_detail"),
    path("health/checkups/<int:pk>/result/", views.checkup_result, name="health_checkup_result"),
    path("health/checkups/<int:pk>/record/", views.checkup_record, name="health_checkup_record"),
    path("health/checkups/<int:pk>/opinion/", views.checkup_opinion, name="health_checkup_opinion"),
    path("health/checkups/<int:pk>/book/", views.checkup_book, name="health_checkup_book"),
    path("health/checkups/<int:pk>/notice/", views.checkup_notice, name="health_checkup_notice"),
    path("health/checkups/<int:pk>/close/", views.checkup_close, name="health_checkup_close"),
    path("health/unexamined/", views.unexamined, name="health_unexamined"),
    path("health/opinions/", views.opinions, name="health_opinions"),
    path("health/profiles/", views.profiles, name="health_profiles"),
    path("health/mine/", views.my_checkups, name="health_my_checkups"),
    path("health/stress/", more_views.stress, name="health_stress"),
    path("health/stress/invite/", more_views.stress_invite, name="health_stress_invite"),
    path("health/stress/<int:pk>/step/", more_views.stress_step, name="health_stress_step"),
    path("health/stress/<int:pk>/result/", more_views.stress_result, name="health_stress_result"),
    path("health/report/", views.report, name="health_report"),
    path("health/long-hours/", more_views.long_hours, name="health_long_hours"),
    path("health/long-hours/build/", more_views.long_hours_build, name="health_long_hours_build"),
    path("health/long-hours/<int:pk>/", more_views.long_hours_step, name="health_long_hours_step"),
    path("health/access/", more_views.access, name="health_access"),
    path("health/access/<int:pk>/revoke/", more_views.access_revoke, name="health_access_revoke"),
]
