"""文書 screens: one document's page and what is done on it (versions, name, tags, 電子取引, trash)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import membership_required

from . import selectors, services
from .files import PREVIEWABLE
from .forms import (
    RenameForm,
    ShareForm,
    TagsForm,
    TransactionForm,
    VersionForm,
)
from .models import Document
from .view_helpers import _ctx, _departments, _error_text, _members, _refuse, _scope, _share_rows, _wants_json


# ---------------------------------------------------------------------------- one document
def _document_page(
    request: HttpRequest, document: Document, *, status: int = 200, **forms: Any
) -> HttpResponse:
    company, membership = request.company, request.membership  # type: ignore[attr-defined]
    versions = list(selectors.versions_of(document=document))
    by_number = {v.number: v for v in versions}
    compare = None
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if a.isdigit() and b.isdigit() and int(a) in by_number and int(b) in by_number:
        compare = (by_number[int(a)], by_number[int(b)])
    tags = selectors.tags_of(document=document)
    current = document.current_version
    transaction_initial = {
        "transaction_date": document.transaction_date,
        "transaction_amount": document.transaction_amount,
        "counterparty": document.counterparty,
        "document_type": document.document_type,
        "retention_years": 7,
    }
    context = {
        "document": document,
        "current": current,
        "versions": versions,
        "compare": compare,
        "tags": tags,
        "path": selectors.folder_path(folder=document.folder),
        "previewable": current is not None and current.content_type in PREVIEWABLE,
        "is_pdf": current is not None and current.content_type == "application/pdf",
        "can_edit": selectors.can_edit_document(membership=membership, document=document),
        "attachments": selectors.attachments_of_document(
            company=company, membership=membership, document=document
        ),
        "events": list(
            core_selectors.audit_events_for_object(
                company=company, object_type="documents.document", object_id=str(document.pk)
            )
        ),
        "rename_form": forms.get("rename_form") or RenameForm(initial={"name": document.name}),
        "tags_form": forms.get("tags_form") or TagsForm(initial={"tags": ", ".join(tags)}),
        "transaction_form": forms.get("transaction_form") or TransactionForm(initial=transaction_initial),
        "version_form": forms.get("version_form") or VersionForm(),
        "error": forms.get("error", ""),
    }
    if context["can_edit"]:
        members = _members(request)
        context["share_form"] = forms.get("share_form") or ShareForm(
            members=members, departments=_departments(request)
        )
        context["shares"] = _share_rows(request, None, members, document=document)
    return render(request, "documents/document.html", context, status=status)


def _get(request: HttpRequest, pk: int) -> Document:
    return selectors.get_document(**_scope(request), document_id=pk)


@membership_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_page(request, _get(request, pk))


@require_POST
@membership_required
def version_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """新しい版: from the document page's form, or from upload.js (JSON) after ``name_exists``."""
    document = _get(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.add_version(
                **_ctx(request),
                document=document,
                data=upload.read(),
                name=upload.name,
                comment=form.cleaned_data.get("comment") or "",
            )
        except ServiceError as exc:
            _refuse(exc)
            if _wants_json(request):
                return JsonResponse({"ok": False, "error": _error_text(exc), "code": exc.code}, status=400)
            apply_service_error(form, exc)
        else:
            url = reverse("documents:document", args=[document.pk])
            if _wants_json(request):
                return JsonResponse({"ok": True, "url": url, "version": version.number})
            messages.success(request, _("第%(n)d版を登録しました。") % {"n": version.number})
            return redirect(url + "#versions")
    elif _wants_json(request):
        return JsonResponse({"ok": False, "error": _("ファイルを選んでください。")}, status=400)
    return _document_page(request, _get(request, pk), status=400, version_form=form)


@require_POST
@membership_required
def version_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = _get(request, pk)
    version = selectors.get_version(document=document, number=number)
    try:
        new = services.restore_version(**_ctx(request), document=document, version=version)
    except ServiceError as exc:
        _refuse(exc)
        return _document_page(request, _get(request, pk), status=400, error=_error_text(exc))
    messages.success(
        request, _("第%(old)d版を第%(new)d版として復元しました。") % {"old": number, "new": new.number}
    )
    return redirect(reverse("documents:document", args=[document.pk]) + "#versions")


@require_POST
@membership_required
def document_rename(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(request, pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.rename_document(**_ctx(request), document=document, name=form.cleaned_data["name"])
        except ServiceError as exc:
            _refuse(exc)
            apply_service_error(form, exc)
        else:
            messages.success(request, _("名前を変更しました。"))
            return redirect("documents:document", pk=pk)
    return _document_page(request, _get(request, pk), status=400, rename_form=form)


@require_POST
@membership_required
def document_tags(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(request, pk)
    form = TagsForm(request.POST)
    if form.is_valid():
        try:
            services.set_tags(**_ctx(request), document=document, names=form.names())
        except ServiceError as exc:
            _refuse(exc)
            apply_service_error(form, exc)
        else:
            messages.success(request, _("タグを保存しました。"))
            return redirect("documents:document", pk=pk)
    return _document_page(request, _get(request, pk), status=400, tags_form=form)


@require_POST
@membership_required
def document_transaction(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(request, pk)
    form = TransactionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.set_transaction_record(
                **_ctx(request),
                document=document,
                transaction_date=d.get("transaction_date"),
                transaction_amount=d.get("transaction_amount"),
                counterparty=d.get("counterparty") or "",
                document_type=d.get("document_type") or "",
                retention_years=d["retention_years"],
            )
        except ServiceError as exc:
            _refuse(exc)
            apply_service_error(form, exc)
        else:
            messages.success(request, _("電子取引データとして保存しました。"))
            return redirect(reverse("documents:document", args=[pk]) + "#denchoho")
    return _document_page(request, _get(request, pk), status=400, transaction_form=form)


@require_POST
@membership_required
def document_trash(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(request, pk)
    try:
        services.trash_document(**_ctx(request), document=document)
    except ServiceError as exc:
        _refuse(exc)
        return _document_page(request, _get(request, pk), status=400, error=_error_text(exc))
    messages.success(request, _("「%(name)s」をゴミ箱に移動しました。") % {"name": document.name})
    return redirect("documents:folder", pk=document.folder_id)
