"""会計 screens: the top page, fiscal years and month locks, and the ledger settings.

The entry screens are in ``entry_views``, the chart of accounts in ``account_views``. Views stay
thin: they parse with a form, call ``services`` (writes) or ``entry_selectors`` (reads), and render.
Every ledger page first calls ``services.ensure_books`` so that a company created before the
ledger existed gets its books.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import error_text, role_required
from ennoshita.core.web import service_kwargs as ctx

from . import entry_selectors, services
from .forms import LedgerSettingsForm, MonthForm, ReasonForm
from .permissions import READ_ROLES, WRITE_ROLES, can_write

REPORT_LINKS = (
    ("ledger:journal", gettext_lazy("仕訳帳")),
    ("ledger:general_ledger", gettext_lazy("総勘定元帳")),
    ("ledger:trial_balance", gettext_lazy("試算表")),
    ("ledger:balance_sheet", gettext_lazy("貸借対照表")),
    ("ledger:profit_and_loss", gettext_lazy("損益計算書")),
    ("ledger:monthly_trend", gettext_lazy("月次推移")),
    ("ledger:tax_summary", gettext_lazy("消費税集計")),
)


def ledger_view(*roles: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A ledger page for these roles: membership and role checked, the books made on first use."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @role_required(*roles)
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            services.ensure_books(company=request.company)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


reader = ledger_view(*READ_ROLES)
writer = ledger_view(*WRITE_ROLES)


def report_links() -> list[dict[str, str]]:
    """Links to the report screens that exist (a name that does not resolve yet is skipped)."""
    links = []
    for name, label in REPORT_LINKS:
        try:
            links.append({"name": name, "url": reverse(name), "label": str(label)})
        except NoReverseMatch:
            continue
    return links


# ------------------------------------------------------------------------------ 会計 top


@reader
def home(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    today = timezone.localdate()
    years = entry_selectors.fiscal_years(company=company)
    current = next((y for y in years if y.year.start <= today <= y.year.end), years[0] if years else None)
    context = {
        "can_write": can_write(request.membership),  # type: ignore[attr-defined]
        "drafts": entry_selectors.drafts(company=company, limit=10),
        "draft_count": entry_selectors.draft_count(company=company),
        "current": current,
        "open_years": [y for y in years if y.year.status == "open"],
        "reports": report_links(),
        "today": today,
    }
    return render(request, "ledger/home.html", context)


# ------------------------------------------------------------------------------ periods


@reader
def periods(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    context = {
        "years": entry_selectors.fiscal_years(company=company),
        "can_write": can_write(request.membership),  # type: ignore[attr-defined]
        "events": entry_selectors.period_history(company=company),
        "today": timezone.localdate(),
    }
    return render(request, "ledger/periods.html", context)


def _back_to_periods(anchor: str = "") -> HttpResponse:
    return redirect(reverse("ledger:periods") + (f"#{anchor}" if anchor else ""))


@require_POST
@writer
def lock_month(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("月を指定してください。"))
        return _back_to_periods()
    month = form.cleaned_data["month"]
    try:
        services.lock_month(**ctx(request), month=month, reason=form.cleaned_data.get("reason") or "")
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("%(month)s を締めました。") % {"month": date_format(month, "YEAR_MONTH_FORMAT")}
        )
    return _back_to_periods(f"m-{month:%Y-%m}")


@require_POST
@writer
def unlock_month(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("月を指定してください。"))
        return _back_to_periods()
    month = form.cleaned_data["month"]
    try:
        services.unlock_month(**ctx(request), month=month, reason=form.cleaned_data.get("reason") or "")
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(month)s の締めを解除しました。") % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
        )
    return _back_to_periods(f"m-{month:%Y-%m}")


@require_POST
@writer
def close_year(request: HttpRequest, pk: int) -> HttpResponse:
    year = entry_selectors.get_fiscal_year(company=request.company, year_id=pk)  # type: ignore[attr-defined]
    try:
        services.close_fiscal_year(**ctx(request), year=year)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(year)sを締めました。") % {"year": year})
    return _back_to_periods(f"fy-{year.pk}")


@require_POST
@writer
def reopen_year(request: HttpRequest, pk: int) -> HttpResponse:
    year = entry_selectors.get_fiscal_year(company=request.company, year_id=pk)  # type: ignore[attr-defined]
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.reopen_fiscal_year(**ctx(request), year=year, reason=reason or "")
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(year)sの締めを解除しました。") % {"year": year})
    return _back_to_periods(f"fy-{year.pk}")


@require_POST
@writer
def open_next_year(request: HttpRequest) -> HttpResponse:
    try:
        year = services.open_next_fiscal_year(**ctx(request))
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return _back_to_periods()
    messages.success(request, _("%(year)sを開始しました。") % {"year": year})
    return _back_to_periods(f"fy-{year.pk}")


# ------------------------------------------------------------------------------ settings


@writer
def ledger_settings(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    current = entry_selectors.ledger_settings(company=company)
    initial = {"tax_rounding": current.tax_rounding, "tax_included_entry": current.tax_included_entry}
    form = LedgerSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_ledger_settings(**ctx(request), **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("会計の設定を保存しました。"))
            return redirect("ledger:settings")
    events = entry_selectors.settings_history(company=company, row=current)
    return render(
        request,
        "ledger/settings.html",
        {"form": form, "events": events},
        status=400 if form.errors else 200,
    )
