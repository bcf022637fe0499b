"""Screens of 支払処理 (経理・管理者): the runs, a new run from the candidates, a run's detail with
確定 (after a confirmation step), the 全銀 file, 取消 and 確定の取消.

Views parse, call ``services.payments`` / ``selectors.payments`` and render; the services check the
roles again. Another company's run is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.money import format_yen
from ennoshita.core.web import role_required

from .models import PaymentItem, PaymentRun, RunStatus
from .payment_forms import NewRunForm, ReverseForm, RunFilterForm
from .payment_permissions import PAYMENT_ROLES
from .selectors import payments as selectors
from .services import payments as services

PAGE_SIZE = 50


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def _error_text(exc: ServiceError) -> str:
    details = [m for msgs in exc.field_errors.values() for m in msgs if m != exc.message]
    return " ".join([exc.message, *details])


def _run_rows(runs: Iterable[PaymentRun]) -> Iterable[list[Any]]:
    yield ["支払番号", "振込指定日", "対象の支払期日", "状態", "件数", "支払合計", "作成者", "確定日時"]
    for r in runs:
        yield [
            r.number,
            r.payment_date,
            r.due_by,
            r.get_status_display(),
            r.count,
            r.total,
            r.created_by.display_name(),
            timezone.localtime(r.confirmed_at).strftime("%Y-%m-%d %H:%M") if r.confirmed_at else "",
        ]


# ------------------------------------------------------------------------------ list
@role_required(*PAYMENT_ROLES)
def run_list(request: HttpRequest) -> HttpResponse:
    form = RunFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_bound and form.is_valid() else ""
    qs = selectors.runs(**_read(request), status=status)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(request, _run_rows(qs), name="payment-runs", title=_("支払処理"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "purchasing/payment_list.html", {"form": form, "page_obj": page})


# ------------------------------------------------------------------------------ new
def _picked(request: HttpRequest) -> tuple[list[int], list[int]]:
    bills: list[int] = []
    claims: list[int] = []
    for key in request.POST.getlist("pick"):
        kind, _sep, pk = key.partition(":")
        if not pk.isdigit() or len(pk) > 12:
            continue
        if kind == PaymentItem.Kind.VENDOR_BILL:
            bills.append(int(pk))
        elif kind == PaymentItem.Kind.EXPENSE_CLAIM:
            claims.append(int(pk))
    return bills, claims


@role_required(*PAYMENT_ROLES)
def run_new(request: HttpRequest) -> HttpResponse:
    """Pick the due-by day and the 振込指定日 → the candidates (unpayable ones greyed with the
    reason) → the checked ones become a draft run."""
    company = request.company  # type: ignore[attr-defined]
    today = timezone.localdate()
    initial = {"due_by": today + timedelta(days=7), "payment_date": selectors.next_bank_business_day(today)}
    post = request.method == "POST"
    data = request.POST if post else (request.GET if "due_by" in request.GET else None)
    form = NewRunForm(data, initial=initial)
    candidates: list[selectors.Candidate] = []
    picked: set[str] = set()
    due_by = payment_date = None
    status = 200
    if form.is_bound and form.is_valid():
        due_by, payment_date = form.cleaned_data["due_by"], form.cleaned_data["payment_date"]
        if post:
            bill_ids, claim_ids = _picked(request)
            picked = {f"vendor_bill:{i}" for i in bill_ids} | {f"expense_claim:{i}" for i in claim_ids}
            try:
                run = services.create_payment_run(
                    **_ctx(request),
                    payment_date=payment_date,
                    due_by=due_by,
                    bill_ids=bill_ids,
                    claim_ids=claim_ids,
                )
            except ServiceError as exc:
                apply_service_error(form, exc)
                messages.error(request, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("支払処理 %(number)s を作成しました。") % {"number": run.number})
                return redirect("purchasing:payment_run_detail", run.pk)
        candidates = services.candidates(company=company, due_by=due_by)
        if not post:
            picked = {c.key for c in candidates if c.payable}
    elif form.is_bound:
        status = 400
    count, total = _totals(company, picked)
    return render(
        request,
        "purchasing/payment_new.html",
        {
            "form": form,
            "candidates": candidates,
            "picked": picked,
            "selected_count": count,
            "selected_total": total,
            "payable_count": sum(1 for c in candidates if c.payable),
            "due_by": due_by,
            "payment_date": payment_date,
        },
        status=status,
    )


def _totals(company: Any, picked: set[str]) -> tuple[int, Any]:
    bills = [int(k.split(":")[1]) for k in picked if k.startswith("vendor_bill:")]
    claims = [int(k.split(":")[1]) for k in picked if k.startswith("expense_claim:")]
    return selectors.selection_totals(company=company, bill_ids=bills, claim_ids=claims)


@require_POST
@role_required(*PAYMENT_ROLES)
def run_new_totals(request: HttpRequest) -> HttpResponse:
    """The running total of the checked candidates (HTMX, as boxes are ticked)."""
    bill_ids, claim_ids = _picked(request)
    count, total = selectors.selection_totals(company=request.company, bill_ids=bill_ids, claim_ids=claim_ids)  # type: ignore[attr-defined]
    text = _("選択 %(count)s件 合計 %(total)s") % {"count": count, "total": format_yen(total)}
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


# ------------------------------------------------------------------------------ detail
@role_required(*PAYMENT_ROLES)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from ennoshita.ledger.permissions import can_read as can_read_books

    company = request.company  # type: ignore[attr-defined]
    run = selectors.get_run(**_read(request), run_id=pk)
    items = selectors.run_items(run=run)
    books = can_read_books(request.membership)  # type: ignore[attr-defined]
    events = core_selectors.audit_events_for_object(
        company=company, object_type="purchasing.paymentrun", object_id=str(run.pk)
    )[:50]
    return render(
        request,
        "purchasing/payment_detail.html",
        {
            "run": run,
            "items": items,
            "can_confirm": run.status == RunStatus.DRAFT and bool(items),
            "can_cancel": run.status == RunStatus.DRAFT,
            "can_reverse": run.status == RunStatus.CONFIRMED,
            "can_download": bool(run.file_sha256) or (run.status == RunStatus.DRAFT and bool(items)),
            "entry_id": run.journal_entry_id if books else None,
            "reversal_id": selectors.reversal_entry_id(run=run) if books and run.journal_entry_id else None,
            "events": events,
        },
    )


@role_required(*PAYMENT_ROLES)
def run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """確定: GET shows what will happen (count, total, the day, the account), POST does it."""
    run = selectors.get_run(**_read(request), run_id=pk)
    if request.method == "POST":
        try:
            run = services.confirm_payment_run(**_ctx(request), run=run)
        except ServiceError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("支払処理 %(number)s を確定しました。振込データをダウンロードして銀行に送ってください。")
                % {"number": run.number},
            )
        return redirect("purchasing:payment_run_detail", run.pk)
    if run.status != RunStatus.DRAFT:
        return redirect("purchasing:payment_run_detail", run.pk)
    settings_row = selectors.settings_of(company=request.company)  # type: ignore[attr-defined]
    return render(
        request,
        "purchasing/payment_confirm.html",
        {"run": run, "settings_row": settings_row, "problems": selectors.settings_problems(settings_row)},
    )


@role_required(*PAYMENT_ROLES)
def run_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """確定の取消: GET asks for the date of the 反対仕訳, POST reverses."""
    run = selectors.get_run(**_read(request), run_id=pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.reverse_payment_run(
                **_ctx(request), run=run, reversal_date=form.cleaned_data.get("reversal_date")
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, _("支払処理 %(number)s の確定を取り消しました。") % {"number": run.number}
            )
            return redirect("purchasing:payment_run_detail", run.pk)
    if run.status != RunStatus.CONFIRMED:
        return redirect("purchasing:payment_run_detail", run.pk)
    return render(
        request,
        "purchasing/payment_reverse.html",
        {"run": run, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*PAYMENT_ROLES)
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run(**_read(request), run_id=pk)
    try:
        services.cancel_payment_run(**_ctx(request), run=run)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("支払処理を取り消しました。"))
    return redirect("purchasing:payment_run_detail", run.pk)


@require_POST
@role_required(*PAYMENT_ROLES)
def item_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    run = selectors.get_run(**_read(request), run_id=pk)
    try:
        services.remove_item(**_ctx(request), run=run, item_id=item_id)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("明細を外しました。"))
    return redirect("purchasing:payment_run_detail", run.pk)


@role_required(*PAYMENT_ROLES)
def run_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The 全銀 file: a confirmed run's as filed, a draft's as a preview (CP932, CR LF)."""
    run = selectors.get_run(**_read(request), run_id=pk)
    try:
        name, data = services.transfer_file(**_read(request), run=run)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
        return redirect("purchasing:payment_run_detail", run.pk)
    response = HttpResponse(data, content_type="text/plain; charset=Shift_JIS")
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in name)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
