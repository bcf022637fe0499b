"""The records a request names (core.records) and its attachments (documents in the 「業務依頼」
folder)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from ennoshita.core import records as core_records
from ennoshita.core.audit import record_event
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.documents.models import Folder
from ennoshita.documents.services import app_files
from ennoshita.requests.models import EventKind, RequestAttachment, RequestRecord, WorkRequest

from .base import add_event, fail

FOLDER_NAME = "業務依頼"
MAX_RECORDS = 20
MAX_FILES = 10


def clean_records(company: Company, records: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(object_type, object_id) → (object_type, object_id, label), each one loaded through
    core.records to prove it exists in this company. Duplicates are dropped."""
    if len(records) > MAX_RECORDS:
        raise fail("records", _("対象は%(n)d件までです。") % {"n": MAX_RECORDS})
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for object_type, object_id in records:
        key = (str(object_type).strip(), str(object_id).strip())
        if key in seen:
            continue
        seen.add(key)
        if core_records.kind_of(key[0]) is None:
            raise fail("records", _("対象の種類「%(t)s」はありません。") % {"t": key[0][:50]})
        card = core_records.load_card(company=company, object_type=key[0], object_id=key[1])
        if card is None:
            raise fail(
                "records", _("対象(%(t)s #%(i)s)が見つかりません。") % {"t": key[0][:50], "i": key[1][:20]}
            )
        out.append((key[0], key[1], (card.title or key[1])[:200]))
    return out


def add_records(
    company: Company, actor: User, request: WorkRequest, rows: list[tuple[str, str, str]]
) -> None:
    RequestRecord.objects.bulk_create(
        [
            RequestRecord(company=company, request=request, object_type=t, object_id=i, label=label)
            for t, i, label in rows
        ]
    )
    for t, i, label in rows:
        record_event(
            company=company,
            actor=actor,
            action="request_record",
            instance=request,
            extra={"object_type": t, "object_id": i, "label": label},
        )


def _folder(company: Company, actor: User) -> Folder:
    """The company's 「業務依頼」 folder, made on the first file. Its creator (who edits it) is an
    admin of the company when there is one — admins read every document anyway — so that no
    requester reads the others' files through 文書; nobody else is given a share. The request page
    serves each file after its own permission check."""
    folder = (
        Folder.objects.for_company(company)
        .filter(parent=None, name=FOLDER_NAME, trashed_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if folder is not None:
        return folder
    admin = next(
        (
            m.user
            for m in Membership.objects.for_company(company)
            .filter(is_active=True)
            .select_related("user")
            .order_by("pk")
            if m.has_any_role(Role.ADMIN)
        ),
        actor,
    )
    return app_files.create_folder_for_app(company=company, actor=actor, name=FOLDER_NAME, owner=admin)


def add_files(
    company: Company, actor: User, request: WorkRequest, files: Sequence[tuple[str, bytes]]
) -> list[RequestAttachment]:
    if len(files) > MAX_FILES:
        raise fail("files", _("添付ファイルは%(n)d件までです。") % {"n": MAX_FILES})
    if not files:
        return []
    folder = _folder(company, actor)
    out = []
    for name, data in files:
        if not data:
            raise fail("files", _("空のファイルは添付できません。"))
        stem = "".join(ch if ch not in "/\\" and ord(ch) >= 32 else "_" for ch in name)[:150]
        document = app_files.create_document_for_app(
            company=company,
            actor=actor,
            folder=folder,
            name=f"{request.number}_{stem}",
            data=data,
            comment=str(request)[:300],
        )
        row = RequestAttachment.objects.create(
            company=company, request=request, document=document, added_by=actor
        )
        add_event(request, EventKind.ATTACHED, actor, document.name)
        record_event(
            company=company,
            actor=actor,
            action="request_attach",
            instance=request,
            extra={"document": document.pk, "name": document.name},
        )
        out.append(row)
    return out
