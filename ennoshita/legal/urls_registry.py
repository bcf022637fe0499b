"""Screens of the 登記・機関 part of 法務 (included by legal/urls.py into the "legal" namespace)."""

from django.urls import URLPattern, path

from . import views_registry as v

urlpatterns: list[URLPattern] = [
    path("registry/", v.registry_home, name="registry_home"),
    path("registry/charter/", v.charter_settings, name="registry_charter"),
    path("registry/officers/", v.officer_list, name="officer_list"),
    path("registry/officers/new/", v.officer_new, name="officer_new"),
    path("registry/officers/<int:pk>/", v.officer_detail, name="officer_detail"),
    path("registry/officers/<int:pk>/reelect/", v.officer_reelect, name="officer_reelect"),
    path("registry/officers/<int:pk>/leave/", v.officer_leave, name="officer_leave"),
    path("registry/items/", v.change_list, name="change_list"),
    path("registry/changes/new/", v.change_new, name="change_new"),
    path("registry/changes/<int:pk>/", v.change_detail, name="change_detail"),
    path("registry/changes/<int:pk>/filed/", v.change_filed, name="change_filed"),
    path("registry/changes/<int:pk>/registered/", v.change_registered, name="change_registered"),
    path("registry/meetings/", v.meeting_list, name="meeting_list"),
    path("registry/meetings/new/", v.meeting_new, name="meeting_new"),
    path("registry/meetings/<int:pk>/", v.meeting_detail, name="meeting_detail"),
    path("registry/meetings/<int:pk>/minutes/", v.meeting_minutes_new, name="meeting_minutes_new"),
    path("registry/meetings/<int:pk>/minutes/file/", v.meeting_minutes, name="meeting_minutes"),
]
