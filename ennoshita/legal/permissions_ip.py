"""Who sees and changes which 知的財産権.

- 法務 (legal) and 管理者 (admin) see every right of the company and make every change (register,
  edit, status, payments and costs).
- 経理 (accounting) reads every right and its costs (the fees they pay), and changes nothing.
- Any other member sees the rights they are 担当者 (owner) of, read-only; the outside assistant team
  sees none.

The services and selectors check these; views use them only to hide what cannot be used.
"""

from __future__ import annotations

from django.db.models import Q

from ennoshita.core.models import Membership, Role

from .models import IpRight

MANAGER_ROLES = (Role.ADMIN, Role.LEGAL)
READ_ALL_ROLES = (Role.ADMIN, Role.LEGAL, Role.ACCOUNTING)


def manages_ip(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*MANAGER_ROLES)


def reads_all_ip(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*READ_ALL_ROLES)


def visible_q(membership: Membership) -> Q:
    """The rights this member sees (a filter on ``IpRight``)."""
    if reads_all_ip(membership):
        return Q()
    if membership.has_any_role(Role.ASSISTANT):
        return Q(pk__in=[])
    return Q(owner_id=membership.user_id)


def can_see(membership: Membership, right: IpRight) -> bool:
    if reads_all_ip(membership):
        return True
    return right.owner_id == membership.user_id and not membership.has_any_role(Role.ASSISTANT)


def can_change(membership: Membership | None) -> bool:
    return manages_ip(membership)
