"""Documents' writes: the helpers every one of them shares (errors, permission to edit, search text)."""

from __future__ import annotations

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.core.text import search_key
from ennoshita.documents.access import access_for
from ennoshita.documents.models import (
    Document,
    DocumentTag,
)

TRASH_DAYS = 30


def _fail(field: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _search_text(document: Document, text: str, tags: list[str]) -> str:
    return search_key(" ".join([document.name, *tags, document.counterparty, text]))


def _tag_names(document: Document) -> list[str]:
    return list(DocumentTag.objects.filter(document=document).values_list("tag__name", flat=True))


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
