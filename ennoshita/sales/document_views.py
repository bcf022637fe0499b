"""What the screens of sales documents share: role checks, the service arguments from the request,
downloads (CSV / Excel), PDFs, and the lines form of quotes, orders and invoice drafts. The screens
are in ``quote_views`` (見積書・受注), ``invoice_views``, ``payment_views`` and ``receivable_views``.

Views stay thin: a form parses, ``sales.services`` writes, ``sales.selectors.documents`` reads.
Reading takes a role of ``permissions.READ_ROLES``, writing one of ``WRITE_ROLES`` (the services
check it again); buttons a user cannot use are not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import role_required

from .document_forms import (
    DocumentForm,
    apply_document_error,
    line_formset,
    parse_lines,
)
from .models import TAX_RATES, SalesTax
from .permissions import PAYMENT_ROLES, READ_ROLES, WRITE_ROLES, can_record_payments, can_write
from .selectors import documents as doc_selectors
from .services.lines import LineSpec, settings_of

PAGE_SIZE = 50
reader = role_required(*READ_ROLES)
writer = role_required(*WRITE_ROLES)
payer = role_required(*PAYMENT_ROLES)


def perms(request: HttpRequest) -> dict[str, bool]:
    membership = request.membership  # type: ignore[attr-defined]
    return {"can_write": can_write(membership), "can_pay": can_record_payments(membership)}


def pdf_response(request: HttpRequest, body: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser, or downloaded with ?download=1."""
    response = HttpResponse(body, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") == "1" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.pdf"'
    return response


def number_text(value: Any) -> str:
    """10.000 → "10", 12345.5000 → "12,345.5" (no exponent, no trailing zeros)."""
    return f"{value.normalize():,f}" if value is not None else ""


def shown(lines: Iterable[Any]) -> list[Any]:
    """Lines with their quantity and unit price as people write them (qty_display, price_display)."""
    rows = list(lines)
    for ln in rows:
        ln.qty_display = number_text(ln.quantity)
        ln.price_display = number_text(ln.unit_price)
    return rows


def page_of(request: HttpRequest, qs: Any) -> Any:
    """The requested page of a list; a queryset's page is read keys first (core.paging: a deep
    page of a long search stays fast)."""
    paginator = KeysFirstPaginator if isinstance(qs, QuerySet) else Paginator
    return paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def status_of(*forms_: Any) -> int:
    return 400 if any(f is not None and f.errors for f in forms_) else 200


# ------------------------------------------------------------------------------------- lines form
def lines_js_data(request: HttpRequest, products: list[Any]) -> dict[str, Any]:
    """What document_lines.js needs: each product's defaults, the rates, the rounding."""
    settings = settings_of(request.company)  # type: ignore[attr-defined]
    return {
        "rounding": settings.tax_rounding,
        "rates": {code: TAX_RATES[SalesTax(code)] for code in SalesTax.values},
        "products": {
            str(p.pk): {
                "description": p.name,
                "unit": p.unit,
                "unit_price": f"{p.unit_price.normalize():f}",
                "tax": p.tax,
            }
            for p in products
        },
    }


def document_screen(
    request: HttpRequest,
    *,
    kind: str,
    title: str,
    initial: dict[str, Any],
    lines: list[dict[str, Any]],
    save: Callable[[dict[str, Any], list[LineSpec]], Any],
    saved: Callable[[Any], HttpResponse],
    cancel_url: str,
    order_lines: dict[int, Any] | None = None,
    customer_ids: Iterable[int] = (),
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The head form and the lines of a quote / order / invoice draft; ``save`` calls the
    service, ``saved`` answers after a successful save."""
    company = request.company  # type: ignore[attr-defined]
    customers = doc_selectors.customer_choices(company=company, include=customer_ids)
    products = doc_selectors.product_choices(company=company)
    general: list[str] = []
    if request.method == "POST":
        head = DocumentForm(request.POST, kind=kind, customers=customers)
        formset = line_formset(products=products, data=request.POST)
        head_ok = head.is_valid()
        parsed = parse_lines(formset, order_lines=order_lines)
        if head_ok and parsed is not None:
            if not parsed.specs:
                general.append(_("明細を1行以上入力してください。"))
            else:
                try:
                    obj = save(head.cleaned_data, parsed.specs)
                except ServiceError as exc:
                    general = apply_document_error(head, formset, parsed, exc)
                else:
                    return saved(obj)
    else:
        pricing = initial.get("prices_include_tax", settings_of(company).prices_include_tax)
        head = DocumentForm(
            initial={**initial, "prices_include_tax": "1" if pricing else "0"}, kind=kind, customers=customers
        )
        formset = line_formset(products=products, initial=lines)
    context = {
        "title": title,
        "head": head,
        "formset": formset,
        "general_errors": general,
        "js_data": lines_js_data(request, products),
        "cancel_url": cancel_url,
        **(extra or {}),
    }
    return render(
        request,
        "sales/documents/document_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
