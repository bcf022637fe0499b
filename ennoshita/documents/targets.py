"""The business records a document can be attached to, and who may read or edit them.

Documents sits below the apps it serves and never imports them: each app that accepts attachments
names a function in ``settings.ENNOSHITA_ATTACHMENT_TARGETS`` (type label → dotted path), such as
``"people.employee": "ennoshita.people.selectors.employee_attachment_target"``. The function is
called as ``fn(*, company, membership, object_id, for_edit)`` and returns the record's display
name, or raises ``NotFound`` (no such record in this company, or one the member may not read:
another company's id looks exactly like a missing one) or ``PermissionDeniedError`` (the member may
read the record but ``for_edit`` asked for more).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership

MAX_OBJECT_ID = 64  # Attachment.object_id


def target_types() -> list[str]:
    """The type labels documents can be attached to, sorted."""
    return sorted(getattr(settings, "ENNOSHITA_ATTACHMENT_TARGETS", {}))


@cache
def _load(path: str) -> Callable[..., str]:
    return import_string(path)


def resolve_target(
    *, company: Company, membership: Membership, object_type: str, object_id: str, for_edit: bool
) -> str:
    """The record's display name if ``membership`` may read it (and edit it, with ``for_edit``).

    Raises NotFound for a type that takes no attachments and for an id that names no record the
    member may read; PermissionDeniedError when the member may read the record but not edit it.
    """
    path = getattr(settings, "ENNOSHITA_ATTACHMENT_TARGETS", {}).get(object_type)
    if path is None:
        raise NotFound(_("「%(type)s」の記録には文書を添付できません。") % {"type": object_type[:100]})
    object_id = str(object_id)
    if not object_id or len(object_id) > MAX_OBJECT_ID:
        raise NotFound()
    return str(_load(path)(company=company, membership=membership, object_id=object_id, for_edit=for_edit))
