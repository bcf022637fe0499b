"""Screens of 知的財産 (法務): the register (search, filters, CSV / Excel), the form of each kind, one
right with its deadlines, payments, costs, alerts and history, 期限が近い権利 and 費用の集計.

Views parse, call ``legal.services.ip`` / ``legal.selectors.ip`` and render; the services check the
roles again. Any member opens the register and sees the rights they may see (``permissions_ip``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import error_text, membership_required, role_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from .forms_ip import CostForm, IpFilterForm, IpRightForm, PaymentForm, StatusForm
from .models import IpKind, IpRight, IpStatus
from .permissions_ip import MANAGER_ROLES, READ_ALL_ROLES
from .selectors import ip as selectors
from .services import ip as services

PAGE_SIZE = 50
managers = role_required(*MANAGER_ROLES)
cost_readers = role_required(*READ_ALL_ROLES)


def _right(request: HttpRequest, pk: int) -> IpRight:
    return selectors.get_ip_right(**read(request), right_id=pk)


@membership_required
def ip_list(request: HttpRequest) -> HttpResponse:
    form = IpFilterForm(request.GET or None, company=request.company)  # type: ignore[attr-defined]
    qs = selectors.ip_list(**read(request), **form.filters())
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = selectors.export_rows(qs.iterator(chunk_size=2000))
        return table_download(request, rows, name="ip-rights", title=_("知的財産一覧"))
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "legal/ip/list.html",
        {
            "form": form,
            "page_obj": page,
            "today": timezone.localdate(),
            "can_manage": selectors.can_manage(request.membership),  # type: ignore[attr-defined]
            "can_read_costs": selectors.can_read_costs(request.membership),  # type: ignore[attr-defined]
        },
    )


@membership_required
def ip_upcoming(request: HttpRequest) -> HttpResponse:
    """期限が近い権利: 30 / 90 / 180 days (the late periods included)."""
    raw = request.GET.get("days", "")
    days = int(raw) if raw in {str(d) for d in selectors.UPCOMING_CHOICES} else 30
    qs = selectors.upcoming(**read(request), days=days)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = selectors.export_rows(qs.iterator(chunk_size=2000))
        return table_download(request, rows, name=f"ip-upcoming-{days}", title=_("期限が近い権利"))
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "legal/ip/upcoming.html",
        {
            "page_obj": page,
            "days": days,
            "choices": selectors.UPCOMING_CHOICES,
            "today": timezone.localdate(),
        },
    )


@cost_readers
def ip_costs(request: HttpRequest) -> HttpResponse:
    """費用の集計: 年 × 種類."""
    summary = selectors.cost_summary(**read(request))
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, selectors.summary_rows(summary), name="ip-costs", title=_("知的財産の費用")
        )
    rows = [(y, [y.by_kind.get(k) for k, _label in summary.kinds]) for y in summary.years]
    totals = summary.totals
    return render(
        request,
        "legal/ip/costs.html",
        {"summary": summary, "rows": rows, "totals": [totals.get(k) for k, _label in summary.kinds]},
    )


@membership_required
def ip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    right = _right(request, pk)
    today = timezone.localdate()
    can_manage = selectors.can_manage(request.membership)  # type: ignore[attr-defined]
    costs = list(selectors.right_costs(company=company, right=right)[:500])
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(
            request, selectors.cost_rows(costs), name=f"ip-costs-{right.reference}", title=right.reference
        )
    moves = services.TRANSITIONS.get(right.status, ())
    return render(
        request,
        "legal/ip/detail.html",
        {
            "right": right,
            "deadlines": selectors.deadline_rows(right, today),
            "costs": costs,
            "cost_total": sum((c.amount for c in costs), 0),
            "alerts": selectors.labelled_alerts(selectors.right_alerts(company=company, right=right)[:200]),
            "events": list(selectors.right_history(company=company, right=right)[:200]),
            "can_manage": can_manage,
            "today": today,
            "payment_form": PaymentForm(kind=right.kind, initial={"paid_on": today, "years": 1}),
            "cost_form": CostForm(initial={"paid_on": today}),
            "status_form": StatusForm(choices=[(s, IpStatus(s).label) for s in moves]) if moves else None,
            "can_pay": right.status == IpStatus.REGISTERED and right.kind != IpKind.COPYRIGHT,
        },
    )


def _form_page(request: HttpRequest, right: IpRight | None, kind: str) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    form = IpRightForm(
        request.POST if post else None,
        initial=IpRightForm.initial_of(right) if right else None,
        company=company,
        kind=kind,
        editing=right is not None,
    )
    if post and form.is_valid():
        try:
            if right is None:
                saved = services.register_ip_right(**ctx(request), data=form.data_input())
            else:
                saved = services.update_ip_right(**ctx(request), right=right, data=form.data_input())
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("%(ref)s を保存しました。") % {"ref": saved.reference})
            return redirect("legal:ip_detail", saved.pk)
    return render(
        request,
        "legal/ip/form.html",
        {"form": form, "right": right, "kind_label": IpKind(kind).label},
        status=400 if form.errors else 200,
    )


@managers
def ip_new(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in IpKind.values:
        return render(request, "legal/ip/choose_kind.html", {"kinds": IpKind.choices})
    return _form_page(request, None, kind)


@managers
def ip_edit(request: HttpRequest, pk: int) -> HttpResponse:
    right = _right(request, pk)
    return _form_page(request, right, right.kind)


def _after(request: HttpRequest, right: IpRight, call: Any, done: str) -> HttpResponse:
    try:
        call()
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect("legal:ip_detail", right.pk)


@require_POST
@managers
def ip_status(request: HttpRequest, pk: int) -> HttpResponse:
    right = _right(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("新しい状態を選んでください。"))
        return redirect("legal:ip_detail", right.pk)
    c = form.cleaned_data
    return _after(
        request,
        right,
        lambda: services.set_ip_status(
            **ctx(request),
            right=right,
            status=c["status"],
            reason=c.get("reason", ""),
            registered_on=c.get("registered_on"),
            registration_number=c.get("registration_number", ""),
        ),
        _("状態を変更しました。"),
    )


@require_POST
@managers
def ip_payment(request: HttpRequest, pk: int) -> HttpResponse:
    right = _right(request, pk)
    form = PaymentForm(request.POST, kind=right.kind)
    if not form.is_valid():
        messages.error(request, _("納付の内容・支払日・金額を入力してください。"))
        return redirect("legal:ip_detail", right.pk)
    c = form.cleaned_data
    return _after(
        request,
        right,
        lambda: services.record_ip_payment(
            **ctx(request),
            right=right,
            what=c["what"],
            paid_on=c["paid_on"],
            amount=c["amount"],
            surcharge=c.get("surcharge") or None,
            years=c.get("years") or 1,
            new_expires_on=c.get("new_expires_on"),
            installment=bool(c.get("installment")),
            memo=c.get("memo", ""),
        ),
        _("納付を記録しました。次の期限を更新しました。"),
    )


@require_POST
@managers
def ip_cost(request: HttpRequest, pk: int) -> HttpResponse:
    right = _right(request, pk)
    form = CostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("費用の種類・支払日・金額を入力してください。"))
        return redirect("legal:ip_detail", right.pk)
    c = form.cleaned_data
    return _after(
        request,
        right,
        lambda: services.record_ip_cost(
            **ctx(request),
            right=right,
            kind=c["kind"],
            paid_on=c["paid_on"],
            amount=c["amount"],
            memo=c.get("memo", ""),
        ),
        _("費用を記録しました。"),
    )
