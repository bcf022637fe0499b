from django.urls import path

from . import views
from .backup_views import backup_download, backups
from .notification_views import notification_list, notification_read, notifications_read_all

app_name = "core"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("no-company/", views.no_company, name="no_company"),
    path("switch-company/", views.switch_company, name="switch_company"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.password_change, name="password_change"),
    path("profile/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("admin/members/", views.member_list, name="member_list"),
    path("members/search/", views.member_search, name="member_search"),
    path("admin/audit/", views.audit_log, name="audit_log"),
    path("admin/company/", views.company_settings, name="company_settings"),
    path("admin/company/closed-days/", views.closed_days, name="closed_days"),
    path("admin/company/closed-days/<int:pk>/delete/", views.closed_day_delete, name="closed_day_delete"),
    path("admin/backups/", backups, name="backups"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("notifications/", notification_list, name="notifications"),
    path("notifications/read-all/", notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("admin/backups/<str:name>/download/", backup_download, name="backup_download"),
]
