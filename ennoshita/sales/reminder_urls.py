"""URLs of the reminders of overdue invoices (督促)."""

from django.urls import path

from . import reminder_views as views

urlpatterns = [
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("reminders/new/", views.reminder_new, name="reminder_new"),
    path("reminders/<int:pk>/", views.reminder_detail, name="reminder_detail"),
    path("reminders/<int:pk>/pdf/", views.reminder_pdf, name="reminder_pdf"),
    path("reminders/<int:pk>/send/", views.reminder_send, name="reminder_send"),
]
