"""得意先 and 品目 screens: lists with search, filters, pages and CSV/Excel export; register and
edit; a customer's page with its payment terms, contacts and 変更履歴; deactivate, reactivate and
delete (only what nothing refers to).

Views stay thin: a form parses, ``sales.services`` writes, ``sales.selectors`` reads. Reading
takes a role of ``permissions.READ_ROLES``, writing one of ``WRITE_ROLES`` (the services check it
again).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import xlsx
from ennoshita.core.csvio import SJIS, UnencodableError, defuse, encode_csv
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from . import selectors, services
from .customer_forms import ContactForm, CustomerFilterForm, CustomerForm, ProductFilterForm, ProductForm
from .models import END_OF_MONTH, Customer, Product
from .permissions import READ_ROLES, WRITE_ROLES, can_write

PAGE_SIZE = 50
reader = role_required(*READ_ROLES)
writer = role_required(*WRITE_ROLES)


def _ctx(request: HttpRequest) -> dict[str, Any]:
    """The keyword arguments every service takes from the request."""
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _error_text(exc: ServiceError) -> str:
    details = [m for messages_ in exc.field_errors.values() for m in messages_ if m != exc.message]
    return " ".join([exc.message, *details])


def _status(form: Any) -> int:
    return 400 if form.errors else 200


def _download(request: HttpRequest, rows: Iterable[list[Any]], *, name: str, title: str) -> HttpResponse:
    """The rows as Excel (?format=xlsx) or CSV: UTF-8 with BOM (Excel reads it as Japanese), or
    Shift_JIS with ?encoding=sjis (a character it cannot hold is listed, or 〓 with ?replace=1)."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            xlsx.write_book(rows, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
        return response
    sjis = request.GET.get("encoding") == "sjis"
    cells = ([defuse(v.isoformat() if hasattr(v, "isoformat") else v) for v in row] for row in rows)
    try:
        body = encode_csv(
            cells, encoding=SJIS if sjis else "utf-8-sig", replace=request.GET.get("replace") == "1"
        )
    except UnencodableError as exc:
        return render(
            request,
            "sales/customers/export_unencodable.html",
            {"error": exc, "problems": exc.problems[:100]},
            status=400,
        )
    response = HttpResponse(body, content_type=f"text/csv; charset={'shift_jis' if sjis else 'utf-8'}")
    suffix = "-sjis" if sjis else ""
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}{suffix}.csv"'
    return response


# ---------------------------------------------------------------------------- customers: list
def _customer_filters(request: HttpRequest) -> tuple[CustomerFilterForm, dict[str, Any]]:
    form = CustomerFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = {
        "q": data.get("q") or "",
        "status": data.get("status") or "active",
        "registration": data.get("registration") or "",
        "sort": request.GET.get("sort", "code"),
    }
    return form, filters


@reader
def customer_list(request: HttpRequest) -> HttpResponse:
    form, filters = _customer_filters(request)
    qs = selectors.customer_list(**_read(request), **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sales/customers/customer_list.html",
        {"form": form, "page_obj": page, "can_write": can_write(request.membership)},  # type: ignore[attr-defined]
        status=_status(form),
    )


@reader
def customer_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (every page) as CSV or Excel."""
    _form, filters = _customer_filters(request)
    qs = selectors.customer_list(**_read(request), **filters)
    return _download(
        request,
        selectors.customer_export_rows(qs.iterator(chunk_size=2000)),
        name="customers",
        title=_("得意先一覧"),
    )


# ---------------------------------------------------------------------------- customers: one
@reader
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.get_customer(**_read(request), customer_id=pk)
    return _render_detail(request, customer, ContactForm())


def _render_detail(request: HttpRequest, customer: Customer, contact_form: ContactForm) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    context = {
        "customer": customer,
        "contacts": selectors.customer_contacts(company=company, customer=customer),
        "contact_form": contact_form,
        "terms": selectors.customer_terms(company=company, customer=customer),
        "references": services.customer_references(customer),
        "events": selectors.customer_history(company=company, customer=customer),
        "can_write": can_write(request.membership),  # type: ignore[attr-defined]
        "closing_label": selectors.day_label(customer.closing_day),
        "payment_label": selectors.day_label(customer.payment_day),
    }
    return render(request, "sales/customers/customer_detail.html", context, status=_status(contact_form))


def _customer_screen(request: HttpRequest, customer: Customer | None) -> HttpResponse:
    initial = CustomerForm.initial_of(customer) if customer is not None else {}
    form = CustomerForm(request.POST or None, initial=initial)
    similar: list[Customer] = []
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            if customer is None:
                saved = services.create_customer(**_ctx(request), **arguments)
            else:
                saved = services.update_customer(**_ctx(request), customer=customer, **arguments)
        except ServiceError as exc:
            apply_service_error(form, exc)
            if exc.code == "similar_name":
                form.show_similar_confirmation()
                similar = selectors.similar_customers(
                    **_read(request),
                    name=arguments["name"],
                    exclude_id=customer.pk if customer is not None else None,
                )
        else:
            if customer is None:
                messages.success(request, _("得意先「%(name)s」を登録しました。") % {"name": saved.name})
            else:
                messages.success(request, _("得意先「%(name)s」を保存しました。") % {"name": saved.name})
            return redirect("sales:customer_detail", pk=saved.pk)
    terms = _terms_of(request, form, customer)
    context = {"form": form, "customer": customer, "similar": similar, "terms": terms}
    return render(request, "sales/customers/customer_form.html", context, status=_status(form))


def _terms_of(request: HttpRequest, form: CustomerForm, customer: Customer | None) -> Any:
    """The payment terms the form shows, with an example due date."""
    source = form.data if form.is_bound else None
    values = {
        "closing_day": customer.closing_day if customer else END_OF_MONTH,
        "payment_months_after": customer.payment_months_after if customer else 1,
        "payment_day": customer.payment_day if customer else END_OF_MONTH,
        "holiday_rule": customer.holiday_rule if customer else "",
    }
    return _terms(request, source, values)


def _terms(request: HttpRequest, source: Any, values: dict[str, Any]) -> Any:
    if source is not None:
        for name in ("closing_day", "payment_months_after", "payment_day"):
            try:
                values[name] = int(source.get(name, values[name]))
            except (TypeError, ValueError):
                return None
        values["holiday_rule"] = source.get("holiday_rule", values["holiday_rule"]) or ""
    return selectors.payment_terms(
        company=request.company,  # type: ignore[attr-defined]
        closing_day=values["closing_day"],
        months_after=values["payment_months_after"],
        pay_day=values["payment_day"],
        holiday_rule=values["holiday_rule"],
    )


@reader
def customer_terms(request: HttpRequest) -> HttpResponse:
    """The payment-terms example for the choices on the form (HTMX partial)."""
    values = {
        "closing_day": END_OF_MONTH,
        "payment_months_after": 1,
        "payment_day": END_OF_MONTH,
        "holiday_rule": "",
    }
    terms = _terms(request, request.GET, values)
    return render(request, "sales/customers/_terms.html", {"terms": terms})


@writer
def customer_new(request: HttpRequest) -> HttpResponse:
    return _customer_screen(request, None)


@writer
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.get_customer(**_read(request), customer_id=pk)
    return _customer_screen(request, customer)


@require_POST
@writer
def customer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.get_customer(**_read(request), customer_id=pk)
    services.deactivate_customer(**_ctx(request), customer=customer)
    messages.success(request, _("「%(name)s」との取引を停止しました。") % {"name": customer.name})
    return redirect("sales:customer_detail", pk=pk)


@require_POST
@writer
def customer_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.get_customer(**_read(request), customer_id=pk)
    services.reactivate_customer(**_ctx(request), customer=customer)
    messages.success(request, _("「%(name)s」を取引中に戻しました。") % {"name": customer.name})
    return redirect("sales:customer_detail", pk=pk)


@require_POST
@writer
def customer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.get_customer(**_read(request), customer_id=pk)
    try:
        services.delete_customer(**_ctx(request), customer=customer)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
        return redirect("sales:customer_detail", pk=pk)
    messages.success(request, _("得意先「%(name)s」を削除しました。") % {"name": customer.name})
    return redirect("sales:customer_list")


@require_POST
@writer
def customer_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.get_customer(**_read(request), customer_id=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = services.add_contact(**_ctx(request), customer=customer, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("担当者「%(name)s」を追加しました。") % {"name": contact.name})
            return redirect(reverse("sales:customer_detail", args=[pk]) + "#contacts")
    return _render_detail(request, customer, form)


@require_POST
@writer
def customer_contact_delete(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    customer = selectors.get_customer(**_read(request), customer_id=pk)
    contact = selectors.get_contact(company=request.company, customer=customer, contact_id=contact_id)  # type: ignore[attr-defined]
    services.remove_contact(**_ctx(request), contact=contact)
    messages.success(request, _("担当者「%(name)s」を削除しました。") % {"name": contact.name})
    return redirect(reverse("sales:customer_detail", args=[pk]) + "#contacts")


# ---------------------------------------------------------------------------- products
def _product_filters(request: HttpRequest) -> tuple[ProductFilterForm, dict[str, Any]]:
    form = ProductFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = {
        "q": data.get("q") or "",
        "status": data.get("status") or "active",
        "tax": data.get("tax") or "",
        "sort": request.GET.get("sort", "code"),
    }
    return form, filters


def _with_display(products: Iterable[Product]) -> list[Product]:
    rows = list(products)
    for p in rows:
        p.price_display = selectors.price_display(p)  # type: ignore[attr-defined]
        p.tax_display = selectors.tax_label(p.tax)  # type: ignore[attr-defined]
    return rows


@reader
def product_list(request: HttpRequest) -> HttpResponse:
    form, filters = _product_filters(request)
    qs = selectors.product_list(**_read(request), **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_display(page.object_list)
    return render(
        request,
        "sales/products/product_list.html",
        {"form": form, "page_obj": page, "can_write": can_write(request.membership)},  # type: ignore[attr-defined]
        status=_status(form),
    )


@reader
def product_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _product_filters(request)
    qs = selectors.product_list(**_read(request), **filters)
    return _download(
        request,
        selectors.product_export_rows(qs.iterator(chunk_size=2000)),
        name="products",
        title=_("品目一覧"),
    )


def _product_screen(request: HttpRequest, product: Product | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if product is not None:
        initial = {
            "code": product.code,
            "name": product.name,
            "unit": product.unit,
            "unit_price": services.format_unit_price(product.unit_price).replace(",", ""),
            "tax": product.tax,
            "is_active": product.is_active,
        }
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if product is None:
                saved = services.create_product(**_ctx(request), **form.cleaned_data)
            else:
                saved = services.update_product(**_ctx(request), product=product, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("品目「%(name)s」を保存しました。") % {"name": saved.name})
            return redirect(reverse("sales:product_list") + f"#product-{saved.pk}")
    context = {
        "form": form,
        "product": product,
        "events": selectors.product_history(company=request.company, product=product) if product else None,  # type: ignore[attr-defined]
    }
    return render(request, "sales/products/product_form.html", context, status=_status(form))


@writer
def product_new(request: HttpRequest) -> HttpResponse:
    return _product_screen(request, None)


@writer
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product(**_read(request), product_id=pk)
    return _product_screen(request, product)


@require_POST
@writer
def product_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product(**_read(request), product_id=pk)
    services.deactivate_product(**_ctx(request), product=product)
    messages.success(request, _("品目「%(name)s」を使用停止にしました。") % {"name": product.name})
    return redirect("sales:product_edit", pk=pk)


@require_POST
@writer
def product_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product(**_read(request), product_id=pk)
    services.reactivate_product(**_ctx(request), product=product)
    messages.success(request, _("品目「%(name)s」を使用中に戻しました。") % {"name": product.name})
    return redirect("sales:product_edit", pk=pk)


@require_POST
@writer
def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.get_product(**_read(request), product_id=pk)
    try:
        services.delete_product(**_ctx(request), product=product)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
        return redirect("sales:product_edit", pk=pk)
    messages.success(request, _("品目「%(name)s」を削除しました。") % {"name": product.name})
    return redirect("sales:product_list")
