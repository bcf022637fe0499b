"""Screens of 入金: the list, recording a payment against a customer's open invoices (消込, with
the usual oldest-first suggestion, the 振込手数料 and what is left as 前受金), the detail and the
領収書 PDF."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.ledger.permissions import can_read as can_read_books

from . import pdf
from .document_forms import PaymentFilterForm, PaymentForm, parse_yen
from .document_views import ctx, download, page_of, payer, pdf_response, perms, read, reader, status_of
from .models import Customer, Invoice
from .selectors import documents as doc_selectors
from .services import payments as payment_services


def _filters(request: HttpRequest) -> PaymentFilterForm:
    customers = doc_selectors.customer_choices(company=request.company)  # type: ignore[attr-defined]
    form = PaymentFilterForm(request.GET or None, customers=customers)
    form.is_valid()
    return form


@reader
def payment_list(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    qs = doc_selectors.payment_list(**read(request), **form.filters())
    return render(
        request,
        "sales/documents/payments/payment_list.html",
        {"form": form, "page_obj": page_of(request, qs), **perms(request)},
        status=status_of(form),
    )


@reader
def payment_export(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    qs = doc_selectors.payment_list(**read(request), **form.filters())

    def rows() -> Iterable[list[Any]]:
        yield [
            "入金日",
            "得意先コード",
            "得意先",
            "入金額",
            "振込手数料",
            "前受金",
            "入金方法",
            "振込名義",
            "メモ",
        ]
        for p in qs.iterator(chunk_size=2000):
            yield [
                p.date,
                p.customer.code,
                p.customer.name,
                p.amount,
                p.fee,
                p.unapplied,
                p.get_method_display(),
                p.payer_name,
                p.memo,
            ]

    return download(request, rows(), name="payments", title=_("入金一覧"))


def _yen_or_zero(text: Any) -> Decimal:
    try:
        return parse_yen(text, allow_zero=True) or Decimal(0)
    except ValidationError:  # a half-typed amount makes no suggestion
        return Decimal(0)


def _customer_from(request: HttpRequest, customers: list[Customer]) -> Customer | None:
    raw = request.POST.get("customer") if request.method == "POST" else request.GET.get("customer")
    if not raw:
        return None
    try:
        return doc_selectors.get_customer(company=request.company, customer_id=raw)  # type: ignore[attr-defined]
    except NotFound:
        return None


@payer
def payment_new(request: HttpRequest) -> HttpResponse:
    """Step 1: the customer (GET ?customer=); step 2: the payment and its 消込. The button
    「消込を提案」 reloads the form (GET) with the open invoices settled oldest first."""
    company = request.company  # type: ignore[attr-defined]
    customers = doc_selectors.customer_choices(company=company)
    customer = _customer_from(request, customers)
    invoices = (
        doc_selectors.invoices_open_for_customer(company=company, customer=customer) if customer else []
    )
    general: list[str] = []
    if request.method == "POST" and customer is not None:
        form = PaymentForm(request.POST, customers=customers, invoices=invoices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = payment_services.record_payment(
                    **ctx(request),
                    customer=data["customer"],
                    date=data["date"],
                    amount=data["amount"],
                    fee=data["fee"],
                    method=data["method"],
                    payer_name=data["payer_name"],
                    memo=data["memo"],
                    allocations=[
                        payment_services.Allocation(inv, value) for inv, value in data["allocations"]
                    ],
                )
            except ServiceError as exc:
                general = _apply_payment_error(form, exc, [inv for inv, _v in data["allocations"]])
            else:
                messages.success(
                    request,
                    _("入金 %(amount)s円 を登録しました。") % {"amount": f"{payment.amount:,}"},
                )
                return redirect("sales:payment_detail", pk=payment.pk)
    else:
        form = _suggested_form(request, customers, customer, invoices)
    context = {
        "form": form,
        "customer": customer,
        "customers": customers,
        "general_errors": general,
        "left": _left_over(form),
        "open_total": sum((i.open_amount for i in invoices), Decimal(0)),
    }
    return render(
        request,
        "sales/documents/payments/payment_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _suggested_form(
    request: HttpRequest, customers: list[Customer], customer: Customer | None, invoices: list[Invoice]
) -> PaymentForm:
    get = request.GET
    amount, fee = _yen_or_zero(get.get("amount")), _yen_or_zero(get.get("fee"))
    initial: dict[str, Any] = {
        "customer": str(customer.pk) if customer else "",
        "date": get.get("date") or timezone.localdate(),
        "amount": get.get("amount", ""),
        "fee": get.get("fee", ""),
        "method": get.get("method", "transfer"),
        "payer_name": get.get("payer_name", customer.name_kana if customer else ""),
        "memo": get.get("memo", ""),
    }
    suggested = {
        a.invoice.pk: a.amount
        for a in payment_services.suggest_allocations(invoices=invoices, amount=amount, fee=fee)
    }
    for inv in invoices:
        initial[f"apply_{inv.pk}"] = inv.pk in suggested
        initial[f"alloc_{inv.pk}"] = str(suggested.get(inv.pk, inv.open_amount))
    form = PaymentForm(initial=initial, customers=customers, invoices=invoices)
    form.suggested = suggested  # type: ignore[attr-defined]
    form.amount_value, form.fee_value = amount, fee  # type: ignore[attr-defined]
    return form


def _left_over(form: PaymentForm) -> Decimal | None:
    """What would be kept as 前受金: amount + fee − the amounts applied (None: not known yet)."""
    if form.is_bound:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("amount") is None:
            return None
        applied = sum((v for _i, v in data.get("allocations", [])), Decimal(0))
        return data["amount"] + (data.get("fee") or 0) - applied
    amount = getattr(form, "amount_value", Decimal(0))
    if not amount:
        return None
    applied = sum(getattr(form, "suggested", {}).values(), Decimal(0))
    return amount + getattr(form, "fee_value", Decimal(0)) - applied


def _apply_payment_error(form: PaymentForm, exc: ServiceError, applied: list[Invoice]) -> list[str]:
    general: list[str] = []
    for key, msgs in exc.field_errors.items():
        name: str | None = key if key in form.fields else None
        if key.startswith("allocations."):
            index = key.split(".", 1)[1]
            if index.isdigit() and int(index) < len(applied):
                name = f"alloc_{applied[int(index)].pk}"
        for m in msgs:
            if name:
                form.add_error(name, m)
            else:
                general.append(m)
    if not exc.field_errors:
        general.append(exc.message)
    return general


@reader
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payment = doc_selectors.get_payment(**read(request), payment_id=pk)
    membership = request.membership  # type: ignore[attr-defined]
    context = {
        "payment": payment,
        "allocations": list(payment.allocations.all()),
        "applied": payment.amount + payment.fee - payment.unapplied,
        "journal_url": (
            reverse("ledger:entry_detail", args=[payment.journal_entry_id])
            if payment.journal_entry_id and can_read_books(membership)
            else None
        ),
        "events": doc_selectors.document_history(company=request.company, document=payment),  # type: ignore[attr-defined]
        **perms(request),
    }
    return render(request, "sales/documents/payments/payment_detail.html", context)


@reader
def payment_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = doc_selectors.get_payment(**read(request), payment_id=pk)
    return pdf_response(request, pdf.receipt_pdf(payment), f"receipt-{payment.date:%Y%m%d}-{payment.pk}")
