"""Documents' writes: attaching documents to business records (targets.py) and taking them off."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership, User
from ennoshita.documents.access import access_for
from ennoshita.documents.models import (
    Attachment,
    Document,
)
from ennoshita.documents.targets import resolve_target

from .base import _fail


@transaction.atomic
def attach(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    document: Document,
    object_type: str,
    object_id: str,
) -> Attachment:
    """Attach a document to a business record (named by its type label and id, targets.py).

    The actor must be allowed to edit the record (its app decides, through the settings hook) and
    to read the document. A record that does not exist, belongs to another company or cannot be
    read is NotFound, like a document the actor cannot read; reading the record without the right
    to edit it is PermissionDeniedError. Attaching twice returns the existing attachment.
    """
    object_id = str(object_id).strip()
    label = resolve_target(
        company=company, membership=membership, object_type=object_type, object_id=object_id, for_edit=True
    )
    if document.company_id != company.pk:
        raise NotFound()
    if not access_for(membership).can_read_document(document.pk, document.folder_id):
        raise NotFound()
    if document.trashed_at is not None:
        raise _fail("document_id", _("ゴミ箱の文書は添付できません。先に元に戻してください。"))
    row, created = Attachment.objects.get_or_create(
        company=company,
        document=document,
        object_type=object_type,
        object_id=object_id,
        defaults={"created_by": actor},
    )
    if created:
        record_event(
            company=company,
            actor=actor,
            action="attach",
            instance=document,
            extra={"attachment": row.pk, "object_type": object_type, "object_id": object_id, "object": label},
        )
    return row


@transaction.atomic
def detach(*, company: Company, actor: User, membership: Membership, attachment_id: int) -> None:
    """Take a document off a record. The actor must be allowed to edit the record; the document
    itself does not change, so no right on it is needed."""
    row = (
        Attachment.objects.for_company(company)
        .select_related("document")
        .select_for_update(of=("self",))
        .filter(pk=attachment_id)
        .first()
    )
    if row is None:
        raise NotFound()
    label = resolve_target(
        company=company,
        membership=membership,
        object_type=row.object_type,
        object_id=row.object_id,
        for_edit=True,
    )
    info: dict[str, Any] = {
        "attachment": row.pk,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object": label,
    }
    document = row.document
    row.delete()
    record_event(company=company, actor=actor, action="detach", instance=document, extra=info)
