"""Documents' writes: a new document, and new versions of it (every earlier version stays)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, User
from ennoshita.documents.access import access_for
from ennoshita.documents.files import check_file, extract_text
from ennoshita.documents.models import (
    Document,
    DocumentVersion,
    Folder,
)
from ennoshita.documents.storage import put_blob

from .base import _check_edit, _fail, _locked, _search_text, _tag_names


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
    return create_document(company=company, actor=actor, folder=folder, name=name, data=data, comment=comment)


def create_document(
    *,
    company: Company,
    actor: User,
    folder: Folder,
    name: str,
    data: bytes,
    comment: str = "",
    text: str | None = None,
) -> Document:
    """Write a new document with its first version, the access to the folder already decided
    (by upload_document for a person; by ``filing`` for what another app files)."""
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
    # the generating app may give the text it printed: reading it back out of its PDF costs more
    # than writing the PDF did
    text = extract_text(checked.extension, data) if text is None else text
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
    from ennoshita.documents.storage import open_blob

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
