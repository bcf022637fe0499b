"""Screens of the equipment part of 総務 (included by affairs/urls.py), the places and 総務の設定."""

from django.urls import URLPattern, path

from . import views_equipment as v
from . import views_equipment_loans as loans
from . import views_equipment_masters as masters

urlpatterns: list[URLPattern] = [
    path("equipment/", v.equipment_list, name="equipment_list"),
    path("equipment/new/", v.equipment_new, name="equipment_new"),
    path("equipment/labels/", v.equipment_labels, name="equipment_labels"),
    path("equipment/mine/", loans.equipment_mine, name="equipment_mine"),
    path("equipment/to-return/", loans.equipment_leavers, name="equipment_leavers"),
    path("equipment/fixed-assets/", v.equipment_fixed_assets, name="equipment_fixed_assets"),
    path("equipment/categories/", masters.equipment_categories, name="equipment_categories"),
    path("equipment/categories/<int:pk>/", masters.equipment_category_edit, name="equipment_category_edit"),
    path(
        "equipment/employees/<int:employee_id>/",
        loans.equipment_employee_loans,
        name="equipment_employee_loans",
    ),
    path("equipment/<int:pk>/", v.equipment_detail, name="equipment_detail"),
    path("equipment/<int:pk>/edit/", v.equipment_edit, name="equipment_edit"),
    path("equipment/<int:pk>/lend/", loans.equipment_lend, name="equipment_lend"),
    path("equipment/<int:pk>/return/", loans.equipment_return, name="equipment_return"),
    path("equipment/<int:pk>/status/", v.equipment_set_status, name="equipment_set_status"),
    path("equipment/<int:pk>/dispose/", v.equipment_dispose, name="equipment_dispose"),
    path("locations/", masters.location_list, name="location_list"),
    path("locations/<int:pk>/", masters.location_edit, name="location_edit"),
    path("locations/<int:pk>/active/", masters.location_set_active, name="location_set_active"),
    path("settings/", masters.affairs_settings, name="affairs_settings"),
]
