"""What an outside assistant opened, and what they were refused (ARCHITECTURE.md: "every action
recorded"). A page of this app opened by an assistant is a 閲覧 line in the request's history; an
attempt on a record or file the request does not (or no longer) give them is an アクセス拒否 line
when the request is theirs, and an ``access_denied`` audit event always."""

from __future__ import annotations

from django.db import transaction

from ennoshita.core.audit import record_event
from ennoshita.core.models import Company, Membership, User
from ennoshita.requests.models import EventKind, WorkRequest

from .base import add_event


@transaction.atomic
def record_view(*, company: Company, actor: User, request: WorkRequest, page: str) -> None:
    add_event(request, EventKind.VIEWED, actor, page[:300])


@transaction.atomic
def record_denied(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: WorkRequest | None,
    object_type: str,
    object_id: str,
    path: str = "",
) -> None:
    if request is not None:
        add_event(request, EventKind.DENIED, actor, f"{object_type}:{object_id} {path}"[:300])
    record_event(
        company=company,
        actor=actor,
        action="access_denied",
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=path[:300],
        extra={"request": request.pk if request else None, "membership": membership.pk},
    )
