"""Screens of the visits part of 受付 (included by frontdesk/urls.py): 来訪者, 伝言メモ, 依頼."""

from django.urls import URLPattern, path

from . import views_messages, views_office_requests, views_visits

urlpatterns: list[URLPattern] = [
    # 来訪者
    path("visits/", views_visits.visit_mine, name="visit_mine"),
    path("visits/today/", views_visits.visit_board, name="visit_board"),
    path("visits/walk-in/", views_visits.visit_walk_in, name="visit_walk_in"),
    path("visits/new/", views_visits.visit_new, name="visit_new"),
    path("visits/free-rooms/", views_visits.visit_free_rooms, name="visit_free_rooms"),
    path("visits/log/", views_visits.visit_log, name="visit_log"),
    path("visits/settings/", views_visits.visit_settings, name="visit_settings"),
    path("visits/<int:pk>/", views_visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views_visits.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/badge/", views_visits.visit_badge, name="visit_badge"),
    path("visits/<int:pk>/check-in/", views_visits.visit_check_in, name="visit_check_in"),
    path("visits/<int:pk>/check-out/", views_visits.visit_check_out, name="visit_check_out"),
    path("visits/<int:pk>/no-show/", views_visits.visit_no_show, name="visit_no_show"),
    path("visits/<int:pk>/cancel/", views_visits.visit_cancel, name="visit_cancel"),
    # 伝言メモ
    path("messages/", views_messages.message_list, name="message_list"),
    path("messages/new/", views_messages.message_new, name="message_new"),
    path("messages/<int:pk>/", views_messages.message_detail, name="message_detail"),
    path("messages/<int:pk>/done/", views_messages.message_done, name="message_done"),
    # 総務・一般事務への依頼
    path("requests/", views_office_requests.office_request_mine, name="office_request_mine"),
    path("requests/new/", views_office_requests.office_request_new, name="office_request_new"),
    path("requests/queue/", views_office_requests.office_request_queue, name="office_request_queue"),
    path("requests/types/", views_office_requests.office_request_types, name="office_request_types"),
    path(
        "requests/types/new/", views_office_requests.office_request_type_new, name="office_request_type_new"
    ),
    path(
        "requests/types/<int:pk>/edit/",
        views_office_requests.office_request_type_edit,
        name="office_request_type_edit",
    ),
    path("requests/<int:pk>/", views_office_requests.office_request_detail, name="office_request_detail"),
    path(
        "requests/<int:pk>/transition/",
        views_office_requests.office_request_transition,
        name="office_request_transition",
    ),
]
