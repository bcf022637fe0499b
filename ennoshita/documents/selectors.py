"""Reads of documents, always through what the membership may reach (access.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.text import search_key

from .access import Access, access_for
from .models import Attachment, Document, DocumentTag, DocumentVersion, Folder, Share, Tag
from .targets import resolve_target


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


def folder_and_descendant_ids(*, company: Company, folder_id: int) -> list[int]:
    """The folder and every live folder below it, in one query over the company's folder tree (for
    search with sub-folders: the ids go into one ``IN``)."""
    children: dict[int | None, list[int]] = {}
    rows = Folder.objects.for_company(company).filter(trashed_at__isnull=True).values_list("pk", "parent_id")
    for pk, parent in rows:
        children.setdefault(parent, []).append(pk)
    found, stack = [folder_id], [folder_id]
    seen = {folder_id}
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                found.append(child)
                stack.append(child)
    return found


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


def visible_tag_names(*, company: Company, membership: Membership, limit: int = 500) -> list[str]:
    """Names of the tags on live documents this membership may read (the search form offers them;
    a tag seen only on documents one cannot read is not shown)."""
    access = access_for(membership)
    rows = (
        DocumentTag.objects.for_company(company)
        .filter(document__trashed_at__isnull=True)
        .filter(access.document_q(prefix="document__"))
        .values_list("tag__name", flat=True)
        .order_by("tag__name")
        .distinct()
    )
    return list(rows[:limit])


def tag_ids_matching(*, company: Company, name: str) -> list[int]:
    """Tags whose name equals ``name`` after search folding (``core.text.search_key``: NFKC,
    case-folded, hiragana → katakana, no spaces): ＮＤＡ finds nda, ｹｲﾔｸｼｮ and けいやくしょ find
    ケイヤクショ. Exact, not a substring: 契約 does not pick 契約書. A company has a few hundred tags
    at most, so they are folded here in one query rather than kept in a second column."""
    key = search_key(name)
    if not key:
        return []
    rows = Tag.objects.for_company(company).values_list("pk", "name")
    return [pk for pk, tag in rows if search_key(tag) == key]


def shares_of(
    *, company: Company, folder: Folder | None = None, document: Document | None = None
) -> QuerySet[Share]:
    qs = Share.objects.for_company(company).select_related("created_by")
    return qs.filter(folder=folder) if folder is not None else qs.filter(document=document)


@dataclass(frozen=True)
class AttachedDocument:
    """One attachment: which document, on which record, by whom and when."""

    attachment_id: int
    document_id: int
    name: str
    size: int
    version: int
    object_type: str
    object_id: str
    object_repr: str
    created_at: datetime
    created_by: User


def _attached(row: Attachment, object_repr: str) -> AttachedDocument:
    current = row.document.current_version
    return AttachedDocument(
        attachment_id=row.pk,
        document_id=row.document_id,
        name=row.document.name,
        size=current.size if current else 0,
        version=current.number if current else 0,
        object_type=row.object_type,
        object_id=row.object_id,
        object_repr=object_repr,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def attachments_for(
    *, company: Company, membership: Membership, object_type: str, object_id: str
) -> list[AttachedDocument]:
    """Documents attached to one business record, for a member who may read that record (else
    NotFound, or NotFound for a type that takes no attachments): only the live documents they may
    read, by name. A fixed number of queries however many there are."""
    label = resolve_target(
        company=company,
        membership=membership,
        object_type=object_type,
        object_id=str(object_id),
        for_edit=False,
    )
    access = access_for(membership)
    rows = (
        Attachment.objects.for_company(company)
        .filter(object_type=object_type, object_id=str(object_id), document__trashed_at__isnull=True)
        .filter(access.document_q(prefix="document__"))
        .select_related("document__current_version", "created_by")
        .order_by("document__name", "pk")
    )
    return [_attached(a, label) for a in rows]


def get_attached(*, company: Company, membership: Membership, attachment_id: int) -> AttachedDocument:
    """One attachment on a record the member may read, of a document they may read, or NotFound."""
    row = (
        Attachment.objects.for_company(company)
        .filter(pk=attachment_id)
        .select_related("document__current_version", "created_by")
        .first()
    )
    if row is None or not access_for(membership).can_read_document(row.document_id, row.document.folder_id):
        raise NotFound()
    label = resolve_target(
        company=company,
        membership=membership,
        object_type=row.object_type,
        object_id=row.object_id,
        for_edit=False,
    )
    return _attached(row, label)


def attachments_of_document(
    *, company: Company, membership: Membership, document: Document
) -> list[AttachedDocument]:
    """Where a document is attached: the records the member may read, each with its display name
    (records they may not read, and types no longer configured, are left out). One look-up per
    attachment through the owning app's hook; a document has a handful."""
    rows = (
        Attachment.objects.for_company(company)
        .filter(document=document)
        .select_related("document__current_version", "created_by")
        .order_by("object_type", "object_id", "pk")
    )
    out: list[AttachedDocument] = []
    for row in rows:
        try:
            label = resolve_target(
                company=company,
                membership=membership,
                object_type=row.object_type,
                object_id=row.object_id,
                for_edit=False,
            )
        except NotFound:
            continue
        out.append(_attached(row, label))
    return out


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
