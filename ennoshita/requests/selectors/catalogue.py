"""Reads of the teams and their service catalogue (サービスカタログ), and of recurring requests."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.requests import permissions
from ennoshita.requests.models import RecurringRequest, RequestType, Team, TeamMember


def teams(*, company: Company, active_only: bool = True) -> QuerySet[Team]:
    qs = Team.objects.for_company(company)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("kind", "name")


def catalogue(*, company: Company, team_id: int | None = None) -> list[Team]:
    """Active teams with their active request types (in display order)."""
    qs = teams(company=company).prefetch_related(
        Prefetch(
            "request_types",
            queryset=RequestType.objects.filter(is_active=True).order_by("sort_order", "name"),
            to_attr="active_types",
        )
    )
    if team_id:
        qs = qs.filter(pk=team_id)
    return list(qs)


def get_team(*, company: Company, team_id: int) -> Team:
    row = Team.objects.for_company(company).filter(pk=team_id).first()
    if row is None:
        raise NotFound()
    return row


def members(*, team: Team) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.filter(company_id=team.company_id, team=team, is_active=True)
        .select_related("user")
        .order_by("pk")
    )


def types_of(*, team: Team) -> QuerySet[RequestType]:
    return RequestType.objects.filter(company_id=team.company_id, team=team).order_by("sort_order", "name")


def get_type(*, company: Company, type_id: int) -> RequestType:
    row = RequestType.objects.for_company(company).select_related("team").filter(pk=type_id).first()
    if row is None:
        raise NotFound()
    return row


def recurring_list(*, company: Company, membership: Membership) -> QuerySet[RecurringRequest]:
    qs = RecurringRequest.objects.for_company(company).select_related("team", "request_type", "requester")
    if not permissions.is_admin(membership):
        qs = qs.filter(requester_id=membership.user_id)
    return qs.order_by("-is_active", "next_due_on", "pk")


def get_recurring(*, company: Company, membership: Membership, recurring_id: int) -> RecurringRequest:
    row = recurring_list(company=company, membership=membership).filter(pk=recurring_id).first()
    if row is None or permissions.is_assistant(membership):
        raise NotFound()
    return row


def catalogue_type(*, company: Company, type_id: int) -> RequestType | None:
    """An active type of an active team (what 「依頼する」 shows: needs and turnaround)."""
    return (
        RequestType.objects.for_company(company)
        .filter(pk=type_id, is_active=True, team__is_active=True)
        .select_related("team")
        .first()
    )
