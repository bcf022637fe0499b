"""Screens of the rooms part of 受付 (included by frontdesk/urls.py)."""

from django.urls import URLPattern, path

from . import views_bookings as b
from . import views_rooms as v

urlpatterns: list[URLPattern] = [
    path("rooms/", v.room_day, name="room_day"),
    path("rooms/<int:pk>/week/", v.room_week, name="room_week"),
    path("rooms/free/", v.room_free, name="room_free"),
    path("rooms/master/", v.room_list, name="room_list"),
    path("rooms/master/new/", v.room_new, name="room_new"),
    path("rooms/master/<int:pk>/", v.room_detail, name="room_detail"),
    path("rooms/master/<int:pk>/edit/", v.room_edit, name="room_edit"),
    path("rooms/master/<int:pk>/feed/", v.room_feed_regenerate, name="room_feed_regenerate"),
    path("rooms/<int:pk>/calendar.ics", v.room_calendar_ics, name="room_calendar_ics"),
    path("rooms/bookings/new/", b.booking_new, name="booking_new"),
    path("rooms/bookings/mine/", b.booking_mine, name="booking_mine"),
    path("rooms/bookings/mine/feed/", b.booking_feed_regenerate, name="booking_feed_regenerate"),
    path("rooms/bookings/search/", b.booking_search, name="booking_search"),
    path("rooms/bookings/<int:pk>/", b.booking_detail, name="booking_detail"),
    path("rooms/bookings/<int:pk>/cancel/", b.booking_cancel, name="booking_cancel"),
    path("rooms/bookings/<int:pk>/move/", b.booking_move, name="booking_move"),
    path("rooms/series/new/", b.booking_series_new, name="booking_series_new"),
    path("rooms/series/<int:pk>/", b.booking_series_detail, name="booking_series_detail"),
    path("rooms/series/<int:pk>/cancel/", b.booking_series_cancel, name="booking_series_cancel"),
    path("rooms/feeds/<str:token>.ics", v.booking_person_ics, name="booking_person_ics"),
]
