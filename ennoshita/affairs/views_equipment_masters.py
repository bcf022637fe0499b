"""Screens of the 備品 masters (分類, 場所) and of 総務の設定 (the fixed-asset threshold and the month
of the 定期健康診断).

Every form here has the same shape, kept in ``_form_page``: a valid POST goes to the service, a
success message and back to the list; a refusal shows on the fields, with 400. Views parse, call
``affairs.services`` / ``affairs.selectors`` and render; the services check the roles again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from .forms_equipment import AffairsSettingsForm, CategoryForm, LocationForm
from .selectors import equipment as selectors
from .services import equipment as services
from .services import settings as settings_services
from .views_equipment import readers, writers


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[..., object],
    *,
    done: str,
    back: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A POSTed form that is valid goes to ``save`` (the service, already given who acts and on
    what) with the form's fields as keywords. When it writes: ``done`` as the message and a redirect
    to the page named ``back``. Otherwise the page again with the form, 400 while it has errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------ 分類
@readers
def equipment_categories(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    can_write = selectors.can_write(request.membership)  # type: ignore[attr-defined]
    form = CategoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not can_write:
        raise PermissionDeniedError()
    return _form_page(
        request,
        form,
        partial(services.create_category, **ctx(request)),
        done=_("分類を追加しました。"),
        back="affairs:equipment_categories",
        template="affairs/equipment/categories.html",
        context={"categories": selectors.categories(company=company), "can_write": can_write},
    )


@writers
def equipment_category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = selectors.get_category(**read(request), category_id=pk)
    post = request.method == "POST"
    form = CategoryForm(request.POST if post else None, initial=CategoryForm.of(category))
    return _form_page(
        request,
        form,
        partial(services.update_category, **ctx(request), category=category),
        done=_("分類を保存しました。"),
        back="affairs:equipment_categories",
        template="affairs/equipment/category_form.html",
        context={"category": category},
    )


# ------------------------------------------------------------------------------ 場所
@readers
def location_list(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    can_write = selectors.can_write(request.membership)  # type: ignore[attr-defined]
    form = LocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not can_write:
        raise PermissionDeniedError()
    return _form_page(
        request,
        form,
        partial(settings_services.create_location, **ctx(request)),
        done=_("場所を追加しました。"),
        back="affairs:location_list",
        template="affairs/equipment/locations.html",
        context={"locations": selectors.locations(company=company), "can_write": can_write},
    )


@writers
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    location = selectors.get_location(company=request.company, location_id=pk)  # type: ignore[attr-defined]
    post = request.method == "POST"
    form = LocationForm(request.POST if post else None, initial={"name": location.name})
    return _form_page(
        request,
        form,
        partial(settings_services.rename_location, **ctx(request), location=location),
        done=_("場所を保存しました。"),
        back="affairs:location_list",
        template="affairs/equipment/location_form.html",
        context={"location": location},
    )


@require_POST
@writers
def location_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    location = selectors.get_location(company=request.company, location_id=pk)  # type: ignore[attr-defined]
    active = request.POST.get("active") == "1"
    settings_services.set_location_active(**ctx(request), location=location, active=active)
    messages.success(request, _("場所を使用中にしました。") if active else _("場所を使用停止にしました。"))
    return redirect("affairs:location_list")


# ------------------------------------------------------------------------------ 総務の設定
@writers
def affairs_settings(request: HttpRequest) -> HttpResponse:
    """総務の設定: the fixed-asset threshold and the month of the 定期健康診断."""
    row = settings_services.settings_of(request.company)  # type: ignore[attr-defined]
    post = request.method == "POST"
    form = AffairsSettingsForm(
        request.POST if post else None,
        initial={"fixed_asset_threshold": int(row.fixed_asset_threshold), "checkup_month": row.checkup_month},
    )
    return _form_page(
        request,
        form,
        partial(settings_services.update_affairs_settings, **ctx(request)),
        done=_("総務の設定を保存しました。"),
        back="affairs:affairs_settings",
        template="affairs/equipment/settings.html",
        context={"row": row},
    )
