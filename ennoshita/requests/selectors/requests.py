"""Reads of requests: my requests, a team's inbox (filters, search, CSV), the outside assistant's
inbox with what each request gives them, one request with its records, files, history and time.

Who sees which request is ``permissions.visible_q``; another company's request, and one a member
may not see, are a 404 (``NotFound``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from ennoshita.core import grants
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.requests import permissions
from ennoshita.requests.models import (
    OPEN_STATUSES,
    EventKind,
    RequestAttachment,
    RequestEvent,
    RequestRecord,
    RequestStatus,
    TimeEntry,
    WorkRequest,
)

DOCUMENT_TYPE = "documents.document"


def overdue_q(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES) & (Q(sla_due_on__lt=today) | Q(due_on__lt=today))


def request_list(
    *,
    company: Company,
    membership: Membership,
    scope: str = "team",
    team_id: int | None = None,
    status: str = "",
    type_id: int | None = None,
    assignee_id: int | None = None,
    overdue: bool = False,
    q: str = "",
    today: date | None = None,
) -> QuerySet[WorkRequest]:
    """``scope`` "mine": what the member asked for; "team": what came to their teams (an admin:
    every request). An assistant sees only the open requests of their outside team, whatever asked."""
    teams = permissions.team_ids(membership)
    qs = WorkRequest.objects.for_company(company)
    # each branch is within what visible_q admits, written as one indexable condition (an OR of
    # requester and team would keep the database from using either index)
    if permissions.is_assistant(membership):
        qs = qs.filter(permissions.visible_q(membership, teams))
    elif scope == "mine":
        qs = qs.filter(requester_id=membership.user_id)
    elif not permissions.is_admin(membership):
        qs = qs.filter(team_id__in=teams)
    if team_id:
        qs = qs.filter(team_id=team_id)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in RequestStatus.values:
        qs = qs.filter(status=status)
    if type_id:
        qs = qs.filter(request_type_id=type_id)
    if assignee_id == -1:
        qs = qs.filter(assignee__isnull=True)
    elif assignee_id:
        qs = qs.filter(assignee_id=assignee_id)
    if overdue:
        qs = qs.filter(overdue_q(today or timezone.localdate()))
    for word in nfkc(q or "").split()[:5]:
        qs = qs.filter(Q(number__icontains=word) | Q(title__icontains=word))
    return qs.select_related("team", "request_type", "requester", "assignee").order_by("-created_at", "-pk")


def export_rows(qs: Iterable[WorkRequest]) -> Iterator[list[Any]]:
    yield [
        "依頼番号",
        "件名",
        "依頼先",
        "種類",
        "状態",
        "依頼者",
        "担当者",
        "期限",
        "SLA期限",
        "依頼日時",
        "完了日時",
    ]
    for r in qs.iterator(chunk_size=1000) if isinstance(qs, QuerySet) else qs:
        yield [
            r.number,
            r.title,
            r.team.name,
            r.request_type.name if r.request_type else "",
            r.get_status_display(),
            r.requester.display_name(),
            r.assignee.display_name() if r.assignee else "",
            r.due_on or "",
            r.sla_due_on or "",
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(r.closed_at).strftime("%Y-%m-%d %H:%M") if r.closed_at else "",
        ]


def get_request(*, company: Company, membership: Membership, request_id: int) -> WorkRequest:
    row = (
        WorkRequest.objects.for_company(company)
        .select_related("team", "request_type", "requester", "assignee", "recurring")
        .filter(pk=request_id)
        .first()
    )
    if row is None or not permissions.can_see(membership, row):
        raise NotFound()
    return row


def find_request(*, company: Company, request_id: int) -> WorkRequest | None:
    """The company's request by id without a permission check: only to record a refused attempt on
    it (never shown)."""
    return WorkRequest.objects.for_company(company).select_related("team").filter(pk=request_id).first()


@dataclass
class Item:
    """A record or file on a request, and whether the viewer may open it now."""

    object_type: str
    object_id: str
    label: str
    allowed: bool
    document_id: int | None = None
    pk: int | None = None  # the RequestRecord's id (records only)


@dataclass
class Gives:
    records: list[Item] = field(default_factory=list)
    files: list[Item] = field(default_factory=list)


def gives(*, membership: Membership, requests: list[WorkRequest]) -> dict[int, Gives]:
    """Each request's records and files, checked against the viewer's grants (an assistant opens
    only what ``core.grants`` gives them; anyone who sees the request opens all of them). One query
    for the records, one for the files, and one per kind of record for an assistant's grants."""
    ids = [r.pk for r in requests]
    out: dict[int, Gives] = {pk: Gives() for pk in ids}
    records = list(RequestRecord.objects.filter(request_id__in=ids).order_by("pk"))
    files = list(
        RequestAttachment.objects.filter(request_id__in=ids).select_related("document").order_by("pk")
    )
    assistant = permissions.is_assistant(membership)
    granted: dict[str, set[str]] = {}
    if assistant:
        for kind in sorted({r.object_type for r in records} | ({DOCUMENT_TYPE} if files else set())):
            granted[kind] = grants.granted_ids(membership=membership, object_type=kind)
    for r in records:
        ok = not assistant or r.object_id in granted.get(r.object_type, set())
        out[r.request_id].records.append(Item(r.object_type, r.object_id, r.label, ok, pk=r.pk))
    for f in files:
        ok = not assistant or str(f.document_id) in granted.get(DOCUMENT_TYPE, set())
        out[f.request_id].files.append(
            Item(DOCUMENT_TYPE, str(f.document_id), f.document.name, ok, f.document_id)
        )
    return out


def history(*, request: WorkRequest, include_views: bool = True) -> QuerySet[RequestEvent]:
    qs = RequestEvent.objects.filter(company_id=request.company_id, request=request).select_related("actor")
    if not include_views:
        qs = qs.exclude(kind__in=(EventKind.VIEWED,))
    return qs.order_by("created_at", "pk")


def time_entries(*, request: WorkRequest) -> QuerySet[TimeEntry]:
    return (
        TimeEntry.objects.filter(company_id=request.company_id, request=request)
        .select_related("user")
        .order_by("worked_on", "pk")
    )


def time_total(*, request: WorkRequest) -> dict[str, Any]:
    agg = TimeEntry.objects.filter(company_id=request.company_id, request=request).aggregate(
        minutes=Sum("minutes"), cost=Sum("cost")
    )
    return {"minutes": agg["minutes"] or 0, "cost": agg["cost"] or 0}


def record_of(*, request: WorkRequest, record_id: int) -> RequestRecord | None:
    return RequestRecord.objects.filter(company_id=request.company_id, request=request, pk=record_id).first()


def card_document_ids(*, request: WorkRequest) -> set[int]:
    """The documents that hang under the records the request names (their cards'), which the
    request gives with the records."""
    from ennoshita.core import records as core_records

    out: set[int] = set()
    for object_type, object_id in RequestRecord.objects.filter(request=request).values_list(
        "object_type", "object_id"
    ):
        card = core_records.load_card(company=request.company, object_type=object_type, object_id=object_id)
        if card is not None:
            out |= {int(d) for d, _name in card.documents}
    return out


def document_version(*, request: WorkRequest, document_id: int) -> Any:
    """The current version of a document the request gives (an attachment, or a document of a
    named record's card), or None."""
    from ennoshita.documents.models import Document

    found = attachment(request=request, document_id=document_id)
    if found is not None:
        return found.document.current_version
    if document_id in card_document_ids(request=request):
        doc = (
            Document.objects.for_company(request.company)
            .filter(pk=document_id, trashed_at__isnull=True)
            .select_related("current_version")
            .first()
        )
        return doc.current_version if doc else None
    return None


def attachment(*, request: WorkRequest, document_id: int) -> RequestAttachment | None:
    return (
        RequestAttachment.objects.filter(
            company_id=request.company_id, request=request, document_id=document_id
        )
        .select_related("document__current_version")
        .first()
    )


def counts(*, company: Company, membership: Membership, today: date | None = None) -> dict[str, int]:
    """For the home panel: my open requests; my teams' untaken and overdue (an assistant: the
    inbox count only)."""
    today = today or timezone.localdate()
    teams = permissions.team_ids(membership)
    base = WorkRequest.objects.for_company(company)
    if permissions.is_assistant(membership):
        return {"inbox": base.filter(team_id__in=teams, status__in=OPEN_STATUSES).count()}
    return {
        "mine": base.filter(requester_id=membership.user_id, status__in=OPEN_STATUSES).count(),
        "untaken": base.filter(team_id__in=teams, status=RequestStatus.OPEN).count() if teams else 0,
        "overdue": base.filter(overdue_q(today), team_id__in=teams).count() if teams else 0,
    }
