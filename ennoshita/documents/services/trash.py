"""Documents' writes: the trash (to it, back from it, emptied for good; 保存期間 respected)."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.documents.models import (
    Document,
    DocumentVersion,
)

from .base import TRASH_DAYS, _check_edit, _fail


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
    from ennoshita.documents.storage import blob_path, blob_storage

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
