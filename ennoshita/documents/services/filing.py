"""Filing what another app generates (an issued invoice's PDF, a payslip later): into a company
folder of that app, shared by role, as a 電子取引 record with its 保存期間.

The calling app has checked its own permission for the work (issuing, sending); the folder's
access is the roles given here, so the people of those roles find the files in 文書 as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.models import Company, User
from ennoshita.core.rows import insert_rows
from ennoshita.core.text import search_key
from ennoshita.documents import rules
from ennoshita.documents.files import CheckedFile, check_file, extract_text
from ennoshita.documents.models import Document, DocumentVersion, Folder, GranteeKind, Permission, Share
from ennoshita.documents.storage import put_blob

from .base import _search_text


def _folder(company: Company, actor: User, name: str, roles: tuple[str, ...]) -> Folder:
    folder = Folder.objects.filter(company=company, parent=None, name=name, trashed_at__isnull=True).first()
    if folder is not None:
        return folder
    folder = Folder.objects.create(company=company, name=name, parent=None, created_by=actor)
    record_event(company=company, actor=actor, action="create", instance=folder, after=snapshot(folder))
    for role in roles:
        row = Share.objects.create(
            company=company,
            folder=folder,
            grantee_kind=GranteeKind.ROLE,
            grantee=role,
            permission=Permission.READ,
            created_by=actor,
        )
        record_event(company=company, actor=actor, action="share", instance=row, after=snapshot(row))
    return folder


@dataclass(frozen=True)
class GeneratedFile:
    """One file for :func:`file_generated_documents`: its name, bytes and 電子取引 metadata."""

    name: str
    data: bytes
    transaction_date: date
    transaction_amount: Decimal | int
    counterparty: str
    document_type: str
    text: str | None = None  # what search finds in the file (read out of it when not given)


@transaction.atomic
def file_generated_document(
    *,
    company: Company,
    actor: User,
    folder_name: str,
    roles: tuple[str, ...],
    name: str,
    data: bytes,
    transaction_date: date,
    transaction_amount: Decimal | int,
    counterparty: str,
    document_type: str,
    text: str | None = None,
) -> Document:
    """File ``data`` as ``name`` in the folder ``folder_name`` (created on first use and shared for
    reading with ``roles``) and record it as 電子取引データ. Filing the same bytes under the same
    name again returns the document already filed: what is filed this way is final when filed (an
    issued invoice), so a re-sent invoice is not a second record. ``text`` is what search finds in
    the file (read out of it when not given)."""
    item = GeneratedFile(name, data, transaction_date, transaction_amount, counterparty, document_type, text)
    return file_generated_documents(
        company=company, actor=actor, folder_name=folder_name, roles=roles, files=[item]
    )[0]


@transaction.atomic
def file_generated_documents(
    *,
    company: Company,
    actor: User,
    folder_name: str,
    roles: tuple[str, ...],
    files: Sequence[GeneratedFile],
) -> list[Document]:
    """File several generated files at once (a monthly run's invoices), each as
    ``file_generated_document`` would: one document per name, with its first version, its 電子取引
    record and 保存期間, and an audit event — written in bulk. Returns the documents in order."""
    if not files:
        return []
    folder = _folder(company, actor, folder_name, roles)
    checked = [check_file(f.name, f.data) for f in files]
    existing = {
        d.name: d
        for d in Document.objects.filter(
            company=company, folder=folder, name__in=[c.name for c in checked], trashed_at__isnull=True
        )
    }
    new: list[tuple[GeneratedFile, CheckedFile, Document]] = []
    result: list[Document] = []
    for item, check in zip(files, checked, strict=True):
        document = existing.get(check.name)
        if document is None:
            document = _new_record(company, actor, folder, item, check)
            existing[check.name] = document  # the same name twice in one call is one document
            new.append((item, check, document))
        result.append(document)
    if not new:
        return result
    insert_rows([document for _item, _check, document in new])  # no save() override or signal
    versions = []
    for item, check, document in new:
        text = extract_text(check.extension, item.data) if item.text is None else item.text
        versions.append(
            DocumentVersion(
                company=company,
                document=document,
                number=1,
                sha256=put_blob(item.data),
                size=len(item.data),
                content_type=check.content_type,
                original_name=check.name,
                uploaded_by=actor,
                extracted_text=text,
            )
        )
        document.current_version = versions[-1]
        document.search_text = _search_text(document, text, [])
    insert_rows(versions)
    for (_item, _check, document), version in zip(new, versions, strict=True):
        document.current_version = version  # again: the version has its id now
    with transaction.get_connection().cursor() as cursor:
        cursor.executemany(
            _SET_VERSION_SQL, [(d.current_version_id, d.search_text, d.pk) for _i, _c, d in new]
        )
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "create",
                document,
                after=snapshot(document),
                extra={"version": 1, "sha256": version.sha256, "size": version.size},
            )
            for (_item, _check, document), version in zip(new, versions, strict=True)
        ],
    )
    return result


_SET_VERSION_SQL = "UPDATE documents_document SET current_version_id = %s, search_text = %s WHERE id = %s"


def _new_record(
    company: Company, actor: User, folder: Folder, item: GeneratedFile, check: CheckedFile
) -> Document:
    counterparty = item.counterparty.strip()[:200]
    return Document(
        company=company,
        folder=folder,
        name=check.name,
        created_by=actor,
        is_transaction_record=True,
        transaction_date=item.transaction_date,
        transaction_amount=Decimal(item.transaction_amount),
        counterparty=counterparty,
        counterparty_key=search_key(counterparty)[:200],
        document_type=item.document_type,
        retention_until=rules.retention_until(
            transaction_date=item.transaction_date,
            fiscal_year_start_month=company.fiscal_year_start_month,
            years=rules.DEFAULT_RETENTION_YEARS,
            # 申告期限の延長 (法人税法75条の2) moves the start of the period (会社の設定)
            filing_months=rules.DEFAULT_FILING_MONTHS + company.filing_extension_months,
        ),
    )
