"""Screens of 仕入先 (経理 / admin): the list (search, CSV / Excel), the form with the bank lookup,
the detail with its bills and what the company owes it.

Views parse, call ``purchasing.services.vendors`` / ``purchasing.selectors.vendors`` and render;
the services check the permissions again. Another company's vendor is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.web import error_text, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from .forms import VendorFilterForm, VendorForm, put_errors
from .models import Vendor
from .permissions import ACCOUNTING_ROLES
from .selectors import vendors as selectors
from .services import vendors as services

PAGE_SIZE = 50
accounting = role_required(*ACCOUNTING_ROLES)


def wants_download(request: HttpRequest) -> bool:
    return request.GET.get("format") in ("csv", "xlsx")


def _vendor_rows(vendors: Iterable[Vendor]) -> Iterable[list[Any]]:
    yield [
        "仕入先コード",
        "仕入先名",
        "フリガナ",
        "登録番号",
        "銀行コード",
        "支店コード",
        "預金種目",
        "口座番号",
        "口座名義",
        "締め日",
        "支払月",
        "支払日",
        "取引中",
    ]
    for v in vendors:
        yield [
            v.code,
            v.name,
            v.kana,
            v.registration_number,
            v.bank_code,
            v.branch_code,
            v.get_account_type_display() if v.bank_code else "",
            v.account_number,
            v.account_holder,
            v.closing_day,
            v.payment_month_offset,
            v.payment_day,
            "○" if v.is_active else "",
        ]


@accounting
def vendor_list(request: HttpRequest) -> HttpResponse:
    form = VendorFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    active = {"1": True, "0": False}.get(f.get("active", ""))
    qs = selectors.vendor_list(**read(request), q=f.get("q", ""), active=active)
    if wants_download(request):
        return table_download(request, _vendor_rows(qs), name="vendors", title=_("仕入先"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "purchasing/vendor_list.html", {"form": form, "page_obj": page})


def _initial(vendor: Vendor) -> dict[str, Any]:
    return {name: getattr(vendor, name) for name in VendorForm.base_fields}


def _vendor_form(request: HttpRequest, vendor: Vendor | None) -> HttpResponse:
    post = request.method == "POST"
    form = VendorForm(request.POST if post else None, initial=_initial(vendor) if vendor else None)
    if post and form.is_valid():
        try:
            if vendor is None:
                saved = services.create_vendor(**ctx(request), data=form.data_input())
            else:
                saved = services.update_vendor(**ctx(request), vendor=vendor, data=form.data_input())
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("仕入先を保存しました。"))
            return redirect("purchasing:vendor_detail", saved.pk)
    return render(
        request,
        "purchasing/vendor_form.html",
        {"form": form, "vendor": vendor},
        status=400 if form.errors else 200,
    )


@accounting
def vendor_new(request: HttpRequest) -> HttpResponse:
    return _vendor_form(request, None)


@accounting
def vendor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _vendor_form(request, selectors.get_vendor(**read(request), vendor_id=pk))


@accounting
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    vendor = selectors.get_vendor(**read(request), vendor_id=pk)
    bills = Paginator(selectors.vendor_bills(company=company, vendor=vendor), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "purchasing/vendor_detail.html",
        {
            "vendor": vendor,
            "page_obj": bills,
            "balance": selectors.vendor_balance(company=company, vendor=vendor),
            "terms": selectors.terms_text(vendor),
            "bank": selectors.bank_name(vendor),
        },
    )


@require_POST
@accounting
def vendor_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = selectors.get_vendor(**read(request), vendor_id=pk)
    active = request.POST.get("active") == "1"
    services.set_vendor_active(**ctx(request), vendor=vendor, active=active)
    messages.success(request, _("取引を再開しました。") if active else _("取引停止にしました。"))
    return redirect("purchasing:vendor_detail", vendor.pk)


@require_POST
@accounting
def vendor_delete(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = selectors.get_vendor(**read(request), vendor_id=pk)
    try:
        services.delete_vendor(**ctx(request), vendor=vendor)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return redirect("purchasing:vendor_detail", vendor.pk)
    messages.success(request, _("仕入先を削除しました。"))
    return redirect("purchasing:vendor_list")


@accounting
def bank_search(request: HttpRequest) -> HttpResponse:
    """Bank candidates as ``<option>`` rows for the form's datalist (HTMX, as one types)."""
    q = request.GET.get("bank_code", "") or request.GET.get("q", "")
    return render(
        request, "purchasing/vendor_bank_options.html", {"candidates": selectors.bank_candidates(q=q[:40])}
    )


@accounting
def branch_search(request: HttpRequest) -> HttpResponse:
    """Branch candidates of the bank typed in the form."""
    bank_code = request.GET.get("bank_code", "")[:10]
    q = request.GET.get("branch_code", "") or request.GET.get("q", "")
    return render(
        request,
        "purchasing/vendor_bank_options.html",
        {"candidates": selectors.branch_candidates(bank_code=bank_code, q=q[:40])},
    )
