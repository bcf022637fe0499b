"""Who may read or edit which folder and document.

- admins read and edit everything of their company;
- whoever created a folder edits it and everything below it;
- a share on a folder reaches everything below it; a share on a document reaches that document;
- a share names everyone, a role, a department (which includes its sub-departments) or a person,
  and may expire (links for the outside assistant team);
- documents in the trash are seen only in the trash screen.

The user's departments come from the people app through a settings hook (``ENNOSHITA_DEPARTMENTS_OF``)
because documents sits below people in the dependency order and must not import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from ennoshita.core.models import Company, Membership, Role

from .models import Folder, GranteeKind, Permission, Share


@cache
def _departments_hook() -> Callable[..., list[int]] | None:
    path = getattr(settings, "ENNOSHITA_DEPARTMENTS_OF", "")
    return import_string(path) if path else None


@cache
def _department_choices_hook() -> Callable[..., list[tuple[str, str]]] | None:
    path = getattr(settings, "ENNOSHITA_DEPARTMENT_CHOICES", "")
    return import_string(path) if path else None


def department_choices(company: Company) -> list[tuple[str, str]]:
    """(id, label) of the company's departments, for share forms and share lists."""
    hook = _department_choices_hook()
    return hook(company=company) if hook is not None else []


def principals(membership: Membership) -> set[tuple[str, str]]:
    """What a share may name to reach this membership."""
    found = {(GranteeKind.EVERYONE.value, ""), (GranteeKind.USER.value, str(membership.user_id))}
    found |= {(GranteeKind.ROLE.value, r) for r in membership.roles}
    hook = _departments_hook()
    if hook is not None:
        found |= {
            (GranteeKind.DEPARTMENT.value, str(d))
            for d in hook(company=membership.company, user_id=membership.user_id)
        }
    return found


def _principal_q(membership: Membership) -> Q:
    q = Q(pk__in=[])
    for kind, grantee in principals(membership):
        q |= Q(grantee_kind=kind, grantee=grantee)
    if membership.has_any_role(Role.ASSISTANT):
        # the outside team reaches only what names them personally (never "everyone" or a role)
        q = Q(grantee_kind=GranteeKind.USER, grantee=str(membership.user_id))
    now = timezone.now()
    return q & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


@dataclass
class Access:
    """The folders and documents one membership reaches, computed once per request."""

    is_admin: bool
    read_folders: set[int] = field(default_factory=set)
    edit_folders: set[int] = field(default_factory=set)
    read_documents: set[int] = field(default_factory=set)
    edit_documents: set[int] = field(default_factory=set)

    def can_read_folder(self, folder_id: int) -> bool:
        return self.is_admin or folder_id in self.read_folders

    def can_edit_folder(self, folder_id: int) -> bool:
        return self.is_admin or folder_id in self.edit_folders

    def can_read_document(self, document_id: int, folder_id: int) -> bool:
        return self.is_admin or folder_id in self.read_folders or document_id in self.read_documents

    def can_edit_document(self, document_id: int, folder_id: int) -> bool:
        return self.is_admin or folder_id in self.edit_folders or document_id in self.edit_documents

    def document_q(self, prefix: str = "") -> Q:
        """The documents this membership reads; ``prefix`` (such as ``"document__"``) filters rows
        that point at a document."""
        if self.is_admin:
            return Q()
        return Q(**{f"{prefix}folder_id__in": self.read_folders}) | Q(
            **{f"{prefix}pk__in": self.read_documents}
        )


def access_for(membership: Membership) -> Access:
    company = membership.company
    if membership.has_any_role(Role.ADMIN):
        return Access(is_admin=True)
    folders = list(Folder.objects.for_company(company).values_list("pk", "parent_id", "created_by_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent, _creator in folders:
        children.setdefault(parent, []).append(pk)

    def below(root: int) -> set[int]:
        out, stack = set(), [root]
        while stack:
            node = stack.pop()
            if node not in out:
                out.add(node)
                stack.extend(children.get(node, []))
        return out

    access = Access(is_admin=False)
    if not membership.has_any_role(Role.ASSISTANT):
        for pk, _parent, creator in folders:
            if creator == membership.user_id:
                tree = below(pk)
                access.read_folders |= tree
                access.edit_folders |= tree
    shares = Share.objects.for_company(company).filter(_principal_q(membership))
    for folder_id, document_id, permission in shares.values_list("folder_id", "document_id", "permission"):
        if folder_id is not None:
            tree = below(folder_id)
            access.read_folders |= tree
            if permission == Permission.EDIT:
                access.edit_folders |= tree
        elif document_id is not None:
            access.read_documents.add(document_id)
            if permission == Permission.EDIT:
                access.edit_documents.add(document_id)
    return access
