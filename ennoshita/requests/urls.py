"""Screens of 業務依頼 (namespace "requests", mounted at /requests/)."""

from django.urls import URLPattern, path

from . import views_actions as actions
from . import views_admin as admin
from . import views_requests as views

app_name = "requests"

urlpatterns: list[URLPattern] = [
    path("", views.request_inbox, name="inbox"),
    path("new/", views.request_new, name="new"),
    path("mine/", views.request_mine, name="mine"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/take/", actions.request_take, name="take"),
    path("<int:pk>/hand-over/", actions.request_hand_over, name="hand_over"),
    path("<int:pk>/comment/", actions.request_comment, name="comment"),
    path("<int:pk>/ask/", actions.request_ask, name="ask"),
    path("<int:pk>/answer/", actions.request_answer, name="answer"),
    path("<int:pk>/close/", actions.request_close, name="close"),
    path("<int:pk>/cancel/", actions.request_cancel, name="cancel"),
    path("<int:pk>/time/", actions.request_time, name="time"),
    path("<int:pk>/files/", actions.request_files, name="files"),
    path("<int:pk>/files/<int:document_id>/", views.request_attachment, name="attachment"),
    path("<int:pk>/records/<int:record_id>/", views.request_record, name="record"),
    path("catalogue/", admin.catalogue, name="catalogue"),
    path("teams/", admin.team_list, name="team_list"),
    path("teams/<int:pk>/", admin.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/", admin.team_member_add, name="team_member_add"),
    path("teams/<int:pk>/members/<int:user_id>/remove/", admin.team_member_remove, name="team_member_remove"),
    path("teams/<int:pk>/revoke/", admin.team_revoke, name="team_revoke"),
    path("teams/<int:pk>/types/new/", admin.type_new, name="type_new"),
    path("types/<int:pk>/", admin.type_edit, name="type_edit"),
    path("recurring/", admin.recurring_list, name="recurring_list"),
    path("recurring/new/", admin.recurring_new, name="recurring_new"),
    path("recurring/<int:pk>/", admin.recurring_edit, name="recurring_edit"),
    path("recurring/<int:pk>/stop/", admin.recurring_stop, name="recurring_stop"),
    path("costs/", admin.cost_report, name="costs"),
]
