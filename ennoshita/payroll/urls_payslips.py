"""Screens of 給与 — payslips (included by urls.py): 給与明細, 賃金台帳, 源泉徴収簿."""

from django.urls import URLPattern, path

from . import views_payslips as views

urlpatterns: list[URLPattern] = [
    path("payslips/", views.my_payslips, name="my_payslips"),
    path("payslips/<int:pk>/", views.payslip_detail, name="payslip_detail"),
    path("payslips/<int:pk>/pdf/", views.payslip_pdf, name="payslip_pdf"),
    path("wage-ledger/", views.wage_ledger, name="wage_ledger"),
    path("withholding-book/", views.withholding_book, name="withholding_book"),
    path("runs/<int:pk>/payslip-documents/", views.file_payslip_documents, name="file_payslip_documents"),
]
