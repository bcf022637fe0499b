"""Writes of documents. Keyword-only, one transaction each, permission-checked, audited.

Files are stored in the content-addressed store before the rows are written; if the transaction
then fails, the stored bytes are unreferenced (never a row without its file) and the garbage
collector of the trash removes them later.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import search_key

from . import rules
from .access import access_for, department_choices
from .files import check_file, clean_name, extract_text
from .models import (
    Attachment,
    Document,
    DocumentTag,
    DocumentType,
    DocumentVersion,
    Folder,
    GranteeKind,
    Permission,
    Share,
    Tag,
)
from .storage import put_blob

TRASH_DAYS = 30


def _fail(field: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


# ------------------------------------------------------------------------------- folders
@transaction.atomic
def create_folder(
    *, company: Company, actor: User, membership: Membership, name: str, parent: Folder | None
) -> Folder:
    try:
        name = clean_name(name)
    except ServiceError as exc:
        message = exc.field_errors.get("file", [exc.message])[0]
        raise _fail("name", message if name.strip() else _("フォルダ名を入力してください。")) from exc
    # The unique constraint cannot see two root folders (NULL parents differ in SQL): check here.
    if Folder.objects.filter(company=company, parent=parent, name=name, trashed_at__isnull=True).exists():
        raise _fail("name", _("同じ名前のフォルダがあります。"))
    if parent is not None:
        if parent.company_id != company.pk or parent.trashed_at is not None:
            raise NotFound()
        if not access_for(membership).can_edit_folder(parent.pk):
            raise PermissionDeniedError()
    elif membership.has_any_role(Role.ASSISTANT):
        raise PermissionDeniedError()
    folder = Folder(company=company, name=name, parent=parent, created_by=actor)
    try:
        with transaction.atomic():
            folder.save()
    except IntegrityError as exc:
        raise _fail("name", _("同じ名前のフォルダがあります。")) from exc
    record_event(company=company, actor=actor, action="create", instance=folder, after=snapshot(folder))
    return folder


# ------------------------------------------------------------------------------- upload
def _search_text(document: Document, text: str, tags: list[str]) -> str:
    return search_key(" ".join([document.name, *tags, document.counterparty, text]))


def _tag_names(document: Document) -> list[str]:
    return list(DocumentTag.objects.filter(document=document).values_list("tag__name", flat=True))


@transaction.atomic
def upload_document(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    folder: Folder,
    name: str,
    data: bytes,
    comment: str = "",
) -> Document:
    """A new document with its first version. A live document of the same name in the folder is
    never overwritten: the caller gets ``name_exists`` and may add a version instead."""
    if folder.company_id != company.pk or folder.trashed_at is not None:
        raise NotFound()
    if not access_for(membership).can_edit_folder(folder.pk):
        raise PermissionDeniedError()
    checked = check_file(name, data)
    if Document.objects.filter(
        company=company, folder=folder, name=checked.name, trashed_at__isnull=True
    ).exists():
        raise _fail(
            "file",
            _(
                "「%(name)s」は既にこのフォルダにあります。上書きはしません。新しい版として登録するか、名前を変えてください。"
            )
            % {"name": checked.name},
            code="name_exists",
        )
    sha = put_blob(data)
    text = extract_text(checked.extension, data)
    document = Document(company=company, folder=folder, name=checked.name, created_by=actor)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as exc:  # a concurrent upload took the name first
        raise _fail(
            "file", _("同じ名前の文書が同時に登録されました。もう一度お試しください。"), code="name_exists"
        ) from exc
    version = DocumentVersion.objects.create(
        company=company,
        document=document,
        number=1,
        sha256=sha,
        size=len(data),
        content_type=checked.content_type,
        original_name=checked.name,
        comment=comment.strip()[:500],
        uploaded_by=actor,
        extracted_text=text,
    )
    document.current_version = version
    document.search_text = _search_text(document, text, [])
    document.save(update_fields=["current_version", "search_text"])
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=document,
        after=snapshot(document),
        extra={"version": 1, "sha256": sha, "size": len(data)},
    )
    return document


def _check_edit(company: Company, membership: Membership, document: Document) -> None:
    if document.company_id != company.pk:
        raise NotFound()
    access = access_for(membership)
    if not access.can_read_document(document.pk, document.folder_id):
        raise NotFound()
    if not access.can_edit_document(document.pk, document.folder_id):
        raise PermissionDeniedError()


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


@transaction.atomic
def add_version(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    document: Document,
    data: bytes,
    name: str = "",
    comment: str = "",
    restored_from: DocumentVersion | None = None,
) -> DocumentVersion:
    """新しい版: every earlier version stays as it was."""
    _check_edit(company, membership, document)
    if document.trashed_at is not None:
        raise _fail("file", _("ゴミ箱の文書には版を追加できません。先に元に戻してください。"))
    checked = check_file(name or document.name, data)
    if checked.extension != document.name.rsplit(".", 1)[-1].lower():
        raise _fail(
            "file",
            _("新しい版は元の文書と同じ種類(.%(ext)s)のファイルにしてください。")
            % {"ext": document.name.rsplit(".", 1)[-1].lower()},
        )
    document = _locked(document)
    sha = put_blob(data)
    text = extract_text(checked.extension, data)
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DocumentVersion.objects.create(
        company=company,
        document=document,
        number=last + 1,
        sha256=sha,
        size=len(data),
        content_type=checked.content_type,
        original_name=checked.name,
        comment=comment.strip()[:500],
        uploaded_by=actor,
        extracted_text=text,
        restored_from=restored_from,
    )
    before = {"current_version": document.current_version_id}
    document.current_version = version
    document.search_text = _search_text(document, text, _tag_names(document))
    document.save(update_fields=["current_version", "search_text", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="restore_version" if restored_from else "new_version",
        instance=document,
        before=before,
        after={"current_version": version.pk},
        extra={
            "version": version.number,
            "sha256": sha,
            "size": len(data),
            "comment": version.comment,
            "restored_from": restored_from.number if restored_from else None,
        },
    )
    return version


@transaction.atomic
def restore_version(
    *, company: Company, actor: User, membership: Membership, document: Document, version: DocumentVersion
) -> DocumentVersion:
    """An older version becomes the newest one, as a new version (history is never rewritten)."""
    if version.document_id != document.pk:
        raise NotFound()
    from .storage import open_blob

    return add_version(
        company=company,
        actor=actor,
        membership=membership,
        document=document,
        data=open_blob(version.sha256),
        name=version.original_name,
        comment=_("第%(n)d版を復元") % {"n": version.number},
        restored_from=version,
    )


@transaction.atomic
def rename_document(
    *, company: Company, actor: User, membership: Membership, document: Document, name: str
) -> Document:
    _check_edit(company, membership, document)
    new = clean_name(name)
    if new.rsplit(".", 1)[-1].lower() != document.name.rsplit(".", 1)[-1].lower():
        raise _fail("name", _("拡張子は変えられません。"))
    if (
        Document.objects.filter(company=company, folder=document.folder, name=new, trashed_at__isnull=True)
        .exclude(pk=document.pk)
        .exists()
    ):
        raise _fail("name", _("同じ名前の文書があります。"))
    before = snapshot(document)
    document.name = new
    document.search_text = _search_text(
        document,
        document.current_version.extracted_text if document.current_version else "",
        _tag_names(document),
    )
    document.save(update_fields=["name", "search_text", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=document,
        before=before,
        after=snapshot(document),
    )
    return document


@transaction.atomic
def set_tags(
    *, company: Company, actor: User, membership: Membership, document: Document, names: list[str]
) -> list[str]:
    _check_edit(company, membership, document)
    clean = sorted({search_key(n)[:50] and n.strip()[:50] for n in names if n.strip()})
    before = sorted(_tag_names(document))
    DocumentTag.objects.filter(document=document).delete()
    for name in clean:
        tag, _created = Tag.objects.get_or_create(company=company, name=name)
        DocumentTag.objects.create(company=company, document=document, tag=tag)
    document.search_text = _search_text(
        document, document.current_version.extracted_text if document.current_version else "", clean
    )
    document.save(update_fields=["search_text"])
    if before != clean:
        record_event(
            company=company,
            actor=actor,
            action="update",
            instance=document,
            before={"tags": before},
            after={"tags": clean},
        )
    return clean


@transaction.atomic
def set_transaction_record(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    document: Document,
    transaction_date: date | None,
    transaction_amount: Decimal | int | None,
    counterparty: str,
    document_type: str,
    retention_years: int = rules.DEFAULT_RETENTION_YEARS,
) -> Document:
    """電子取引データとして保存: 取引年月日・取引金額・取引先 are required (可視性の検索要件, jp-rules.md §7).

    Every later correction is audited with before/after (真実性: 訂正削除の履歴が残るシステム).
    """
    _check_edit(company, membership, document)
    errors: dict[str, list[str]] = {}
    if transaction_date is None:
        errors["transaction_date"] = [_("取引年月日を入力してください。")]
    if transaction_amount is None:
        errors["transaction_amount"] = [_("取引金額を入力してください。")]
    elif (
        Decimal(transaction_amount) != Decimal(transaction_amount).to_integral_value()
        or Decimal(transaction_amount) < 0
    ):
        errors["transaction_amount"] = [_("取引金額は0以上の円単位の整数で入力してください。")]
    if not counterparty.strip():
        errors["counterparty"] = [_("取引先を入力してください。")]
    if document_type not in DocumentType.values:
        errors["document_type"] = [_("書類の種類を選んでください。")]
    if retention_years not in (7, 10):
        errors["retention_years"] = [_("保存年数は7年か10年です。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    if transaction_date is None or transaction_amount is None:  # reported above; narrows the types
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation")
    before = snapshot(document)
    document.is_transaction_record = True
    document.transaction_date = transaction_date
    document.transaction_amount = Decimal(transaction_amount)
    document.counterparty = counterparty.strip()[:200]
    document.counterparty_key = search_key(document.counterparty)[:200]
    document.document_type = document_type
    retention = rules.retention_until(
        transaction_date=transaction_date,
        fiscal_year_start_month=company.fiscal_year_start_month,
        years=retention_years,
    )
    # A correction never shortens a retention period that was already running.
    if document.retention_until is None or retention > document.retention_until:
        document.retention_until = retention
    document.search_text = _search_text(
        document,
        document.current_version.extracted_text if document.current_version else "",
        _tag_names(document),
    )
    document.save(
        update_fields=[
            "is_transaction_record",
            "transaction_date",
            "transaction_amount",
            "counterparty",
            "counterparty_key",
            "document_type",
            "retention_until",
            "search_text",
            "updated_at",
        ]
    )
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=document,
        before=before,
        after=snapshot(document),
    )
    return document


# ------------------------------------------------------------------------------- trash
def _retention_blocks(document: Document, today: date) -> bool:
    return (
        document.is_transaction_record
        and document.retention_until is not None
        and document.retention_until >= today
    )


@transaction.atomic
def trash_document(*, company: Company, actor: User, membership: Membership, document: Document) -> Document:
    _check_edit(company, membership, document)
    today = timezone.localdate()
    if _retention_blocks(document, today):
        raise _fail(
            "__all__",
            _("電子取引データは保存期限(%(date)s)まで削除できません。") % {"date": document.retention_until},
            code="retention",
        )
    if document.trashed_at is not None:
        return document
    document.trashed_at = timezone.now()
    document.trashed_by = actor
    document.save(update_fields=["trashed_at", "trashed_by"])
    record_event(
        company=company,
        actor=actor,
        action="trash",
        instance=document,
        before={"trashed_at": None},
        after={"trashed_at": document.trashed_at},
    )
    return document


@transaction.atomic
def restore_document(
    *, company: Company, actor: User, membership: Membership, document: Document
) -> Document:
    _check_edit(company, membership, document)
    if document.trashed_at is None:
        return document
    if Document.objects.filter(
        company=company, folder=document.folder, name=document.name, trashed_at__isnull=True
    ).exists():
        raise _fail(
            "__all__", _("同じ名前の文書が既にあるため元に戻せません。先にどちらかの名前を変えてください。")
        )
    before = {"trashed_at": document.trashed_at}
    document.trashed_at = None
    document.trashed_by = None
    document.save(update_fields=["trashed_at", "trashed_by"])
    record_event(
        company=company,
        actor=actor,
        action="restore",
        instance=document,
        before=before,
        after={"trashed_at": None},
    )
    return document


@transaction.atomic
def empty_trash(*, company: Company, actor: User, membership: Membership, older_than_days: int = 0) -> int:
    """Delete for good what is in the trash (admins). Records still under their 電子帳簿保存法
    retention stay. The audit trail keeps each deletion with the document's last state and its
    versions' sums."""
    require_role(membership, Role.ADMIN)
    return _purge(company=company, actor=actor, older_than_days=older_than_days, actor_label="")


@transaction.atomic
def purge_expired_trash(*, company: Company, job_name: str = "purge_trash") -> int:
    """The daily job: documents in the trash for more than 30 days are deleted for good.
    Idempotent; safe to run twice."""
    return _purge(company=company, actor=None, older_than_days=TRASH_DAYS, actor_label=f"job:{job_name}")


def _drop_unreferenced_blobs(shas: set[str]) -> None:
    """After the deletion committed: remove stored bytes no version (of any company) still names."""
    from .storage import blob_path, blob_storage

    still_used = set(DocumentVersion.objects.filter(sha256__in=shas).values_list("sha256", flat=True))
    storage = blob_storage()
    for sha in shas - still_used:
        if storage.exists(blob_path(sha)):
            storage.delete(blob_path(sha))


def _purge(*, company: Company, actor: User | None, older_than_days: int, actor_label: str) -> int:
    cutoff: datetime = timezone.now() - timedelta(days=older_than_days)
    today = timezone.localdate()
    removed = 0
    for document in Document.objects.for_company(company).filter(
        trashed_at__isnull=False, trashed_at__lte=cutoff
    ):
        if _retention_blocks(document, today):
            continue
        versions = list(document.versions.values("number", "sha256", "size"))
        before = snapshot(document)
        pk, label = document.pk, str(document)
        Document.objects.filter(pk=pk).update(current_version=None)
        DocumentVersion.objects.filter(document_id=pk).delete()
        Document.objects.filter(pk=pk).delete()
        shas = {v["sha256"] for v in versions}
        transaction.on_commit(functools.partial(_drop_unreferenced_blobs, shas))
        record_event(
            company=company,
            actor=actor,
            actor_label=actor_label,
            action="delete",
            object_type="documents.document",
            object_id=str(pk),
            object_repr=label,
            before=before,
            extra={"versions": versions},
        )
        removed += 1
    return removed


# ------------------------------------------------------------------------------- sharing
@transaction.atomic
def share(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    folder: Folder | None = None,
    document: Document | None = None,
    grantee_kind: str,
    grantee: str = "",
    permission: str = Permission.READ,
    expires_at: datetime | None = None,
) -> Share:
    if (folder is None) == (document is None):
        raise ServiceError(_("フォルダか文書のどちらかを指定してください。"))
    access = access_for(membership)
    if folder is not None:
        if folder.company_id != company.pk:
            raise NotFound()
        if not access.can_edit_folder(folder.pk):
            raise PermissionDeniedError()
    if document is not None:
        _check_edit(company, membership, document)
    if grantee_kind not in GranteeKind.values:
        raise _fail("grantee_kind", _("共有先の種類が不正です。"))
    if permission not in Permission.values:
        raise _fail("permission", _("権限が不正です。"))
    if grantee_kind == GranteeKind.ROLE and grantee not in Role.values:
        raise _fail("grantee", _("ロールが不正です。"))
    if grantee_kind == GranteeKind.USER:
        user_id = int(grantee) if str(grantee).isdigit() else None
        target = Membership.objects.filter(company=company, user_id=user_id).first() if user_id else None
        if target is None:
            raise _fail("grantee", _("この会社のユーザーを選んでください。"))
        if target.has_any_role(Role.ASSISTANT) and expires_at is None:
            raise _fail("expires_at", _("外部アシスタントへの共有には有効期限が必要です。"))
    if grantee_kind == GranteeKind.DEPARTMENT and str(grantee) not in dict(department_choices(company)):
        raise _fail("grantee", _("この会社の部署を選んでください。"))
    if grantee_kind == GranteeKind.EVERYONE:
        grantee = ""
    if expires_at is not None and expires_at <= timezone.now():
        raise _fail("expires_at", _("有効期限は未来の日時にしてください。"))
    row = Share.objects.create(
        company=company,
        folder=folder,
        document=document,
        grantee_kind=grantee_kind,
        grantee=str(grantee),
        permission=permission,
        expires_at=expires_at,
        created_by=actor,
    )
    record_event(company=company, actor=actor, action="share", instance=row, after=snapshot(row))
    return row


@transaction.atomic
def revoke_share(*, company: Company, actor: User, membership: Membership, share_id: int) -> None:
    row = Share.objects.for_company(company).filter(pk=share_id).first()
    if row is None:
        raise NotFound()
    access = access_for(membership)
    allowed = (
        access.can_edit_folder(row.folder_id)
        if row.folder_id
        else (row.document is not None and access.can_edit_document(row.document_id, row.document.folder_id))
    )
    if not allowed:
        raise PermissionDeniedError()
    before = snapshot(row)
    row.delete()
    record_event(
        company=company,
        actor=actor,
        action="unshare",
        object_type="documents.share",
        object_id=str(share_id),
        object_repr=str(row),
        before=before,
    )


# ------------------------------------------------------------------------------- attachments
@transaction.atomic
def attach(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    document: Document,
    object_type: str,
    object_id: str,
    object_repr: str = "",
) -> Attachment:
    """Attach a document to a business record. The caller has already checked that the actor may
    edit that record (documents knows records only by their type label and id)."""
    if document.company_id != company.pk:
        raise NotFound()
    if not access_for(membership).can_read_document(document.pk, document.folder_id):
        raise NotFound()
    row, created = Attachment.objects.get_or_create(
        company=company,
        document=document,
        object_type=object_type,
        object_id=str(object_id),
        defaults={"created_by": actor},
    )
    if created:
        record_event(
            company=company,
            actor=actor,
            action="attach",
            instance=document,
            extra={"object_type": object_type, "object_id": str(object_id), "object": object_repr},
        )
    return row


@transaction.atomic
def detach(*, company: Company, actor: User, membership: Membership, attachment_id: int) -> None:
    row = Attachment.objects.for_company(company).select_related("document").filter(pk=attachment_id).first()
    if row is None:
        raise NotFound()
    _check_edit(company, membership, row.document)
    info: dict[str, Any] = {"object_type": row.object_type, "object_id": row.object_id}
    document = row.document
    row.delete()
    record_event(company=company, actor=actor, action="detach", instance=document, extra=info)
