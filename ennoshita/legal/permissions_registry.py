"""Who sees and changes the 登記・機関 register (officers, registered items, meetings, 定款).

- 法務 (legal) and 管理者 (admin) read and change everything.
- 経理 (accounting) reads everything (officers' pay, the 資本金, the minutes of the meetings that
  approve the statements), and changes nothing.
- Any other member sees none of it; the outside assistant team never, whatever else they hold.

The services and selectors check these; views use them only to hide what cannot be used.
"""

from __future__ import annotations

from ennoshita.core.errors import PermissionDeniedError
from ennoshita.core.models import Membership, Role

MANAGER_ROLES = (Role.ADMIN, Role.LEGAL)
READ_ROLES = (Role.ADMIN, Role.LEGAL, Role.ACCOUNTING)


def _outsider(membership: Membership | None) -> bool:
    return membership is None or membership.has_any_role(Role.ASSISTANT)


def manages_registry(membership: Membership | None) -> bool:
    return not _outsider(membership) and membership.has_any_role(*MANAGER_ROLES)  # type: ignore[union-attr]


def reads_registry(membership: Membership | None) -> bool:
    return not _outsider(membership) and membership.has_any_role(*READ_ROLES)  # type: ignore[union-attr]


def require_manager(membership: Membership | None) -> None:
    if not manages_registry(membership):
        raise PermissionDeniedError()


def require_reader(membership: Membership | None) -> None:
    if not reads_registry(membership):
        raise PermissionDeniedError()
