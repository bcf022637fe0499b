from django.urls import path

from . import document_views, downloads, share_views, views

app_name = "documents"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("search/export.csv", views.search_export, name="search_export"),
    path("trash/", views.trash, name="trash"),
    path("trash/empty/", views.trash_empty, name="trash_empty"),
    path("folders/new/", views.folder_create, name="folder_create"),
    path("folders/<int:pk>/", views.folder_detail, name="folder"),
    path("folders/<int:pk>/upload/", views.upload, name="upload"),
    path("folders/<int:pk>/share/", share_views.folder_share, name="folder_share"),
    path("shares/<int:share_id>/revoke/", share_views.share_revoke, name="share_revoke"),
    path("<int:pk>/", document_views.document_detail, name="document"),
    path("<int:pk>/share/", share_views.document_share, name="document_share"),
    path("<int:pk>/versions/new/", document_views.version_upload, name="version_upload"),
    path("<int:pk>/versions/<int:number>/restore/", document_views.version_restore, name="version_restore"),
    path("<int:pk>/versions/<int:number>/download/", downloads.download, name="download"),
    path("<int:pk>/versions/<int:number>/inline/", downloads.inline, name="inline"),
    path("<int:pk>/rename/", document_views.document_rename, name="rename"),
    path("<int:pk>/tags/", document_views.document_tags, name="tags"),
    path("<int:pk>/transaction/", document_views.document_transaction, name="transaction"),
    path("<int:pk>/trash/", document_views.document_trash, name="trash_document"),
    path("<int:pk>/restore/", views.document_restore, name="restore"),
]
