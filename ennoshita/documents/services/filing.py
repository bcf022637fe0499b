"""Filing what another app generates (an issued invoice's PDF, a payslip later): into a company
folder of that app, shared by role, as a 電子取引 record with its 保存期間.

The calling app has checked its own permission for the work (issuing, sending); the folder's
access is the roles given here, so the people of those roles find the files in 文書 as well.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.models import Company, User
from ennoshita.documents.models import Document, Folder, GranteeKind, Permission, Share

from .metadata import record_transaction
from .versions import create_document


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
    folder = _folder(company, actor, folder_name, roles)
    existing = Document.objects.filter(
        company=company, folder=folder, name=name, trashed_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    document = create_document(company=company, actor=actor, folder=folder, name=name, data=data, text=text)
    return record_transaction(
        company=company,
        actor=actor,
        document=document,
        transaction_date=transaction_date,
        transaction_amount=transaction_amount,
        counterparty=counterparty,
        document_type=document_type,
    )
