"""Screens of quotes, orders, invoices, payments and receivables (namespace "sales")."""

from django.urls import URLPattern, path

from . import invoice_views as invoices
from . import payment_views as payments
from . import quote_views as docs
from . import receivable_views as receivables

urlpatterns: list[URLPattern] = [
    # 見積書
    path("quotes/", docs.quote_list, name="quote_list"),
    path("quotes/export/", docs.quote_export, name="quote_export"),
    path("quotes/new/", docs.quote_new, name="quote_new"),
    path("quotes/<int:pk>/", docs.quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/edit/", docs.quote_edit, name="quote_edit"),
    path("quotes/<int:pk>/send/", docs.quote_send, name="quote_send"),
    path("quotes/<int:pk>/revise/", docs.quote_revise, name="quote_revise"),
    path("quotes/<int:pk>/accept/", docs.quote_accept, name="quote_accept"),
    path("quotes/<int:pk>/decline/", docs.quote_decline, name="quote_decline"),
    path("quotes/<int:pk>/pdf/", docs.quote_pdf, name="quote_pdf"),
    # 受注・納品書
    path("orders/", docs.order_list, name="order_list"),
    path("orders/export/", docs.order_export, name="order_export"),
    path("orders/new/", docs.order_new, name="order_new"),
    path("orders/<int:pk>/", docs.order_detail, name="order_detail"),
    path("orders/<int:pk>/deliver/", docs.order_deliver, name="order_deliver"),
    path("orders/<int:pk>/invoice/", docs.order_invoice, name="order_invoice"),
    path("orders/<int:pk>/cancel/", docs.order_cancel, name="order_cancel"),
    path("deliveries/<int:pk>/pdf/", docs.delivery_pdf, name="delivery_pdf"),
    # 請求書・返還請求書
    path("invoices/", invoices.invoice_list, name="invoice_list"),
    path("invoices/export/", invoices.invoice_export, name="invoice_export"),
    path("invoices/new/", invoices.invoice_new, name="invoice_new"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/edit/", invoices.invoice_edit, name="invoice_edit"),
    path("invoices/<int:pk>/delete/", invoices.invoice_delete, name="invoice_delete"),
    path("invoices/<int:pk>/issue/", invoices.invoice_issue, name="invoice_issue"),
    path("invoices/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/sent/", invoices.invoice_sent, name="invoice_sent"),
    path("invoices/<int:pk>/credit/", invoices.invoice_credit, name="invoice_credit"),
    # 入金
    path("payments/", payments.payment_list, name="payment_list"),
    path("payments/export/", payments.payment_export, name="payment_export"),
    path("payments/new/", payments.payment_new, name="payment_new"),
    path("payments/<int:pk>/", payments.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/receipt/", payments.payment_receipt, name="payment_receipt"),
    path("payments/<int:pk>/apply-advance/", payments.payment_apply_advance, name="payment_apply_advance"),
    path("payments/<int:pk>/refund/", payments.payment_refund, name="payment_refund"),
    # 売掛金
    path("receivables/", receivables.receivable_balances, name="receivable_balances"),
    path("receivables/aging/", receivables.receivable_aging, name="receivable_aging"),
    path("receivables/overdue/", receivables.receivable_overdue, name="receivable_overdue"),
    path("receivables/customers/<int:pk>/", receivables.customer_ledger, name="customer_ledger"),
    path("receivables/customers/<int:pk>/advances/", payments.customer_advances, name="customer_advances"),
]
