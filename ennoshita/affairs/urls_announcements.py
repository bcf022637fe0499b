"""Screens of the announcements part of 総務: お知らせ・社内報 and 社内行事 (included by affairs/urls.py)."""

from django.urls import URLPattern, path

from . import views_announcements as a
from . import views_events as e

urlpatterns: list[URLPattern] = [
    path("announcements/", a.announcement_list, name="announcement_list"),
    path("announcements/manage/", a.announcement_manage, name="announcement_manage"),
    path("announcements/new/", a.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", a.announcement_detail, name="announcement_detail"),
    path("announcements/<int:pk>/edit/", a.announcement_edit, name="announcement_edit"),
    path("announcements/<int:pk>/withdraw/", a.announcement_withdraw, name="announcement_withdraw"),
    path("announcements/<int:pk>/attach/", a.announcement_attach, name="announcement_attach"),
    path("announcements/<int:pk>/reads/", a.announcement_reads, name="announcement_reads"),
    path("events/", e.event_list, name="event_list"),
    path("events/new/", e.event_new, name="event_new"),
    path("events/<int:pk>/", e.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", e.event_edit, name="event_edit"),
    path("events/<int:pk>/signup/", e.event_signup, name="event_signup"),
    path("events/<int:pk>/cancel-signup/", e.event_cancel_signup, name="event_cancel_signup"),
    path("events/<int:pk>/cancel/", e.event_cancel, name="event_cancel"),
    path("events/<int:pk>/close/", e.event_close, name="event_close"),
    path("events/<int:pk>/cost/", e.event_cost, name="event_cost"),
    path("events/<int:pk>/attendees/", e.event_attendees, name="event_attendees"),
]
