"""Who sees and changes which contract (契約書).

- 法務 (legal) and 管理者 (admin) see and change every contract of the company, and make every status
  change.
- 経理 (accounting) reads every contract (the amounts and the 印紙税 they pay for).
- Any other member (not the outside assistant team) registers draft contracts for their department,
  and sees the contracts they own (担当者) or registered (登録者). They change them, and move them
  between 起案中・法務確認中・交渉中 (submit for review, withdraw), only while the contract is 起案中 or
  交渉中; every other status change is 法務's.

The services check these again; views use them only to hide what cannot be used.
"""

from __future__ import annotations

from django.db.models import Q

from ennoshita.core.models import Membership, Role

from .models import Contract, ContractStatus

MANAGER_ROLES = (Role.ADMIN, Role.LEGAL)
READ_ALL_ROLES = (Role.ADMIN, Role.LEGAL, Role.ACCOUNTING)
# what the owner or the registrant may still change (and submit or withdraw)
OWNER_EDITABLE = (ContractStatus.DRAFT, ContractStatus.NEGOTIATING)
# the moves an owner may make themselves (from → to); every other one is 法務's
OWNER_MOVES = {
    (ContractStatus.DRAFT, ContractStatus.IN_REVIEW),
    (ContractStatus.NEGOTIATING, ContractStatus.IN_REVIEW),
    (ContractStatus.DRAFT, ContractStatus.TERMINATED),
    (ContractStatus.NEGOTIATING, ContractStatus.TERMINATED),
}


def manages_contracts(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*MANAGER_ROLES)


def reads_all_contracts(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*READ_ALL_ROLES)


def can_register(membership: Membership | None) -> bool:
    """Any member but the outside assistant team may register a draft contract."""
    return membership is not None and (
        manages_contracts(membership) or not membership.has_any_role(Role.ASSISTANT)
    )


def visible_q(membership: Membership) -> Q:
    """The contracts this member sees (a filter on ``Contract``)."""
    if reads_all_contracts(membership):
        return Q()
    if membership.has_any_role(Role.ASSISTANT):
        return Q(pk__in=[])
    return Q(owner_id=membership.user_id) | Q(created_by_id=membership.user_id)


def is_own(membership: Membership, contract: Contract) -> bool:
    return membership.user_id in (contract.owner_id, contract.created_by_id) and not membership.has_any_role(
        Role.ASSISTANT
    )


def can_see(membership: Membership, contract: Contract) -> bool:
    return reads_all_contracts(membership) or is_own(membership, contract)


def can_change(membership: Membership, contract: Contract) -> bool:
    """Edit its facts and attach files."""
    if manages_contracts(membership):
        return True
    return is_own(membership, contract) and contract.status in OWNER_EDITABLE


def can_move(membership: Membership, contract: Contract, to: str) -> bool:
    if manages_contracts(membership):
        return True
    return is_own(membership, contract) and (contract.status, to) in OWNER_MOVES
