"""Who sees the indirect-cost dashboard: 経理 and admins the whole company; a department's 所属長
(people.Department.head) the departments he or she heads (and those below them); nobody else."""

from __future__ import annotations

from ennoshita.core.models import Membership, Role

ACCOUNTING_ROLES = (Role.ADMIN, Role.ACCOUNTING)


def sees_all(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*ACCOUNTING_ROLES)


def can_change_settings(membership: Membership | None) -> bool:
    return sees_all(membership)
