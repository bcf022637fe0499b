"""Role checks, made in services (and mirrored in views only to hide what cannot be used)."""

from __future__ import annotations

from .errors import PermissionDeniedError
from .models import Membership, Role

HR_ROLES = (Role.ADMIN, Role.HR)


def require_role(membership: Membership | None, *roles: str) -> None:
    if membership is None or not membership.has_any_role(*roles):
        raise PermissionDeniedError()


def is_hr(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*HR_ROLES)
