"""Screens of 契約書: the list (search, filters, CSV / Excel), registering and editing a contract (with
the 印紙税 computed as it will be stored), a contract's page (status buttons this member may use,
files with their versions, related contracts, alerts sent, history), what ends or reaches a notice
deadline in the next N days, and a month calendar of those dates.

Views parse, call ``services.contracts`` / ``selectors.contracts`` and render; the services check
permissions again. Another company's contract, and one the member may not see, are a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download
from ennoshita.core.errors import ServiceError
from ennoshita.core.paging import KeysFirstPaginator
from ennoshita.core.web import membership_required
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents.downloads import version_response

from . import permissions, permissions_reviews
from .forms_contracts import (
    ContractFilterForm,
    ContractForm,
    FileForm,
    NewContractForm,
    StatusForm,
    UpcomingForm,
    put_errors,
)
from .models import Contract, ContractStatus
from .rules.stamp_duty import contract_stamp_duty
from .selectors import contracts as selectors
from .selectors import reviews as review_selectors
from .services import contracts as services

PAGE_SIZE = 50


def _register_allowed(request: HttpRequest) -> None:
    if not permissions.can_register(request.membership):  # type: ignore[attr-defined]
        raise PermissionDenied


# ------------------------------------------------------------------------------ list
@membership_required
def contract_list(request: HttpRequest) -> HttpResponse:
    _register_allowed(request)
    form = ContractFilterForm(request.GET or None, company=request.company)  # type: ignore[attr-defined]
    qs = selectors.contract_list(**read(request), **form.filters())
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_download(request, selectors.export_rows(qs), name="contracts", title=_("契約一覧"))
    page = KeysFirstPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "legal/contracts/list.html",
        {"form": form, "page_obj": page, "today": timezone.localdate()},
    )


# ------------------------------------------------------------------------------ the form
def _stamp_preview(form: ContractForm) -> dict[str, Any] | None:
    """The 印紙税 the values on the form give (for a paper original), explained by its 号."""
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return None
    d = form.cleaned_data
    if "stamp_document" not in d:
        return None
    amount, tax = d.get("amount"), d.get("tax_amount") or 0
    try:
        duty = contract_stamp_duty(
            document=d["stamp_document"],
            amount=None if amount is None else amount + tax,
            made_on=d.get("signed_on") or timezone.localdate(),
            paper=bool(d.get("paper_original")),
            tax_shown_separately=0 if amount is None else tax,
        )
    except ValueError:
        return None
    return {"duty": duty, "paper": bool(d.get("paper_original")), "document": d["stamp_document"]}


def _form_page(
    request: HttpRequest, form: ContractForm, contract: Contract | None, status: int = 200
) -> HttpResponse:
    preview = _stamp_preview(form)
    if preview is None and contract is not None:
        preview = {
            "duty": contract.stamp_duty,
            "paper": contract.paper_original,
            "document": contract.stamp_document,
        }
    return render(
        request,
        "legal/contracts/form.html",
        {
            "form": form,
            "contract": contract,
            "title": _("契約の編集") if contract else _("契約の登録"),
            "stamp": preview,
        },
        status=400 if form.errors else status,
    )


@membership_required
def contract_new(request: HttpRequest) -> HttpResponse:
    _register_allowed(request)
    company = request.company  # type: ignore[attr-defined]
    manager = permissions.manages_contracts(request.membership)  # type: ignore[attr-defined]
    post = request.method == "POST"
    parents = selectors.parent_choices(**read(request))
    initial = {"parent": request.GET.get("parent", ""), "relation": request.GET.get("relation", "")}
    form = NewContractForm(
        request.POST if post else None, initial=initial, company=company, parents=parents, manager=manager
    )
    if post and form.is_valid() and "preview" not in request.POST:
        try:
            contract = services.create_contract(
                **ctx(request),
                data=form.to_input(),
                status=form.cleaned_data.get("status") or ContractStatus.DRAFT,
                signed_on=form.cleaned_data.get("signed_on"),
            )
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("契約「%(n)s」を登録しました。") % {"n": contract.number})
            return redirect("legal:contract_detail", contract.pk)
    return _form_page(request, form, None)


@membership_required
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract(**read(request), contract_id=pk)
    if not permissions.can_change(request.membership, contract):  # type: ignore[attr-defined]
        raise PermissionDenied
    post = request.method == "POST"
    parents = selectors.parent_choices(**read(request), exclude=contract)
    form = ContractForm(
        request.POST if post else None,
        initial=ContractForm.initial_of(contract),
        company=request.company,  # type: ignore[attr-defined]
        parents=parents,
        contract=contract,
    )
    if post and form.is_valid() and "preview" not in request.POST:
        try:
            services.update_contract(**ctx(request), contract=contract, data=form.to_input())
        except ServiceError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("契約を保存しました。"))
            return redirect("legal:contract_detail", contract.pk)
    return _form_page(request, form, contract)


# ------------------------------------------------------------------------------ detail
@membership_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    membership = request.membership  # type: ignore[attr-defined]
    contract = selectors.get_contract(**read(request), contract_id=pk)
    moves = services.allowed_moves(membership, contract)
    return render(
        request,
        "legal/contracts/detail.html",
        {
            "contract": contract,
            "moves": [(to, ContractStatus(to).label) for to in moves],
            "status_form": StatusForm(),
            "file_form": FileForm(),
            "can_change": permissions.can_change(membership, contract),
            "can_attach": permissions.manages_contracts(membership),
            "versions": selectors.versions(contract=contract),
            "parent": selectors.parent_of(**read(request), contract=contract),
            "children": selectors.children(**read(request), contract=contract),
            "alerts": selectors.alerts(company=company, contract=contract)[:100],
            "notice_deadline": services.deadline_of(contract),
            "events": selectors.history(company=company, contract=contract)[:200],
            "needs_reason": contract.status
            in (ContractStatus.DRAFT, ContractStatus.IN_REVIEW, ContractStatus.NEGOTIATING),
            # リーガルチェック of this contract (views_reviews has the rest)
            "reviews": review_selectors.contract_reviews(**read(request), contract_id=contract.pk)[:50],
            "can_request_review": permissions_reviews.can_request(membership)
            and contract.status not in (ContractStatus.EXPIRED, ContractStatus.TERMINATED),
        },
    )


def _back_with_errors(request: HttpRequest, contract: Contract, exc: ServiceError) -> HttpResponse:
    details = [m for msgs in exc.field_errors.values() for m in msgs if m != exc.message]
    messages.error(request, " ".join([exc.message, *details]))
    return redirect("legal:contract_detail", contract.pk)


@require_POST
@membership_required
def contract_status(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract(**read(request), contract_id=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("入力内容に誤りがあります。"))
        return redirect("legal:contract_detail", contract.pk)
    try:
        services.change_contract_status(
            **ctx(request),
            contract=contract,
            to=form.cleaned_data["to"],
            signed_on=form.cleaned_data.get("signed_on"),
            terminated_on=form.cleaned_data.get("terminated_on"),
            reason=form.cleaned_data.get("reason") or "",
        )
    except ServiceError as exc:
        if exc.status != 400:
            raise
        return _back_with_errors(request, contract, exc)
    messages.success(
        request, _("状態を「%(s)s」にしました。") % {"s": ContractStatus(form.cleaned_data["to"]).label}
    )
    return redirect("legal:contract_detail", contract.pk)


@require_POST
@membership_required
def contract_file_new(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract(**read(request), contract_id=pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("ファイルを選んでください。"))
        return redirect("legal:contract_detail", contract.pk)
    upload: Any = request.FILES["file"]
    try:
        version = services.attach_contract_file(
            **ctx(request),
            contract=contract,
            file_name=upload.name or "",
            data=upload.read(),
            kind=form.cleaned_data["kind"],
            comment=form.cleaned_data.get("comment") or "",
        )
    except ServiceError as exc:
        if exc.status != 400:
            raise
        return _back_with_errors(request, contract, exc)
    messages.success(request, _("第%(n)d版として登録しました。") % {"n": version.number})
    return redirect("legal:contract_detail", contract.pk)


@membership_required
def contract_file(request: HttpRequest, pk: int, version_id: int) -> HttpResponse:
    """One file of the contract, to those who see the contract."""
    _contract, stored = selectors.get_contract_version(**read(request), contract_id=pk, version_id=version_id)
    return version_response(stored, inline=request.GET.get("inline") == "1")


# ------------------------------------------------------------------------------ deadlines
@membership_required
def contract_upcoming(request: HttpRequest) -> HttpResponse:
    _register_allowed(request)
    form = UpcomingForm(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 90
    items = selectors.upcoming(**read(request), days=days)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows: list[list[Any]] = [
            ["期限", "種類", "あと何日", "契約番号", "契約名", "相手方", "担当者", "状態"]
        ]
        rows += [
            [
                i.due_on,
                i.kind_label,
                i.days_left,
                i.contract.number,
                i.contract.title,
                i.contract.counterparty_name,
                i.contract.owner.display_name() if i.contract.owner else "",
                i.contract.get_status_display(),
            ]
            for i in items
        ]
        return table_download(request, rows, name="contracts-upcoming", title=_("期限が近い契約"))
    return render(request, "legal/contracts/upcoming.html", {"form": form, "items": items, "days": days})


def _month(request: HttpRequest) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


@membership_required
def contract_calendar(request: HttpRequest) -> HttpResponse:
    _register_allowed(request)
    first = _month(request)
    previous = (first.replace(day=1) - date.resolution).replace(day=1)
    following = (first.replace(day=28) + date.resolution * 4).replace(day=1)
    weeks = selectors.month_calendar(**read(request), year=first.year, month=first.month)
    return render(
        request,
        "legal/contracts/calendar.html",
        {
            "weeks": weeks,
            "first": first,
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
        },
    )
