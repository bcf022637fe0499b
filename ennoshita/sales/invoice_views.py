"""Screens of 請求書 and 返還請求書: the list (search, filters, CSV/Excel), drafts (new / edit /
delete), the detail with every item of a 適格請求書, issuing (with the 与信 warning), the PDF,
credit notes, and the record of sending."""

from __future__ import annotations

from collections.abc import Iterable
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
from ennoshita.ledger.permissions import can_read as can_read_books

from . import pdf
from .document_forms import (
    CreditNoteForm,
    InvoiceFilterForm,
    SendForm,
    apply_document_error,
    initial_rows,
    line_formset,
    parse_lines,
)
from .document_views import (
    document_screen,
    lines_js_data,
    page_of,
    pdf_response,
    perms,
    reader,
    shown,
    status_of,
    writer,
)
from .models import Invoice, OrderLine
from .selectors import documents as doc_selectors
from .services import invoices as invoice_services
from .services.lines import LineSpec


def _filters(request: HttpRequest) -> InvoiceFilterForm:
    customers = doc_selectors.customer_choices(company=request.company)  # type: ignore[attr-defined]
    form = InvoiceFilterForm(request.GET or None, customers=customers)
    form.is_valid()
    return form


@reader
def invoice_list(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    qs = doc_selectors.invoice_list(**read(request), **form.filters())
    return render(
        request,
        "sales/documents/invoices/invoice_list.html",
        {"form": form, "page_obj": page_of(request, qs), "today": timezone.localdate(), **perms(request)},
        status=status_of(form),
    )


INVOICE_HEADER = [
    "種類",
    "請求書番号",
    "請求日",
    "得意先コード",
    "得意先",
    "件名",
    "税抜金額",
    "消費税額",
    "合計金額",
    "未回収残高",
    "支払期日",
    "状態",
    "送付日時",
    "訂正する請求書",
]


@reader
def invoice_export(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    qs = doc_selectors.invoice_list(**read(request), **form.filters())

    def rows() -> Iterable[list[Any]]:
        yield INVOICE_HEADER
        for i in qs.iterator(chunk_size=2000):
            yield [
                i.get_kind_display(),
                i.number or str(_("下書き")),
                i.date,
                i.customer.code,
                i.customer.name,
                i.subject,
                i.subtotal,
                i.tax_total,
                i.total,
                i.open_amount,
                i.due_date or "",
                i.get_status_display(),
                timezone.localtime(i.sent_at).strftime("%Y-%m-%d %H:%M") if i.sent_at else "",
                i.credit_of.number if i.credit_of else "",
            ]

    return download(request, rows(), name="invoices", title=_("請求書一覧"))


# ------------------------------------------------------------------------------------- drafts
def _order_lines_of(request: HttpRequest, data: Any) -> dict[int, OrderLine]:
    """The order lines a posted draft points at (hidden field per row), in this company only."""
    ids = []
    for key, value in data.items():
        if key.startswith("lines-") and key.endswith("-order_line") and str(value).isdigit():
            ids.append(int(value))
    if not ids:
        return {}
    return {
        ln.pk: ln
        for ln in OrderLine.objects.for_company(request.company)  # type: ignore[attr-defined]
        .filter(pk__in=ids)
        .select_related("order")
        .prefetch_related("invoice_lines")
    }


def _saved(request: HttpRequest, message: str) -> Any:
    def answer(invoice: Invoice) -> HttpResponse:
        messages.success(request, message)
        return redirect("sales:invoice_detail", pk=invoice.pk)

    return answer


@writer
def invoice_new(request: HttpRequest) -> HttpResponse:
    def save(data: dict[str, Any], specs: list[LineSpec]) -> Invoice:
        return invoice_services.save_invoice_draft(
            **ctx(request),
            customer=data["customer"],
            date=data["date"],
            lines=specs,
            subject=data["subject"],
            notes=data["notes"],
            prices_include_tax=data["prices_include_tax"],
            due_date=data["due_date"],
        )

    return document_screen(
        request,
        kind="invoice",
        title=_("請求書の作成"),
        initial={"date": timezone.localdate(), "customer": request.GET.get("customer", "")},
        lines=[],
        save=save,
        saved=_saved(request, _("請求書の下書きを保存しました。")),
        cancel_url=reverse("sales:invoice_list"),
        order_lines=_order_lines_of(request, request.POST) if request.method == "POST" else None,
    )


@writer
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = doc_selectors.get_invoice(**read(request), invoice_id=pk)
    if invoice.status != Invoice.Status.DRAFT:
        messages.error(request, _("発行済みの請求書は変更できません。返還請求書で訂正してください。"))
        return redirect("sales:invoice_detail", pk=invoice.pk)

    def save(data: dict[str, Any], specs: list[LineSpec]) -> Invoice:
        return invoice_services.save_invoice_draft(
            **ctx(request),
            customer=data["customer"],
            date=data["date"],
            lines=specs,
            subject=data["subject"],
            notes=data["notes"],
            prices_include_tax=data["prices_include_tax"],
            due_date=data["due_date"],
            draft=invoice,
        )

    return document_screen(
        request,
        kind="invoice",
        title=_("請求書(下書き)の編集"),
        initial={
            "customer": str(invoice.customer_id),
            "date": invoice.date,
            "due_date": invoice.due_date,
            "subject": invoice.subject,
            "notes": invoice.notes,
            "prices_include_tax": invoice.prices_include_tax,
        },
        lines=initial_rows(list(invoice.lines.all())),
        save=save,
        saved=_saved(request, _("請求書の下書きを保存しました。")),
        cancel_url=reverse("sales:invoice_detail", args=[invoice.pk]),
        order_lines=_order_lines_of(request, request.POST) if request.method == "POST" else None,
        customer_ids=[invoice.customer_id],
    )


@require_POST
@writer
def invoice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = doc_selectors.get_invoice(**read(request), invoice_id=pk)
    try:
        invoice_services.delete_invoice_draft(**ctx(request), invoice=invoice)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return redirect("sales:invoice_detail", pk=invoice.pk)
    messages.success(request, _("請求書の下書きを削除しました。"))
    return redirect("sales:invoice_list")


# ------------------------------------------------------------------------------------- detail
def _rate_rows(invoice: Invoice) -> list[dict[str, Any]]:
    """税率ごとの対価の額と消費税額 (from the stored per-rate totals), highest rate first."""
    rows = []
    for rate, figures in sorted(invoice.rate_totals.items(), key=lambda kv: -int(kv[0])):
        base, tax = figures.get("base", 0), figures.get("tax", 0)
        rows.append(
            {"rate": int(rate), "base": base, "tax": tax, "gross": base + tax, "reduced": rate == "8"}
        )
    return rows


@reader
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = doc_selectors.get_invoice(**read(request), invoice_id=pk)
    return _detail(request, invoice)


def _detail(request: HttpRequest, invoice: Invoice, *, send_form: SendForm | None = None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    lines = shown(invoice.lines.all())
    draft = invoice.status == Invoice.Status.DRAFT
    context = {
        "invoice": invoice,
        "lines": lines,
        "rate_rows": _rate_rows(invoice),
        "has_reduced": any(ln.is_reduced_rate for ln in lines),
        "allocations": list(invoice.allocations.all()),
        "advance_applications": list(invoice.advance_applications.all()),
        "credits": list(invoice.credits.all()),
        "orders": list(invoice.orders.all()),
        "warning": (
            doc_selectors.credit_warning(company=company, customer=invoice.customer, extra=invoice.total)
            if draft and invoice.kind == Invoice.Kind.INVOICE
            else None
        ),
        "journal_url": (
            reverse("ledger:entry_detail", args=[invoice.journal_entry_id])
            if invoice.journal_entry_id and can_read_books(membership)
            else None
        ),
        "send_form": send_form or SendForm(initial={"sent_to": invoice.customer.email}),
        "events": doc_selectors.document_history(company=company, document=invoice),
        "can_credit": invoice.status == Invoice.Status.ISSUED
        and invoice.kind == Invoice.Kind.INVOICE
        and invoice.open_amount > 0,
        **perms(request),
    }
    return render(
        request, "sales/documents/invoices/invoice_detail.html", context, status=status_of(send_form)
    )


@require_POST
@writer
def invoice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = doc_selectors.get_invoice(**read(request), invoice_id=pk)
    try:
        issued = invoice_services.issue_invoice(**ctx(request), invoice=invoice)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("請求書 %(number)s を発行しました(%(total)s円)。")
            % {"number": issued.number, "total": f"{issued.total:,}"},
        )
    return redirect("sales:invoice_detail", pk=invoice.pk)


@reader
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = doc_selectors.get_invoice(**read(request), invoice_id=pk)
    name = invoice.number or f"draft-{invoice.pk}"
    return pdf_response(request, pdf.invoice_pdf(invoice), f"invoice-{name}")


@require_POST
@writer
def invoice_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """送付の記録."""
    invoice = doc_selectors.get_invoice(**read(request), invoice_id=pk)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            invoice_services.record_invoice_sent(
                **ctx(request), invoice=invoice, sent_to=form.cleaned_data["sent_to"]
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("送付を記録しました。"))
            return redirect("sales:invoice_detail", pk=invoice.pk)
    return _detail(request, invoice, send_form=form)


# ------------------------------------------------------------------------------------- credit
@writer
def invoice_credit(request: HttpRequest, pk: int) -> HttpResponse:
    """返還請求書を作成: date, reason and lines (prefilled from the invoice's lines)."""
    invoice = doc_selectors.get_invoice(**read(request), invoice_id=pk)
    if invoice.status != Invoice.Status.ISSUED or invoice.kind != Invoice.Kind.INVOICE:
        messages.error(request, _("発行済みの請求書に対してだけ返還請求書を発行できます。"))
        return redirect("sales:invoice_detail", pk=invoice.pk)
    products = doc_selectors.product_choices(company=request.company)  # type: ignore[attr-defined]
    general: list[str] = []
    if request.method == "POST":
        form = CreditNoteForm(request.POST)
        formset = line_formset(products=products, data=request.POST)
        ok = form.is_valid()
        parsed = parse_lines(formset)
        if ok and parsed is not None:
            if not parsed.specs:
                general.append(_("明細を1行以上入力してください。"))
            else:
                try:
                    credit = invoice_services.issue_credit_note(
                        **ctx(request),
                        invoice=invoice,
                        date=form.cleaned_data["date"],
                        reason=form.cleaned_data["reason"],
                        lines=parsed.specs,
                    )
                except ServiceError as exc:
                    general = apply_document_error(form, formset, parsed, exc)
                else:
                    messages.success(
                        request, _("返還請求書 %(number)s を発行しました。") % {"number": credit.number}
                    )
                    return redirect("sales:invoice_detail", pk=credit.pk)
    else:
        form = CreditNoteForm(initial={"date": max(timezone.localdate(), invoice.date)})
        rows = initial_rows(list(invoice.lines.all()))
        for row in rows:
            row["order_line"] = None
        formset = line_formset(products=products, initial=rows, rows=len(rows) + 1)
    context = {
        "invoice": invoice,
        "form": form,
        "formset": formset,
        "general_errors": general,
        "js_data": lines_js_data(request, products),
    }
    return render(
        request,
        "sales/documents/invoices/credit_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
