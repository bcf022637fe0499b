"""Who may do what in 経費精算."""

from __future__ import annotations

from ennoshita.core.models import Membership, Role

# 経理 (and the admin) see every claim, keep the categories and the thresholds.
ACCOUNTING_ROLES = (Role.ADMIN, Role.ACCOUNTING)
# Every employee claims their own expenses; the outside team does not.
CLAIM_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)


def can_claim(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*CLAIM_ROLES)


def sees_all(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*ACCOUNTING_ROLES)
