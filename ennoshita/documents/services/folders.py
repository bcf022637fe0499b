"""Documents' writes: folders."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.documents.access import access_for
from ennoshita.documents.files import clean_name
from ennoshita.documents.models import (
    Folder,
)

from .base import _fail


@transaction.atomic
def create_folder(
    *, company: Company, actor: User, membership: Membership, name: str, parent: Folder | None
) -> Folder:
    try:
        name = clean_name(name)
    except ServiceError as exc:
        message = exc.field_errors.get("file", [exc.message])[0]
        raise _fail("name", message if name.strip() else _("フォルダ名を入力してください。")) from exc
    # The unique constraint cannot see two root folders (NULL parents differ in SQL): check here.
    if Folder.objects.filter(company=company, parent=parent, name=name, trashed_at__isnull=True).exists():
        raise _fail("name", _("同じ名前のフォルダがあります。"))
    if parent is not None:
        if parent.company_id != company.pk or parent.trashed_at is not None:
            raise NotFound()
        if not access_for(membership).can_edit_folder(parent.pk):
            raise PermissionDeniedError()
    elif membership.has_any_role(Role.ASSISTANT):
        raise PermissionDeniedError()
    folder = Folder(company=company, name=name, parent=parent, created_by=actor)
    try:
        with transaction.atomic():
            folder.save()
    except IntegrityError as exc:
        raise _fail("name", _("同じ名前のフォルダがあります。")) from exc
    record_event(company=company, actor=actor, action="create", instance=folder, after=snapshot(folder))
    return folder
