"""Screens of 入金: the list, recording a payment against a customer's open invoices (消込, with
the usual oldest-first suggestion, the 振込手数料 and what is left as 前受金), the detail and the
領収書 PDF; on the detail, the 前受金 applied to later invoices (充当) or paid back (返金), and a
customer's 前受金 for the customer screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.ledger.permissions import can_read as can_read_books

from . import pdf
from .document_forms import AdvanceApplyForm, PaymentFilterForm, PaymentForm, RefundForm, parse_yen
from .document_views import page_of, payer, pdf_response, perms, reader, status_of
from .models import AdvanceApplication, Customer, Invoice, Payment, Refund
from .permissions import can_record_payments
from .selectors import advances as advance_selectors
from .selectors import documents as doc_selectors
from .services import advances as advance_services
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


def _apply_payment_error(form: forms.Form, exc: ServiceError, applied: list[Invoice]) -> list[str]:
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
    return _render_detail(request, payment)


def _render_detail(
    request: HttpRequest,
    payment: Payment,
    *,
    apply_form: AdvanceApplyForm | None = None,
    refund_form: RefundForm | None = None,
    general: Sequence[str] = (),
    status: int = 200,
) -> HttpResponse:
    """The payment with its 消込, what became of its 前受金 (充当・返金, each with its journal
    entry) and, while some is left and the user records payments, the forms to apply or refund it."""
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    books = can_read_books(membership)
    advances = advance_selectors.payment_advances(**read(request), payment=payment)
    can_pay = can_record_payments(membership)
    if payment.unapplied > 0 and can_pay:
        if apply_form is None:
            apply_form = _suggested_apply_form(request, payment)
        if refund_form is None:
            refund_form = RefundForm(
                initial={"date": _default_day(payment), "amount": str(payment.unapplied)}
            )
    else:
        apply_form = refund_form = None
    context = {
        "payment": payment,
        "allocations": list(payment.allocations.all()),
        "applied": payment.amount + payment.fee - payment.unapplied - advances.applied - advances.refunded,
        "journal_url": _entry_url(payment.journal_entry_id, books),
        "advances": advances,
        "advance_history": _advance_history(advances, books),
        "apply_form": apply_form,
        "refund_form": refund_form,
        "advance_errors": list(general),
        "events": doc_selectors.document_history(company=company, document=payment),
        **perms(request),
    }
    return render(request, "sales/documents/payments/payment_detail.html", context, status=status)


@dataclass(frozen=True)
class AdvanceRow:
    """A 充当 or a 返金 as the payment screen lists them."""

    kind: str  # application / refund
    label: str
    row: AdvanceApplication | Refund
    invoice: Invoice | None
    memo: str
    journal_url: str | None


def _advance_history(advances: advance_selectors.PaymentAdvances, books: bool) -> list[AdvanceRow]:
    """充当 and 返金 in one list by date, each with the link to its journal entry."""
    rows = [
        AdvanceRow("application", _("充当"), a, a.invoice, "", _entry_url(a.journal_entry_id, books))
        for a in advances.applications
    ] + [
        AdvanceRow("refund", _("返金"), r, None, r.memo, _entry_url(r.journal_entry_id, books))
        for r in advances.refunds
    ]
    rows.sort(key=lambda x: (x.row.date, x.row.created_at))
    return rows


def _entry_url(entry_id: int | None, allowed: bool) -> str | None:
    return reverse("ledger:entry_detail", args=[entry_id]) if entry_id and allowed else None


def _default_day(payment: Payment) -> date:
    return max(timezone.localdate(), payment.date)


def _suggested_apply_form(request: HttpRequest, payment: Payment) -> AdvanceApplyForm:
    """The customer's open invoices, the 前受金 spread over them oldest due first."""
    invoices = doc_selectors.invoices_open_for_customer(
        company=request.company,  # type: ignore[attr-defined]
        customer=payment.customer,
    )
    suggested = {
        a.invoice.pk: a.amount
        for a in payment_services.suggest_allocations(invoices=invoices, amount=payment.unapplied)
    }
    initial: dict[str, Any] = {"date": _default_day(payment)}
    for inv in invoices:
        initial[f"apply_{inv.pk}"] = inv.pk in suggested
        initial[f"alloc_{inv.pk}"] = str(suggested.get(inv.pk, min(inv.open_amount, payment.unapplied)))
    return AdvanceApplyForm(initial=initial, invoices=invoices)


@payer
@require_POST
def payment_apply_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """充当: the ticked invoices get the amounts typed; the errors come back on their rows."""
    payment = doc_selectors.get_payment(**read(request), payment_id=pk)
    invoices = doc_selectors.invoices_open_for_customer(
        company=request.company,  # type: ignore[attr-defined]
        customer=payment.customer,
    )
    form = AdvanceApplyForm(request.POST, invoices=invoices)
    general: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = advance_services.apply_advance(
                **ctx(request),
                payment=payment,
                date=data["date"],
                allocations=[advance_services.Allocation(inv, value) for inv, value in data["allocations"]],
            )
        except ServiceError as exc:
            general = _apply_payment_error(form, exc, [inv for inv, _v in data["allocations"]])
        else:
            total = sum((a.amount for a in done), Decimal(0))
            messages.success(
                request,
                _("前受金 %(amount)s円 を %(count)s件の請求書に充当しました。")
                % {"amount": f"{total:,}", "count": len(done)},
            )
            return redirect("sales:payment_detail", pk=payment.pk)
    return _render_detail(request, payment, apply_form=form, general=general, status=400)


@payer
@require_POST
def payment_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """返金 of (part of) the 前受金."""
    payment = doc_selectors.get_payment(**read(request), payment_id=pk)
    form = RefundForm(request.POST)
    general: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            refund = advance_services.refund_advance(
                **ctx(request), payment=payment, date=data["date"], amount=data["amount"], memo=data["memo"]
            )
        except ServiceError as exc:
            general = _apply_payment_error(form, exc, [])
        else:
            messages.success(
                request, _("前受金 %(amount)s円 の返金を登録しました。") % {"amount": f"{refund.amount:,}"}
            )
            return redirect("sales:payment_detail", pk=payment.pk)
    return _render_detail(request, payment, refund_form=form, general=general, status=400)


@reader
def customer_advances(request: HttpRequest, pk: int) -> HttpResponse:
    """A customer's 前受金: the balance and the payments that hold it. The customer screen loads
    it into its panel (htmx); opened directly it is a page of its own."""
    customer = doc_selectors.get_customer(company=request.company, customer_id=pk)  # type: ignore[attr-defined]
    context = {
        "customer": customer,
        "advances": advance_selectors.customer_advances(**read(request), customer=customer),
        **perms(request),
    }
    name = "_customer_advances.html" if request.headers.get("HX-Request") else "customer_advances.html"
    return render(request, f"sales/documents/payments/{name}", context)


@reader
def payment_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = doc_selectors.get_payment(**read(request), payment_id=pk)
    return pdf_response(request, pdf.receipt_pdf(payment), f"receipt-{payment.date:%Y%m%d}-{payment.pk}")
