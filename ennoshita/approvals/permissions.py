"""Who may configure approvals and who sees every request."""

from __future__ import annotations

from ennoshita.core.models import Membership, Role

# 管理者 and 経理 keep the routes and settings and see every request and delegation.
ROUTE_ROLES = (Role.ADMIN, Role.ACCOUNTING)
SEE_ALL_ROLES = (Role.ADMIN, Role.ACCOUNTING)


def can_configure(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*ROUTE_ROLES)


def sees_all(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*SEE_ALL_ROLES)
