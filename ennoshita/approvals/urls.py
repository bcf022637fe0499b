"""Screens of the approvals app."""

from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("export/", views.inbox_export, name="inbox_export"),
    path("mine/", views.my_requests, name="my_requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("routes/", views.route_list, name="route_list"),
    path("routes/new/", views.route_new, name="route_new"),
    path("routes/<int:pk>/", views.route_edit, name="route_edit"),
    path("routes/<int:pk>/delete/", views.route_delete, name="route_delete"),
    path("settings/", views.settings_update, name="settings"),
    path("delegations/", views.delegation_list, name="delegation_list"),
    path("delegations/<int:pk>/end/", views.delegation_end, name="delegation_end"),
]
