"""Screens of 経費精算: my claims, a claim's form (lines with receipts), its detail (flags, totals per
税区分, the approval panel, the journal entries), 経理's list of every claim, and the settings.

Views parse, call ``expenses.services`` / ``expenses.selectors`` and render; the services check the
permissions again. Another company's claim, or a claim one may not see, is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import ServiceError
from ennoshita.core.money import format_yen
from ennoshita.core.web import membership_required, role_required
from ennoshita.documents.storage import open_blob
from ennoshita.people import selectors as people_selectors

from . import rules, selectors, services
from .forms import (
    AllClaimsFilterForm,
    ClaimFilterForm,
    ClaimForm,
    LineFormSet,
    apply_claim_error,
)
from .models import ClaimStatus, ExpenseClaim
from .permissions import ACCOUNTING_ROLES, can_claim, sees_all

PAGE_SIZE = 50


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "actor": request.user, "membership": request.membership}  # type: ignore[attr-defined]


def _read(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


def claimer(view: Any) -> Any:
    @membership_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_claim(request.membership):  # type: ignore[attr-defined]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _error_text(exc: ServiceError) -> str:
    details = [m for msgs in exc.field_errors.values() for m in msgs if m != exc.message]
    return " ".join([exc.message, *details])


def _claim_rows(claims: Iterable[ExpenseClaim]) -> Iterable[list[Any]]:
    yield ["精算番号", "件名", "申請者", "部署", "状態", "合計金額", "申請日時", "承認日時", "支払日時"]
    for c in claims:
        yield [
            c.number,
            c.title,
            c.applicant.display_name(),
            c.department.name if c.department else "",
            c.get_status_display(),
            c.total,
            timezone.localtime(c.submitted_at).strftime("%Y-%m-%d %H:%M") if c.submitted_at else "",
            timezone.localtime(c.approved_at).strftime("%Y-%m-%d %H:%M") if c.approved_at else "",
            timezone.localtime(c.paid_at).strftime("%Y-%m-%d %H:%M") if c.paid_at else "",
        ]


# ------------------------------------------------------------------------------ lists
@claimer
def claim_list(request: HttpRequest) -> HttpResponse:
    """自分の経費精算."""
    form = ClaimFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.my_claims(**_read(request), q=filters.get("q", ""), status=filters.get("status", ""))
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(request, _claim_rows(qs), name="expense-claims", title=_("経費精算"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "expenses/claim_list.html", {"form": form, "page_obj": page, "mine": True})


@role_required(*ACCOUNTING_ROLES)
def all_claims(request: HttpRequest) -> HttpResponse:
    """経費一覧 (経理): every submitted claim, by status, department and month."""
    company = request.company  # type: ignore[attr-defined]
    departments = [(d.pk, d.name) for d in people_selectors.departments(company=company)]
    form = AllClaimsFilterForm(request.GET or None, departments=departments)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.all_claims(
        **_read(request),
        q=f.get("q", ""),
        status=f.get("status", ""),
        department_id=f.get("department"),
        month=f.get("month"),
        unpaid=bool(f.get("unpaid")),
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return download(request, _claim_rows(qs), name="expense-claims-all", title=_("経費一覧"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "expenses/claim_list.html",
        {"form": form, "page_obj": page, "mine": False},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------ the form
def _initial_lines(claim: ExpenseClaim) -> list[dict[str, Any]]:
    return [
        {
            "id": ln.pk,
            "date": ln.date,
            "category": ln.category_id,
            "payee": ln.payee,
            "purpose": ln.purpose,
            "amount": f"{int(ln.amount)}",
            "registration_number": ln.registration_number,
            "is_qualified": ln.is_qualified,
            "attendees": ln.attendees,
            "attendee_count": ln.attendee_count,
            "route_from": ln.route_from,
            "route_to": ln.route_to,
            "round_trip": ln.round_trip,
            "per_diem_kind": ln.per_diem_kind,
            "per_diem_days": ln.per_diem_days,
        }
        for ln in selectors.lines_of(claim=claim)
    ]


def _claim_form(request: HttpRequest, claim: ExpenseClaim | None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    settings_row = selectors.settings_of(company=company)
    post = request.method == "POST"
    form = ClaimForm(request.POST if post else None, initial={"title": claim.title} if claim else None)
    formset = LineFormSet(
        request.POST if post else None,
        request.FILES if post else None,
        initial=_initial_lines(claim) if claim else None,
        prefix="lines",
        form_kwargs={"company": company},
    )
    if post and form.is_valid() and formset.is_valid():
        kept = [
            i for i, f in enumerate(formset.forms) if not f.cleaned_data.get("DELETE") and not f.is_blank()
        ]
        try:
            saved = services.save_claim(
                **_ctx(request),
                claim=claim,
                title=form.cleaned_data["title"],
                lines=[formset.forms[i].spec() for i in kept],
            )
        except ServiceError as exc:
            apply_claim_error(form, formset, kept, exc)
        else:
            messages.success(request, _("経費精算を保存しました。"))
            return redirect("expenses:claim_detail", saved.pk)
    return render(
        request,
        "expenses/claim_form.html",
        {
            "form": form,
            "formset": formset,
            "claim": claim,
            "settings_row": settings_row,
            "category_options": list(selectors.categories(company=company)),
        },
        status=400
        if (form.errors or any(f.errors for f in formset.forms) or formset.non_form_errors())
        else 200,
    )


@claimer
def claim_new(request: HttpRequest) -> HttpResponse:
    return _claim_form(request, None)


@claimer
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim(**_read(request), claim_id=pk)
    if claim.applicant_id != request.user.pk:
        raise Http404
    if not claim.is_editable:
        messages.error(
            request, _("「%(status)s」の精算は変更できません。") % {"status": claim.get_status_display()}
        )
        return redirect("expenses:claim_detail", claim.pk)
    return _claim_form(request, claim)


@claimer
def per_person(request: HttpRequest) -> HttpResponse:
    """The per-person amount of a 交際費・会議費 line, computed on the server (HTMX, as one types)."""
    amount = next((str(v) for k, v in request.GET.items() if k.endswith("-amount")), "")
    count = next((str(v) for k, v in request.GET.items() if k.endswith("-attendee_count")), "")
    text = ""
    try:
        value = Decimal(str(amount).replace(",", "").strip())
        people = int(count)
        if value > 0 and people > 0 and value == value.to_integral_value():
            each = rules.per_person_amount(amount=value, attendee_count=people)
            text = _("1人あたり %(each)s(税込)") % {"each": format_yen(each)}
    except (InvalidOperation, ValueError):
        text = ""
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


# ------------------------------------------------------------------------------ detail
@claimer
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    claim = selectors.get_claim(**_read(request), claim_id=pk)
    lines = selectors.lines_of(claim=claim)
    flags = selectors.claim_flags(company=company, claim=claim, lines=lines)
    by_line: dict[int, list[rules.Flag]] = {}
    for flag in flags:
        by_line.setdefault(flag.line_no or 0, []).append(flag)
    for ln in lines:
        ln.flags = by_line.get(ln.line_no, [])  # type: ignore[attr-defined]
        if ln.attendee_count:
            ln.each = rules.per_person_amount(amount=ln.amount, attendee_count=ln.attendee_count)  # type: ignore[attr-defined]
    mine = claim.applicant_id == request.user.pk
    from ennoshita.approvals.views import panel_context
    from ennoshita.ledger.permissions import can_read as can_read_books

    return render(
        request,
        "expenses/claim_detail.html",
        {
            "claim": claim,
            "lines": lines,
            "flags": flags,
            "claim_flags": by_line.get(0, []),
            "blocking": any(f.blocking for f in flags),
            "totals": selectors.tax_totals(company=company, lines=lines),
            "mine": mine,
            "can_edit": mine and claim.is_editable,
            "can_submit": mine and claim.is_editable,
            "can_withdraw": mine and claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.RETURNED),
            "can_delete": mine and claim.status == ClaimStatus.DRAFT and not claim.number,
            # the approvals app's panel (status, steps, history, decision buttons): its documented
            # embedding helper lives in approvals.views (docs/domains/expenses.md)
            **panel_context(request, request_type=selectors.REQUEST_TYPE, object_id=claim.pk),
            "entry_ids": claim.journal_entry_ids if can_read_books(membership) else [],
            "sees_all": sees_all(membership),
        },
    )


@require_POST
@claimer
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim(**_read(request), claim_id=pk)
    try:
        services.submit_claim(**_ctx(request), claim=claim)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("申請しました。承認をお待ちください。"))
    return redirect("expenses:claim_detail", claim.pk)


@require_POST
@claimer
def claim_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim(**_read(request), claim_id=pk)
    try:
        services.withdraw_claim(**_ctx(request), claim=claim)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("申請を取り下げました。"))
    return redirect("expenses:claim_detail", claim.pk)


@require_POST
@claimer
def claim_delete(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.get_claim(**_read(request), claim_id=pk)
    try:
        services.delete_draft(**_ctx(request), claim=claim)
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
        return redirect("expenses:claim_detail", claim.pk)
    messages.success(request, _("下書きを削除しました。"))
    return redirect("expenses:claim_list")


@require_POST
@claimer
def receipt_upload(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    claim = selectors.get_claim(**_read(request), claim_id=pk)
    line = selectors.get_line(claim=claim, line_id=line_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("領収書のファイルを選んでください。"))
        return redirect("expenses:claim_detail", claim.pk)
    try:
        services.attach_receipt(
            **_ctx(request), claim=claim, line=line, name=upload.name or "", data=upload.read()
        )
    except ServiceError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(n)s行目に領収書を添付しました。") % {"n": line.line_no})
    return redirect("expenses:claim_detail", claim.pk)


@claimer
def receipt_view(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    """The receipt of a line, for whoever may see the claim (the file itself sits in 文書)."""
    claim = selectors.get_claim(**_read(request), claim_id=pk)
    line = selectors.get_line(claim=claim, line_id=line_id)
    if not line.receipt_sha256:
        raise Http404
    response = HttpResponse(
        open_blob(line.receipt_sha256), content_type=line.receipt_content_type or "application/octet-stream"
    )
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response
