"""Who sees and changes which 法律相談・紛争 (a confidential matter).

- 法務 (legal) and 管理者 (admin) see every matter of the company and make every change.
- Any other member (not the outside assistant team) asks a consultation, and sees only the matters
  they are named on (``MatterMember``: the 相談者 and the people 法務 adds). They add notes to them
  while they are not closed, and read their files through this part's own file view.
- 経理 (accounting) is "any other member" here: matters are confidential, so 経理 does not read them.
- The outside assistant team never sees a matter, and is never named on one.

A member who opens a matter they are not named on gets a 404 (the matter's existence is not
revealed), never a 403. The services check these again; views use them only to hide what cannot be
used.
"""

from __future__ import annotations

from django.db.models import Q

from ennoshita.core.models import Membership, Role

from .models import LegalMatter, MatterMember, MatterStatus

MANAGER_ROLES = (Role.ADMIN, Role.LEGAL)


def is_assistant(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(Role.ASSISTANT)


def manages_matters(membership: Membership | None) -> bool:
    """法務 and 管理者 (an assistant never, whatever else they hold)."""
    return membership is not None and membership.has_any_role(*MANAGER_ROLES) and not is_assistant(membership)


def can_ask(membership: Membership | None) -> bool:
    """Any member but the outside assistant team may ask a consultation."""
    return membership is not None and not is_assistant(membership)


def visible_q(membership: Membership) -> Q:
    """The matters this member sees (a filter on ``LegalMatter``)."""
    if is_assistant(membership):
        return Q(pk__in=[])
    if manages_matters(membership):
        return Q()
    return Q(
        pk__in=MatterMember.objects.filter(
            company_id=membership.company_id, user_id=membership.user_id
        ).values("matter_id")
    )


def is_named(membership: Membership, matter: LegalMatter) -> bool:
    return MatterMember.objects.filter(
        company_id=membership.company_id, matter_id=matter.pk, user_id=membership.user_id
    ).exists()


def can_see(membership: Membership, matter: LegalMatter) -> bool:
    if is_assistant(membership) or matter.company_id != membership.company_id:
        return False
    return manages_matters(membership) or is_named(membership, matter)


def can_note(membership: Membership, matter: LegalMatter) -> bool:
    """法務 always; a named person while the matter is not closed (the caller has checked can_see)."""
    return manages_matters(membership) or matter.status not in (MatterStatus.CLOSED, MatterStatus.SETTLED)
