"""Screens of the リーガルチェック part of 法務 (included by legal/urls.py, namespace "legal")."""

from django.urls import URLPattern, path

from . import views_reviews as views

urlpatterns: list[URLPattern] = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/assign/", views.review_assign, name="review_assign"),
    path("reviews/<int:pk>/comments/", views.review_comment, name="review_comment"),
    path("reviews/<int:pk>/return/", views.review_return, name="review_return"),
    path("reviews/<int:pk>/resubmit/", views.review_resubmit, name="review_resubmit"),
    path("reviews/<int:pk>/close/", views.review_close, name="review_close"),
    path("reviews/<int:pk>/withdraw/", views.review_withdraw, name="review_withdraw"),
    path("reviews/<int:pk>/files/<int:version_id>/", views.review_file, name="review_file"),
    path("reviews/playbook/", views.playbook_list, name="playbook_list"),
    path("reviews/playbook/new/", views.playbook_new, name="playbook_new"),
    path("reviews/playbook/<int:pk>/edit/", views.playbook_edit, name="playbook_edit"),
    path("reviews/playbook/<int:pk>/toggle/", views.playbook_toggle, name="playbook_toggle"),
]
