from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("employees/", views.employee_list, name="employee_list"),
    path("employees/<int:pk>/", views.employee_list, name="employee_detail"),
    path("org-chart/", views.employee_list, name="org_chart"),
    path("departments/", views.employee_list, name="department_list"),
    path("positions/", views.employee_list, name="position_list"),
    path("employees/import/", views.employee_list, name="employee_import"),
    path("me/", views.employee_list, name="my_record"),
]
