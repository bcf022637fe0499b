"""Who sees and changes which リーガルチェック (legal review).

- 法務 (legal) and 管理者 (admin) see every review of the company, assign reviewers, comment and
  return; they keep the playbook (条項メモ).
- Any other member (not the outside assistant team) submits reviews, and sees the reviews they
  requested and the reviews of the contracts they own (担当者). The requester resubmits, closes and
  withdraws their own review.
- The outside assistant team never sees a review.

The services check these again; views use them only to hide what cannot be used.
"""

from __future__ import annotations

from django.db.models import Q

from ennoshita.core.models import Membership, Role

from .models import LegalReview

MANAGER_ROLES = (Role.ADMIN, Role.LEGAL)


def manages_reviews(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*MANAGER_ROLES)


def can_request(membership: Membership | None) -> bool:
    """Any member but the outside assistant team may ask for a review."""
    return membership is not None and (
        manages_reviews(membership) or not membership.has_any_role(Role.ASSISTANT)
    )


def visible_q(membership: Membership) -> Q:
    """The reviews this member sees (a filter on ``LegalReview``)."""
    if manages_reviews(membership):
        return Q()
    if membership.has_any_role(Role.ASSISTANT):
        return Q(pk__in=[])
    return Q(requester_id=membership.user_id) | Q(contract__owner_id=membership.user_id)


def is_requester(membership: Membership, review: LegalReview) -> bool:
    return review.requester_id == membership.user_id and not membership.has_any_role(Role.ASSISTANT)


def can_see(membership: Membership, review: LegalReview) -> bool:
    if manages_reviews(membership):
        return True
    if membership.has_any_role(Role.ASSISTANT):
        return False
    owner_id = review.contract.owner_id if review.contract_id and review.contract else None
    return membership.user_id in (review.requester_id, owner_id)
