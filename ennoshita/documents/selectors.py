"""Reads of documents, always through what the membership may reach (access.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership

from .access import Access, access_for
from .models import Attachment, Document, DocumentVersion, Folder, Share, Tag


def visible_folders(
    *, company: Company, membership: Membership, access: Access | None = None
) -> QuerySet[Folder]:
    access = access or access_for(membership)
    qs = Folder.objects.for_company(company).filter(trashed_at__isnull=True)
    return qs if access.is_admin else qs.filter(pk__in=access.read_folders)


def get_folder(*, company: Company, membership: Membership, folder_id: int) -> Folder:
    folder = visible_folders(company=company, membership=membership).filter(pk=folder_id).first()
    if folder is None:
        raise NotFound()
    return folder


def folder_path(*, folder: Folder) -> list[Folder]:
    """The folder and its ancestors, root first (for the breadcrumb)."""
    path = [folder]
    while path[0].parent_id is not None:
        parent = Folder.objects.filter(pk=path[0].parent_id).first()
        if parent is None:
            break
        path.insert(0, parent)
    return path


def child_folders(*, company: Company, membership: Membership, parent: Folder | None) -> QuerySet[Folder]:
    return (
        visible_folders(company=company, membership=membership)
        .filter(parent=parent)
        .annotate(document_count=Count("documents", filter=Q(documents__trashed_at__isnull=True)))
    )


def visible_documents(
    *, company: Company, membership: Membership, access: Access | None = None, trashed: bool = False
) -> QuerySet[Document]:
    access = access or access_for(membership)
    qs = Document.objects.for_company(company).filter(trashed_at__isnull=not trashed)
    return qs.filter(access.document_q()).select_related("current_version", "folder", "created_by")


def documents_in_folder(*, company: Company, membership: Membership, folder: Folder) -> QuerySet[Document]:
    return visible_documents(company=company, membership=membership).filter(folder=folder).order_by("name")


def get_document(
    *, company: Company, membership: Membership, document_id: int, trashed: bool | None = False
) -> Document:
    """One document the membership may read, or NotFound (another company's id looks the same)."""
    access = access_for(membership)
    qs = Document.objects.for_company(company).filter(access.document_q()).filter(pk=document_id)
    if trashed is not None:
        qs = qs.filter(trashed_at__isnull=not trashed)
    document = qs.select_related("current_version", "folder", "created_by").first()
    if document is None:
        raise NotFound()
    return document


def versions_of(*, document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("uploaded_by", "restored_from").order_by("-number")


def get_version(*, document: Document, number: int) -> DocumentVersion:
    version = document.versions.filter(number=number).first()
    if version is None:
        raise NotFound()
    return version


def tags_of(*, document: Document) -> list[str]:
    return list(document.document_tags.order_by("tag__name").values_list("tag__name", flat=True))


def company_tags(*, company: Company) -> QuerySet[Tag]:
    return Tag.objects.for_company(company).order_by("name")


def shares_of(
    *, company: Company, folder: Folder | None = None, document: Document | None = None
) -> QuerySet[Share]:
    qs = Share.objects.for_company(company).select_related("created_by")
    return qs.filter(folder=folder) if folder is not None else qs.filter(document=document)


def attachments_of_document(*, document: Document) -> QuerySet[Attachment]:
    return document.attachments.order_by("object_type", "object_id")


@dataclass(frozen=True)
class AttachedDocument:
    attachment_id: int
    document_id: int
    name: str
    size: int
    version: int


def attachments_for(
    *, company: Company, membership: Membership, object_type: str, object_id: str
) -> list[AttachedDocument]:
    """Documents attached to one business record that this membership may read."""
    access = access_for(membership)
    rows = (
        Attachment.objects.for_company(company)
        .filter(object_type=object_type, object_id=str(object_id), document__trashed_at__isnull=True)
        .select_related("document__current_version")
        .order_by("document__name")
    )
    return [
        AttachedDocument(
            a.pk,
            a.document_id,
            a.document.name,
            a.document.current_version.size if a.document.current_version else 0,
            a.document.current_version.number if a.document.current_version else 0,
        )
        for a in rows
        if access.can_read_document(a.document_id, a.document.folder_id)
    ]


# ------------------------------------------------------------------------------- for the screens
def with_listing(qs: QuerySet[Document]) -> QuerySet[Document]:
    """What a documents table shows (version, uploader, tags) in a fixed number of queries."""
    return qs.select_related("current_version__uploaded_by").prefetch_related("document_tags__tag")


def trashed_documents(*, company: Company, membership: Membership) -> list[Document]:
    """Documents in the trash that this membership may edit (and so restore)."""
    access = access_for(membership)
    qs = visible_documents(company=company, membership=membership, access=access, trashed=True)
    rows = qs.select_related("trashed_by").order_by("-trashed_at")
    return [d for d in rows if access.can_edit_document(d.pk, d.folder_id)]


def can_edit_document(*, membership: Membership, document: Document) -> bool:
    return access_for(membership).can_edit_document(document.pk, document.folder_id)


def can_edit_folder(*, membership: Membership, folder: Folder | None) -> bool:
    from ennoshita.core.models import Role

    if folder is None:
        return not membership.has_any_role(Role.ASSISTANT)
    return access_for(membership).can_edit_folder(folder.pk)


def get_attachment(*, company: Company, attachment_id: int) -> Attachment:
    row = Attachment.objects.for_company(company).filter(pk=attachment_id).first()
    if row is None:
        raise NotFound()
    return row


def top_folders(*, company: Company, membership: Membership) -> QuerySet[Folder]:
    """The folders a membership starts from: roots, and shared folders whose parent it cannot see."""
    from django.db.models import Q

    access = access_for(membership)
    qs = visible_folders(company=company, membership=membership, access=access)
    if access.is_admin:
        qs = qs.filter(parent__isnull=True)
    else:
        qs = qs.filter(Q(parent__isnull=True) | ~Q(parent_id__in=access.read_folders))
    return qs.annotate(document_count=Count("documents", filter=Q(documents__trashed_at__isnull=True)))


def attachable_documents(*, company: Company, membership: Membership, limit: int = 200) -> list[Document]:
    """The documents a membership may attach to a record (most recently updated first)."""
    qs = visible_documents(company=company, membership=membership).order_by("-updated_at", "-pk")
    return list(qs[:limit])
