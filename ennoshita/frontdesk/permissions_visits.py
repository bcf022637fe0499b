"""Who may do what in the visits part (来訪者, 伝言メモ, 総務・一般事務への依頼). Checked in the
services; views and the home panel use the same helpers only to hide what cannot be used."""

from __future__ import annotations

from ennoshita.core.models import Membership, Role

from .models import Team

# 受付 at the desk: the today board, check-in/out, walk-ins, the visitor log, visits for anyone.
DESK_ROLES = (Role.ADMIN, Role.FRONTDESK, Role.AFFAIRS)
# 受付の設定 (the retention period, e-mail to hosts).
SETTINGS_ROLES = (Role.ADMIN, Role.FRONTDESK)
# Every member of the company except the outside team (which sees only what it is given).
MEMBER_ROLES = tuple(r for r in Role.values if r != Role.ASSISTANT)
# The request types master.
REQUEST_TYPE_ROLES = (Role.ADMIN, Role.AFFAIRS)
# Who works each team's queue: 総務 = affairs, 一般事務 = frontdesk; admin works both.
TEAM_ROLES: dict[str, tuple[str, ...]] = {
    Team.AFFAIRS: (Role.ADMIN, Role.AFFAIRS),
    Team.GENERAL: (Role.ADMIN, Role.FRONTDESK),
}


def is_desk(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*DESK_ROLES)


def is_member(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*MEMBER_ROLES)


def may_edit_settings(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*SETTINGS_ROLES)


def may_manage_request_types(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*REQUEST_TYPE_ROLES)


def teams_of(membership: Membership | None) -> list[str]:
    """The teams whose queue this member works (empty for most people)."""
    if membership is None:
        return []
    return [team for team, roles in TEAM_ROLES.items() if membership.has_any_role(*roles)]
