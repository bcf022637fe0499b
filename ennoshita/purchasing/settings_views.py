"""支払の設定 (経理・管理者): the company as 振込依頼人 and the account transfers are made from,
checked as a 全銀 header needs them (jp-rules §8)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from . import banks
from .payment_forms import PaymentSettingsForm
from .payment_permissions import PAYMENT_ROLES
from .selectors import payments as selectors
from .services import payments as services


@role_required(*PAYMENT_ROLES)
def payment_settings(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    current = selectors.settings_of(company=company)
    form = PaymentSettingsForm(
        request.POST or None, initial={f: getattr(current, f) for f in services.SETTINGS_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_payment_settings(
                company=company,
                actor=request.user,  # type: ignore[arg-type]
                membership=request.membership,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("支払の設定を保存しました。"))
            return redirect("purchasing:payment_settings")
    events = (
        core_selectors.audit_events_for_object(
            company=company, object_type="purchasing.purchasingsettings", object_id=str(current.pk)
        )[:50]
        if current.pk
        else []
    )
    bank = banks.bank(current.bank_code or "")
    branch = banks.branch(current.bank_code or "", current.branch_code or "")
    return render(
        request,
        "purchasing/settings_payments.html",
        {
            "form": form,
            "current": current,
            "bank": bank,
            "branch": branch,
            "problems": selectors.settings_problems(current) if current.pk else {},
            "events": events,
        },
        status=400 if form.errors else 200,
    )
