"""Screens of 給与 — settings (included by urls.py): 給与の設定, 支給グループ, 支給・控除項目,
社員の給与設定 and the 住民税 import."""

from django.urls import URLPattern, path

from . import views_employee_pay, views_settings

urlpatterns: list[URLPattern] = [
    path("settings/", views_settings.payroll_settings, name="settings"),
    path("settings/groups/", views_settings.group_list, name="group_list"),
    path("settings/groups/new/", views_settings.group_new, name="group_new"),
    path("settings/groups/<int:pk>/", views_settings.group_edit, name="group_edit"),
    path("settings/items/", views_settings.item_list, name="item_list"),
    path("settings/items/new/", views_settings.item_new, name="item_new"),
    path("settings/items/<int:pk>/", views_settings.item_edit, name="item_edit"),
    path("settings/items/<int:pk>/delete/", views_settings.item_delete, name="item_delete"),
    path("employees/", views_employee_pay.employee_list, name="employee_list"),
    path("employees/<int:employee_id>/", views_employee_pay.employee_pay, name="employee_pay"),
    path("resident-taxes/import/", views_settings.resident_tax_import, name="resident_tax_import"),
]
