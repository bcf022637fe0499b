"""文書 screens: the folder browser, upload, search, and the trash.

Views stay thin: they parse with a form, call ``documents.services`` / ``selectors`` / ``search``
and render. A ServiceError becomes field errors (400, nothing written); NotFound a 404 and
PermissionDeniedError a 403 (``core.web.membership_required``). One document's page lives in
``document_views.py``, sharing in ``share_views.py``, downloads in ``downloads.py``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core import selectors as core_selectors
from ennoshita.core.csvio import encode_csv
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.models import Role
from ennoshita.core.web import membership_required

from . import search, selectors, services
from .files import clean_name
from .forms import (
    FolderForm,
    SearchForm,
    ShareForm,
    UploadForm,
)
from .models import Document, Folder
from .view_helpers import _ctx, _departments, _error_text, _members, _refuse, _scope, _share_rows, _wants_json

PAGE_SIZE = 50


# ---------------------------------------------------------------------------- folders
@membership_required
def home(request: HttpRequest) -> HttpResponse:
    return _folder_page(request, None)


@membership_required
def folder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    folder = selectors.get_folder(**_scope(request), folder_id=pk)
    return _folder_page(request, folder)


def _folder_page(
    request: HttpRequest,
    folder: Folder | None,
    *,
    status: int = 200,
    folder_form: FolderForm | None = None,
    upload_form: UploadForm | None = None,
    share_form: ShareForm | None = None,
    name_conflicts: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    scope = _scope(request)
    can_edit = selectors.can_edit_folder(membership=request.membership, folder=folder)  # type: ignore[attr-defined]
    if folder is None:
        children = list(selectors.top_folders(**scope))
        documents: list[Document] = []
        path: list[Folder] = []
    else:
        children = list(selectors.child_folders(**scope, parent=folder))
        documents = list(selectors.with_listing(selectors.documents_in_folder(**scope, folder=folder)))
        path = selectors.folder_path(folder=folder)
    context: dict[str, Any] = {
        "folder": folder,
        "path": path,
        "children": children,
        "documents": documents,
        "can_edit": can_edit,
        "folder_form": folder_form or FolderForm(),
        "upload_form": upload_form or UploadForm(),
        "name_conflicts": name_conflicts or [],
    }
    if folder is not None and can_edit:
        members = _members(request)
        context["share_form"] = share_form or ShareForm(members=members, departments=_departments(request))
        context["shares"] = _share_rows(request, folder, members)
    return render(request, "documents/folder.html", context, status=status)


@require_POST
@membership_required
def folder_create(request: HttpRequest) -> HttpResponse:
    parent_id = request.POST.get("parent", "")
    parent = (
        selectors.get_folder(**_scope(request), folder_id=int(parent_id)) if parent_id.isdigit() else None
    )
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            folder = services.create_folder(**_ctx(request), name=form.cleaned_data["name"], parent=parent)
        except ServiceError as exc:
            _refuse(exc)
            apply_service_error(form, exc)
        else:
            messages.success(request, _("フォルダ「%(name)s」を作成しました。") % {"name": folder.name})
            return redirect("documents:folder", pk=folder.pk)
    return _folder_page(request, parent, status=400, folder_form=form)


# ---------------------------------------------------------------------------- upload
def _existing_document(request: HttpRequest, folder: Folder, name: str) -> Document | None:
    try:
        clean = clean_name(name)
    except ServiceError:
        return None
    return selectors.documents_in_folder(**_scope(request), folder=folder).filter(name=clean).first()


def _upload_one(request: HttpRequest, folder: Folder, upload: Any, comment: str) -> dict[str, Any]:
    try:
        document = services.upload_document(
            **_ctx(request), folder=folder, name=upload.name, data=upload.read(), comment=comment
        )
    except ServiceError as exc:
        _refuse(exc)
        result: dict[str, Any] = {
            "ok": False,
            "name": upload.name,
            "error": _error_text(exc),
            "code": exc.code,
        }
        if exc.code == "name_exists":
            existing = _existing_document(request, folder, upload.name)
            if existing is not None and selectors.can_edit_document(
                membership=request.membership,  # type: ignore[attr-defined]
                document=existing,
            ):
                result["version_url"] = reverse("documents:version_upload", args=[existing.pk])
                result["document_url"] = reverse("documents:document", args=[existing.pk])
        return result
    return {"ok": True, "name": document.name, "url": reverse("documents:document", args=[document.pk])}


@require_POST
@membership_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """One file per request from upload.js (JSON), or every file of the plain form (no JS)."""
    folder = selectors.get_folder(**_scope(request), folder_id=pk)
    files = request.FILES.getlist("file")
    comment = request.POST.get("comment", "")[:500]
    if _wants_json(request):
        if len(files) != 1:
            return JsonResponse({"ok": False, "error": _("ファイルを1つ選んでください。")}, status=400)
        result = _upload_one(request, folder, files[0], comment)
        return JsonResponse(result, status=200 if result["ok"] else 400)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _folder_page(request, folder, status=400, upload_form=form)
    results = [_upload_one(request, folder, f, comment) for f in form.cleaned_data["file"]]
    done = [r for r in results if r["ok"]]
    if done:
        messages.success(request, _("%(n)d 件のファイルを登録しました。") % {"n": len(done)})
    failed = [r for r in results if not r["ok"]]
    if not failed:
        return redirect("documents:folder", pk=folder.pk)
    for r in failed:
        form.add_error("file", r["error"])
    conflicts = [r for r in failed if r.get("document_url")]
    return _folder_page(request, folder, status=400, upload_form=form, name_conflicts=conflicts)


# ---------------------------------------------------------------------------- search
def _search_form(request: HttpRequest) -> SearchForm:
    scope = _scope(request)
    folders = [(f.pk, f.name) for f in selectors.visible_folders(**scope).order_by("name")]
    uploaders = [
        (m.user_id, m.user.display_name())
        for m in core_selectors.memberships_of_company(company=request.company)  # type: ignore[attr-defined]
    ]
    tags = selectors.visible_tag_names(**scope)
    return SearchForm(request.GET or None, folders=folders, uploaders=uploaders, tags=tags)


def _query(form: SearchForm) -> search.DocumentQuery | None:
    if not form.is_bound or not form.is_valid():
        return None
    d = form.cleaned_data
    return search.DocumentQuery(
        q=d.get("q") or "",
        folder_id=d.get("folder"),
        include_subfolders=d.get("include_subfolders", True),
        tag=d.get("tag") or "",
        uploader_id=d.get("uploader"),
        uploaded_from=d.get("uploaded_from"),
        uploaded_to=d.get("uploaded_to"),
        transaction_only=bool(d.get("transaction_only")),
        transaction_date_from=d.get("transaction_date_from"),
        transaction_date_to=d.get("transaction_date_to"),
        amount_min=d.get("amount_min"),
        amount_max=d.get("amount_max"),
        counterparty=d.get("counterparty") or "",
        document_type=d.get("document_type") or "",
    )


@membership_required
def search_page(request: HttpRequest) -> HttpResponse:
    form = _search_form(request)
    query = _query(form)
    page = None
    if query is not None:
        qs = selectors.with_listing(search.search_documents(**_scope(request), query=query))
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "documents/search.html", {"form": form, "page_obj": page}, status=status)


CSV_HEADER = (
    "ID",
    "ファイル名",
    "フォルダ",
    "版",
    "サイズ(バイト)",
    "登録者",
    "更新日時",
    "タグ",
    "電子取引",
    "取引年月日",
    "取引金額",
    "取引先",
    "書類の種類",
    "保存期限",
)


@membership_required
def search_export(request: HttpRequest) -> HttpResponse:
    """The search results as CSV (UTF-8 with BOM, opens in Excel)."""
    form = _search_form(request)
    query = _query(form) or search.DocumentQuery()
    if form.is_bound and form.errors:
        return render(request, "documents/search.html", {"form": form, "page_obj": None}, status=400)
    qs = selectors.with_listing(search.search_documents(**_scope(request), query=query))
    rows: list[list[Any]] = [[_(h) for h in CSV_HEADER]]
    for d in qs.iterator(chunk_size=2000):
        v = d.current_version
        rows.append(
            [
                d.pk,
                d.name,
                d.folder.name,
                v.number if v else "",
                v.size if v else "",
                v.uploaded_by.display_name() if v else "",
                timezone.localtime(d.updated_at).strftime("%Y-%m-%d %H:%M"),
                " ".join(t.tag.name for t in d.document_tags.all()),
                "○" if d.is_transaction_record else "",
                d.transaction_date.isoformat() if d.transaction_date else "",
                d.transaction_amount if d.transaction_amount is not None else "",
                d.counterparty,
                d.get_document_type_display() if d.document_type else "",
                d.retention_until.isoformat() if d.retention_until else "",
            ]
        )
    response = HttpResponse(encode_csv(rows, encoding="utf-8-sig"), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="documents-{stamp}.csv"'
    return response


# ---------------------------------------------------------------------------- trash
@membership_required
def trash(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "document": d,
            "purge_on": timezone.localtime(d.trashed_at + timedelta(days=services.TRASH_DAYS)).date(),
        }
        for d in selectors.trashed_documents(**_scope(request))
        if d.trashed_at is not None
    ]
    context = {
        "rows": rows,
        "trash_days": services.TRASH_DAYS,
        "is_admin": request.membership.has_any_role(Role.ADMIN),  # type: ignore[attr-defined]
    }
    return render(request, "documents/trash.html", context)


@require_POST
@membership_required
def document_restore(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document(**_scope(request), document_id=pk, trashed=True)
    try:
        services.restore_document(**_ctx(request), document=document)
    except ServiceError as exc:
        _refuse(exc)
        messages.error(request, _error_text(exc))
        return redirect("documents:trash")
    messages.success(request, _("「%(name)s」を元に戻しました。") % {"name": document.name})
    return redirect("documents:document", pk=document.pk)


@require_POST
@membership_required
def trash_empty(request: HttpRequest) -> HttpResponse:
    removed = services.empty_trash(**_ctx(request))
    messages.success(request, _("ゴミ箱の %(n)d 件を完全に削除しました。") % {"n": removed})
    return redirect("documents:trash")
