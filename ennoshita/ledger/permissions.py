"""Who may see and who may write the books."""

from __future__ import annotations

from ennoshita.core.models import Membership, Role

READ_ROLES = (Role.ADMIN, Role.ACCOUNTING, Role.FINANCE)
WRITE_ROLES = (Role.ADMIN, Role.ACCOUNTING)


def can_read(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*READ_ROLES)


def can_write(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*WRITE_ROLES)
