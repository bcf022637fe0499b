"""The outside team's access to what a request names (core.grants).

While a request is open and with an active OUTSIDE team, every active member of that team whose
membership is live holds a grant on each record the request names (``RequestRecord``) and on each
attached document (``documents.document``), with the source ``requests.workrequest:<id>`` and the
membership's 有効期限 (end of that day, JST) as expiry. Any change that may alter this (assignment,
hand-over to another team, close, cancel, a member added or removed, the team revoked) calls
``sync_request_grants``, which takes the source's grants back and gives the ones now due: one rule,
applied the same way everywhere."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from ennoshita.core import grants
from ennoshita.core import records as core_records
from ennoshita.core.models import Membership, Role
from ennoshita.requests.models import (
    OPEN_STATUSES,
    RequestAttachment,
    RequestRecord,
    TeamKind,
    TeamMember,
    WorkRequest,
)

DOCUMENT_TYPE = "documents.document"


def source_of(request: WorkRequest | int) -> str:
    pk = request if isinstance(request, int) else request.pk
    return f"requests.workrequest:{pk}"


def expiry_of(membership: Membership) -> datetime | None:
    """The end of the membership's last day (the start of the next day, Asia/Tokyo)."""
    if membership.expires_on is None:
        return None
    return timezone.make_aware(datetime.combine(membership.expires_on + timedelta(days=1), time.min))


def team_memberships(request: WorkRequest) -> list[Membership]:
    """The live memberships of the outside team's active members (assistant role)."""
    user_ids = list(
        TeamMember.objects.filter(
            company_id=request.company_id, team_id=request.team_id, is_active=True
        ).values_list("user_id", flat=True)
    )
    today = timezone.localdate()
    rows = Membership.objects.filter(company_id=request.company_id, user_id__in=user_ids, is_active=True)
    return [
        m for m in rows if m.has_any_role(Role.ASSISTANT) and (m.expires_on is None or m.expires_on >= today)
    ]


def targets_of(request: WorkRequest) -> list[tuple[str, str]]:
    """The records named, the documents under their cards (core.records: "opening them is granted
    with the record") and the attachments."""
    records = list(RequestRecord.objects.filter(request=request).values_list("object_type", "object_id"))
    docs = [
        str(d)
        for d in RequestAttachment.objects.filter(request=request).values_list("document_id", flat=True)
    ]
    for object_type, object_id in records:
        card = core_records.load_card(company=request.company, object_type=object_type, object_id=object_id)
        if card is not None:
            docs += [str(d) for d, _name in card.documents]
    out = [(t, str(i)) for t, i in records] + [(DOCUMENT_TYPE, d) for d in docs]
    return list(dict.fromkeys(out))


def grants_due(request: WorkRequest) -> bool:
    return (
        request.status in OPEN_STATUSES and request.team.kind == TeamKind.OUTSIDE and request.team.is_active
    )


def sync_request_grants(request: WorkRequest) -> int:
    """Take back the request's grants and give those due now. Returns the number given."""
    company = request.company
    grants.revoke_source(company=company, source=source_of(request))
    if not grants_due(request):
        return 0
    given = 0
    targets = targets_of(request)
    for membership in team_memberships(request):
        expires = expiry_of(membership)
        for object_type, object_id in targets:
            grants.grant_access(
                company=company,
                membership=membership,
                object_type=object_type,
                object_id=object_id,
                source=source_of(request),
                expires_at=expires,
            )
            given += 1
    return given
