"""Reads of 総務・一般事務への依頼: one request (requester, its team, admin), my requests, a team's
queue with search and filters, the queue counts for the home page, and the request types."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import AuditEvent, Company, Membership, User
from ennoshita.core.selectors import audit_events_for_object
from ennoshita.core.text import nfkc
from ennoshita.frontdesk.models import OfficeRequest, OfficeRequestStatus, OfficeRequestType, Team
from ennoshita.frontdesk.permissions_visits import TEAM_ROLES, teams_of

OPEN_STATUSES = (OfficeRequestStatus.OPEN, OfficeRequestStatus.IN_PROGRESS)


def _base(company: Company) -> QuerySet[OfficeRequest]:
    return OfficeRequest.objects.for_company(company).select_related("request_type", "requester", "assignee")


def get_request(*, company: Company, membership: Membership, request_id: int) -> OfficeRequest:
    req = _base(company).filter(pk=request_id).first()
    if req is None:
        raise NotFound()
    if req.requester_id != membership.user_id and not membership.has_any_role(
        *TEAM_ROLES[req.request_type.team]
    ):
        raise PermissionDeniedError()
    return req


def request_history(*, company: Company, request: OfficeRequest) -> QuerySet[AuditEvent]:
    return audit_events_for_object(
        company=company, object_type="frontdesk.officerequest", object_id=str(request.pk)
    )


def request_type_history(*, company: Company, request_type: OfficeRequestType) -> QuerySet[AuditEvent]:
    return audit_events_for_object(
        company=company, object_type="frontdesk.officerequesttype", object_id=str(request_type.pk)
    )


def my_requests(
    *, company: Company, user: User, status: str = "", open_only: bool = False
) -> QuerySet[OfficeRequest]:
    qs = _base(company).filter(requester=user).order_by("-created_at", "-pk")
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in OfficeRequestStatus.values:
        qs = qs.filter(status=status)
    return qs


def team_queue(
    *,
    company: Company,
    membership: Membership,
    team: str = "",
    status: str = "",
    q: str = "",
    mine: bool = False,
) -> QuerySet[OfficeRequest]:
    """The requests of the teams this member works (one team with ``team``); open ones by default
    (``status="all"`` for every status); oldest first, so the queue is worked in order."""
    teams = teams_of(membership)
    if not teams or (team and team not in teams):
        raise PermissionDeniedError()
    qs = _base(company).filter(request_type__team__in=[team] if team else teams)
    if status == "all":
        qs = qs.order_by("-created_at", "-pk")
    else:
        qs = (
            qs.filter(status=status)
            if status in OfficeRequestStatus.values
            else qs.filter(status__in=OPEN_STATUSES)
        )
        qs = qs.order_by("created_at", "pk")
    if mine:
        qs = qs.filter(assignee_id=membership.user_id)
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(detail__icontains=word)
            | Q(request_type__name__icontains=word)
            | Q(requester__last_name__icontains=word)
            | Q(requester__first_name__icontains=word)
        )
    return qs


def queue_counts(*, company: Company, teams: Iterable[str]) -> dict[str, dict[str, int]]:
    """{team: {"open": n, "in_progress": m}} in one query."""
    teams = list(teams)
    counts: dict[str, dict[str, int]] = {t: {"open": 0, "in_progress": 0} for t in teams}
    rows = (
        OfficeRequest.objects.for_company(company)
        .filter(request_type__team__in=teams, status__in=OPEN_STATUSES)
        .values("request_type__team", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["request_type__team"]][row["status"]] = row["n"]
    return counts


def request_types(*, company: Company, active_only: bool = True) -> QuerySet[OfficeRequestType]:
    qs = OfficeRequestType.objects.for_company(company).order_by("sort_order", "name")
    return qs.filter(is_active=True) if active_only else qs


def get_request_type(*, company: Company, type_id: int) -> OfficeRequestType:
    found = OfficeRequestType.objects.for_company(company).filter(pk=type_id).first()
    if found is None:
        raise NotFound()
    return found


def team_label(team: str) -> str:
    return str(dict(Team.choices).get(team, team))


def request_rows(requests: Iterable[OfficeRequest]) -> Iterator[list[Any]]:
    yield [
        "番号",
        "依頼日時",
        "種類",
        "担当",
        "件名",
        "内容",
        "希望期限",
        "依頼者",
        "担当者",
        "状態",
        "対応内容",
        "完了日時",
    ]
    for r in requests:
        yield [
            r.pk,
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            r.request_type.name,
            r.request_type.get_team_display(),
            r.title,
            r.detail,
            r.due_on.isoformat() if r.due_on else "",
            r.requester.display_name(),
            r.assignee.display_name() if r.assignee_id and r.assignee else "",
            r.get_status_display(),
            r.resolution,
            timezone.localtime(r.closed_at).strftime("%Y-%m-%d %H:%M") if r.closed_at else "",
        ]
