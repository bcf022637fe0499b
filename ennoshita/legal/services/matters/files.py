"""法律相談・紛争's files: documents in the documents app, in a folder of the matter's own (named by its
管理番号) under the company's 「法律相談(法務管理)」 folder.

That folder is made on the first file (by the 法務 or 管理者 member attaching it) and shared for
editing with the 法務 role only: it is never shared with everyone, nor with the people named on a
matter. They read a matter's files through this part's own file view, after the matter's permission
check (``selectors.matters.get_matter_version``). Files are attached by 法務 and 管理者; a file of the
same name as one already there becomes its next version."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import PermissionDeniedError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.documents import services as document_services
from ennoshita.documents.files import check_file
from ennoshita.documents.models import Document, DocumentVersion, Folder
from ennoshita.legal import permissions_matters as permissions
from ennoshita.legal.models import LegalMatter

from .base import fail, locked

FOLDER_NAME = "法律相談(法務管理)"


def _root_folder(company: Company, actor: User, membership: Membership) -> Folder:
    """The company's 「法律相談(法務管理)」 folder: the parent of an earlier matter's folder, else a new
    one (a top-level folder of that name made by someone else is never reused: its shares are not
    ours)."""
    existing = (
        LegalMatter.objects.for_company(company)
        .filter(document_folder__isnull=False, document_folder__trashed_at__isnull=True)
        .filter(document_folder__parent__isnull=False, document_folder__parent__trashed_at__isnull=True)
        .select_related("document_folder__parent")
        .order_by("pk")
        .first()
    )
    if existing is not None and existing.document_folder is not None and existing.document_folder.parent:
        return existing.document_folder.parent
    taken = set(
        Folder.objects.for_company(company)
        .filter(parent=None, trashed_at__isnull=True)
        .values_list("name", flat=True)
    )
    name = next(n for n in (FOLDER_NAME, *(f"{FOLDER_NAME}{i}" for i in range(2, 99))) if n not in taken)
    folder = document_services.create_folder(
        company=company, actor=actor, membership=membership, name=name, parent=None
    )
    document_services.share(
        company=company,
        actor=actor,
        membership=membership,
        folder=folder,
        grantee_kind="role",
        grantee=Role.LEGAL,
        permission="edit",
    )
    return folder


def _matter_folder(company: Company, actor: User, membership: Membership, matter: LegalMatter) -> Folder:
    folder = matter.document_folder
    if folder is not None and folder.trashed_at is None:
        return folder
    root = _root_folder(company, actor, membership)
    taken = set(
        Folder.objects.for_company(company)
        .filter(parent=root, trashed_at__isnull=True)
        .values_list("name", flat=True)
    )
    name = next(n for n in (matter.number, *(f"{matter.number}_{i}" for i in range(2, 99))) if n not in taken)
    folder = document_services.create_folder(
        company=company, actor=actor, membership=membership, name=name, parent=root
    )
    matter.document_folder = folder
    matter.save(update_fields=["document_folder", "updated_at"])
    return folder


@transaction.atomic
def attach_matter_file(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    matter: LegalMatter,
    file_name: str,
    data: bytes,
    comment: str = "",
) -> DocumentVersion:
    """A file of the matter (訴状, 答弁書, 契約書の写し, 意見書 …). A new name is a new document; the
    same name again is that document's next version (earlier versions stay)."""
    matter = locked(company, membership, matter)
    if not permissions.manages_matters(membership):
        raise PermissionDeniedError(_("法律相談・紛争のファイルは法務が登録します。"))
    if not data:
        raise fail("file", _("ファイルを選んでください。"))
    if len(comment or "") > 400:
        raise fail("comment", _("コメントは400文字以内で入力してください。"))
    checked = check_file(file_name or "file", data)
    folder = _matter_folder(company, actor, membership, matter)
    same = (
        Document.objects.for_company(company)
        .filter(folder=folder, name=checked.name, trashed_at__isnull=True)
        .first()
    )
    if same is None:
        document = document_services.upload_document(
            company=company,
            actor=actor,
            membership=membership,
            folder=folder,
            name=checked.name,
            data=data,
            comment=comment,
        )
        version = document.current_version
    else:
        version = document_services.add_version(
            company=company,
            actor=actor,
            membership=membership,
            document=same,
            data=data,
            name=checked.name,
            comment=comment,
        )
    assert version is not None
    record_event(
        company=company,
        actor=actor,
        action="new_version",
        instance=matter,
        extra={"version": version.number, "file": version.original_name, "comment": (comment or "").strip()},
    )
    return version
