"""Screens of 見積書 and 受注 (with 納品書 and 請求書を作成 from an order)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import error_text
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from . import pdf
from .document_forms import (
    AcceptQuoteForm,
    OrderFilterForm,
    QuantitiesForm,
    QuoteFilterForm,
    initial_rows,
)
from .document_views import document_screen, page_of, pdf_response, perms, reader, shown, status_of, writer
from .models import Order, Quote
from .selectors import documents as doc_selectors
from .services import invoices as invoice_services
from .services import quotes as quote_services
from .services.lines import LineSpec


# ------------------------------------------------------------------------------------- quotes
def _quote_filters(request: HttpRequest) -> QuoteFilterForm:
    customers = doc_selectors.customer_choices(company=request.company)  # type: ignore[attr-defined]
    form = QuoteFilterForm(request.GET or None, customers=customers)
    form.is_valid()
    return form


@reader
def quote_list(request: HttpRequest) -> HttpResponse:
    form = _quote_filters(request)
    qs = doc_selectors.quote_list(**read(request), **form.filters())
    return render(
        request,
        "sales/documents/quotes/quote_list.html",
        {"form": form, "page_obj": page_of(request, qs), **perms(request)},
        status=status_of(form),
    )


QUOTE_HEADER = [
    "見積番号",
    "版",
    "見積日",
    "有効期限",
    "得意先コード",
    "得意先",
    "件名",
    "税抜金額",
    "消費税額",
    "合計金額",
    "状態",
]


@reader
def quote_export(request: HttpRequest) -> HttpResponse:
    form = _quote_filters(request)
    qs = doc_selectors.quote_list(**read(request), **form.filters())

    def rows() -> Iterable[list[Any]]:
        yield QUOTE_HEADER
        for q in qs.iterator(chunk_size=2000):
            yield [
                q.number,
                q.revision,
                q.date,
                q.valid_until,
                q.customer.code,
                q.customer.name,
                q.subject,
                q.subtotal,
                q.tax_total,
                q.total,
                q.get_status_display(),
            ]

    return download(request, rows(), name="quotes", title=_("見積書一覧"))


def _quote_saved(request: HttpRequest, message: str) -> Callable[[Quote], HttpResponse]:
    def answer(quote: Quote) -> HttpResponse:
        messages.success(request, message % {"number": str(quote)})
        return redirect("sales:quote_detail", pk=quote.pk)

    return answer


@writer
def quote_new(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()

    def save(data: dict[str, Any], specs: list[LineSpec]) -> Quote:
        return quote_services.create_quote(
            **ctx(request),
            customer=data["customer"],
            date=data["date"],
            valid_until=data["valid_until"],
            lines=specs,
            subject=data["subject"],
            notes=data["notes"],
            prices_include_tax=data["prices_include_tax"],
        )

    return document_screen(
        request,
        kind="quote",
        title=_("見積書の作成"),
        initial={
            "date": today,
            "valid_until": today + timedelta(days=30),
            "customer": request.GET.get("customer", ""),
        },
        lines=[],
        save=save,
        saved=_quote_saved(request, _("見積書 %(number)s を作成しました。")),
        cancel_url=reverse("sales:quote_list"),
    )


def _quote_initial(quote: Quote) -> dict[str, Any]:
    return {
        "customer": str(quote.customer_id),
        "date": quote.date,
        "valid_until": quote.valid_until,
        "subject": quote.subject,
        "notes": quote.notes,
        "prices_include_tax": quote.prices_include_tax,
    }


@writer
def quote_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quote = doc_selectors.get_quote(**read(request), quote_id=pk)
    if quote.status != Quote.Status.DRAFT:
        messages.error(request, _("提出済みの見積書は変更できません。改訂版を作成してください。"))
        return redirect("sales:quote_detail", pk=quote.pk)

    def save(data: dict[str, Any], specs: list[LineSpec]) -> Quote:
        if data["customer"].pk != quote.customer_id:
            raise ServiceError(
                _("見積書を保存できません。"),
                field_errors={
                    "customer": [_("作成済みの見積書の得意先は変更できません。新しく作成してください。")]
                },
            )
        return quote_services.update_quote(
            **ctx(request),
            quote=quote,
            date=data["date"],
            valid_until=data["valid_until"],
            lines=specs,
            subject=data["subject"],
            notes=data["notes"],
            prices_include_tax=data["prices_include_tax"],
        )

    return document_screen(
        request,
        kind="quote",
        title=_("見積書 %(number)s の編集") % {"number": quote},
        initial=_quote_initial(quote),
        lines=initial_rows(list(quote.lines.all())),
        save=save,
        saved=_quote_saved(request, _("見積書 %(number)s を保存しました。")),
        cancel_url=reverse("sales:quote_detail", args=[quote.pk]),
        customer_ids=[quote.customer_id],
    )


@writer
def quote_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """改訂版を作成: the form starts from the quote; saving makes 第n+1版 and supersedes it."""
    quote = doc_selectors.get_quote(**read(request), quote_id=pk)
    if quote.status not in (Quote.Status.DRAFT, Quote.Status.SENT):
        messages.error(request, _("この見積書は改訂できません。"))
        return redirect("sales:quote_detail", pk=quote.pk)
    today = timezone.localdate()

    def save(data: dict[str, Any], specs: list[LineSpec]) -> Quote:
        return quote_services.revise_quote(
            **ctx(request),
            quote=quote,
            date=data["date"],
            valid_until=data["valid_until"],
            lines=specs,
            subject=data["subject"],
            notes=data["notes"],
            prices_include_tax=data["prices_include_tax"],
        )

    initial = {
        **_quote_initial(quote),
        "date": today,
        "valid_until": max(quote.valid_until, today + timedelta(days=30)),
    }
    return document_screen(
        request,
        kind="revise",
        title=_("見積書 %(number)s の改訂版を作成") % {"number": quote},
        initial=initial,
        lines=initial_rows(list(quote.lines.all())),
        save=save,
        saved=_quote_saved(request, _("改訂版 %(number)s を作成しました。")),
        cancel_url=reverse("sales:quote_detail", args=[quote.pk]),
        extra={"customer_label": str(quote.customer)},
    )


@reader
def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quote = doc_selectors.get_quote(**read(request), quote_id=pk)
    return _quote_detail(request, quote, AcceptQuoteForm(initial={"date": timezone.localdate()}))


def _quote_detail(request: HttpRequest, quote: Quote, accept_form: AcceptQuoteForm) -> HttpResponse:
    context = {
        "quote": quote,
        "lines": shown(quote.lines.all()),
        "accept_form": accept_form,
        "events": doc_selectors.document_history(company=request.company, document=quote),  # type: ignore[attr-defined]
        "open": quote.status in (Quote.Status.DRAFT, Quote.Status.SENT),
        **perms(request),
    }
    return render(request, "sales/documents/quotes/quote_detail.html", context, status=status_of(accept_form))


def _quote_action(request: HttpRequest, pk: int, action: Callable[..., Quote], message: str) -> HttpResponse:
    quote = doc_selectors.get_quote(**read(request), quote_id=pk)
    try:
        action(**ctx(request), quote=quote)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, message % {"number": str(quote)})
    return redirect("sales:quote_detail", pk=quote.pk)


@require_POST
@writer
def quote_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _quote_action(
        request, pk, quote_services.mark_quote_sent, _("見積書 %(number)s を提出済みにしました。")
    )


@require_POST
@writer
def quote_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _quote_action(request, pk, quote_services.decline_quote, _("見積書 %(number)s を失注にしました。"))


@require_POST
@writer
def quote_accept(request: HttpRequest, pk: int) -> HttpResponse:
    quote = doc_selectors.get_quote(**read(request), quote_id=pk)
    form = AcceptQuoteForm(request.POST)
    if form.is_valid():
        try:
            order = quote_services.accept_quote(**ctx(request), quote=quote, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("受注 %(number)s を登録しました。") % {"number": order.number})
            return redirect("sales:order_detail", pk=order.pk)
    return _quote_detail(request, quote, form)


@reader
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    quote = doc_selectors.get_quote(**read(request), quote_id=pk)
    return pdf_response(request, pdf.quote_pdf(quote), f"quote-{quote}")


# ------------------------------------------------------------------------------------- orders
def _order_filters(request: HttpRequest) -> OrderFilterForm:
    customers = doc_selectors.customer_choices(company=request.company)  # type: ignore[attr-defined]
    form = OrderFilterForm(request.GET or None, customers=customers)
    form.is_valid()
    return form


@reader
def order_list(request: HttpRequest) -> HttpResponse:
    form = _order_filters(request)
    qs = doc_selectors.order_list(**read(request), **form.filters())
    return render(
        request,
        "sales/documents/orders/order_list.html",
        {"form": form, "page_obj": page_of(request, qs), **perms(request)},
        status=status_of(form),
    )


@reader
def order_export(request: HttpRequest) -> HttpResponse:
    form = _order_filters(request)
    qs = doc_selectors.order_list(**read(request), **form.filters())

    def rows() -> Iterable[list[Any]]:
        yield [
            "受注番号",
            "受注日",
            "納期",
            "得意先コード",
            "得意先",
            "件名",
            "先方注文番号",
            "合計金額",
            "状態",
        ]
        for o in qs.iterator(chunk_size=2000):
            yield [
                o.number,
                o.date,
                o.delivery_date or "",
                o.customer.code,
                o.customer.name,
                o.subject,
                o.customer_reference,
                o.total,
                o.get_status_display(),
            ]

    return download(request, rows(), name="orders", title=_("受注一覧"))


@writer
def order_new(request: HttpRequest) -> HttpResponse:
    def save(data: dict[str, Any], specs: list[LineSpec]) -> Order:
        return quote_services.create_order(
            **ctx(request),
            customer=data["customer"],
            date=data["date"],
            lines=specs,
            subject=data["subject"],
            notes=data["notes"],
            prices_include_tax=data["prices_include_tax"],
            customer_reference=data["customer_reference"],
            delivery_date=data["delivery_date"],
        )

    def saved(order: Order) -> HttpResponse:
        messages.success(request, _("受注 %(number)s を登録しました。") % {"number": order.number})
        return redirect("sales:order_detail", pk=order.pk)

    return document_screen(
        request,
        kind="order",
        title=_("受注の登録"),
        initial={"date": timezone.localdate(), "customer": request.GET.get("customer", "")},
        lines=[],
        save=save,
        saved=saved,
        cancel_url=reverse("sales:order_list"),
    )


def _quantities_form(order: Order, data: Any, *, which: str) -> QuantitiesForm:
    progress = doc_selectors.order_progress(order=order)
    label = _("納品日") if which == "deliver" else _("請求日")
    form = QuantitiesForm(data, lines=progress, date_label=label)
    if data is None:
        form.initial = {"date": timezone.localdate()}
        for p in progress:
            left = p.to_deliver if which == "deliver" else p.to_invoice
            form.initial[f"q_{p.line.pk}"] = f"{left.normalize():f}"
    return form


@reader
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = doc_selectors.get_order(**read(request), order_id=pk)
    return _order_detail(request, order)


def _order_detail(
    request: HttpRequest,
    order: Order,
    deliver_form: QuantitiesForm | None = None,
    invoice_form: QuantitiesForm | None = None,
) -> HttpResponse:
    progress = doc_selectors.order_progress(order=order)
    shown(p.line for p in progress)
    active = order.status != Order.Status.CANCELLED
    context = {
        "order": order,
        "progress": progress,
        "deliveries": list(order.deliveries.all()),
        "invoices": sorted(order.invoices.all(), key=lambda i: (i.date, i.pk)),
        "deliver_form": deliver_form or _quantities_form(order, None, which="deliver"),
        "invoice_form": invoice_form or _quantities_form(order, None, which="invoice"),
        "can_deliver": active and any(p.to_deliver > 0 for p in progress),
        "can_invoice": active and any(p.to_invoice > 0 for p in progress),
        "can_cancel": order.status == Order.Status.OPEN and not order.invoices.all(),
        "events": doc_selectors.document_history(company=request.company, document=order),  # type: ignore[attr-defined]
        **perms(request),
    }
    return render(
        request,
        "sales/documents/orders/order_detail.html",
        context,
        status=status_of(deliver_form, invoice_form),
    )


def _put_line_errors(
    form: QuantitiesForm, exc: ServiceError, *, lines_by_index: list[int] | None = None
) -> None:
    """quantities.<line id> / lines.<n> → the quantity field of that line; the rest on the form."""
    placed = False
    for key, msgs in exc.field_errors.items():
        name = None
        if key.startswith("quantities."):
            name = f"q_{key.split('.', 1)[1]}"
        elif key.startswith("lines.") and lines_by_index is not None:
            index = key.split(".", 1)[1]
            if index.isdigit() and int(index) < len(lines_by_index):
                name = f"q_{lines_by_index[int(index)]}"
        elif key == "date":
            name = "date"
        for m in msgs:
            form.add_error(name if name in form.fields else None, m)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@require_POST
@writer
def order_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    """納品書を作成: the quantities delivered now (default: what is left to deliver)."""
    order = doc_selectors.get_order(**read(request), order_id=pk)
    form = _quantities_form(order, request.POST, which="deliver")
    if form.is_valid():
        try:
            note = quote_services.create_delivery_note(
                **ctx(request), order=order, date=form.cleaned_data["date"], quantities=form.quantities()
            )
        except ServiceError as exc:
            _put_line_errors(form, exc)
        else:
            messages.success(request, _("納品書 %(number)s を作成しました。") % {"number": note.number})
            return redirect(reverse("sales:order_detail", args=[order.pk]) + "#deliveries")
    return _order_detail(request, order, deliver_form=form)


@require_POST
@writer
def order_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    """請求書を作成: a draft invoice for the quantities given (default: what is left to invoice),
    each line pointing at its order line."""
    order = doc_selectors.get_order(**read(request), order_id=pk)
    form = _quantities_form(order, request.POST, which="invoice")
    if form.is_valid():
        wanted = [(p.line, form.cleaned_data[f"q_{p.line.pk}"]) for p in form.lines]
        wanted = [(line, q) for line, q in wanted if q > 0]
        if not wanted:
            form.add_error(None, _("請求する数量を入力してください。"))
        else:
            specs = [
                LineSpec(
                    description=line.description,
                    quantity=q,
                    unit_price=line.unit_price,
                    tax=line.tax,
                    unit=line.unit,
                    product=line.product,
                    order_line=line,
                )
                for line, q in wanted
            ]
            try:
                invoice = invoice_services.save_invoice_draft(
                    **ctx(request),
                    customer=order.customer,
                    date=form.cleaned_data["date"],
                    lines=specs,
                    subject=order.subject,
                    prices_include_tax=order.prices_include_tax,
                )
            except ServiceError as exc:
                _put_line_errors(form, exc, lines_by_index=[line.pk for line, _q in wanted])
            else:
                messages.success(request, _("請求書の下書きを作成しました。内容を確認して発行してください。"))
                return redirect("sales:invoice_detail", pk=invoice.pk)
    return _order_detail(request, order, invoice_form=form)


@require_POST
@writer
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = doc_selectors.get_order(**read(request), order_id=pk)
    try:
        quote_services.cancel_order(**ctx(request), order=order)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("受注 %(number)s を取り消しました。") % {"number": order.number})
    return redirect("sales:order_detail", pk=order.pk)


@reader
def delivery_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    note = doc_selectors.get_delivery(**read(request), delivery_id=pk)
    return pdf_response(request, pdf.delivery_note_pdf(note), f"delivery-{note.number}")
