"""Files that another app keeps in documents on behalf of its own records (a contract's drafts and
signed file, a リーガルチェック's drafts).

The calling app has already checked its own permission for the work (the department member may
submit a draft for review of a contract they own): these writes do not ask whether the actor edits
the folder, because the folder belongs to the team that keeps the records (法務), not to every
member who sends them a file. They still check the file (name, size, kind), store the bytes in the
content-addressed store, read its text for search, and record an audit event with the actor.

Unlike ``versions.add_version`` (a person replacing a file with a newer one of the same kind), a
version added here may be of another kind: a .docx draft is followed by the signed .pdf.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, User
from ennoshita.documents.files import check_file, clean_name, extract_text
from ennoshita.documents.models import Document, DocumentVersion, Folder, GranteeKind, Permission, Share
from ennoshita.documents.storage import put_blob

from .base import _fail, _locked, _search_text, _tag_names
from .versions import create_document


@transaction.atomic
def create_folder_for_app(
    *,
    company: Company,
    actor: User,
    name: str,
    owner: User,
    edit_roles: tuple[str, ...] = (),
) -> Folder:
    """A top-level folder an app keeps its files in, made by ``owner`` (the member of the team that
    keeps them: a folder's creator edits it) and shared for editing with ``edit_roles``. ``actor``
    is who caused it (a department member's first draft): the audit event names both."""
    name = clean_name(name)
    if Folder.objects.filter(company=company, parent=None, name=name, trashed_at__isnull=True).exists():
        raise _fail("name", _("同じ名前のフォルダがあります。"))
    folder = Folder(company=company, name=name, parent=None, created_by=owner)
    try:
        with transaction.atomic():
            folder.save()
    except IntegrityError as exc:
        raise _fail("name", _("同じ名前のフォルダがあります。")) from exc
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=folder,
        after=snapshot(folder),
        extra={"on_behalf_of": owner.pk},
    )
    for role in edit_roles:
        row = Share.objects.create(
            company=company,
            folder=folder,
            grantee_kind=GranteeKind.ROLE,
            grantee=role,
            permission=Permission.EDIT,
            created_by=owner,
        )
        record_event(company=company, actor=actor, action="share", instance=row, after=snapshot(row))
    return folder


@transaction.atomic
def create_document_for_app(
    *,
    company: Company,
    actor: User,
    folder: Folder,
    name: str,
    data: bytes,
    comment: str = "",
) -> Document:
    """A new document with its first version in ``folder``, for an app whose own permission check
    has passed. A live document of the same name is never overwritten (``name_exists``)."""
    if folder.company_id != company.pk or folder.trashed_at is not None:
        raise NotFound()
    return create_document(company=company, actor=actor, folder=folder, name=name, data=data, comment=comment)


@transaction.atomic
def add_version_for_app(
    *,
    company: Company,
    actor: User,
    document: Document,
    name: str,
    data: bytes,
    comment: str = "",
) -> DocumentVersion:
    """A new version of ``document``, for an app whose own permission check has passed. The file
    may be of another kind than the earlier versions; every earlier version stays as it was."""
    if document.company_id != company.pk:
        raise NotFound()
    if document.trashed_at is not None:
        raise _fail("file", _("ゴミ箱の文書には版を追加できません。先に元に戻してください。"))
    checked = check_file(name or document.name, data)
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
    )
    before = {"current_version": document.current_version_id}
    document.current_version = version
    document.search_text = _search_text(document, text, _tag_names(document))
    document.save(update_fields=["current_version", "search_text", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="new_version",
        instance=document,
        before=before,
        after={"current_version": version.pk},
        extra={
            "version": version.number,
            "sha256": sha,
            "size": len(data),
            "comment": version.comment,
            "for_app": True,
        },
    )
    return version
