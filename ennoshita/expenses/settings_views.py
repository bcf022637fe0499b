"""経費の設定 (経理 / admin): the thresholds, the 日当 and the categories."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from . import selectors, services
from .forms import CategoryForm, SettingsForm
from .models import ExpenseCategory
from .permissions import ACCOUNTING_ROLES
from .services.setup import SETTINGS_FIELDS


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


@role_required(*ACCOUNTING_ROLES)
def expense_settings(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    current = selectors.settings_of(company=company)
    form = SettingsForm(request.POST or None, initial={f: getattr(current, f) for f in SETTINGS_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(**_ctx(request), **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("経費精算の設定を保存しました。"))
            return redirect("expenses:settings")
    events = core_selectors.audit_events_for_object(
        company=company, object_type="expenses.expensesettings", object_id=str(current.pk)
    )[:50]
    return render(
        request,
        "expenses/settings.html",
        {
            "form": form,
            "categories": selectors.categories(company=company, active_only=False),
            "events": events,
        },
        status=400 if form.errors else 200,
    )


def _category_form(request: HttpRequest, category: ExpenseCategory | None) -> HttpResponse:
    fields = (
        "code",
        "name",
        "account_code",
        "tax_handling",
        "kind",
        "receipt_required",
        "books_only",
        "is_active",
        "sort_order",
    )
    initial = (
        {f: getattr(category, f) for f in fields}
        if category
        else {"receipt_required": True, "is_active": True}
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_category(**_ctx(request), category=category, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("経費の区分を保存しました。"))
            return redirect("expenses:settings")
    return render(
        request,
        "expenses/category_form.html",
        {"form": form, "category": category},
        status=400 if form.errors else 200,
    )


@role_required(*ACCOUNTING_ROLES)
def category_new(request: HttpRequest) -> HttpResponse:
    selectors.settings_of(company=request.company)  # type: ignore[attr-defined]
    return _category_form(request, None)


@role_required(*ACCOUNTING_ROLES)
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = selectors.get_category(company=request.company, category_id=pk)  # type: ignore[attr-defined]
    return _category_form(request, category)
