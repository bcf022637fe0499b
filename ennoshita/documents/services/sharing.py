"""Documents' writes: shares of a folder or a document with a role, a user, a department, everyone."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.documents.access import access_for, department_choices
from ennoshita.documents.models import (
    Document,
    Folder,
    GranteeKind,
    Permission,
    Share,
)

from .base import _check_edit, _fail


@transaction.atomic
def share(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    folder: Folder | None = None,
    document: Document | None = None,
    grantee_kind: str,
    grantee: str = "",
    permission: str = Permission.READ,
    expires_at: datetime | None = None,
) -> Share:
    if (folder is None) == (document is None):
        raise ServiceError(_("フォルダか文書のどちらかを指定してください。"))
    access = access_for(membership)
    if folder is not None:
        if folder.company_id != company.pk:
            raise NotFound()
        if not access.can_edit_folder(folder.pk):
            raise PermissionDeniedError()
    if document is not None:
        _check_edit(company, membership, document)
    if grantee_kind not in GranteeKind.values:
        raise _fail("grantee_kind", _("共有先の種類が不正です。"))
    if permission not in Permission.values:
        raise _fail("permission", _("権限が不正です。"))
    if grantee_kind == GranteeKind.ROLE and grantee not in Role.values:
        raise _fail("grantee", _("ロールが不正です。"))
    if grantee_kind == GranteeKind.USER:
        user_id = int(grantee) if str(grantee).isdigit() else None
        target = Membership.objects.filter(company=company, user_id=user_id).first() if user_id else None
        if target is None:
            raise _fail("grantee", _("この会社のユーザーを選んでください。"))
        if target.has_any_role(Role.ASSISTANT) and expires_at is None:
            raise _fail("expires_at", _("外部アシスタントへの共有には有効期限が必要です。"))
    if grantee_kind == GranteeKind.DEPARTMENT and str(grantee) not in dict(department_choices(company)):
        raise _fail("grantee", _("この会社の部署を選んでください。"))
    if grantee_kind == GranteeKind.EVERYONE:
        grantee = ""
    if expires_at is not None and expires_at <= timezone.now():
        raise _fail("expires_at", _("有効期限は未来の日時にしてください。"))
    row = Share.objects.create(
        company=company,
        folder=folder,
        document=document,
        grantee_kind=grantee_kind,
        grantee=str(grantee),
        permission=permission,
        expires_at=expires_at,
        created_by=actor,
    )
    record_event(company=company, actor=actor, action="share", instance=row, after=snapshot(row))
    return row


@transaction.atomic
def revoke_share(*, company: Company, actor: User, membership: Membership, share_id: int) -> None:
    row = Share.objects.for_company(company).filter(pk=share_id).first()
    if row is None:
        raise NotFound()
    access = access_for(membership)
    allowed = (
        access.can_edit_folder(row.folder_id)
        if row.folder_id
        else (row.document is not None and access.can_edit_document(row.document_id, row.document.folder_id))
    )
    if not allowed:
        raise PermissionDeniedError()
    before = snapshot(row)
    row.delete()
    record_event(
        company=company,
        actor=actor,
        action="unshare",
        object_type="documents.share",
        object_id=str(share_id),
        object_repr=str(row),
        before=before,
    )
