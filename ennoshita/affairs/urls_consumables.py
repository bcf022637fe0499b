"""Screens of the consumables part of 総務 (included by affairs/urls.py)."""

from django.urls import URLPattern, path

from . import views_consumable_requests as requests
from . import views_consumable_stock as stock
from . import views_consumables as views

urlpatterns: list[URLPattern] = [
    path("consumables/", views.consumable_list, name="consumable_list"),
    path("consumables/new/", views.consumable_new, name="consumable_new"),
    path("consumables/moves/", stock.consumable_moves, name="consumable_moves"),
    path("consumables/reorder/", stock.consumable_reorder, name="consumable_reorder"),
    path("consumables/consumption/", stock.consumable_consumption, name="consumable_consumption"),
    path("consumables/requests/", requests.consumable_requests, name="consumable_requests"),
    path("consumables/requests/new/", requests.consumable_request_new, name="consumable_request_new"),
    path("consumables/requests/mine/", requests.consumable_my_requests, name="consumable_my_requests"),
    path(
        "consumables/requests/<int:pk>/issue/",
        requests.consumable_request_issue,
        name="consumable_request_issue",
    ),
    path(
        "consumables/requests/<int:pk>/reject/",
        requests.consumable_request_reject,
        name="consumable_request_reject",
    ),
    path(
        "consumables/requests/<int:pk>/cancel/",
        requests.consumable_request_cancel,
        name="consumable_request_cancel",
    ),
    path("consumables/<int:pk>/", views.consumable_detail, name="consumable_detail"),
    path("consumables/<int:pk>/edit/", views.consumable_edit, name="consumable_edit"),
    path("consumables/<int:pk>/receive/", stock.consumable_receive, name="consumable_receive"),
    path("consumables/<int:pk>/issue/", stock.consumable_issue, name="consumable_issue"),
    path("consumables/<int:pk>/count/", stock.consumable_count, name="consumable_count"),
    path("consumables/<int:pk>/transfer/", stock.consumable_transfer, name="consumable_transfer"),
]
