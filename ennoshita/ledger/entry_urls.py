"""The ledger's entry, account, period and settings screens (namespace "ledger")."""

from django.urls import URLPattern, path

from . import account_views, attachment_views, entry_views, views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("entries/", entry_views.entry_list, name="entry_list"),
    path("entries/export/", entry_views.entry_export, name="entry_export"),
    path("entries/new/", entry_views.entry_new, name="entry_new"),
    path("entries/accounts.json", entry_views.account_search, name="account_search"),
    path("entries/<int:pk>/", entry_views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", entry_views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/post/", entry_views.entry_post, name="entry_post"),
    path("entries/<int:pk>/delete/", entry_views.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/reverse/", entry_views.entry_reverse, name="entry_reverse"),
    path("entries/<int:pk>/attachments/", attachment_views.entry_attach, name="entry_attach"),
    path(
        "entries/<int:pk>/attachments/<int:attachment_id>/detach/",
        attachment_views.entry_detach,
        name="entry_detach",
    ),
    path("accounts/", account_views.account_list, name="account_list"),
    path("accounts/new/", account_views.account_new, name="account_new"),
    path("accounts/<int:pk>/", account_views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/sub-accounts/new/", account_views.sub_account_new, name="sub_account_new"),
    path("periods/", views.periods, name="periods"),
    path("periods/lock/", views.lock_month, name="lock_month"),
    path("periods/unlock/", views.unlock_month, name="unlock_month"),
    path("periods/open-next/", views.open_next_year, name="open_next_year"),
    path("periods/<int:pk>/close/", views.close_year, name="close_year"),
    path("periods/<int:pk>/reopen/", views.reopen_year, name="reopen_year"),
    path("settings/", views.ledger_settings, name="settings"),
]
