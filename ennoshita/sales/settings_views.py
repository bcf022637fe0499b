"""Sales settings and the monthly 合計請求書 run."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.models import Job
from ennoshita.core.web import role_required

from .permissions import SETTINGS_ROLES, WRITE_ROLES
from .selectors import settings as settings_selectors
from .services import settings as settings_services
from .services import summary
from .services.lines import settings_of
from .settings_forms import SalesSettingsForm, SummaryRunForm


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


@role_required(*SETTINGS_ROLES)
def sales_settings(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    current = settings_of(company)
    initial = {
        f: getattr(current, f)
        for f in (
            "tax_rounding",
            "prices_include_tax",
            "holiday_rule",
            "registration_number",
            "bank_details",
            "invoice_note",
            "deposit_account_code",
            "fee_treatment",
        )
    }
    form = SalesSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            settings_services.update_sales_settings(
                **_ctx(request),
                tax_rounding=data["tax_rounding"],
                prices_include_tax=data["prices_include_tax"],
                holiday_rule=data["holiday_rule"],
                registration_number=data["registration_number"],
                bank_details=data["bank_details"],
                invoice_note=data["invoice_note"],
                deposit_account_code=data["deposit_account_code"],
                fee_treatment=data["fee_treatment"],
                logo=data["logo"].read() if data.get("logo") else None,
                seal=data["seal"].read() if data.get("seal") else None,
                remove_logo=data["remove_logo"],
                remove_seal=data["remove_seal"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("販売の設定を保存しました。"))
            return redirect("sales:settings")
    events = settings_selectors.settings_history(company=company, row=current)
    return render(
        request,
        "sales/settings.html",
        {"form": form, "current": current, "events": events},
        status=400 if form.errors else 200,
    )


def _last_month_end(today: date) -> date:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return date(year, month, calendar.monthrange(year, month)[1])


@role_required(*WRITE_ROLES)
def summary_run(request: HttpRequest) -> HttpResponse:
    """合計請求書の発行: pick the closing day, see who will be invoiced, start the run."""
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    source = request.POST if request.method == "POST" else (request.GET if "closing" in request.GET else None)
    form = SummaryRunForm(source, initial={"closing": _last_month_end(timezone.localdate())})
    candidates = None
    if form.is_bound and form.is_valid():
        closing = form.cleaned_data["closing"]
        candidates = summary.summary_candidates(company=company, closing=closing)
        if request.method == "POST":
            try:
                started = summary.start_summary_invoicing(**_ctx(request), closing=closing)
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("合計請求書の発行を始めました。"))
                return redirect(f"{reverse('sales:summary_run')}?job={started.pk}")
    job: Job | None = None
    if request.GET.get("job", "").isdigit():
        try:
            job = core_selectors.get_job(
                company=company, membership=membership, job_id=int(request.GET["job"])
            )
        except NotFound:
            job = None
    rows = [
        {"customer": c, "lines": len(lines), "orders": len({ln.order_id for ln in lines})}
        for c, lines in (candidates or [])
    ]
    return render(
        request,
        "sales/summary_run.html",
        {"form": form, "rows": rows, "checked": candidates is not None, "job": job},
        status=400 if form.errors else 200,
    )
