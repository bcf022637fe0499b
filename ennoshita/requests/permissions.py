"""Who sees and does what in 業務依頼.

- Any member but the outside assistant team makes requests, and sees the requests they made
  (依頼者) with their whole history.
- The active members of a team see every request to their team and work on them (take, hand over,
  comment, ask the requester, close, log time).
- 管理者 (admin) sees and does everything, keeps the teams and their catalogue, and reads the cost
  report; 経理 (accounting) reads the cost report too.
- The outside assistant team (role ``assistant``) sees only the *open* requests of the active outside
  teams they are an active member of, and, through ``core.grants``, the records and documents those
  requests name, until their membership's 有効期限. Everything else is a 404.

The services check these again; views use them only to hide what cannot be used.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from ennoshita.core.models import Membership, Role

from .models import OPEN_STATUSES, Team, TeamKind, TeamMember, WorkRequest

COST_ROLES = (Role.ADMIN, Role.ACCOUNTING)


def is_assistant(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(Role.ASSISTANT)


def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(Role.ADMIN)


def can_request(membership: Membership | None) -> bool:
    return membership is not None and not is_assistant(membership)


def reads_costs(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*COST_ROLES) and not is_assistant(membership)


def membership_live(membership: Membership) -> bool:
    if not membership.is_active:
        return False
    return membership.expires_on is None or membership.expires_on >= timezone.localdate()


def team_ids(membership: Membership) -> list[int]:
    """The active teams the member works in (for an assistant: active outside teams only, and none
    once the membership has expired)."""
    if not membership_live(membership):
        return []
    rows = TeamMember.objects.filter(
        company_id=membership.company_id, user_id=membership.user_id, is_active=True, team__is_active=True
    )
    if is_assistant(membership):
        rows = rows.filter(team__kind=TeamKind.OUTSIDE)
    return list(rows.values_list("team_id", flat=True))


def visible_q(membership: Membership, teams: list[int] | None = None) -> Q:
    """The requests this member sees (a filter on ``WorkRequest``)."""
    if is_admin(membership) and not is_assistant(membership):
        return Q()
    teams = team_ids(membership) if teams is None else teams
    if is_assistant(membership):
        return Q(team_id__in=teams, status__in=OPEN_STATUSES)
    return Q(requester_id=membership.user_id) | Q(team_id__in=teams)


def can_see(membership: Membership, request: WorkRequest, teams: list[int] | None = None) -> bool:
    if is_admin(membership) and not is_assistant(membership):
        return True
    teams = team_ids(membership) if teams is None else teams
    if is_assistant(membership):
        return request.team_id in teams and request.status in OPEN_STATUSES
    return request.requester_id == membership.user_id or request.team_id in teams


def works_on(membership: Membership, request: WorkRequest, teams: list[int] | None = None) -> bool:
    """Whether the member acts for the team the request is with (or is an admin)."""
    if is_admin(membership) and not is_assistant(membership):
        return True
    teams = team_ids(membership) if teams is None else teams
    return request.team_id in teams


def is_requester(membership: Membership, request: WorkRequest) -> bool:
    return request.requester_id == membership.user_id and not is_assistant(membership)


def is_outside(team: Team) -> bool:
    return team.kind == TeamKind.OUTSIDE
