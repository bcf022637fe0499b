"""Screens of 仕入先請求書: the list (filters, CSV / Excel), the form with its lines, the detail
(lines, tax per rate, the vendor's file, the approval panel, the journal entry, submit / withdraw).

経理 / admin record and submit; an approver of a bill may open its page (and the file) to decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.web import error_text, membership_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents.storage import open_blob
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.people import selectors as people_selectors

from .forms import BillFilterForm, BillForm, BillLineFormSet, DocumentForm, apply_bill_error
from .models import BillStatus, VendorBill
from .permissions import REQUEST_TYPE, manages_payables
from .selectors import bills as selectors
from .selectors import vendors as vendor_selectors
from .services import bills as services
from .vendor_views import PAGE_SIZE, accounting, wants_download


def _bill_rows(bills: Iterable[VendorBill]) -> Iterable[list[Any]]:
    yield [
        "受付番号",
        "仕入先コード",
        "仕入先",
        "先方の請求書番号",
        "請求日",
        "支払期日",
        "状態",
        "合計金額(税込)",
        "消費税額",
        "適格請求書",
        "相手勘定",
        "部署",
        "支払日時",
    ]
    for b in bills:
        yield [
            b.number,
            b.vendor.code,
            b.vendor.name,
            b.vendor_reference,
            b.bill_date,
            b.due_date,
            b.get_status_display(),
            b.total,
            b.tax_total,
            "○" if b.is_qualified else "",
            b.payable_account_code,
            b.department.name if b.department else "",
            timezone.localtime(b.paid_at).strftime("%Y-%m-%d %H:%M") if b.paid_at else "",
        ]


def _vendor_choices(request: HttpRequest, current: Any = None) -> list[tuple[int, str]]:
    company = request.company  # type: ignore[attr-defined]
    rows = [(v.pk, f"{v.code} {v.name}") for v in vendor_selectors.active_vendors(company=company)]
    if current is not None and current.pk not in {pk for pk, _label in rows}:
        rows.append((current.pk, f"{current.code} {current.name}"))
    return rows


def _department_choices(request: HttpRequest) -> list[tuple[int, str]]:
    company = request.company  # type: ignore[attr-defined]
    return [
        (d.pk, f"{d.code} {d.name}") for d in people_selectors.departments(company=company).order_by("code")
    ]


@accounting
def bill_list(request: HttpRequest) -> HttpResponse:
    form = BillFilterForm(request.GET or None, vendors=_vendor_choices(request))
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.bill_list(
        **read(request),
        filters=selectors.BillFilters(
            q=f.get("q", ""),
            status=f.get("status", ""),
            vendor_id=f.get("vendor"),
            due_from=f.get("due_from"),
            due_to=f.get("due_to"),
            unpaid=bool(f.get("unpaid")),
        ),
    )
    if wants_download(request):
        return table_download(request, _bill_rows(qs), name="vendor-bills", title=_("仕入先請求書"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "purchasing/bill_list.html",
        {"form": form, "page_obj": page},
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------ the form
def _initial(bill: VendorBill) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header = {
        "vendor": bill.vendor_id,
        "bill_date": bill.bill_date,
        "due_date": bill.due_date,
        "vendor_reference": bill.vendor_reference,
        "is_qualified": bill.is_qualified,
        "payable_account_code": bill.payable_account_code,
        "department": bill.department_id,
        "memo": bill.memo,
    }
    lines = [
        {
            "description": ln.description,
            "account_code": ln.account_code,
            "tax_handling": ln.tax_handling,
            "amount": f"{int(ln.amount)}",
            "department": ln.department_id,
        }
        for ln in selectors.lines_of(bill=bill)
    ]
    return header, lines


def _bill_form(request: HttpRequest, bill: VendorBill | None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    post = request.method == "POST"
    departments = _department_choices(request)
    accounts = [
        (a.code, f"{a.code} {a.name}")
        for a in ledger_entry_selectors.accounts(company=company, active_only=True)
    ]
    header, lines = _initial(bill) if bill else (None, None)
    if header is None and request.GET.get("vendor", "").isdigit():
        header = {"vendor": int(request.GET["vendor"])}
    form = BillForm(
        request.POST if post else None,
        initial=header,
        vendors=_vendor_choices(request, bill.vendor if bill else None),
        departments=departments,
    )
    formset = BillLineFormSet(
        request.POST if post else None,
        initial=lines,
        prefix="lines",
        form_kwargs={"accounts": accounts, "departments": departments},
    )
    if post and form.is_valid() and formset.is_valid():
        kept = [
            i for i, f in enumerate(formset.forms) if not f.cleaned_data.get("DELETE") and not f.is_blank()
        ]
        d = form.cleaned_data
        try:
            vendor = vendor_selectors.get_vendor(**read(request), vendor_id=d["vendor"])
            department = (
                people_selectors.get_department(company=company, department_id=d["department"])
                if d.get("department")
                else None
            )
            saved = services.save_bill(
                **ctx(request),
                bill=bill,
                vendor=vendor,
                bill_date=d["bill_date"],
                due_date=d.get("due_date"),
                vendor_reference=d.get("vendor_reference") or "",
                is_qualified=bool(d.get("is_qualified")),
                payable_account_code=d["payable_account_code"],
                department=department,
                memo=d.get("memo") or "",
                lines=[formset.forms[i].spec() for i in kept],
            )
        except ServiceError as exc:
            apply_bill_error(form, formset, kept, exc)
        else:
            messages.success(request, _("仕入先請求書を保存しました。"))
            return redirect("purchasing:bill_detail", saved.pk)
    has_errors = form.errors or any(f.errors for f in formset.forms) or formset.non_form_errors()
    return render(
        request,
        "purchasing/bill_form.html",
        {"form": form, "formset": formset, "bill": bill},
        status=400 if has_errors else 200,
    )


@accounting
def bill_new(request: HttpRequest) -> HttpResponse:
    return _bill_form(request, None)


@accounting
def bill_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bill = selectors.get_bill(**read(request), bill_id=pk)
    if not bill.is_editable:
        messages.error(
            request, _("「%(status)s」の請求書は変更できません。") % {"status": bill.get_status_display()}
        )
        return redirect("purchasing:bill_detail", bill.pk)
    return _bill_form(request, bill)


# ------------------------------------------------------------------------------ detail and acts
@membership_required
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from ennoshita.approvals.views import panel_context
    from ennoshita.ledger.permissions import can_read as can_read_books

    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    bill = selectors.get_bill(**read(request), bill_id=pk)
    lines = selectors.lines_of(bill=bill)
    taxes = selectors.line_taxes(company=company, bill=bill, lines=lines)
    for ln, tax in zip(lines, taxes, strict=True):
        ln.tax = tax  # type: ignore[attr-defined]
    manager = manages_payables(membership)
    return render(
        request,
        "purchasing/bill_detail.html",
        {
            "bill": bill,
            "lines": lines,
            "totals": selectors.tax_totals(company=company, bill=bill, lines=lines),
            "manager": manager,
            "can_edit": manager and bill.is_editable,
            "can_submit": manager and bill.is_editable,
            "can_withdraw": manager and bill.status in (BillStatus.SUBMITTED, BillStatus.RETURNED),
            "can_delete": manager and bill.status == BillStatus.DRAFT and not bill.number,
            "document_form": DocumentForm() if manager and bill.is_editable else None,
            # the approvals app's panel (status, steps, history, decision buttons)
            **panel_context(request, request_type=REQUEST_TYPE, object_id=bill.pk),
            "entry_id": bill.journal_entry_id if can_read_books(membership) else None,
        },
    )


def _act(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    bill = selectors.get_bill(**read(request), bill_id=pk)
    try:
        act(**ctx(request), bill=bill)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect("purchasing:bill_detail", bill.pk)


@require_POST
@accounting
def bill_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.submit_bill, _("申請しました。承認をお待ちください。"))


@require_POST
@accounting
def bill_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.withdraw_bill, _("申請を取り下げました。"))


@require_POST
@accounting
def bill_delete(request: HttpRequest, pk: int) -> HttpResponse:
    bill = selectors.get_bill(**read(request), bill_id=pk)
    try:
        services.delete_draft_bill(**ctx(request), bill=bill)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return redirect("purchasing:bill_detail", bill.pk)
    messages.success(request, _("下書きを削除しました。"))
    return redirect("purchasing:bill_list")


@require_POST
@accounting
def bill_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    bill = selectors.get_bill(**read(request), bill_id=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("請求書のファイルを選んでください。"))
        return redirect("purchasing:bill_detail", bill.pk)
    try:
        services.attach_bill_document(**ctx(request), bill=bill, name=upload.name or "", data=upload.read())
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("請求書のファイルを添付しました。"))
    return redirect("purchasing:bill_detail", bill.pk)


@membership_required
def bill_document_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The vendor's bill file, for whoever may see the bill (the file itself sits in 文書)."""
    bill = selectors.get_bill(**read(request), bill_id=pk)
    if not bill.document_sha256:
        raise Http404
    response = HttpResponse(
        open_blob(bill.document_sha256), content_type=bill.document_content_type or "application/octet-stream"
    )
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response
