from django.urls import path

from . import employee_views, master_views, views

app_name = "people"

urlpatterns = [
    path("employees/", views.employee_list, name="employee_list"),
    path("employees/new/", employee_views.employee_create, name="employee_create"),
    path("employees/export/", views.employee_export, name="employee_export"),
    path("employees/import/", views.employee_import, name="employee_import"),
    path("employees/import/template.csv", views.employee_import_template, name="employee_import_template"),
    path("employees/<int:pk>/", employee_views.employee_detail, name="employee_detail"),
    path("employees/<int:pk>/edit/", employee_views.employee_edit, name="employee_edit"),
    path("employees/<int:pk>/transfer/", employee_views.employee_transfer, name="employee_transfer"),
    path(
        "employees/<int:pk>/placements/<int:placement_id>/cancel/",
        employee_views.placement_cancel,
        name="placement_cancel",
    ),
    path("employees/<int:pk>/attachments/", employee_views.employee_attach, name="employee_attach"),
    path(
        "employees/<int:pk>/attachments/<int:attachment_id>/detach/",
        employee_views.employee_detach,
        name="employee_detach",
    ),
    path("employees/<int:pk>/retire/", employee_views.employee_retire, name="employee_retire"),
    path("employees/<int:pk>/delete/", employee_views.employee_delete, name="employee_delete"),
    path("org-chart/", views.org_chart, name="org_chart"),
    path("departments/", master_views.department_list, name="department_list"),
    path("departments/new/", master_views.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", master_views.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", master_views.department_delete, name="department_delete"),
    path("positions/", master_views.position_list, name="position_list"),
    path("positions/new/", master_views.position_create, name="position_create"),
    path("positions/<int:pk>/edit/", master_views.position_edit, name="position_edit"),
    path("me/", employee_views.my_record, name="my_record"),
]
