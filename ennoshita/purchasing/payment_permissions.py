"""Who may make, confirm and reverse payment runs and keep the payment settings: 経理 and the admin."""

from __future__ import annotations

from ennoshita.core.models import Membership, Role

PAYMENT_ROLES = (Role.ADMIN, Role.ACCOUNTING)


def can_pay(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*PAYMENT_ROLES)
