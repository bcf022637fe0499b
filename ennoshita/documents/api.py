"""/api/v1/documents/: folders, documents (search, upload, versions, download), tags, 電子取引 metadata,
trash and restore, shares, and attachments to business records.

Handlers parse, call ``documents.services`` / ``selectors`` / ``search`` with the token's company,
membership and user, and return. Who may read or edit what is decided there (access.py): a folder,
document or version the token's user cannot read, or that belongs to another company, is a 404 like
a missing one; reading without the right to edit is a 403 on a write.

An unknown id in the path is a 404. An unknown id inside a body, a form or a filter (``folder_id``,
``parent_id``) is a 400 on that field, like any other wrong value there. The record named by an
attachment (``object_type`` and ``object_id``) is the exception: it is what the request is about,
so a record that is missing, unreadable or another company's — or a type that takes no
attachments — is a 404, as in the path; a record one may read but not edit is a 403. Files are sent as
``multipart/form-data`` with the file in ``file``; every refusal of a file (empty, too large, a
forbidden type, a name already in the folder) is a problem on ``file`` and nothing is stored.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from ennoshita.core.api import MAX_ID, Caller, Problem, caller_of
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError

from . import search, selectors, services
from .models import Document, DocumentTag, DocumentVersion, Folder
from .schemas import (
    AttachmentFilters,
    AttachmentIn,
    AttachmentOut,
    DocumentDetail,
    DocumentFilters,
    DocumentOut,
    DocumentPage,
    FolderCreate,
    FolderDetail,
    FolderFilters,
    FolderListItem,
    FolderRef,
    Id,
    ShareIn,
    ShareOut,
    TagsIn,
    TransactionRecordIn,
    VersionOut,
)
from .storage import open_blob

router = Router(tags=["documents"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
BINARY = {
    "responses": {
        200: {
            "description": "ファイルの内容(Content-Disposition: attachment)",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


_caller = caller_of


def _folder_ref(c: Caller, field: str, folder_id: int) -> Folder:
    """A folder id sent in a body, a form or a filter; unknown or unreadable → a 400 on that field."""
    try:
        return selectors.get_folder(**c.reader(), folder_id=folder_id)
    except NotFound as exc:
        raise ServiceError(
            _("入力内容に誤りがあります。"), code="validation", field_errors={field: [_("見つかりません。")]}
        ) from exc


def _document(c: Caller, document_id: int, *, trashed: bool | None = None) -> Document:
    return selectors.get_document(**c.reader(), document_id=document_id, trashed=trashed)


def _version(document: Document, version_id: int) -> DocumentVersion:
    version = selectors.versions_of(document=document).filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    return version


def _read_upload(file: UploadedFile | None) -> tuple[str, bytes]:
    """The uploaded file's name and bytes. ``file`` is optional in the signature so that a missing
    file is reported on ``file`` (ninja would say ``file.file``) and only after the ids in the path
    were checked (another company's document is a 404 whatever the body)."""
    if file is None:
        raise ValidationError([{"type": "missing", "loc": ["file"], "msg": "missing"}])
    return file.name or "", file.read()


def _tags_prefetch() -> Prefetch:
    return Prefetch(
        "document_tags",
        queryset=DocumentTag.objects.select_related("tag").order_by("tag__name"),
        to_attr="api_tags",
    )


def _out(document: Document) -> DocumentOut:
    """One document with its tags (prefetched by list endpoints, one query otherwise)."""
    prefetched = getattr(document, "api_tags", None)
    tags = (
        [dt.tag.name for dt in prefetched] if prefetched is not None else selectors.tags_of(document=document)
    )
    return DocumentOut.of(document, tags)


def _fresh(c: Caller, document_id: int) -> DocumentOut:
    return _out(_document(c, document_id))


# ------------------------------------------------------------------ folders
@router.get("/folders", response={200: list[FolderListItem], **ERRORS}, summary="フォルダの一覧")
def list_folders(request: HttpRequest, filters: Query[FolderFilters]) -> list[FolderListItem]:
    """`parent_id` の直下のフォルダ(省略時は最上位)のうち、見られるものを名前順に返します。"""
    c = _caller(request)
    parent = None if filters.parent_id is None else _folder_ref(c, "parent_id", filters.parent_id)
    rows = selectors.child_folders(**c.reader(), parent=parent).order_by("name")
    return [
        FolderListItem(
            id=f.pk,
            name=f.name,
            parent_id=f.parent_id,
            created_at=f.created_at,
            document_count=f.document_count,  # type: ignore[attr-defined]  # child_folders annotates it
        )
        for f in rows
    ]


@router.get("/folders/{folder_id}", response={200: FolderDetail, **READ_ERRORS}, summary="フォルダの詳細")
def get_folder(request: HttpRequest, folder_id: Id) -> FolderDetail:
    c = _caller(request)
    folder = selectors.get_folder(**c.reader(), folder_id=folder_id)
    return FolderDetail(
        id=folder.pk,
        name=folder.name,
        parent_id=folder.parent_id,
        created_at=folder.created_at,
        path=[FolderRef(id=f.pk, name=f.name) for f in selectors.folder_path(folder=folder)],
    )


@router.post("/folders", response={201: FolderListItem, **ERRORS}, summary="フォルダの作成")
def create_folder(request: HttpRequest, payload: FolderCreate) -> Status[FolderListItem]:
    """親フォルダを編集できる人が作れます(最上位には外部アシスタント以外の誰でも)。"""
    c = _caller(request)
    parent = None if payload.parent_id is None else _folder_ref(c, "parent_id", payload.parent_id)
    folder = services.create_folder(**c.writer(), name=payload.name, parent=parent)
    return Status(
        201,
        FolderListItem(
            id=folder.pk,
            name=folder.name,
            parent_id=folder.parent_id,
            created_at=folder.created_at,
            document_count=0,
        ),
    )


# ------------------------------------------------------------------ documents
@router.get("", response={200: DocumentPage, **ERRORS}, summary="文書の検索・一覧")
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]) -> DocumentPage:
    """見られる文書(ゴミ箱の文書を除く)を条件で絞り込みます。条件はすべて AND です。

    `folder_id` は既定でその下位フォルダの文書も含みます(`include_subfolders=false` でそのフォルダ直下だけ)。
    `tag` は全角/半角・ひらがな/カタカナをそろえて、名前が一致するタグを探します。
    電子帳簿保存法の検索要件(取引年月日・取引金額の範囲、取引先)は単独でも組み合わせても使えます。
    `transaction_only=true` なら取引年月日の新しい順、それ以外は名前順です。
    """
    c = _caller(request)
    if filters.folder_id is not None:
        _folder_ref(c, "folder_id", filters.folder_id)
    query = search.DocumentQuery(
        q=filters.q,
        folder_id=filters.folder_id,
        include_subfolders=filters.include_subfolders,
        tag=filters.tag,
        uploader_id=filters.uploader_id,
        uploaded_from=filters.uploaded_from,
        uploaded_to=filters.uploaded_to,
        transaction_only=filters.transaction_only,
        transaction_date_from=filters.transaction_date_from,
        transaction_date_to=filters.transaction_date_to,
        amount_min=None if filters.amount_min is None else Decimal(filters.amount_min),
        amount_max=None if filters.amount_max is None else Decimal(filters.amount_max),
        counterparty=filters.counterparty,
        document_type=filters.document_type or "",
    )
    qs = search.search_documents(**c.reader(), query=query)
    total = qs.count()
    rows = list(qs.prefetch_related(_tags_prefetch())[filters.offset : filters.offset + filters.limit])
    return DocumentPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[_out(d) for d in rows]
    )


@router.post("", response={201: DocumentOut, **ERRORS}, summary="文書の登録(アップロード)")
def upload_document(
    request: HttpRequest,
    file: File[UploadedFile | None] = None,
    folder_id: int = Form(..., ge=1, le=MAX_ID, description="登録先のフォルダID"),
    comment: str = Form("", max_length=500, description="版のコメント"),
) -> Status[DocumentOut]:
    """`multipart/form-data` で `file`・`folder_id`・`comment` を送ります。第1版として登録します。

    同じフォルダに同じ名前の文書があれば上書きせず 400(`code: name_exists`)を返します。
    新しい版は POST /api/v1/documents/{document_id}/versions で登録します。
    """
    c = _caller(request)
    folder = _folder_ref(c, "folder_id", folder_id)
    name, data = _read_upload(file)
    document = services.upload_document(**c.writer(), folder=folder, name=name, data=data, comment=comment)
    return Status(201, _fresh(c, document.pk))


# ------------------------------------------------------------------ attachments
# (declared before "/{document_id}" so that "/attachments" is not taken for a document id)
@router.get(
    "/attachments", response={200: list[AttachmentOut], **ERRORS}, summary="記録に添付された文書の一覧"
)
def list_attachments(request: HttpRequest, filters: Query[AttachmentFilters]) -> list[AttachmentOut]:
    """業務の記録(`object_type` と `object_id`、例: `people.employee` と社員ID)に添付された文書を、
    見られるものだけ名前順に返します。

    その記録を見られない場合、別の会社の記録、存在しない記録、添付を受け付けない種類は 404 です。
    """
    c = _caller(request)
    rows = selectors.attachments_for(
        **c.reader(), object_type=filters.object_type, object_id=filters.object_id
    )
    return [AttachmentOut.of(a) for a in rows]


@router.delete("/attachments/{attachment_id}", response={204: None, **ERRORS}, summary="添付を外す")
def detach(request: HttpRequest, attachment_id: Id) -> Status[None]:
    """添付先の記録を編集できる人が外せます(文書そのものは変わらないので、文書の編集権限は要りません)。

    記録を見られるが編集できなければ 403、見られなければ 404 です。文書と版はそのまま残ります。
    """
    c = _caller(request)
    services.detach(**c.writer(), attachment_id=attachment_id)
    return Status(204, None)


@router.get("/{document_id}", response={200: DocumentDetail, **READ_ERRORS}, summary="文書の詳細")
def get_document(request: HttpRequest, document_id: Id) -> DocumentDetail:
    """タグ、電子取引データの項目、最新版、添付先(見られる記録だけ)を含みます。
    ゴミ箱の文書は `trashed_at` が入ります。"""
    c = _caller(request)
    document = _document(c, document_id)
    attachments = selectors.attachments_of_document(**c.reader(), document=document)
    return DocumentDetail(
        **_out(document).model_dump(), attachments=[AttachmentOut.of(a) for a in attachments]
    )


@router.post(
    "/{document_id}/attachments", response={201: AttachmentOut, **ERRORS}, summary="文書を記録に添付"
)
def attach(request: HttpRequest, document_id: Id, payload: AttachmentIn) -> Status[AttachmentOut]:
    """見られる文書を、編集できる業務の記録(例: `{"object_type": "people.employee", "object_id": "42"}`)に
    添付します。既に添付されていれば、その添付をそのまま返します。

    文書または記録が見つからない・見られない・別の会社のもの、添付を受け付けない種類は 404、
    記録を見られるが編集できなければ 403 です。いずれの場合も何も書き込みません。
    """
    c = _caller(request)
    document = _document(c, document_id, trashed=False)
    row = services.attach(
        **c.writer(), document=document, object_type=payload.object_type, object_id=payload.object_id
    )
    return Status(201, AttachmentOut.of(selectors.get_attached(**c.reader(), attachment_id=row.pk)))


@router.get("/{document_id}/versions", response={200: list[VersionOut], **READ_ERRORS}, summary="版の一覧")
def list_versions(request: HttpRequest, document_id: Id) -> list[VersionOut]:
    """新しい版から順に、すべての版(誰が・いつ・サイズ・SHA-256・コメント)を返します。"""
    c = _caller(request)
    document = _document(c, document_id)
    return [VersionOut.of(v) for v in selectors.versions_of(document=document)]


@router.post("/{document_id}/versions", response={201: VersionOut, **ERRORS}, summary="新しい版の登録")
def add_version(
    request: HttpRequest,
    document_id: Id,
    file: File[UploadedFile | None] = None,
    comment: str = Form("", max_length=500, description="版のコメント(変更の理由など)"),
) -> Status[VersionOut]:
    """`multipart/form-data` で `file`(必須)と `comment` を送ります。それまでの版はすべて残ります。"""
    c = _caller(request)
    document = _document(c, document_id, trashed=False)
    name, data = _read_upload(file)
    version = services.add_version(**c.writer(), document=document, data=data, name=name, comment=comment)
    return Status(201, VersionOut.of(version))


_UNSAFE_FALLBACK = re.compile(r"[^A-Za-z0-9._ ()\[\]+-]")


def _content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the real name in RFC 5987 ``filename*``."""
    fallback = _UNSAFE_FALLBACK.sub("_", filename).strip() or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.get(
    "/{document_id}/versions/{version_id}/download",
    response={**READ_ERRORS},
    summary="版のダウンロード",
    openapi_extra=BINARY,
)
def download_version(request: HttpRequest, document_id: Id, version_id: Id) -> HttpResponse:
    """その版の内容を、登録したときのファイル名で添付ファイルとして返します(ブラウザで開かせません)。"""
    c = _caller(request)
    version = _version(_document(c, document_id), version_id)
    data = open_blob(version.sha256)
    response = HttpResponse(data, content_type=version.content_type)
    response["Content-Disposition"] = _content_disposition(version.original_name)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/{document_id}/versions/{version_id}/restore",
    response={201: VersionOut, **ERRORS},
    summary="古い版の復元",
)
def restore_version(request: HttpRequest, document_id: Id, version_id: Id) -> Status[VersionOut]:
    """その版の内容を新しい版として登録します(履歴は書き換えません)。"""
    c = _caller(request)
    document = _document(c, document_id, trashed=False)
    version = _version(document, version_id)
    restored = services.restore_version(**c.writer(), document=document, version=version)
    return Status(201, VersionOut.of(restored))


@router.put("/{document_id}/tags", response={200: DocumentOut, **ERRORS}, summary="タグの設定")
def set_tags(request: HttpRequest, document_id: Id, payload: TagsIn) -> DocumentOut:
    """送ったタグで置き換えます(空の配列ならタグをすべて外します)。"""
    c = _caller(request)
    document = _document(c, document_id, trashed=False)
    services.set_tags(**c.writer(), document=document, names=payload.tags)
    return _fresh(c, document.pk)


@router.put(
    "/{document_id}/transaction-record",
    response={200: DocumentOut, **ERRORS},
    summary="電子取引データの項目の設定(電子帳簿保存法)",
)
def set_transaction_record(
    request: HttpRequest, document_id: Id, payload: TransactionRecordIn
) -> DocumentOut:
    """取引年月日・取引金額・取引先・書類の種類を記録し、電子取引データとして保存します。

    訂正はいつでもできますが、変更前と変更後は監査ログに残ります。保存期限は短くなりません。
    """
    c = _caller(request)
    document = _document(c, document_id, trashed=False)
    services.set_transaction_record(
        **c.writer(),
        document=document,
        transaction_date=payload.transaction_date,
        transaction_amount=payload.transaction_amount,
        counterparty=payload.counterparty,
        document_type=payload.document_type,
        retention_years=payload.retention_years,
    )
    return _fresh(c, document.pk)


@router.post("/{document_id}/trash", response={200: DocumentOut, **ERRORS}, summary="ゴミ箱に移動")
def trash_document(request: HttpRequest, document_id: Id) -> DocumentOut:
    """30日間は元に戻せます。保存期限内の電子取引データは移動できません(400、`code: retention`)。"""
    c = _caller(request)
    document = services.trash_document(**c.writer(), document=_document(c, document_id))
    return _out(_document(c, document.pk))


@router.post("/{document_id}/restore", response={200: DocumentOut, **ERRORS}, summary="ゴミ箱から元に戻す")
def restore_document(request: HttpRequest, document_id: Id) -> DocumentOut:
    c = _caller(request)
    document = services.restore_document(**c.writer(), document=_document(c, document_id))
    return _out(_document(c, document.pk))


# ------------------------------------------------------------------------------- shares
def _shares_out(rows: Any) -> list[ShareOut]:
    return [ShareOut.model_validate(r, from_attributes=True) for r in rows]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDeniedError()


@router.get(
    "/folders/{folder_id}/shares", response={200: list[ShareOut], **READ_ERRORS}, summary="フォルダの共有一覧"
)
def list_folder_shares(request: HttpRequest, folder_id: Id) -> list[ShareOut]:
    """共有先を見られるのは、そのフォルダを編集できる人だけです。"""
    c = _caller(request)
    folder = selectors.get_folder(**c.reader(), folder_id=folder_id)
    _require(selectors.can_edit_folder(membership=c.membership, folder=folder))
    return _shares_out(selectors.shares_of(company=c.company, folder=folder).order_by("pk"))


@router.post("/folders/{folder_id}/shares", response={201: ShareOut, **ERRORS}, summary="フォルダを共有")
def share_folder(request: HttpRequest, folder_id: Id, payload: ShareIn) -> Status[ShareOut]:
    c = _caller(request)
    folder = selectors.get_folder(**c.reader(), folder_id=folder_id)
    row = services.share(**c.writer(), folder=folder, **payload.model_dump())
    return Status(201, ShareOut.model_validate(row, from_attributes=True))


@router.get("/{document_id}/shares", response={200: list[ShareOut], **READ_ERRORS}, summary="文書の共有一覧")
def list_document_shares(request: HttpRequest, document_id: Id) -> list[ShareOut]:
    c = _caller(request)
    document = _document(c, document_id)
    _require(selectors.can_edit_document(membership=c.membership, document=document))
    return _shares_out(selectors.shares_of(company=c.company, document=document).order_by("pk"))


@router.post("/{document_id}/shares", response={201: ShareOut, **ERRORS}, summary="文書を共有")
def share_document(request: HttpRequest, document_id: Id, payload: ShareIn) -> Status[ShareOut]:
    c = _caller(request)
    document = _document(c, document_id)
    row = services.share(**c.writer(), document=document, **payload.model_dump())
    return Status(201, ShareOut.model_validate(row, from_attributes=True))


@router.delete("/shares/{share_id}", response={204: None, **ERRORS}, summary="共有を取り消す")
def revoke_share(request: HttpRequest, share_id: Id) -> Status[None]:
    c = _caller(request)
    services.revoke_share(**c.writer(), share_id=share_id)
    return Status(204, None)
